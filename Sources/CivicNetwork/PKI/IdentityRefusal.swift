import CivicCrypto
import CivicLedger

/// Why a presented identity certificate was not accepted, with a stable code and a sentence that says what to do.
///
/// The codes are distinct from the transport certificate's ``CertificateRefusal`` codes, so that a refused
/// transaction and a refused peer link are told apart in logs and API answers.
public enum IdentityRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The certificate cannot be read, is a CA certificate, or carries no usable key.
    case malformed(String)
    /// The issuer (RFC 2253 text) is not one of the chain's organization CAs.
    case unknownCA(issuer: String)
    /// The issuer is named like one of the chain's CAs, but that CA's key did not sign the certificate.
    case badSignature
    /// The issuing organization CA (RFC 2253 subject) is itself outside its validity window.
    case authorityNotValid(authority: String, validity: ValidityWindow)
    /// The organization CA revoked the certificate (serial number, upper-case hex) at `revokedAt`.
    case revoked(serialNumber: String, revokedAt: Timestamp)
    /// The certificate's validity starts only at `notBefore`.
    case notYetValid(notBefore: Timestamp)
    /// The certificate's validity ended at `notAfter`.
    case expired(notAfter: Timestamp)
    /// The certificate was issued for chain `found` (`nil`: it names no chain), not for `expected`.
    case wrongChain(expected: String, found: String?)
    /// The certificate's `O` is `found`, but the CA that issued it belongs to organization `issuer`.
    case wrongOrganization(issuer: String, found: String)
    /// The identity key is of suite `found` (`nil`: neither SM2 nor P-256), but the chain uses `expected`.
    case wrongSuite(expected: CryptoSuite, found: CryptoSuite?)
    /// The certificate carries no role (`OU`) or more than one.
    case roleMissing(found: [String])
    /// The certificate's role `name` is not one of CivicLedger's roles.
    case roleUnknown(name: String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .malformed: "identity.malformed"
        case .unknownCA: "identity.unknown_ca"
        case .badSignature: "identity.bad_signature"
        case .authorityNotValid: "identity.ca_not_valid"
        case .revoked: "identity.revoked"
        case .notYetValid: "identity.not_yet_valid"
        case .expired: "identity.expired"
        case .wrongChain: "identity.wrong_chain"
        case .wrongOrganization: "identity.wrong_organization"
        case .wrongSuite: "identity.wrong_suite"
        case .roleMissing: "identity.role_missing"
        case .roleUnknown: "identity.role_unknown"
        }
    }

    /// A sentence a person understands, saying what to do.
    public var description: String {
        switch self {
        case .malformed(let why):
            "The identity certificate cannot be used: \(why). Ask its organization to issue a new one with "
                + "'civic org issue'."
        case .unknownCA(let issuer):
            "The identity certificate was issued by '\(issuer)', which is not one of this chain's organization CAs. "
                + "Have it issued by the CA of an organization in genesis, or add that organization to the chain first."
        case .badSignature:
            "The identity certificate names one of this chain's organization CAs as issuer, but that CA's key did not "
                + "sign it: it was forged or altered, or issued by another CA with the same name (was the CA key "
                + "replaced without updating the chain's organizations?)."
        case .authorityNotValid(let authority, let validity):
            "The identity certificate was issued by the organization CA '\(authority)', which is valid only "
                + "\(validity). The organization must renew its CA on the chain and reissue its identities; if the CA "
                + "should be valid, check this machine's clock."
        case .revoked(let serial, let revokedAt):
            "The identity certificate (serial \(serial)) was revoked by its organization at "
                + "\(UTCTime.text(revokedAt)). Ask the organization for a new certificate; transactions signed with "
                + "the revoked one are refused."
        case .notYetValid(let notBefore):
            "The identity certificate is valid only from \(UTCTime.text(notBefore)). Wait until then, or check this "
                + "machine's clock."
        case .expired(let notAfter):
            "The identity certificate expired at \(UTCTime.text(notAfter)). Ask its organization to issue a new one "
                + "with 'civic org issue'; if it should still be valid, check this machine's clock."
        case .wrongChain(let expected, let found?):
            "The identity certificate was issued for chain '\(found)', not for this chain '\(expected)'. Ask its "
                + "organization for a certificate for chain '\(expected)'."
        case .wrongChain(let expected, nil):
            "The identity certificate names no chain (no 'civicledger://chain/...' URI in its subjectAltName). "
                + "Issue it with 'civic org issue --chain-id \(expected)'."
        case .wrongOrganization(let issuer, let found):
            "The identity certificate says it belongs to '\(found)', but it was issued by the CA of '\(issuer)'. "
                + "An organization's CA issues certificates only for its own people and services."
        case .wrongSuite(let expected, let found):
            "The identity certificate holds a \(found.map { "'\($0)'" } ?? "non-SM2, non-P-256") key, but this chain "
                + "signs with the '\(expected)' suite (\(expected.signatureName)). Issue a certificate for a key of "
                + "that suite ('civic keygen --suite \(expected)')."
        case .roleMissing(let found):
            "The identity certificate must carry exactly one role as its subject's OU, but it has "
                + "\(found.isEmpty ? "none" : found.map { "'\($0)'" }.joined(separator: ", ")). A node's transport "
                + "certificate is not an identity; issue one with 'civic org issue --role ...'."
        case .roleUnknown(let name):
            "The identity certificate's role '\(name)' is not one of "
                + "\(Role.allCases.map(\.name).joined(separator: ", ")). Issue it again with one of those roles."
        }
    }
}
