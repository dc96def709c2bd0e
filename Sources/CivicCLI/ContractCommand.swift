import ArgumentParser
import CivicCodec
import CivicCrypto
import Foundation

/// `civic contract`: write, build, deploy, upgrade, freeze, call and query WebAssembly contracts
/// (Docs/0012, Docs/0014).
struct ContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract", abstract: "Write, build, deploy, upgrade, freeze, call and query WebAssembly contracts.",
        subcommands: [New.self, Build.self, Deploy.self, Upgrade.self, Freeze.self, Call.self, Query.self, Info.self])

    /// `civic contract new NAME`: a contract package ready to build.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a contract package (Contract.json and a source file using the SDK).")

        @Argument(help: "The contract's name: 1–64 of [a-z0-9_], starting with a letter.")
        var name: String

        @Option(help: "Where to create the package (default: ./NAME). It must not hold a Contract.json yet.")
        var dir: String?

        @Option(help: "Source language: swift (the CivicContract SDK), c (civic.h) or wat (WebAssembly text).")
        var language: ContractManifest.Language = .swift

        func validate() throws {
            guard ContractManifest.isValidName(name) else {
                throw ValidationError("NAME must be 1–64 of [a-z0-9_] and start with a letter.")
            }
        }

        func run() throws {
            let directory = dir ?? name
            let manifestPath = (directory as NSString).appendingPathComponent(ContractManifest.fileName)
            guard !FileManager.default.fileExists(atPath: manifestPath) else {
                throw CLIError(description: "\(manifestPath) exists already; choose another --dir.")
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let source = ContractTemplate.sourceFile(language)
            let manifest = ContractManifest(name: name, abi: 1, language: language, sources: [source])
            try CLI.write(manifest.encoded(), to: manifestPath)
            try CLI.write(Array(ContractTemplate.source(name: name, language: language).utf8),
                          to: (directory as NSString).appendingPathComponent(source))
            print("created \(directory)/\(ContractManifest.fileName) and \(directory)/\(source)")
            print("build it with: civic contract build --dir \(directory)")
        }
    }

    /// `civic contract build`: compiles a contract package to a `.wasm` module.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile a contract package to WebAssembly; prints the module's size and code hash.",
            discussion: """
                Swift sources are compiled with Embedded Swift (swiftc from SWIFTC or PATH) against the \
                SDK in ContractSDK/ (found from --sdk, CIVIC_CONTRACT_SDK, or the directories above the \
                package, the current directory and the civic executable); C sources with the clang and \
                wasm-ld beside that swiftc. WebAssembly text (a package of language wat, or a single .wat \
                file given as PATH) is assembled in-process with WasmKit's WAT parser; no toolchain needed.
                """)

        @Argument(help: "A contract package directory, or a single .wat file (default: --dir, else .).")
        var path: String?

        @Option(help: "The contract package (the directory holding Contract.json).")
        var dir: String?

        @Option(name: .shortAndLong, help: "Where to write the module (default: DIR/NAME.wasm).")
        var out: String?

        @Option(help: "The ContractSDK directory (default: searched, see above).")
        var sdk: String?

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            if path != nil, dir != nil { throw ValidationError("Give the package as PATH or as --dir, not both.") }
        }

        func run() throws {
            let target = path ?? dir ?? "."
            if WATAssembler.isSourceFile(target) {
                // A single .wat file: the module goes beside it (echo.wat -> echo.wasm), named after it.
                let output = out ?? (target as NSString).deletingPathExtension + ".wasm"
                let module = try WATAssembler.build(source: target, output: output)
                let name = ((target as NSString).lastPathComponent as NSString).deletingPathExtension
                Build.describe(module, name: name, path: output, json: json)
                return
            }
            let manifest = try ContractManifest.load(directory: target)
            let output = out ?? (target as NSString).appendingPathComponent("\(manifest.name).wasm")
            let module: [UInt8]
            if manifest.language == .wat {
                module = try ContractBuilder.buildWAT(packageDirectory: target, manifest: manifest, output: output)
            } else {
                let toolchain = try ContractToolchain.locate()
                let builder = ContractBuilder(toolchain: toolchain, packageDirectory: target, manifest: manifest)
                module = try builder.build(sdkDirectory: sdk, output: output)
            }
            Build.describe(module, name: manifest.name, path: output, json: json)
        }

        /// The `--json` output.
        struct Summary: Codable {
            var name: String
            var path: String
            var bytes: Int
            var codeHashSM3: String
            var codeHashSHA256: String

            enum CodingKeys: String, CodingKey {
                case name, path, bytes, codeHashSM3 = "code_hash_sm3", codeHashSHA256 = "code_hash_sha256"
            }
        }

        static func describe(_ module: [UInt8], name: String, path: String, json: Bool) {
            let sm3 = Hex.encode(CryptoSuite.sm.hash(module).bytes)
            let sha256 = Hex.encode(CryptoSuite.intl.hash(module).bytes)
            if json {
                CLI.printJSON(Summary(name: name, path: path, bytes: module.count, codeHashSM3: sm3, codeHashSHA256: sha256))
            } else {
                print("contract:   \(name)")
                print("module:     \(path)")
                print("size:       \(module.count) bytes")
                print("code hash:  \(sm3) (sm3)")
                print("            \(sha256) (sha256)")
            }
        }
    }
}

/// `Contract.json`: what a contract package is called, its ABI version, language and sources.
struct ContractManifest: Codable, Equatable {
    /// The manifest's file name inside a package.
    static let fileName = "Contract.json"

    /// The languages `civic contract build` compiles.
    enum Language: String, Codable, ExpressibleByArgument {
        case swift, c, wat
    }

    var name: String
    var abi: Int
    var language: Language
    /// Source files relative to the package directory.
    var sources: [String]

    /// Whether `name` can name a contract and a Swift module: `[a-z][a-z0-9_]{0,63}`.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), bytes.count <= 64 else {
            return false
        }
        return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// The manifest of the package in `directory`.
    /// - Throws: ``CLIError`` when it is missing, unreadable or invalid.
    static func load(directory: String) throws -> ContractManifest {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(description: "\(path) does not exist; create a package with 'civic contract new NAME'.")
        }
        let manifest: ContractManifest
        do { manifest = try JSONDecoder().decode(ContractManifest.self, from: Data(try CLI.readBytes(path))) } catch {
            throw CLIError(description: "\(path) is not a contract manifest: \(error)")
        }
        guard isValidName(manifest.name) else { throw CLIError(description: "\(path): the name must match [a-z][a-z0-9_]{0,63}.") }
        guard manifest.abi == 1 else { throw CLIError(description: "\(path): only ABI version 1 exists (Docs/0012).") }
        guard !manifest.sources.isEmpty else { throw CLIError(description: "\(path) lists no sources.") }
        return manifest
    }

    /// Pretty-printed JSON with sorted keys and a final newline.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }
}
