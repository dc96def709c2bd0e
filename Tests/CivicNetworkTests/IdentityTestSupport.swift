import COpenSSL
import CivicCrypto
import CivicLedger
@testable import CivicNetwork
import Foundation

/// An organization CA of a chain, with an identity verifier that trusts it.
struct IdentityFixture {
    static let chainID = "sz-invoices"
    static let organization = "Shenzhen Tax"

    let suite: CryptoSuite
    let authority: OrganizationCA
    let now: Timestamp

    init(suite: CryptoSuite) throws {
        self.suite = suite
        authority = try OrganizationCA.create(organization: Self.organization, suite: suite,
                                              validity: NetworkTestSupport.currentWindow(days: 365))
        now = Timestamp(milliseconds: NetworkTestSupport.nowMilliseconds())
    }

    /// A verifier trusting the fixture's CA, with `revocationLists`.
    func verifier(revocationLists: [RevocationList] = []) throws -> IdentityVerifier {
        try IdentityVerifier(
            chainID: Self.chainID, suite: suite,
            authorities: [IdentityVerifier.Authority(organization: Self.organization,
                                                     certificate: authority.certificate)],
            revocationLists: revocationLists)
    }

    /// An identity certificate for a new key of the fixture's suite.
    func issue(name: String = "li-wei", role: Role = .member, chainID: String = chainID,
               validity: ValidityWindow = NetworkTestSupport.currentWindow()) throws -> X509Certificate {
        try authority.issueIdentityCertificate(name: name, role: role,
                                               publicKey: PrivateKey.generate(suite: suite).publicKey,
                                               chainID: chainID, validity: validity)
    }

    /// The refusal of `certificate` at the fixture's time, or `nil` if it was accepted.
    func refusal(_ certificate: X509Certificate, revocationLists: [RevocationList] = []) throws -> IdentityRefusal? {
        let verifier = try verifier(revocationLists: revocationLists)
        do {
            _ = try verifier.verify(certificateDER: certificate.derRepresentation, at: now)
            return nil
        } catch {
            return error
        }
    }

    /// A certificate signed by the fixture's CA with any `subject` and key: what a careless or hostile CA operator
    /// could make with other tools.
    func handMade(subject: [(field: String, value: String)], key: PublicKey) throws -> X509Certificate {
        let builder = CertificateBuilder(
            subject: subject, subjectKey: key, validity: NetworkTestSupport.currentWindow(),
            extensions: [(NID_basic_constraints, "critical,CA:FALSE"),
                         (NID_subject_alt_name, "URI:\(CertificateProfile.chainURI(Self.chainID))")])
        let object = try builder.sign(with: authority.privateKey,
                                      issuer: X509Object(pem: authority.certificate.pemRepresentation))
        return try X509Certificate(derRepresentation: object.der)
    }

    /// Writes `text` to `name` in `directory`.
    static func write(_ text: String, _ name: String, in directory: URL) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}
