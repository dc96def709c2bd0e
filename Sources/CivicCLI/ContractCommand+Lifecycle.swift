import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic contract deploy|upgrade|freeze|call|query|info`: a WebAssembly contract's life on chain.
extension ContractCommand {
    /// The arguments of a call: hex bytes or UTF-8 text.
    struct CallArguments: ParsableArguments {
        @Option(help: "The call's arguments as hex bytes.")
        var argsHex: String?

        @Option(help: "The call's arguments as UTF-8 text.")
        var args: String?

        /// The bytes the options give (none when neither is set).
        func bytes() throws -> [UInt8] {
            switch (argsHex, args) {
            case (let hex?, nil):
                guard let bytes = Hex.decode(hex) else { throw ValidationError("--args-hex must be hexadecimal.") }
                return bytes
            case (nil, let text?): return Array(text.utf8)
            case (nil, nil): return []
            default: throw ValidationError("Give --args-hex or --args, not both.")
            }
        }
    }

    /// Uploads `wasm` in chunks unless the chain has it, then proposes `change(codeHash)`.
    static func uploadAndPropose(wasm path: String, signing: TxCommand.SigningOptions, deadlineHours: UInt64,
                                 change: (Hash256) -> GovernanceChange) async throws {
        let code = try CLI.readBytes(path)
        let key = try CLI.loadKey(signing.key)
        let client = signing.node.client
        let info: ChainInfoResponse
        do { info = try await client.chainInfo() } catch { throw CLI.failure(error) }
        guard let suite = CryptoSuite(name: info.suite), suite == key.suite else {
            throw CLIError(description: "The key is a '\(key.suite)' key but chain \(info.chainId) uses '\(info.suite)'.")
        }
        let codeHash = suite.hash(code)
        let uploaded = (try? await client.state(key: CodeContract.recordKey(codeHash)))?.present ?? false
        if !uploaded {
            let chunks = CodeContract.Chunk.split(code, suite: suite)
            for chunk in chunks {
                _ = try await TxCommand.send(ContractCall(contract: "code", method: "upload", arguments: chunk.canonicalBytes),
                                             options: signing, printing: false)
            }
            if !signing.node.json { print("uploaded:    \(code.count) bytes in \(chunks.count) chunks, code hash \(codeHash.hex)") }
        } else if !signing.node.json {
            print("uploaded:    already on chain, code hash \(codeHash.hex)")
        }
        try await ProposalCommand.propose(change(codeHash), deadlineHours: deadlineHours, signing: signing)
    }

    /// `civic contract deploy`.
    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a WebAssembly module and propose deploying it (org admins; the contract_deploy policy decides).")

        @Option(help: "The contract's name (a-z, 0-9, '_', starting with a letter).")
        var name: String

        @Option(help: "The .wasm module.")
        var wasm: String

        @Option(help: "Input of the module's civic_init hook, as hex bytes.")
        var initArgsHex: String = ""

        @Option(help: "Hours until the proposal's deadline.")
        var deadlineHours: UInt64 = 72

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            guard let initArguments = Hex.decode(initArgsHex) else { throw ValidationError("--init-args-hex must be hexadecimal.") }
            try await ContractCommand.uploadAndPropose(wasm: wasm, signing: signing, deadlineHours: deadlineHours) {
                .deployContract(name: name, codeHash: $0, initArguments: initArguments)
            }
        }
    }

    /// `civic contract upgrade`.
    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a new module for a contract and propose the upgrade (its civic_migrate hook runs).")

        @Option(help: "The contract's name.")
        var name: String

        @Option(help: "The new .wasm module.")
        var wasm: String

        @Option(help: "Hours until the proposal's deadline.")
        var deadlineHours: UInt64 = 72

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            try await ContractCommand.uploadAndPropose(wasm: wasm, signing: signing, deadlineHours: deadlineHours) {
                .upgradeContract(name: name, codeHash: $0)
            }
        }
    }

    /// `civic contract freeze`.
    struct Freeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose freezing a contract (every call refused, state kept), or unfreezing it.")

        @Option(help: "The contract's name.")
        var name: String

        @Flag(help: "Propose unfreezing instead.")
        var unfreeze = false

        @Option(help: "Hours until the proposal's deadline.")
        var deadlineHours: UInt64 = 72

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            try await ProposalCommand.propose(.setContractFrozen(name: name, frozen: !unfreeze), deadlineHours: deadlineHours,
                                              signing: signing)
        }
    }

    /// `civic contract call`.
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call a method of a deployed contract in a transaction and print its receipt.")

        @Argument(help: "The contract's name.")
        var name: String

        @Argument(help: "The method.")
        var method: String

        @OptionGroup var arguments: CallArguments

        @OptionGroup var signing: TxCommand.SigningOptions

        func run() async throws {
            let response = try await TxCommand.send(ContractCall(contract: name, method: method, arguments: try arguments.bytes()),
                                                    options: signing)
            if !signing.node.json, let data = response.receipt?.returnData { ContractCommand.printReturnData(data) }
        }
    }

    /// `civic contract query`.
    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a method against the committed state without submitting anything (signed, so the contract sees you).")

        @Argument(help: "The contract's name.")
        var name: String

        @Argument(help: "The method.")
        var method: String

        @OptionGroup var arguments: CallArguments

        @Option(help: "The caller's private key (PKCS#8 PEM).")
        var key: String

        @OptionGroup var node: NodeOptions

        func run() async throws {
            let key = try CLI.loadKey(self.key)
            let client = node.client
            do {
                let info = try await client.chainInfo()
                let transaction = try TransactionBuilder(chainID: info.chainId, key: key)
                    .sign(ContractCall(contract: name, method: method, arguments: try arguments.bytes()))
                let response = try await client.query(transaction)
                if node.json { return CLI.printJSON(response) }
                let receipt = response.receipt
                print("height:      \(response.height)")
                print("result:      \(receipt.status)\(receipt.code.map { " (\($0)): \(receipt.message ?? "")" } ?? "")")
                print("gas used:    \(receipt.gasUsed)")
                for event in receipt.events {
                    print("event:       \(event.name) " + event.attributes.map { "\($0[0])=\($0[1])" }.joined(separator: " "))
                }
                ContractCommand.printReturnData(receipt.returnData)
                if receipt.status == "failure" {
                    throw CLIError(description: receipt.message ?? "The call failed.", exitCode: CivicExit.refused)
                }
            } catch let error as ClientError {
                throw CLI.failure(error)
            }
        }
    }

    /// `civic contract info`.
    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a deployed contract: version, code hash, frozen, heights.")

        @Argument(help: "The contract's name.")
        var name: String

        @OptionGroup var node: NodeOptions

        func run() async throws {
            let view: ContractView
            do { view = try await node.client.contract(name) } catch { throw CLI.failure(error) }
            if node.json { return CLI.printJSON(view) }
            print("contract:    \(view.name) v\(view.version)\(view.frozen ? " (frozen)" : "")")
            print("code:        \(view.codeHash) (\(view.codeBytes) bytes)")
            print("deployed:    height \(view.deployedAt); upgraded at \(view.upgradedAt); proposal \(view.proposalId)")
        }
    }

    /// Prints return data as hex, and as text when it is printable UTF-8.
    static func printReturnData(_ hex: String) {
        guard !hex.isEmpty else { return }
        print("returned:    \(hex)")
        if let bytes = Hex.decode(hex), let text = String(validating: bytes, as: UTF8.self),
           text.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || " .,:;-_/()[]{}'\"=+#@!?".unicodeScalars.contains($0) }) {
            print("as text:     \(text)")
        }
    }
}
