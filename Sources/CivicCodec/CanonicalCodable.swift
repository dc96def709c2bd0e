/// A value with exactly one byte encoding, used for everything that is hashed or signed.
public protocol CanonicalEncodable {
    /// Writes the canonical encoding of `self`.
    func encode(to encoder: inout CanonicalEncoder)
}

/// A value that can be read back from its canonical encoding.
public protocol CanonicalDecodable {
    /// Reads a value, refusing any non-canonical input.
    /// - Throws: ``CodecError`` naming the offending field.
    init(from decoder: inout CanonicalDecoder) throws(CodecError)
}

/// A value that can be written and read in canonical form.
public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

extension CanonicalEncodable {
    /// The canonical encoding of `self`.
    public var canonicalBytes: [UInt8] {
        var encoder = CanonicalEncoder()
        encode(to: &encoder)
        return encoder.bytes
    }
}

extension CanonicalEncodable {
    /// The bytes that are hashed or signed for this value: `domain || [chain id] || canonical(self)`.
    ///
    /// The domain tag (for example `"CivicLedger/vote/v1"`) makes a signature or hash of one kind of
    /// value useless as another kind; the chain id, where given, makes it useless on another chain.
    public func domainTaggedBytes(_ domain: [UInt8], chainID: String? = nil, capacity: Int = 256) -> [UInt8] {
        var encoder = CanonicalEncoder(capacity: capacity)
        encoder.encode(fixed: domain)
        if let chainID { encoder.encode(string: chainID) }
        encode(to: &encoder)
        return encoder.bytes
    }
}

extension CanonicalDecodable {
    /// Decodes a whole byte string; trailing bytes are an error.
    /// - Throws: ``CodecError`` if `bytes` is not the canonical encoding of a value.
    public init(canonicalBytes bytes: [UInt8]) throws(CodecError) {
        var decoder = CanonicalDecoder(bytes)
        self = try Self(from: &decoder)
        try decoder.finish()
    }
}

extension UInt64: CanonicalCodable {
    /// Fixed-width big-endian, eight bytes.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(self) }
    /// Reads eight big-endian bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) { self = try decoder.decodeUInt64("u64") }
}

extension UInt32: CanonicalCodable {
    /// Fixed-width big-endian, four bytes.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(self) }
    /// Reads four big-endian bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) { self = try decoder.decodeUInt32("u32") }
}
