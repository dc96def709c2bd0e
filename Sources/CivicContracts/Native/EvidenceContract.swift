import CivicCodec
import CivicCrypto
import CivicLedger

/// The hash function that produced a document's fingerprint.
public enum FingerprintAlgorithm: UInt8, Sendable, CanonicalByteEnum {
    /// The field decoding errors name.
    public static let canonicalField = "algorithm"

    /// SM3 (GB/T 32905).
    case sm3 = 1
    /// SHA-256 (FIPS 180-4).
    case sha256 = 2

    /// `sm3` or `sha256`.
    public var name: String { self == .sm3 ? "sm3" : "sha256" }

    /// The crypto suite whose hash function this is.
    public var suite: CryptoSuite { self == .sm3 ? .sm : .intl }
}

/// A notarized fingerprint (存证): what was recorded, by whom, when.
public struct EvidenceRecord: Hashable, Sendable, CanonicalCodable {
    /// The hash function of the fingerprint.
    public var algorithm: FingerprintAlgorithm
    /// The document's 32-byte fingerprint.
    public var fingerprint: Hash256
    /// A label chosen by the submitter (for example a case number).
    public var label: String
    /// The submitter's address.
    public var submitter: Address
    /// The submitter's organization at the time.
    public var organization: String
    /// The block height that recorded it.
    public var height: Height
    /// The block time that recorded it (trusted time agreed by the validators).
    public var time: Timestamp
    /// The recording transaction.
    public var transactionHash: Hash256
    /// Where the item sits in its batch's Merkle tree, for items recorded by `put_batch`; `nil` for `put`.
    public var batch: EvidenceBatchPosition?

    /// Creates a record.
    public init(algorithm: FingerprintAlgorithm, fingerprint: Hash256, label: String, submitter: Address,
                organization: String, height: Height, time: Timestamp, transactionHash: Hash256,
                batch: EvidenceBatchPosition? = nil) {
        self.algorithm = algorithm
        self.fingerprint = fingerprint
        self.label = label
        self.submitter = submitter
        self.organization = organization
        self.height = height
        self.time = time
        self.transactionHash = transactionHash
        self.batch = batch
    }

    /// All fields in order; the batch position, when there is one, last and without a marker, so a `put` record
    /// has exactly the bytes it had before batches existed. A record is always a whole state value, so "more
    /// bytes follow" is the marker.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(algorithm)
        encoder.encode(fingerprint)
        encoder.encode(string: label)
        encoder.encode(submitter)
        encoder.encode(string: organization)
        encoder.encode(height)
        encoder.encode(time)
        encoder.encode(transactionHash)
        if let batch { encoder.encode(batch) }
    }

    /// Reads a record (a whole state value: trailing bytes are the batch position).
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        algorithm = try decoder.decode(FingerprintAlgorithm.self)
        fingerprint = try decoder.decode(Hash256.self)
        label = try decoder.decodeString("label", maxBytes: EvidenceContract.labelBytesMax)
        submitter = try decoder.decode(Address.self)
        organization = try decoder.decodeString("organization", maxBytes: Limits.nameBytesMax)
        height = try decoder.decode(Height.self)
        time = try decoder.decode(Timestamp.self)
        transactionHash = try decoder.decode(Hash256.self)
        batch = decoder.remaining > 0 ? try decoder.decode(EvidenceBatchPosition.self) : nil
    }

    /// The full state key: `evidence/` + algorithm byte + 32 fingerprint bytes.
    public static func stateKey(algorithm: FingerprintAlgorithm, fingerprint: Hash256) -> [UInt8] {
        Array("evidence/".utf8) + [algorithm.rawValue] + fingerprint.bytes
    }
}

/// Evidence notarization (存证): records a document's SM3 or SHA-256 fingerprint with a label and
/// its submitter; the document itself never goes on chain. A fingerprint is recorded once.
///
/// `put` records one fingerprint; `put_batch` (EvidenceContract+Batch.swift) records up to
/// ``Limits/evidenceBatchItemsMax`` in one transaction as the leaves of a Merkle tree (``EvidenceBatch``), so that
/// the one receipt plus a short path proves each item (Docs/0016, "Evidence").
public struct EvidenceContract: SystemContract {
    /// Longest label, in UTF-8 bytes.
    public static let labelBytesMax = 256

    /// Arguments of `put`.
    public struct Put: Hashable, Sendable, CanonicalCodable {
        /// The fingerprint's hash function.
        public var algorithm: FingerprintAlgorithm
        /// The fingerprint.
        public var fingerprint: Hash256
        /// The label.
        public var label: String

        /// Creates arguments.
        public init(algorithm: FingerprintAlgorithm, fingerprint: Hash256, label: String) {
            self.algorithm = algorithm
            self.fingerprint = fingerprint
            self.label = label
        }

        /// algorithm, fingerprint, label.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(algorithm)
            encoder.encode(fingerprint)
            encoder.encode(string: label)
        }

        /// Reads arguments.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            algorithm = try decoder.decode(FingerprintAlgorithm.self)
            fingerprint = try decoder.decode(Hash256.self)
            label = try decoder.decodeString("label", maxBytes: EvidenceContract.labelBytesMax)
        }
    }

    /// `evidence`.
    public let name = "evidence"
    /// `put`, `put_batch`.
    public let methods = ["put", "put_batch"]

    /// Creates the contract.
    public init() {}

    /// Runs `put` or `put_batch`: any admin, member or client may record fingerprints not yet recorded.
    public func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        guard methods.contains(method) else { throw .unknownMethod(name, method) }
        try context.require([.admin, .member, .client], toDo: "record evidence")
        if method == "put_batch" { return try putBatch(arguments, context: &context) }
        let request = try decodeArguments(Put.self, arguments, method: method)
        let key = Self.localKey(request)
        if let existing = context.state.get(key), let record = try? EvidenceRecord(canonicalBytes: existing) {
            throw ContractFailure(code: "evidence.duplicate",
                                  message: "This fingerprint was already recorded at height \(record.height) by \(record.submitter).")
        }
        let record = EvidenceRecord(algorithm: request.algorithm, fingerprint: request.fingerprint, label: request.label,
                                    submitter: context.callerAddress, organization: context.callerIdentity.organization,
                                    height: context.block.height, time: context.block.time,
                                    transactionHash: context.transactionHash)
        try context.state.put(key, record.canonicalBytes)
        try context.emit("evidence.recorded", [
            EventAttribute("algorithm", request.algorithm.name), EventAttribute("fingerprint", request.fingerprint.hex),
            EventAttribute("label", request.label), EventAttribute("submitter", context.callerAddress.hex),
        ])
        return []
    }
}

extension EvidenceContract {
    /// The key of an item's record inside the contract's namespace: algorithm byte, 32 fingerprint bytes.
    static func localKey(_ item: Put) -> [UInt8] { [item.algorithm.rawValue] + item.fingerprint.bytes }
}
