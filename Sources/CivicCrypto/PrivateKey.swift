/// A private signing key of the chain's suite.
///
/// PEM PKCS#8 (`openssl genpkey -algorithm SM2` or `-algorithm EC -pkeyopt ec_paramgen_curve:P-256`)
/// is read and written by the PEM facet. The library's form of the key is built once and shared by copies.
public struct PrivateKey: Sendable {
    /// The suite the key belongs to.
    public let suite: CryptoSuite
    /// The 32-byte big-endian private scalar.
    public let rawRepresentation: [UInt8]
    /// The matching public key.
    public let publicKey: PublicKey
    /// The library's key pair, built once.
    let handle: PrivateKeyHandle

    /// Creates a key from its 32-byte scalar.
    /// - Throws: ``CryptoError/invalidKey(_:)`` if the scalar is zero or not below the curve order
    ///   (for SM2: not in `[1, n-2]`, GB/T 32918.1 §6.1).
    public init(suite: CryptoSuite, rawRepresentation: [UInt8]) throws(CryptoError) {
        let (handle, publicRaw) = try SignatureEngine.privateKeyHandle(suite: suite, scalar: rawRepresentation)
        self.suite = suite
        self.rawRepresentation = rawRepresentation
        self.publicKey = try PublicKey(suite: suite, rawRepresentation: publicRaw)
        self.handle = handle
    }

    /// Generates a fresh key from the operating system's random source.
    public static func generate(suite: CryptoSuite) -> PrivateKey {
        do {
            return try PrivateKey(suite: suite, rawRepresentation: SignatureEngine.generatePrivateScalar(suite: suite))
        } catch {
            preconditionFailure("a freshly generated \(suite) key was refused: \(error)")
        }
    }

    /// Signs `message` (SM2-with-SM3 and the default user id, or ECDSA P-256 with SHA-256).
    /// - Throws: ``CryptoError/library(_:)`` if the underlying library fails.
    public func signature(for message: some ContiguousBytesView) throws(CryptoError) -> Signature {
        try SignatureEngine.sign(handle, message: message)
    }
}
