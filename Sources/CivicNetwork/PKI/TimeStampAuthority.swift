import COpenSSL
import CivicCrypto
import CivicLedger

/// An RFC 3161 time-stamping authority run by a validator: it signs time-stamp tokens for evidence on the chain
/// with a key whose certificate carries the critical extended key usage `timeStamping` (issued by
/// ``OrganizationCA/issueTimeStampingCertificate(name:publicKey:chainID:validity:)``). `openssl ts -verify`
/// accepts its tokens (Docs/0015).
///
/// The time in a token is the block time that consensus agreed on, passed in by the caller, never the wall clock,
/// so that the token's content can be rebuilt from the chain: the TSTInfo and the signed attributes are a function
/// of (certificate, policy, digest, serial number, genTime). The signature is not: ECDSA and SM2 signatures are
/// randomized (OpenSSL 3.0 has no deterministic nonces), so two signings of the same inputs give different bytes
/// that verify the same.
///
///     TimeStampToken ::= ContentInfo          -- id-signedData, eContentType id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4)
///     TSTInfo ::= SEQUENCE {
///        version          INTEGER { v1(1) },
///        policy           TSAPolicyId,
///        messageImprint   MessageImprint,     -- hashAlgorithm SM3 (1.2.156.10197.1.401) or SHA-256
///        serialNumber     INTEGER,
///        genTime          GeneralizedTime,    -- UTC, milliseconds without trailing zeros
///        accuracy, ordering, nonce, tsa, extensions  -- all absent
///     }
///
/// The one SignerInfo has digestAlgorithm SM3 or SHA-256 and signed attributes contentType, messageDigest and
/// ESS signingCertificateV2 (RFC 5816, certificate hash SM3 or SHA-256); no signingTime. Its signature is
/// ECDSA-with-SHA256 (`intl`) or, on `sm`, SM2 (algorithm 1.2.156.10197.1.501) over `e = SM3(signed attributes)`
/// without the GM/T 0009 `Z` prefix: OpenSSL 3.0's PKCS#7 verifier hashes the attributes and checks the digest
/// directly, so this is the SM2 form `openssl ts -verify` accepts; a verifier that applies `Z` (GM/T 0010 style,
/// e.g. GmSSL) will not (Docs/0015).
public struct TimeStampAuthority: Sendable {
    /// The TSA's certificate.
    public let certificate: X509Certificate
    /// The TSA's signing key, of the chain's suite.
    public let privateKey: PrivateKey
    /// The TSA policy under which tokens are issued (a dotted OID such as `1.2.156.112562.1.1`).
    public let policy: String

    /// The suite: SM2/SM3 or ECDSA-P256/SHA-256.
    public var suite: CryptoSuite { privateKey.suite }

    /// An authority from its certificate and key.
    /// - Throws: ``PKIError/invalidInput(_:)`` if the certificate is not a time-stamping certificate (RFC 3161
    ///   §2.3: critical extendedKeyUsage with `timeStamping` only), the key does not belong to it, or `policy` is
    ///   not a dotted OID.
    public init(certificate: X509Certificate, privateKey: PrivateKey, policy: String) throws(PKIError) {
        let object = try X509Object.parse(derRepresentation: certificate.derRepresentation)
        guard X509_check_purpose(object.pointer, X509_PURPOSE_TIMESTAMP_SIGN, 0) == 1 else {
            X509Library.clearErrors()
            throw .invalidInput("'\(certificate.subject)' is not a time-stamping certificate "
                                + "(it needs a critical extendedKeyUsage of timeStamping only)")
        }
        guard certificate.publicKey == privateKey.publicKey else {
            throw .invalidInput("the private key does not belong to the certificate '\(certificate.subject)'")
        }
        try self.init(unchecked: certificate, privateKey: privateKey, policy: policy)
    }

    /// Loads an authority from PEM files, as the PKI writes them.
    /// - Throws: ``PKIError/invalidInput(_:)`` if either cannot be read, and what
    ///   ``init(certificate:privateKey:policy:)`` throws.
    public init(certificatePEM: String, privateKeyPEM: String, policy: String) throws(PKIError) {
        let key: PrivateKey
        do {
            key = try PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw .invalidInput(error.description)
        }
        try self.init(certificate: try X509Certificate(pemRepresentation: certificatePEM), privateKey: key,
                      policy: policy)
    }

    /// An authority whose certificate is not checked: tests use it to show that verifiers refuse such tokens.
    init(unchecked certificate: X509Certificate, privateKey: PrivateKey, policy: String) throws(PKIError) {
        guard TimeStampAuthority.isDottedOID(policy) else { throw .invalidInput("'\(policy)' is not a dotted OID") }
        self.certificate = certificate
        self.privateKey = privateKey
        self.policy = policy
    }

    /// Signs a time-stamp token for `digest` (the suite's hash of the evidence: SM3 on `sm`, SHA-256 on `intl`).
    /// - Parameters:
    ///   - serialNumber: unique per token of this authority (RFC 3161 §2.4.2), e.g. derived from the chain position.
    ///   - genTime: the block time from consensus; milliseconds are kept.
    /// - Returns: the granted TimeStampResp and its TimeStampToken.
    /// - Throws: ``PKIError/invalidInput(_:)`` for a digest that is not 32 bytes; ``PKIError/library(_:)`` if
    ///   OpenSSL fails.
    public func timeStamp(digest: [UInt8], serialNumber: UInt64, genTime: Timestamp) throws(PKIError)
        -> TimeStampResponse
    {
        guard digest.count == 32 else {
            throw .invalidInput("a \(suite.hashName) digest is 32 bytes, got \(digest.count)")
        }
        X509Library.clearErrors()
        let object = try X509Object.parse(derRepresentation: certificate.derRepresentation)
        let key = try X509Library.makeKey(privateKey.publicKey, privateKey: privateKey)
        let serial = TimeStampAuthority.bigEndianBytes(serialNumber)
        var response: UnsafeMutablePointer<UInt8>? = nil
        var token: UnsafeMutablePointer<UInt8>? = nil
        var responseCount: Int32 = 0
        var tokenCount: Int32 = 0
        let made = civic_ts_make_response(
            object.pointer, key.pointer, suite == .sm ? 1 : 0, TimeStampAuthority.digest(suite), policy, digest,
            Int32(digest.count), serial, Int32(serial.count), GeneralizedTime.text(genTime), &response,
            &responseCount, &token, &tokenCount)
        guard made == 1, let response, let token else {
            throw .library(X509Library.drainErrors("could not make a time-stamp token"))
        }
        defer {
            civic_OPENSSL_free(response)
            civic_OPENSSL_free(token)
        }
        return TimeStampResponse(
            derRepresentation: Array(UnsafeBufferPointer(start: response, count: Int(responseCount))),
            token: Array(UnsafeBufferPointer(start: token, count: Int(tokenCount))))
    }

    /// The hash function of `suite`'s imprints and signer infos.
    static func digest(_ suite: CryptoSuite) -> OpaquePointer {
        suite == .sm ? EVP_sm3() : EVP_sha256()
    }

    /// `value` as the shortest big-endian bytes (one zero byte for zero).
    static func bigEndianBytes(_ value: UInt64) -> [UInt8] {
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
        return Array(bytes.drop { $0 == 0 }.isEmpty ? [0] : bytes.drop { $0 == 0 })
    }

    /// Whether `text` is a dotted OID OpenSSL accepts (`1.2.3`, no names).
    static func isDottedOID(_ text: String) -> Bool {
        guard text.contains("."), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return false }
        guard let object = OBJ_txt2obj(text, 1) else {
            X509Library.clearErrors()
            return false
        }
        ASN1_OBJECT_free(object)
        return true
    }
}

/// A granted RFC 3161 response and the token inside it.
public struct TimeStampResponse: Hashable, Sendable {
    /// The DER TimeStampResp (`openssl ts -reply -in` / `ts -verify -in` read it).
    public let derRepresentation: [UInt8]
    /// The DER TimeStampToken, a CMS ContentInfo (`openssl ts -verify -token_in -in` reads it): what goes on chain.
    public let token: [UInt8]
}

extension X509Object {
    /// Parses a DER certificate, refusing it as a ``PKIError``.
    static func parse(derRepresentation der: [UInt8]) throws(PKIError) -> X509Object {
        do {
            return try X509Object(der: der)
        } catch {
            throw .invalidInput(error.description)
        }
    }
}
