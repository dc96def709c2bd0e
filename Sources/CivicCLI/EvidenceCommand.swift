import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation

/// `civic evidence`: record files' fingerprints in one batch, verify a receipt offline, fetch RFC 3161 tokens
/// (Docs/0016, "Evidence").
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Record files as evidence, verify receipts offline, fetch time-stamp tokens.",
        subcommands: [Put.self, Verify.self, TimeStamp.self])

    /// The TSA policy a node writes in its tokens unless told otherwise: a UUID-based OID (ITU-T X.667, arc 2.25),
    /// which needs no registration.
    static let defaultTimeStampPolicy = "2.25.187853002283191030410142240144904630302"

    /// The receipt file written for `file`: beside it, or in `directory`.
    static func receiptPath(for file: String, directory: String?) -> String {
        guard let directory else { return file + ".evidence.json" }
        return directory + "/" + URL(fileURLWithPath: file).lastPathComponent + ".evidence.json"
    }

    /// The fingerprint algorithm: `name`, or the hash of the chain's suite.
    static func algorithm(_ name: String?, chainSuite: String) throws -> FingerprintAlgorithm {
        let chosen = name ?? (chainSuite == "sm" ? "sm3" : "sha256")
        guard let algorithm = FingerprintAlgorithm(name: chosen) else { throw ValidationError("--algorithm must be sm3 or sha256.") }
        return algorithm
    }

    /// The node's time-stamping authority from `--tsa-cert` and `--tsa-key`, or `nil` when neither is given.
    /// - Throws: a usage error when only one is given; ``CLIError`` when they are not a time-stamping certificate
    ///   and its key, or the key is not of the chain's suite.
    static func loadTimeStampAuthority(certificate: String?, key: String?, policy: String,
                                       genesis: Genesis) throws -> TimeStampAuthority? {
        guard certificate != nil || key != nil else { return nil }
        guard let certificate, let key else { throw ValidationError("--tsa-cert and --tsa-key go together.") }
        let authority: TimeStampAuthority
        do {
            authority = try TimeStampAuthority(certificatePEM: try CLI.readText(certificate),
                                               privateKeyPEM: try CLI.readText(key), policy: policy)
        } catch let error as PKIError {
            throw CLIError(description: "The time-stamping certificate cannot be used: \(error.description)")
        }
        guard authority.suite == genesis.suite else {
            throw CLIError(description: "The time-stamping key is a '\(authority.suite)' key but the chain uses '\(genesis.suite)'.")
        }
        return authority
    }

    /// `civic evidence put`.
    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the fingerprints of files in one transaction and write a receipt beside each file.",
            discussion: """
                Hashes each file locally with the chain's hash (the files never leave this machine), submits one \
                evidence.put_batch transaction, waits for its commit, fetches its proof and writes FILE.evidence.json: \
                the item, its Merkle path to the batch root and the transaction proof. A court checks it with \
                `civic evidence verify FILE --receipt FILE.evidence.json --genesis genesis.json`.
                """)

        @Argument(help: "Files to record (at most 1,000).")
        var files: [String]

        @Option(help: "The label of every item (for example a case number; default: each file's name).")
        var label: String?

        @Option(help: "Fingerprint algorithm: sm3 or sha256 (default: the chain's hash).")
        var algorithm: String?

        @Option(help: "Write the receipts in this directory instead of beside the files.")
        var outDir: String?

        @OptionGroup var signing: TxCommand.SigningOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Give at least one file.") }
            guard files.count <= Limits.evidenceBatchItemsMax else {
                throw ValidationError("One batch holds at most \(Limits.evidenceBatchItemsMax) files; run the command once per group.")
            }
            guard signing.wait else { throw ValidationError("Receipts need the commit: drop --no-wait.") }
        }

        func run() async throws {
            let client = signing.node.client
            let info = try await QueryCommand.run { () async throws(ClientError) in try await client.chainInfo() }
            let algorithm = try EvidenceCommand.algorithm(algorithm, chainSuite: info.suite)
            guard let suite = CryptoSuite(name: info.suite) else {
                throw CLIError(description: "The node reports an unknown suite '\(info.suite)'.")
            }
            let items = try makeItems(algorithm: algorithm)
            let call = TransactionBuilder.evidencePutBatch(items)
            guard call.arguments.count <= Limits.callArgumentsBytesMax else {
                throw ValidationError("These files and labels need \(call.arguments.count) bytes, more than one transaction carries; split them.")
            }
            let tree = EvidenceBatch.levels(of: items, suite: suite)
            let response = try await TxCommand.send(call, options: signing, printing: !signing.node.json)
            let hash = try Self.committedHash(response)
            let proof = try await QueryCommand.run { () async throws(ClientError) in try await client.proofFile(hash) }
            try Self.checkRoot(proof, expected: tree.root)
            let written = try writeReceipts(items, tree: tree, chainID: info.chainId, transactionHash: hash, proof: proof)
            if signing.node.json {
                CLI.printJSON(Summary(transaction: response.hash, height: response.height, root: tree.root.hex, items: written))
            } else {
                print("batch root:  \(tree.root.hex) (\(items.count) items)")
            }
        }

        /// One item per file: its fingerprint, hashed here, and its label.
        private func makeItems(algorithm: FingerprintAlgorithm) throws -> [EvidenceContract.Put] {
            var items: [EvidenceContract.Put] = []
            for file in files {
                let fingerprint = algorithm.suite.hash(try CLI.readBytes(file))
                let itemLabel = label ?? URL(fileURLWithPath: file).lastPathComponent
                guard itemLabel.utf8.count <= EvidenceContract.labelBytesMax else {
                    throw ValidationError("The label '\(itemLabel)' is longer than \(EvidenceContract.labelBytesMax) bytes.")
                }
                items.append(EvidenceContract.Put(algorithm: algorithm, fingerprint: fingerprint, label: itemLabel))
            }
            return items
        }

        /// Writes one receipt per file; returns what was written, for `--json`.
        private func writeReceipts(_ items: [EvidenceContract.Put], tree: MerkleTree.Levels, chainID: String,
                                   transactionHash: Hash256, proof: [UInt8]) throws -> [[String: String]] {
            if let outDir { try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true) }
            var written: [[String: String]] = []
            for index in items.indices {
                let file = files[index]
                let item = items[index]
                let position = EvidenceBatchPosition(root: tree.root, index: UInt32(index), count: UInt32(items.count))
                let receipt = EvidenceReceiptFile(chainID: chainID, fileName: file, item: item, position: position,
                                                  path: tree.auditPath(index: UInt64(index)),
                                                  transactionHash: transactionHash, proof: proof)
                let path = EvidenceCommand.receiptPath(for: file, directory: outDir)
                try CLI.write(receipt.jsonBytes, to: path)
                let fingerprint = "\(item.algorithm.name):\(item.fingerprint.hex)"
                written.append(["file": file, "fingerprint": fingerprint, "receipt": path])
                if !signing.node.json { print("file:        \(file)\nfingerprint: \(fingerprint)\nreceipt:     \(path)") }
            }
            return written
        }

        /// The hash of a committed transaction.
        static func committedHash(_ response: SubmitResponse) throws -> Hash256 {
            guard response.status == "committed", let hash = Hash256(validating: Hex.decode(response.hash) ?? []) else {
                throw CLIError(description: "The transaction was not committed in time (\(response.status)); "
                                   + "look it up with `civic query tx \(response.hash)`.")
            }
            return hash
        }

        /// What `--json` prints.
        struct Summary: Encodable {
            var transaction: String
            var height: UInt64?
            var root: String
            var items: [[String: String]]
        }

        /// Refuses to write receipts when the proven receipt names another root than the batch built here.
        static func checkRoot(_ proof: [UInt8], expected: Hash256) throws {
            guard case .transaction(let transaction) = try? ProofFile.decode(proof),
                  transaction.receipt.events.contains(where: { event in
                      event.name == "evidence.batch_recorded" && event.attributes.contains { $0.key == "root" && $0.value == expected.hex }
                  }) else {
                throw CLIError(description: "The node's proof does not record the batch root \(expected.hex); no receipt was written.")
            }
        }
    }
}
