import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic tx`: sign and send transactions.
struct TxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx", abstract: "Sign and send transactions.",
        subcommands: [EvidencePut.self, IdentityRegister.self, KeyValuePut.self])

    /// Options shared by every transaction command.
    struct SigningOptions: ParsableArguments {
        @Option(help: "The signer's private key (PKCS#8 PEM, e.g. from `openssl genpkey -algorithm SM2`).")
        var key: String

        @Flag(inversion: .prefixedNo, help: "Wait until the transaction is committed.")
        var wait = true

        @OptionGroup var node: NodeOptions
    }

    /// Signs `call` and sends it; prints the outcome unless `printing` is false. Returns the response.
    static func send(_ call: ContractCall, options: SigningOptions, printing: Bool = true) async throws -> SubmitResponse {
        let key = try CLI.loadKey(options.key)
        let client = options.node.client
        do {
            let info = try await client.chainInfo()
            guard key.suite.name == info.suite else {
                throw CLIError(description: "The key is a '\(key.suite)' key but chain \(info.chainId) uses '\(info.suite)'.")
            }
            let transaction = try TransactionBuilder(chainID: info.chainId, key: key).sign(call)
            let response = try await client.submit(transaction, wait: options.wait)
            if printing { report(response, json: options.node.json) }
            if response.status == "dropped" || response.receipt?.status == "failure" {
                throw CLIError(description: response.receipt?.message ?? response.error?.message ?? "The transaction failed.",
                               exitCode: CivicExit.refused)
            }
            return response
        } catch let error as ClientError {
            throw CLI.failure(error)
        }
    }

    static func report(_ response: SubmitResponse, json: Bool) {
        if json { return CLI.printJSON(response) }
        print("transaction: \(response.hash)")
        print("status:      \(response.status)\(response.height.map { " at height \($0)" } ?? "")")
        if let receipt = response.receipt {
            print("receipt:     \(receipt.status)\(receipt.code.map { " (\($0)): \(receipt.message ?? "")" } ?? "")")
            if receipt.gasUsed > 0 { print("gas used:    \(receipt.gasUsed)") }
            for event in receipt.events {
                print("event:       \(event.name) " + event.attributes.map { "\($0[0])=\($0[1])" }.joined(separator: " "))
            }
        }
    }

    /// `civic tx evidence-put`.
    struct EvidencePut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evidence-put",
            abstract: "Record the fingerprint of each file as evidence (the files never leave this machine).")

        @Argument(help: "Files to fingerprint.")
        var files: [String]

        @Option(help: "A label (for example a case number).")
        var label: String = ""

        @Option(help: "Fingerprint algorithm: sm3 or sha256 (default: the chain's hash).")
        var algorithm: String?

        @Option(help: "Save each committed transaction's proof file in this directory.")
        var proofDirectory: String?

        @OptionGroup var signing: SigningOptions

        func run() async throws {
            let info = try await signing.node.client.chainInfo()
            let chosen = algorithm ?? (info.suite == "sm" ? "sm3" : "sha256")
            guard let algorithm = FingerprintAlgorithm(name: chosen) else { throw ValidationError("--algorithm must be sm3 or sha256.") }
            for file in files {
                let fingerprint = algorithm.suite.hash(try CLI.readBytes(file))
                if !signing.node.json { print("file:        \(file)\nfingerprint: \(algorithm.name):\(fingerprint.hex)") }
                let response = try await TxCommand.send(
                    TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: algorithm, label: label.isEmpty ? file : label),
                    options: signing)
                if let directory = proofDirectory, response.status == "committed", let hash = Hash256(validating: Hex.decode(response.hash) ?? []) {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    let path = directory + "/" + URL(fileURLWithPath: file).lastPathComponent + ".civicproof"
                    do { try CLI.write(try await signing.node.client.proofFile(hash), to: path) } catch let error as ClientError {
                        throw CLI.failure(error)
                    }
                    if !signing.node.json { print("proof:       \(path)") }
                }
            }
        }
    }

    /// `civic tx identity-register`.
    struct IdentityRegister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "identity-register", abstract: "Register an identity (admins only).")

        @Option(help: "The new identity's public key: a PEM file (public or private) or 130 hex digits.")
        var publicKey: String

        @Option(help: "Its name.")
        var name: String

        @Option(help: "Its organization.")
        var organization: String

        @Option(help: "Its role: admin, member, client, auditor, validator or observer.")
        var role: String = "client"

        @OptionGroup var signing: SigningOptions

        func run() async throws {
            guard let role = Role(name: role) else { throw ValidationError("Unknown --role '\(role)'.") }
            let suite = try CLI.loadKey(signing.key).suite
            let key = try CLI.loadPublicKey(publicKey, suite: suite)
            _ = try await TxCommand.send(TransactionBuilder.registerIdentity(key, name: name, organization: organization, role: role),
                                         options: signing)
            if !signing.node.json { print("address:     \(Address(publicKey: key).hex)") }
        }
    }

    /// `civic tx kv-put`.
    struct KeyValuePut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "kv-put", abstract: "Write a value in your key-value space.")

        @Argument(help: "The key (text).")
        var keyName: String

        @Argument(help: "The value (text).")
        var value: String

        @OptionGroup var signing: SigningOptions

        func run() async throws {
            _ = try await TxCommand.send(TransactionBuilder.keyValuePut(key: Array(keyName.utf8), value: Array(value.utf8)),
                                         options: signing)
        }
    }
}
