import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import Foundation

/// An evidence receipt (`FILE.evidence.json`): what a court needs, with the genesis file, to check offline that a
/// document's fingerprint was recorded on the chain, when, and by whom (Docs/0016, "Evidence").
///
/// ```json
/// {
///   "format": "civicledger-evidence-receipt",
///   "version": 1,
///   "chain_id": "city-chain",
///   "file_name": "contract.pdf",                      // informational: not covered by any proof
///   "item": {"algorithm": "sm3", "fingerprint": "<64 hex>", "label": "(2026) Su 01 Min Chu 123"},
///   "batch": {"root": "<64 hex>", "index": 3, "count": 12, "path": ["<64 hex>", ...]},   // absent for `put`
///   "transaction_hash": "<64 hex>",                   // informational: the proof carries the transaction
///   "proof": "<base64 of the transaction ProofFile, Docs/0003>"
/// }
/// ```
///
/// Only `item`, `batch` and `proof` are evidence; the verifier takes the batch size and root from the proven
/// receipt, never from this file alone.
public struct EvidenceReceiptFile: Codable, Sendable, Equatable {
    /// The value of `format`.
    public static let formatName = "civicledger-evidence-receipt"
    /// The version this build writes and reads.
    public static let currentVersion = 1

    /// The recorded item.
    public struct Item: Codable, Sendable, Equatable {
        /// `sm3` or `sha256`.
        public var algorithm: String
        /// The fingerprint, 64 hex digits.
        public var fingerprint: String
        /// The label recorded with it.
        public var label: String
    }

    /// The item's place in its batch's Merkle tree.
    public struct Batch: Codable, Sendable, Equatable {
        /// The batch root, hex.
        public var root: String
        /// The item's leaf index.
        public var index: UInt32
        /// The batch's item count.
        public var count: UInt32
        /// The RFC 6962 audit path, siblings from the leaf up, hex.
        public var path: [String]
    }

    /// Always ``formatName``.
    public var format: String
    /// ``currentVersion``.
    public var version: Int
    /// The chain id.
    public var chainId: String
    /// The name of the file the fingerprint was computed from, as given to `civic evidence put`.
    public var fileName: String?
    /// The item.
    public var item: Item
    /// Its batch position and path; `nil` for an item recorded by `evidence.put`.
    public var batch: Batch?
    /// The recording transaction's hash.
    public var transactionHash: String
    /// The transaction proof file, base64.
    public var proof: String

    /// A receipt for `item` recorded at `position` (with audit `path`) by the transaction that `proof` proves.
    public init(chainID: String, fileName: String?, item: EvidenceContract.Put, position: EvidenceBatchPosition?,
                path: MerkleProof?, transactionHash: Hash256, proof: [UInt8]) {
        format = Self.formatName
        version = Self.currentVersion
        chainId = chainID
        self.fileName = fileName
        self.item = Item(algorithm: item.algorithm.name, fingerprint: item.fingerprint.hex, label: item.label)
        batch = position.map { position in
            Batch(root: position.root.hex, index: position.index, count: position.count,
                  path: path?.path.map(\.hex) ?? [])
        }
        self.transactionHash = transactionHash.hex
        self.proof = Data(proof).base64EncodedString()
    }

    /// The pretty JSON of the file.
    public var jsonBytes: [UInt8] { (try? Array(JSONFormat.encoder.encode(self))) ?? [] }

    /// Reads a receipt file.
    /// - Throws: ``FormatError/invalid(_:_:)`` when it is not JSON of this format and version.
    public static func decode(_ bytes: [UInt8]) throws(FormatError) -> EvidenceReceiptFile {
        let file: EvidenceReceiptFile
        do { file = try JSONFormat.decoder.decode(EvidenceReceiptFile.self, from: Data(bytes)) } catch {
            throw .invalid("evidence receipt", "not an evidence receipt JSON document (\(error))")
        }
        guard file.format == formatName else { throw .invalid("format", "expected '\(formatName)', found '\(file.format)'") }
        guard file.version == currentVersion else {
            throw .invalid("version", "this build reads version \(currentVersion), the file is version \(file.version)")
        }
        return file
    }

    /// The typed contents.
    public struct Contents: Sendable, Equatable {
        /// The item.
        public var item: EvidenceContract.Put
        /// Its claimed batch position (root, index and count, to be checked against the proven receipt) and path.
        public var batch: (position: EvidenceBatchPosition, path: MerkleProof)?
        /// The proof file's bytes.
        public var proof: [UInt8]

        /// Field by field.
        public static func == (left: Contents, right: Contents) -> Bool {
            left.item == right.item && left.proof == right.proof && left.batch?.position == right.batch?.position
                && left.batch?.path == right.batch?.path
        }
    }

    /// Parses the hex and base64 fields.
    /// - Throws: ``FormatError/invalid(_:_:)`` naming the first field that does not parse.
    public func contents() throws(FormatError) -> Contents {
        guard let algorithm = FingerprintAlgorithm(name: item.algorithm) else {
            throw .invalid("item.algorithm", "must be 'sm3' or 'sha256'")
        }
        let fingerprint = try Self.hash(item.fingerprint, field: "item.fingerprint")
        guard item.label.utf8.count <= EvidenceContract.labelBytesMax else {
            throw .invalid("item.label", "longer than \(EvidenceContract.labelBytesMax) bytes")
        }
        guard let proofBytes = Data(base64Encoded: proof) else { throw .invalid("proof", "not base64") }
        var parsedBatch: (EvidenceBatchPosition, MerkleProof)?
        if let batch {
            guard batch.index < batch.count, batch.count <= Limits.evidenceBatchItemsMax,
                  batch.path.count <= Limits.merklePathMax else {
                throw .invalid("batch", "item \(batch.index) of \(batch.count) with a path of \(batch.path.count)")
            }
            var path: [Hash256] = []
            for (number, text) in batch.path.enumerated() { path.append(try Self.hash(text, field: "batch.path[\(number)]")) }
            parsedBatch = (EvidenceBatchPosition(root: try Self.hash(batch.root, field: "batch.root"), index: batch.index,
                                                 count: batch.count),
                           MerkleProof(leafIndex: UInt64(batch.index), path: path))
        }
        return Contents(item: EvidenceContract.Put(algorithm: algorithm, fingerprint: fingerprint, label: item.label),
                        batch: parsedBatch.map { (position: $0.0, path: $0.1) }, proof: Array(proofBytes))
    }

    private static func hash(_ text: String, field: String) throws(FormatError) -> Hash256 {
        guard let bytes = Hex.decode(text), let hash = Hash256(validating: bytes) else {
            throw .invalid(field, "must be 64 hexadecimal digits")
        }
        return hash
    }
}
