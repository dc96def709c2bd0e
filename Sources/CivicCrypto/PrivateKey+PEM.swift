import COpenSSL

extension PrivateKey {
    /// Reads a PEM private key and detects its suite from the curve OID.
    ///
    /// Accepted: PKCS#8 `BEGIN PRIVATE KEY` as written by `openssl genpkey -algorithm SM2` (id-ecPublicKey with
    /// the SM2 curve 1.2.156.10197.1.301) or `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`
    /// (curve 1.2.840.10045.3.1.7), and SEC1 `BEGIN EC PRIVATE KEY` (RFC 5915) for either curve (OpenSSL 3 labels
    /// SEC1 SM2 keys `BEGIN SM2 PRIVATE KEY`; those load too). Whatever type
    /// OpenSSL gives the parsed key, it is rebuilt from its scalar, so an SM2 key always signs as SM2.
    /// - Throws: ``CryptoError/invalidKey(_:)`` for other PEM, encrypted keys, other curves, bad scalars, or a
    ///   public key in the file that does not match the private scalar.
    public init(pemRepresentation pem: String) throws(CryptoError) {
        let parsed = try PEM.read(pem, what: "private key") { PEM_read_bio_PrivateKey($0, nil, pemNoPassword, nil) }
        let suite = try PEM.suite(of: parsed.pointer)
        try self.init(suite: suite, rawRepresentation: try PEM.parameter(OSSL_PKEY_PARAM_PRIV_KEY, of: parsed.pointer))
        // The file may carry its own copy of the public key; it must be the one the scalar gives.
        let x = try PEM.parameter(OSSL_PKEY_PARAM_EC_PUB_X, of: parsed.pointer)
        let y = try PEM.parameter(OSSL_PKEY_PARAM_EC_PUB_Y, of: parsed.pointer)
        guard [0x04] + x + y == publicKey.rawRepresentation else {
            throw .invalidKey("the public key in the PEM file does not belong to its private key")
        }
    }

    /// Reads a PEM private key that must belong to `suite`.
    /// - Throws: ``CryptoError/wrongSuite(expected:actual:)`` for a key of the other suite, and what
    ///   ``init(pemRepresentation:)`` throws.
    public init(pemRepresentation pem: String, suite: CryptoSuite) throws(CryptoError) {
        try self.init(pemRepresentation: pem)
        guard self.suite == suite else { throw .wrongSuite(expected: suite, actual: self.suite) }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, unencrypted) that `openssl pkey` reads; SM2 keys carry
    /// id-ecPublicKey with the SM2 curve OID, as OpenSSL 3 writes them.
    public var pemRepresentation: String {
        PEM.write(libraryKey) { PEM_write_bio_PrivateKey($0, $1, nil, nil, 0, nil, nil) }
    }

    /// The key pair as an OpenSSL `EVP_PKEY` (for SM2 the cached one).
    private var libraryKey: EVPKey {
        if case .sm2(let key) = handle { return key }
        do {
            return try OpenSSL.makeKey(
                suite: suite, publicPoint: publicKey.rawRepresentation, privateScalar: rawRepresentation)
        } catch {
            preconditionFailure("OpenSSL refused a valid \(suite) key pair: \(error)")
        }
    }
}
