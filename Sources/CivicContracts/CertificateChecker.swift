import CivicCrypto
import CivicLedger

/// One organization CA the chain trusts at a block: a current member organization's name (as governance holds it)
/// and one of its CA certificates, DER.
public struct CertificateAuthority: Hashable, Sendable {
    /// The member organization, as `governance/organization/<name>` names it.
    public var organization: String
    /// One of its CA certificates, DER.
    public var certificateDER: [UInt8]

    /// Creates a value.
    public init(organization: String, certificateDER: [UInt8]) {
        self.organization = organization
        self.certificateDER = certificateDER
    }
}

/// What an accepted identity certificate says about its holder (Docs/0011).
public struct CertifiedIdentity: Hashable, Sendable {
    /// The organization of the CA that issued the certificate, as the chain names it.
    public var organization: String
    /// The holder's name (the certificate's `CN`).
    public var name: String
    /// The holder's role (the certificate's one `OU`).
    public var role: Role
    /// The certified signing key.
    public var publicKey: PublicKey
    /// The end of the certificate's validity.
    public var notAfter: Timestamp

    /// Creates a value.
    public init(organization: String, name: String, role: Role, publicKey: PublicKey, notAfter: Timestamp) {
        self.organization = organization
        self.name = name
        self.role = role
        self.publicKey = publicKey
        self.notAfter = notAfter
    }
}

/// Checks an identity certificate against the chain's organization CAs: the X.509 half of `identity.enroll`.
///
/// Contracts do no X.509 themselves (that would pull OpenSSL's certificate code and the network target into
/// execution); the node gives the executor an implementation (`X509CertificateChecker` in CivicNode, built on
/// `IdentityVerifier`). On-chain revocation, the signer's key and the registry are checked by the contract.
///
/// Execution is deterministic only if every implementation is: the answer may depend on nothing but the arguments
/// (no clock, no files, no network), and every node of a chain must use the same implementation.
public protocol CertificateChecker: Sendable {
    /// Checks `certificateDER` at `time` for chain `chainID` of `suite`, trusting only `authorities`.
    /// - Returns: the identity the certificate proves.
    /// - Throws: a ``ContractFailure`` with a stable `identity.*` code (`identity.malformed`, `identity.unknown_ca`,
    ///   `identity.bad_signature`, `identity.ca_not_valid`, `identity.not_yet_valid`, `identity.expired`,
    ///   `identity.wrong_chain`, `identity.wrong_organization`, `identity.wrong_suite`, `identity.role_missing`,
    ///   `identity.role_unknown`).
    func check(
        certificateDER: [UInt8], authorities: [CertificateAuthority], chainID: String, suite: CryptoSuite,
        at time: Timestamp
    ) throws(ContractFailure) -> CertifiedIdentity
}

/// The checker of an executor that was given none: it refuses every certificate with
/// `identity.enrollment_unavailable`. Everything else executes as usual, so tests and tools that never enroll can
/// use ``TransactionExecutor/init(contracts:)`` unchanged; a node must not (its blocks would fail where other nodes'
/// succeed).
public struct NoCertificateChecker: CertificateChecker {
    /// Creates the checker.
    public init() {}

    /// Refuses.
    /// - Throws: always, `identity.enrollment_unavailable`.
    public func check(
        certificateDER: [UInt8], authorities: [CertificateAuthority], chainID: String, suite: CryptoSuite,
        at time: Timestamp
    ) throws(ContractFailure) -> CertifiedIdentity {
        throw ContractFailure(
            code: "identity.enrollment_unavailable",
            message: "This executor cannot check identity certificates; enrollment runs only on a node.")
    }
}
