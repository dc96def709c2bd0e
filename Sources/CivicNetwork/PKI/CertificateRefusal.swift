import CivicLedger

/// Why a presented transport certificate was not accepted, with a stable code and a sentence that says what to do.
///
/// Certificate trouble is the most common support problem of consortium chains, so each case names the one thing
/// that is wrong and the person who can fix it.
public enum CertificateRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The certificate's validity ended at `notAfter`.
    case expired(notAfter: Timestamp)
    /// The certificate's validity starts only at `notBefore`.
    case notYetValid(notBefore: Timestamp)
    /// The issuer (RFC 2253 text) is not one of the chain's organization CAs.
    case unknownCA(issuer: String)
    /// The certificate was issued for chain `found` (`nil`: it names no chain), not for `expected`.
    case wrongChain(expected: String, found: String?)
    /// The issuer is named like one of the chain's CAs, but that CA's key did not sign the certificate.
    case badSignature
    /// The organization CA (RFC 2253 subject) that issued the certificate is itself outside its validity window.
    case authorityNotValid(authority: String, validity: ValidityWindow)
    /// The certificate cannot be read or is not a transport certificate.
    case malformed(String)
    /// Governance revoked the certificate: its ``CertificateFingerprint`` is in the node's revocation set
    /// (``TransportTrust``).
    case revoked(fingerprint: CertificateFingerprint)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .expired: "certificate.expired"
        case .notYetValid: "certificate.not_yet_valid"
        case .unknownCA: "certificate.unknown_ca"
        case .wrongChain: "certificate.wrong_chain"
        case .badSignature: "certificate.bad_signature"
        case .authorityNotValid: "certificate.ca_not_valid"
        case .malformed: "certificate.malformed"
        case .revoked: "certificate.revoked"
        }
    }

    /// A sentence a person understands, saying what to do.
    public var description: String {
        switch self {
        case .expired(let notAfter):
            "The transport certificate expired at \(UTCTime.text(notAfter)). Its organization must issue a new one "
                + "with its organization CA; if it should still be valid, check this machine's clock."
        case .notYetValid(let notBefore):
            "The transport certificate is valid only from \(UTCTime.text(notBefore)). Check the clocks of both "
                + "machines, or wait until then."
        case .unknownCA(let issuer):
            "The transport certificate was issued by '\(issuer)', which is not one of this chain's organization CAs "
                + "in genesis. Issue the node's certificate with its organization's CA from genesis, or add that "
                + "organization to the chain first."
        case .wrongChain(let expected, let found?):
            "The transport certificate was issued for chain '\(found)', but this node runs chain '\(expected)'. "
                + "Check the peer's configuration, or issue it a certificate for chain '\(expected)'."
        case .wrongChain(let expected, nil):
            "The transport certificate names no chain (no 'civicledger://chain/...' URI in its subjectAltName). "
                + "Issue it with CivicLedger's tools for chain '\(expected)'."
        case .badSignature:
            "The transport certificate names one of this chain's organization CAs as issuer, but that CA's key did "
                + "not sign it: it was forged, or issued by a different CA with the same name (was the CA key "
                + "replaced without updating genesis?)."
        case .authorityNotValid(let authority, let validity):
            "The transport certificate was issued by the organization CA '\(authority)', which is valid only "
                + "\(validity). The organization must renew its CA in the chain's configuration and reissue its "
                + "nodes' certificates; if the CA should be valid, check this machine's clock."
        case .malformed(let why):
            "The transport certificate cannot be used: \(why). Issue a new one with CivicLedger's tools."
        case .revoked(let fingerprint):
            "The transport certificate \(fingerprint) was revoked by a governance vote on chain. Its organization "
                + "must issue the node a new certificate and rotate it in."
        }
    }
}
