import COpenSSL
import CivicCrypto
import CivicLedger

/// The trust store of one chain: its organization CAs from genesis and its chain id.
///
/// A peer's transport certificate is accepted when, in this order (the first failure is the refusal):
/// 1. it is one DER X.509 certificate, not a CA, with a P-256 key (``CertificateRefusal/malformed(_:)``);
/// 2. its issuer is one of the CAs (``CertificateRefusal/unknownCA(issuer:)``);
/// 3. that CA's key signed it, SM2-with-SM3 or ECDSA (``CertificateRefusal/badSignature``), and the CA is
///    valid at the given time (``CertificateRefusal/authorityNotValid(authority:validity:)``);
/// 4. the given time lies in its validity window (``CertificateRefusal/notYetValid(notBefore:)``,
///    ``CertificateRefusal/expired(notAfter:)``);
/// 5. its subjectAltName carries `civicledger://chain/<chainID>` of this chain
///    (``CertificateRefusal/wrongChain(expected:found:)``).
///
/// The signature is checked before the dates and the chain id, so that those refusals describe a certificate
/// the chain's CA really issued. Revocation by governance is checked on top of this by ``TransportTrust``.
public struct CertificateVerifier: Sendable {
    /// The chain whose certificates are accepted.
    public let chainID: String
    /// The chain's suite; every CA key belongs to it.
    public let suite: CryptoSuite
    /// The organization CAs.
    public let authorities: [X509Certificate]

    /// Builds the trust store from the genesis organizations' CA certificates, for the genesis chain id and suite.
    /// - Throws: what ``init(chainID:suite:authorities:)`` throws, and ``PKIError/invalidInput(_:)`` for a CA
    ///   certificate that is not DER.
    public init(genesis: Genesis) throws(PKIError) {
        var authorities: [X509Certificate] = []
        for organization in genesis.organizations {
            for der in organization.caCertificates {
                authorities.append(try X509Certificate(derRepresentation: der))
            }
        }
        try self.init(chainID: genesis.chainID, suite: genesis.suite, authorities: authorities)
    }

    /// Builds the trust store from CA certificates in PEM form.
    /// - Throws: what ``init(chainID:suite:authorities:)`` throws, and ``PKIError/invalidInput(_:)`` for a PEM
    ///   that is not a certificate.
    public init(chainID: String, suite: CryptoSuite, authorityPEMs: [String]) throws(PKIError) {
        var authorities: [X509Certificate] = []
        for pem in authorityPEMs { authorities.append(try X509Certificate(pemRepresentation: pem)) }
        try self.init(chainID: chainID, suite: suite, authorities: authorities)
    }

    /// Builds the trust store from the organization CA certificates.
    /// - Throws: ``PKIError/invalidInput(_:)`` if there is no CA, or one is not a CA, has a key of the other suite,
    ///   or its self-signature does not verify.
    public init(chainID: String, suite: CryptoSuite, authorities: [X509Certificate]) throws(PKIError) {
        guard !authorities.isEmpty else { throw .invalidInput("the trust store needs at least one organization CA") }
        for certificate in authorities {
            let object: X509Object
            do { object = try X509Object(der: certificate.derRepresentation) } catch {
                throw .invalidInput(error.description)
            }
            guard object.isAuthority else {
                throw .invalidInput("'\(certificate.subject)' is not a CA certificate")
            }
            guard let key = certificate.publicKey, key.suite == suite else {
                throw .invalidInput("the CA '\(certificate.subject)' does not have a key of the '\(suite)' suite")
            }
            guard object.isSigned(by: object) else {
                throw .invalidInput("the CA certificate '\(certificate.subject)' is not validly self-signed")
            }
        }
        self.chainID = chainID
        self.suite = suite
        self.authorities = authorities
    }

    /// Checks a peer's leaf certificate (DER) at `time`.
    /// - Returns: the accepted certificate.
    /// - Throws: the ``CertificateRefusal`` that explains the first failed check.
    public func verify(leafDER: [UInt8], at time: Timestamp) throws(CertificateRefusal) -> X509Certificate {
        let leaf = try X509Object(der: leafDER)
        let certificate = try X509Certificate(leaf)
        guard !leaf.isAuthority else { throw .malformed("it is a CA certificate, not a node's transport certificate") }
        guard certificate.publicKey?.suite == .intl else { throw .malformed("its key is not a P-256 key") }
        let named = try authorities.map { authority throws(CertificateRefusal) in
            try X509Object(der: authority.derRepresentation)
        }.filter { leaf.isNamedIssuedBy($0) }
        guard !named.isEmpty else { throw .unknownCA(issuer: certificate.issuer) }
        guard let issuer = named.firstIndex(where: { leaf.isSigned(by: $0) }) else { throw .badSignature }
        let authority = try X509Certificate(named[issuer])
        guard authority.validity.notBefore <= time, time <= authority.validity.notAfter else {
            throw .authorityNotValid(authority: authority.subject, validity: authority.validity)
        }
        let validity = certificate.validity
        guard time >= validity.notBefore else { throw .notYetValid(notBefore: validity.notBefore) }
        guard time <= validity.notAfter else { throw .expired(notAfter: validity.notAfter) }
        guard certificate.chainID == chainID else { throw .wrongChain(expected: chainID, found: certificate.chainID) }
        return certificate
    }
}
