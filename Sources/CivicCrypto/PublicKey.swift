/// A public key of the chain's suite: a point on SM2's curve or on P-256.
///
/// Canonical form: the 65-byte uncompressed SEC1 point `04 || X || Y`. PEM
/// SubjectPublicKeyInfo (`openssl pkey -pubout`) is read and written by the PEM facet.
///
/// The library's form of the key (an OpenSSL `EVP_PKEY` or a swift-crypto key) is built once, when the value is
/// made, and shared by its copies; equality and hashing use only `suite` and `rawRepresentation`.
public struct PublicKey: Hashable, Sendable {
    /// Byte count of the uncompressed point.
    public static let byteCount = 65

    /// The suite the key belongs to.
    public let suite: CryptoSuite
    /// `04 || X || Y`.
    public let rawRepresentation: [UInt8]
    /// The library's key, built once.
    let handle: PublicKeyHandle

    /// Checks that `rawRepresentation` is a valid point of `suite`'s curve.
    /// - Throws: ``CryptoError/invalidKey(_:)``.
    public init(suite: CryptoSuite, rawRepresentation: [UInt8]) throws(CryptoError) {
        guard rawRepresentation.count == PublicKey.byteCount, rawRepresentation.first == 0x04 else {
            throw .invalidKey("a public key is 65 bytes starting with 04 (uncompressed point)")
        }
        self.handle = try SignatureEngine.publicKeyHandle(suite: suite, raw: rawRepresentation)
        self.suite = suite
        self.rawRepresentation = rawRepresentation
    }

    /// Whether `signature` is a valid signature of `message` by this key.
    ///
    /// For `sm` this is SM2 over SM3 with the signer's Z value computed from the default user id
    /// `1234567812345678` (GM/T 0009); for `intl` it is ECDSA over SHA-256 (high-`s` accepted,
    /// as `openssl` does; transaction identity never depends on the signature bytes).
    public func isValidSignature(_ signature: Signature, for message: some ContiguousBytesView) -> Bool {
        SignatureEngine.verify(handle, signature: signature, message: message)
    }

    /// Equal when suite and point are equal.
    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.suite == rhs.suite && lhs.rawRepresentation == rhs.rawRepresentation
    }

    /// Hashes suite and point.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(suite)
        hasher.combine(rawRepresentation)
    }
}
