import ArgumentParser
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic status`: what a node says about its chain.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the chain's height, suite and validators.")

    @OptionGroup var node: NodeOptions

    func run() async throws {
        let info = try await QueryCommand.run { () async throws(ClientError) in try await node.client.chainInfo() }
        if node.json { return CLI.printJSON(info) }
        print("chain:        \(info.chainId)  (suite \(info.suite), genesis \(info.genesisHash.prefix(16))…)")
        print("height:       \(info.height) at \(CLI.time(info.headTimeMs))")
        print("head:         \(info.headHash)")
        print("pending:      \(info.pendingTransactions) transactions")
        print("validators:   " + info.validators.map { "\($0.name) (\($0.organization))" }.joined(separator: ", "))
        let role = info.validatorIndex.map { index in
            "validator " + (info.validators.indices.contains(Int(index)) ? info.validators[Int(index)].name : "#\(index)")
        } ?? "follower (not a validator)"
        print("this node:    \(role); connected to \(info.connectedPeers.isEmpty ? "no peers" : info.connectedPeers.joined(separator: ", "))")
        for certificate in info.certificates {
            let state = certificate.warning.map { "WARNING: \($0)" } ?? "valid"
            print("certificate:  \(certificate.name) \(certificate.subject) until \(CLI.time(certificate.notAfterMs)) (\(state))")
        }
        print("contracts:    \(info.contracts.joined(separator: ", "))")
    }
}

/// `civic verify`: check a proof file offline against the genesis file.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a proof file offline, with the genesis file alone.",
        discussion: "Checks the validator-set transitions the proof carries, from the genesis validators on; "
            + "the commit certificate's signatures against the validator set in force at the block's height; the Merkle paths of "
            + "the transaction and its receipt (or the state-tree path) and the transaction's signature. "
            + "Exit code 3 if any fails.")

    @Argument(help: "The proof file (.civicproof).")
    var proof: String

    @Option(help: "The chain's genesis file.")
    var genesis: String = "genesis.json"

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let genesis: Genesis
        do { genesis = try GenesisFile.load(path: self.genesis) } catch { throw CLIError(description: error.description) }
        let bytes = try CLI.readBytes(proof)
        do {
            let report = try OfflineVerifier.verify(bytes, genesis: genesis)
            if json {
                return CLI.printJSON(["valid": "true", "kind": report.kind, "height": String(report.height),
                                      "signed_by": report.signedBy.joined(separator: ","),
                                      "validator_set": String(report.validatorSetIndex),
                                      "validators": report.validators.joined(separator: ","),
                                      "transitions_checked": String(report.transitionsChecked)]
                                     .merging(report.facts) { first, _ in first })
            }
            print("VALID: \(report.kind) proof on chain \(report.chainId) (suite \(genesis.suite))")
            print("block:      \(report.height) at \(CLI.time(report.blockTimeMs))  \(report.blockHash)")
            print("certified:  by \(report.signedBy.joined(separator: ", ")) (of \(report.validators.count) validators "
                  + "of set \(report.validatorSetIndex): \(report.validators.joined(separator: ", ")))")
            print("validator-set transitions checked: \(report.transitionsChecked)")
            for (key, value) in report.facts.sorted(by: { $0.key < $1.key }) { print("  \(key): \(value)") }
        } catch {
            if json { CLI.printJSON(["valid": "false", "code": error.code, "message": error.description]) } else {
                print("INVALID: \(error.description) [\(error.code)]")
            }
            throw CivicExit.verificationFailed
        }
    }
}
