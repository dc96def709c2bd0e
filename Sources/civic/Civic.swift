import ArgumentParser
import CivicCLI

/// The `civic` executable: all logic lives in `CivicCLI`.
@main
enum Civic {
    static func main() async {
        await CivicCommand.runMain()
    }
}
