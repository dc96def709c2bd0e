import CivicContracts
import CivicCrypto
import CivicLedger
import CivicNetwork

/// The node's ``CertificateChecker``: checks an `identity.enroll` certificate with ``IdentityVerifier`` (Docs/0011)
/// against the CAs of the current member organizations that governance holds, and reports a refusal with the
/// verifier's code and sentence.
///
/// Deterministic: it reads nothing but its arguments (the time is the block's). Revocation lists are not consulted
/// here: on chain, revocation is by fingerprint, which the contract checks. A CA certificate on chain that is not a
/// validly self-signed CA of the chain's suite is skipped (it can certify nobody), so that one bad record does not
/// stop every enrollment.
public struct X509CertificateChecker: CertificateChecker {
    /// Creates the checker.
    public init() {}

    /// Checks `certificateDER` at `time` against `authorities`.
    /// - Throws: a ``ContractFailure`` carrying the ``IdentityRefusal``'s code and description.
    public func check(
        certificateDER: [UInt8], authorities: [CertificateAuthority], chainID: String, suite: CryptoSuite,
        at time: Timestamp
    ) throws(ContractFailure) -> CertifiedIdentity {
        let trusted = authorities.compactMap { authority -> IdentityVerifier.Authority? in
            guard let certificate = try? X509Certificate(derRepresentation: authority.certificateDER) else {
                return nil
            }
            let entry = IdentityVerifier.Authority(organization: authority.organization, certificate: certificate)
            let usable = (try? IdentityVerifier(chainID: chainID, suite: suite, authorities: [entry])) != nil
            return usable ? entry : nil
        }
        do throws(IdentityRefusal) {
            guard !trusted.isEmpty else {
                let certificate: X509Certificate
                do { certificate = try X509Certificate(derRepresentation: certificateDER) } catch {
                    throw .malformed("\(error)")
                }
                throw .unknownCA(issuer: certificate.issuer)
            }
            let verifier: IdentityVerifier
            do { verifier = try IdentityVerifier(chainID: chainID, suite: suite, authorities: trusted) } catch {
                preconditionFailure("authorities accepted one by one are refused together: \(error)")
            }
            let identity = try verifier.verify(certificateDER: certificateDER, at: time)
            return CertifiedIdentity(
                organization: identity.organization, name: identity.name, role: identity.role,
                publicKey: identity.publicKey, notAfter: identity.certificate.validity.notAfter)
        } catch {
            throw ContractFailure(code: error.code, message: error.description)
        }
    }
}
