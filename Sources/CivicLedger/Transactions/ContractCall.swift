import CivicCodec

/// A call of one method of a system or user contract, the payload of every transaction.
///
/// `arguments` is the canonical encoding of the method's argument value; the contract decodes
/// it strictly, so malformed arguments are refused before anything runs.
public struct ContractCall: Hashable, Sendable, CanonicalCodable {
    /// The contract's name (`identity`, `kv`, `evidence`, or a deployed contract).
    public var contract: String
    /// The method's name.
    public var method: String
    /// The canonical encoding of the method's arguments.
    public var arguments: [UInt8]

    /// Creates a call.
    public init(contract: String, method: String, arguments: [UInt8]) {
        self.contract = contract
        self.method = method
        self.arguments = arguments
    }

    /// Creates a call whose arguments are a canonical value.
    public init(contract: String, method: String, arguments value: some CanonicalEncodable) {
        self.init(contract: contract, method: method, arguments: value.canonicalBytes)
    }

    /// contract, method, arguments.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: contract)
        encoder.encode(string: method)
        encoder.encode(bytes: arguments)
    }

    /// Reads a call; names and arguments are bounded by ``Limits``.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        contract = try decoder.decodeString("call.contract", maxBytes: Limits.nameBytesMax)
        method = try decoder.decodeString("call.method", maxBytes: Limits.nameBytesMax)
        arguments = try decoder.decodeBytes("call.arguments", max: Limits.callArgumentsBytesMax)
    }
}
