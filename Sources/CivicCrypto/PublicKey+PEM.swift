import COpenSSL

extension PublicKey {
    /// Reads a PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, as `openssl pkey -pubout` writes it) and
    /// detects the suite from the curve OID (SM2 1.2.156.10197.1.301 or P-256 1.2.840.10045.3.1.7).
    /// Compressed points are accepted and stored uncompressed.
    /// - Throws: ``CryptoError/invalidKey(_:)`` for other PEM, curves, or points not on the curve.
    public init(pemRepresentation pem: String) throws(CryptoError) {
        let parsed = try PEM.read(pem, what: "public key") { PEM_read_bio_PUBKEY($0, nil, pemNoPassword, nil) }
        let suite = try PEM.suite(of: parsed.pointer)
        let x = try PEM.parameter(OSSL_PKEY_PARAM_EC_PUB_X, of: parsed.pointer)
        let y = try PEM.parameter(OSSL_PKEY_PARAM_EC_PUB_Y, of: parsed.pointer)
        try self.init(suite: suite, rawRepresentation: [0x04] + x + y)
    }

    /// Reads a PEM public key that must belong to `suite`.
    /// - Throws: ``CryptoError/wrongSuite(expected:actual:)`` for a key of the other suite, and what
    ///   ``init(pemRepresentation:)`` throws.
    public init(pemRepresentation pem: String, suite: CryptoSuite) throws(CryptoError) {
        try self.init(pemRepresentation: pem)
        guard self.suite == suite else { throw .wrongSuite(expected: suite, actual: self.suite) }
    }

    /// PEM SubjectPublicKeyInfo that `openssl pkey -pubin` reads (id-ecPublicKey with the curve's OID).
    public var pemRepresentation: String {
        PEM.write(libraryKey) { PEM_write_bio_PUBKEY($0, $1) }
    }

    /// The key as an OpenSSL `EVP_PKEY` (for SM2 the cached one).
    private var libraryKey: EVPKey {
        if case .sm2(let key) = handle { return key }
        do {
            return try OpenSSL.makeKey(suite: suite, publicPoint: rawRepresentation, privateScalar: nil)
        } catch {
            preconditionFailure("OpenSSL refused a valid \(suite) public key: \(error)")
        }
    }
}
