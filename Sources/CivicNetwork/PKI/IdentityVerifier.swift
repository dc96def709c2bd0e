import COpenSSL
import CivicCrypto
import CivicLedger

/// Checks identity certificates against a chain's organization CAs and their revocation lists.
///
/// A certificate is accepted when, in this order (the first failure is the refusal):
/// 1. it is one DER X.509 certificate and not a CA (``IdentityRefusal/malformed(_:)``);
/// 2. its issuer is one of the CAs (``IdentityRefusal/unknownCA(issuer:)``);
/// 3. that CA's key signed it (``IdentityRefusal/badSignature``) and the CA is valid at the given time
///    (``IdentityRefusal/authorityNotValid(authority:validity:)``);
/// 4. that CA's revocation list does not revoke it at or before the given time
///    (``IdentityRefusal/revoked(serialNumber:revokedAt:)``);
/// 5. the given time lies in its validity window (``IdentityRefusal/notYetValid(notBefore:)``,
///    ``IdentityRefusal/expired(notAfter:)``);
/// 6. its subjectAltName names this chain (``IdentityRefusal/wrongChain(expected:found:)``) and its `O` is the
///    CA's organization (``IdentityRefusal/wrongOrganization(issuer:found:)``);
/// 7. its key is of the chain's suite (``IdentityRefusal/wrongSuite(expected:found:)``);
/// 8. its subject has exactly one `OU`, a ``Role`` name (``IdentityRefusal/roleMissing(found:)``,
///    ``IdentityRefusal/roleUnknown(name:)``).
///
/// The signature comes before everything else the certificate says, so that later refusals describe a certificate
/// the chain's CA really issued.
public struct IdentityVerifier: Sendable {
    /// One trusted organization CA.
    public struct Authority: Hashable, Sendable {
        /// The organization's name in genesis.
        public let organization: String
        /// Its CA certificate.
        public let certificate: X509Certificate

        /// An entry.
        public init(organization: String, certificate: X509Certificate) {
            self.organization = organization
            self.certificate = certificate
        }
    }

    /// The chain whose identities are accepted.
    public let chainID: String
    /// The chain's suite; every CA and identity key belongs to it.
    public let suite: CryptoSuite
    /// The organization CAs.
    public let authorities: [Authority]
    /// The revocation lists in force, each issued by one of the CAs.
    public let revocationLists: [RevocationList]
    /// For each of ``revocationLists``, the index in ``authorities`` of the CA that signed it.
    private let revocationListIssuers: [Int]

    /// Builds the verifier from the genesis organizations' CA certificates.
    /// - Throws: what ``init(chainID:suite:authorities:revocationLists:)`` throws, and
    ///   ``PKIError/invalidInput(_:)`` for a CA certificate that is not DER.
    public init(genesis: Genesis, revocationLists: [RevocationList] = []) throws(PKIError) {
        var authorities: [Authority] = []
        for organization in genesis.organizations {
            for der in organization.caCertificates {
                authorities.append(Authority(organization: organization.name,
                                             certificate: try X509Certificate(derRepresentation: der)))
            }
        }
        try self.init(chainID: genesis.chainID, suite: genesis.suite, authorities: authorities,
                      revocationLists: revocationLists)
    }

    /// Builds the verifier.
    /// - Throws: ``PKIError/invalidInput(_:)`` if there is no CA, a CA is not a validly self-signed CA of `suite`
    ///   (the checks of ``CertificateVerifier``), or a revocation list was not issued by one of the CAs.
    public init(
        chainID: String, suite: CryptoSuite, authorities: [Authority], revocationLists: [RevocationList] = []
    ) throws(PKIError) {
        _ = try CertificateVerifier(chainID: chainID, suite: suite, authorities: authorities.map(\.certificate))
        var issuers: [Int] = []
        for list in revocationLists {
            guard let issuer = authorities.firstIndex(where: { list.isIssued(by: $0.certificate) }) else {
                throw .invalidInput("the revocation list of '\(list.issuer)' was not issued by one of the chain's CAs")
            }
            issuers.append(issuer)
        }
        revocationListIssuers = issuers
        self.chainID = chainID
        self.suite = suite
        self.authorities = authorities
        self.revocationLists = revocationLists
    }

    /// Checks an identity certificate (DER) at `time`.
    /// - Returns: the verified identity.
    /// - Throws: the ``IdentityRefusal`` that explains the first failed check.
    public func verify(certificateDER der: [UInt8], at time: Timestamp) throws(IdentityRefusal) -> VerifiedIdentity {
        let leaf: X509Object
        let certificate: X509Certificate
        do {
            leaf = try X509Object(der: der)
            certificate = try X509Certificate(leaf)
        } catch {
            throw .malformed(Self.reason(error))
        }
        guard !leaf.isAuthority else { throw .malformed("it is a CA certificate, not an identity's certificate") }
        let issuer = try issuingAuthority(of: leaf, issuer: certificate.issuer)
        let authority = authorities[issuer]
        let caValidity = authority.certificate.validity
        guard caValidity.notBefore <= time, time <= caValidity.notAfter else {
            throw .authorityNotValid(authority: authority.certificate.subject, validity: caValidity)
        }
        if let entry = revocation(of: certificate, issuer: issuer), entry.revokedAt <= time {
            throw .revoked(serialNumber: entry.serialNumber, revokedAt: entry.revokedAt)
        }
        let validity = certificate.validity
        guard time >= validity.notBefore else { throw .notYetValid(notBefore: validity.notBefore) }
        guard time <= validity.notAfter else { throw .expired(notAfter: validity.notAfter) }
        guard certificate.chainID == chainID else { throw .wrongChain(expected: chainID, found: certificate.chainID) }
        guard certificate.organization == authority.certificate.organization else {
            throw .wrongOrganization(issuer: authority.organization, found: certificate.organization)
        }
        guard let publicKey = certificate.publicKey, publicKey.suite == suite else {
            throw .wrongSuite(expected: suite, found: certificate.publicKey?.suite)
        }
        guard certificate.organizationalUnits.count == 1, let roleName = certificate.organizationalUnits.first else {
            throw .roleMissing(found: certificate.organizationalUnits)
        }
        guard let role = Role(name: roleName) else { throw .roleUnknown(name: roleName) }
        return VerifiedIdentity(organization: authority.organization, name: certificate.commonName, role: role,
                                publicKey: publicKey, certificate: certificate)
    }

    /// Checks an identity certificate in PEM form at `time`; see ``verify(certificateDER:at:)``.
    /// - Throws: ``IdentityRefusal/malformed(_:)`` for a PEM that is not a certificate, else what
    ///   ``verify(certificateDER:at:)`` throws.
    public func verify(certificatePEM pem: String, at time: Timestamp) throws(IdentityRefusal) -> VerifiedIdentity {
        let certificate: X509Certificate
        do { certificate = try X509Certificate(pemRepresentation: pem) } catch {
            throw .malformed(Self.reason(error))
        }
        return try verify(certificateDER: certificate.derRepresentation, at: time)
    }

    /// The index of the trusted CA that is named as `leaf`'s issuer and signed it.
    private func issuingAuthority(of leaf: X509Object, issuer: String) throws(IdentityRefusal) -> Int {
        var named = false
        for (index, authority) in authorities.enumerated() {
            guard let object = try? X509Object(der: authority.certificate.derRepresentation),
                  leaf.isNamedIssuedBy(object)
            else { continue }
            named = true
            if leaf.isSigned(by: object) { return index }
        }
        throw named ? .badSignature : .unknownCA(issuer: issuer)
    }

    /// The earliest entry revoking `certificate` in a list signed by the CA at `issuer`, if any.
    private func revocation(of certificate: X509Certificate, issuer: Int) -> RevokedCertificate? {
        zip(revocationLists, revocationListIssuers)
            .filter { $0.1 == issuer }
            .compactMap { $0.0.entry(forSerialNumber: certificate.serialNumber) }
            .min { $0.revokedAt < $1.revokedAt }
    }

    /// The sentence of a parse failure, without the prefix of the error's own description.
    private static func reason(_ error: some Error) -> String {
        switch error {
        case let refusal as CertificateRefusal:
            if case .malformed(let why) = refusal { return why }
            return refusal.description
        case let problem as PKIError:
            if case .invalidInput(let why) = problem { return why }
            return problem.description
        default:
            return "\(error)"
        }
    }
}
