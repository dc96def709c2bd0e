import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

extension EvidenceCommand {
    /// `civic evidence verify`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a file was recorded: offline from its receipt and the genesis file, or by asking a node.",
            discussion: """
                Offline (default): recomputes the file's fingerprint, checks the transaction proof in the receipt \
                against the genesis file (as `civic verify` does), that the proven receipt names the batch root and \
                size, and the item's Merkle path to that root. Prints when and by whom the file was recorded. \
                With --node, asks the node instead (no receipt needed; the node's word). Exit code 3 if the file is \
                not proven recorded.
                """)

        @Argument(help: "The file.")
        var file: String

        @Option(help: "The evidence receipt (default: FILE.evidence.json).")
        var receipt: String?

        @Option(help: "The chain's genesis file.")
        var genesis: String = "genesis.json"

        @Option(name: .customLong("node"), help: "Ask this node instead of checking a receipt offline.")
        var nodeURL: String?

        @Option(help: "Fingerprint algorithm for --node: sm3 or sha256 (default: the chain's hash).")
        var algorithm: String?

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            if let nodeURL { return try await online(NodeClient(baseURL: nodeURL)) }
            let genesis: Genesis
            do { genesis = try GenesisFile.load(path: self.genesis) } catch { throw CLIError(description: error.description) }
            let document = try CLI.readBytes(file)
            let receiptBytes = try CLI.readBytes(receipt ?? EvidenceCommand.receiptPath(for: file, directory: nil))
            do {
                let report = try EvidenceVerifier.verify(document: document, receipt: receiptBytes, genesis: genesis)
                printValid(report, suite: genesis.suite)
            } catch {
                try refuse(code: error.code, message: error.description)
            }
        }

        private func printValid(_ report: EvidenceReport, suite: CryptoSuite) {
            let proof = report.proof
            var facts = [
                "valid": "true", "file": file, "algorithm": report.item.algorithm.name,
                "fingerprint": report.item.fingerprint.hex, "label": report.item.label, "chain_id": proof.chainId,
                "height": String(proof.height), "block_time_ms": String(proof.blockTimeMs), "block_hash": proof.blockHash,
                "submitter": report.submitter.hex, "organization": report.organization,
                "transaction_hash": report.transactionHash.hex, "signed_by": proof.signedBy.joined(separator: ","),
                "validator_set": String(proof.validatorSetIndex), "transitions_checked": String(proof.transitionsChecked),
            ]
            if let batch = report.batch {
                facts["batch_root"] = batch.root.hex
                facts["batch_index"] = String(batch.index)
                facts["batch_count"] = String(batch.count)
            }
            if json { return CLI.printJSON(facts) }
            print("VALID: \(file) was recorded as evidence on chain \(proof.chainId) (suite \(suite))")
            print("fingerprint: \(report.item.algorithm.name):\(report.item.fingerprint.hex)")
            print("label:       \(report.item.label)")
            print("recorded:    at \(CLI.time(proof.blockTimeMs)) in block \(proof.height) (\(proof.blockHash))")
            print("by:          \(report.submitter.hex)\(report.organization.isEmpty ? "" : " of \(report.organization)")")
            print("transaction: \(report.transactionHash.hex)")
            if let batch = report.batch {
                print("batch:       item \(batch.index) of \(batch.count), root \(batch.root.hex)")
            }
            print("certified:   by \(proof.signedBy.joined(separator: ", ")) (of \(proof.validators.count) validators of set "
                  + "\(proof.validatorSetIndex); \(proof.transitionsChecked) validator-set transitions checked)")
        }

        private func refuse(code: String, message: String) throws -> Never {
            if json { CLI.printJSON(["valid": "false", "code": code, "message": message]) } else {
                print("INVALID: \(message) [\(code)]")
            }
            throw CivicExit.verificationFailed
        }

        /// Asks the node whether the file's fingerprint is recorded.
        private func online(_ client: NodeClient) async throws {
            let info = try await QueryCommand.run { () async throws(ClientError) in try await client.chainInfo() }
            let algorithm = try EvidenceCommand.algorithm(algorithm, chainSuite: info.suite)
            let digest = algorithm.suite.hash(try CLI.readBytes(file))
            let response = try await QueryCommand.run { () async throws(ClientError) in
                try await client.evidence(algorithm: algorithm.name, fingerprint: digest)
            }
            guard response.present, let record = response.decoded else {
                try refuse(code: "evidence.not_found",
                       message: "The \(algorithm.name) fingerprint \(digest.hex) of \(file) is not recorded on chain \(info.chainId) (height \(response.height)).")
            }
            if json { return CLI.printJSON(record.merging(["recorded": "true", "file": file]) { first, _ in first }) }
            print("RECORDED: \(file) on chain \(info.chainId) (the node's answer at height \(response.height); "
                  + "for a court, verify the receipt offline)")
            print("fingerprint: \(algorithm.name):\(digest.hex)")
            print("label:       \(record["label"] ?? "")")
            print("recorded:    at \(CLI.time(UInt64(record["time_ms"] ?? "") ?? 0)) in block \(record["height"] ?? "?")")
            print("by:          \(record["submitter"] ?? "?") of \(record["organization"] ?? "?")")
            print("transaction: \(record["transaction_hash"] ?? "?")")
            if let root = record["batch_root"] {
                print("batch:       item \(record["batch_index"] ?? "?") of \(record["batch_count"] ?? "?"), root \(root)")
            }
        }
    }

    /// `civic evidence timestamp`.
    struct TimeStamp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timestamp",
            abstract: "Fetch an RFC 3161 time-stamp token (TimeStampResp, DER) for a recorded file.",
            discussion: """
                The node signs it with its validator's time-stamping key; genTime is the block time that recorded \
                the file. Check it with `openssl ts -verify -digest <fingerprint> -in TOKEN -CAfile <organization CA> \
                -untrusted <TSA certificate>`.
                """)

        @Argument(help: "The recorded file.")
        var file: String

        @Option(help: "Where to write the token (default: FILE.tsr).")
        var out: String?

        @Option(help: "Fingerprint algorithm: sm3 or sha256 (default: the chain's hash).")
        var algorithm: String?

        @OptionGroup var node: NodeOptions

        func run() async throws {
            let client = node.client
            let info = try await QueryCommand.run { () async throws(ClientError) in try await client.chainInfo() }
            let algorithm = try EvidenceCommand.algorithm(algorithm, chainSuite: info.suite)
            let digest = algorithm.suite.hash(try CLI.readBytes(file))
            let token = try await QueryCommand.run { () async throws(ClientError) in
                try await client.evidenceTimeStamp(algorithm: algorithm.name, fingerprint: digest)
            }
            let path = out ?? file + ".tsr"
            try CLI.write(token, to: path)
            if node.json { return CLI.printJSON(["token": path, "fingerprint": digest.hex, "algorithm": algorithm.name]) }
            print("token:       \(path) (\(token.count) bytes, RFC 3161 TimeStampResp)")
            print("fingerprint: \(algorithm.name):\(digest.hex)")
            print("check with:  openssl ts -verify -digest \(digest.hex) -in \(path) -CAfile <organization CA> -untrusted <TSA certificate>")
        }
    }
}
