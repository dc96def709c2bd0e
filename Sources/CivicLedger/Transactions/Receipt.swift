import CivicCodec
import CivicCrypto

/// One attribute of an event: a short name and a printable value.
public struct EventAttribute: Hashable, Sendable, CanonicalCodable {
    /// The attribute's name.
    public var key: String
    /// The attribute's value (hashes and keys in lower-case hex).
    public var value: String

    /// Creates an attribute.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    /// key, value.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: key)
        encoder.encode(string: value)
    }

    /// Reads an attribute.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        key = try decoder.decodeString("event.attribute.key", maxBytes: Limits.nameBytesMax)
        value = try decoder.decodeString("event.attribute.value", maxBytes: Limits.receiptDataBytesMax)
    }
}

/// Something a contract announces, recorded in the receipt and indexed by block.
public struct Event: Hashable, Sendable, CanonicalCodable {
    /// The contract that emitted it.
    public var contract: String
    /// The event's name, for example `evidence.recorded`.
    public var name: String
    /// Its attributes, in the order the contract wrote them.
    public var attributes: [EventAttribute]

    /// Creates an event.
    public init(contract: String, name: String, attributes: [EventAttribute]) {
        self.contract = contract
        self.name = name
        self.attributes = attributes
    }

    /// contract, name, attributes.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: contract)
        encoder.encode(string: name)
        encoder.encode(sequence: attributes)
    }

    /// Reads an event.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        contract = try decoder.decodeString("event.contract", maxBytes: Limits.nameBytesMax)
        name = try decoder.decodeString("event.name", maxBytes: Limits.nameBytesMax)
        attributes = try decoder.decodeSequence(EventAttribute.self, "event.attributes", max: 32)
    }
}

/// The outcome of a transaction. A deterministic failure is data, not an error: it is recorded
/// here, in the block, with a stable code and a sentence, and its state changes are discarded.
public enum ReceiptStatus: Hashable, Sendable, CanonicalCodable {
    /// The call succeeded and its state changes were applied.
    case success
    /// The call failed; nothing it wrote was kept.
    case failure(code: String, message: String)

    /// Whether the call succeeded.
    public var isSuccess: Bool { self == .success }

    /// Tag 0 for success; tag 1, code and message for failure.
    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .success:
            encoder.encodeVarint(0)
        case .failure(let code, let message):
            encoder.encodeVarint(1)
            encoder.encode(string: code)
            encoder.encode(string: message)
        }
    }

    /// Reads a status.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        switch try decoder.decodeVarint("receipt.status") {
        case 0: self = .success
        case 1:
            self = .failure(
                code: try decoder.decodeString("receipt.code", maxBytes: Limits.nameBytesMax),
                message: try decoder.decodeString("receipt.message", maxBytes: Limits.receiptDataBytesMax))
        case let tag: throw .unknownTag(field: "receipt.status", tag: tag)
        }
    }
}

/// What executing one transaction produced. Receipts form their own Merkle tree per block, so
/// one receipt can be proved to a third party without the others.
public struct Receipt: Hashable, Sendable, CanonicalCodable {
    /// The transaction this receipt belongs to.
    public var transactionHash: Hash256
    /// Success, or a failure code and message.
    public var status: ReceiptStatus
    /// Events emitted (empty on failure).
    public var events: [Event]
    /// Data the call returned (empty on failure).
    public var returnData: [UInt8]
    /// Gas the call used (Docs/0012): fuel plus host costs of a WebAssembly contract, also when it failed; 0 for
    /// native contracts and for transactions refused before any contract code ran. At most
    /// ``Limits/transactionGasMax``. Part of the receipt's bytes, so every node must agree on it.
    public var gasUsed: UInt64

    /// Creates a receipt.
    public init(transactionHash: Hash256, status: ReceiptStatus, events: [Event] = [], returnData: [UInt8] = [],
                gasUsed: UInt64 = 0) {
        self.transactionHash = transactionHash
        self.status = status
        self.events = events
        self.returnData = returnData
        self.gasUsed = gasUsed
    }

    /// transaction hash, status, events, return data, gas used (u64).
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(transactionHash)
        encoder.encode(status)
        encoder.encode(sequence: events)
        encoder.encode(bytes: returnData)
        encoder.encode(gasUsed)
    }

    /// Reads a receipt.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        transactionHash = try decoder.decode(Hash256.self)
        status = try decoder.decode(ReceiptStatus.self)
        events = try decoder.decodeSequence(Event.self, "receipt.events", max: Limits.eventsPerTransactionMax)
        returnData = try decoder.decodeBytes("receipt.return_data", max: Limits.receiptDataBytesMax)
        gasUsed = try decoder.decodeUInt64("receipt.gas_used")
        guard gasUsed <= Limits.transactionGasMax else {
            throw .invalidValue(field: "receipt.gas_used", reason: "more than the \(Limits.transactionGasMax) gas a transaction may use")
        }
    }
}
