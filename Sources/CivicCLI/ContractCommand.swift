import ArgumentParser

/// `civic contract`: WebAssembly contracts on the chain.
struct ContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract", abstract: "Deploy, upgrade, freeze, call and query WebAssembly contracts.",
        subcommands: [Deploy.self, Upgrade.self, Freeze.self, Call.self, Query.self, Info.self])
}
