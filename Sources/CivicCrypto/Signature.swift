/// An SM2 or ECDSA P-256 signature in its canonical form: the 32-byte big-endian `r`
/// followed by the 32-byte big-endian `s` (64 bytes).
///
/// DER, the form `openssl` reads and writes, is converted at the edges
/// (``init(derRepresentation:)`` and ``derRepresentation``).
public struct Signature: Hashable, Sendable {
    /// Byte count of the canonical form.
    public static let byteCount = 64

    /// `r || s`, 64 bytes.
    public let rawRepresentation: [UInt8]

    /// Wraps 64 bytes of `r || s`.
    /// - Throws: ``CryptoError/invalidSignature(_:)`` for any other length.
    public init(rawRepresentation: [UInt8]) throws(CryptoError) {
        guard rawRepresentation.count == Signature.byteCount else {
            throw .invalidSignature("expected 64 bytes (r||s), got \(rawRepresentation.count)")
        }
        self.rawRepresentation = rawRepresentation
    }
}
