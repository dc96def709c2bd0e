import CivicCodec
import CivicCrypto

extension Hash256: CanonicalCodable {
    /// 32 raw bytes, no length prefix.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(fixed: bytes) }
    /// Reads 32 raw bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init(bytes: try decoder.decodeFixed("hash", count: Hash256.byteCount))
    }
}

extension CryptoSuite: CanonicalCodable {
    /// One byte: 1 for `sm`, 2 for `intl`.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }
    /// Reads the suite byte.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let byte = try decoder.decodeUInt8("suite")
        guard let suite = CryptoSuite(rawValue: byte) else { throw .unknownTag(field: "suite", tag: UInt64(byte)) }
        self = suite
    }
}

extension PublicKey: CanonicalCodable {
    /// The suite byte followed by the 65-byte uncompressed point.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(suite)
        encoder.encode(fixed: rawRepresentation)
    }

    /// Reads and validates a suite-tagged point.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let suite = try decoder.decode(CryptoSuite.self)
        let raw = try decoder.decodeFixed("public_key", count: PublicKey.byteCount)
        do { try self.init(suite: suite, rawRepresentation: raw) } catch {
            throw .invalidValue(field: "public_key", reason: error.description)
        }
    }
}

extension Signature: CanonicalCodable {
    /// 64 raw bytes `r || s`.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(fixed: rawRepresentation) }
    /// Reads 64 raw bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let raw = try decoder.decodeFixed("signature", count: Signature.byteCount)
        do { try self.init(rawRepresentation: raw) } catch {
            throw .invalidValue(field: "signature", reason: error.description)
        }
    }
}
