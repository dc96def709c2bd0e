import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// `verify`: a verifier's check of a presented certificate. The transaction succeeds whatever the outcome and
/// records the check (a refused check is itself an auditable event); only a malformed call or a caller who is not
/// staff fails.
extension CertificateContract {
    /// Checks `request` for the caller's organization, in this order (the first failing test is the outcome):
    /// the certificate exists (`certificates.unknown`); its holder authorized the caller's organization, for the
    /// purpose when one is given, and the authorization is in force (`certificates.not_authorized`: without the
    /// holder's consent the verifier learns nothing more); the document matches (`certificates.forged`); it is not
    /// revoked (`certificates.revoked`) or suspended (`certificates.suspended`); the block time is within its
    /// validity (`certificates.not_yet_valid`, `certificates.expired`); its issuer is trusted for its type
    /// (`certificates.untrusted_issuer`). Then `valid`.
    func verify(_ request: VerifyRequest, _ context: inout CallContext) throws(ContractFailure) -> VerifyResult {
        try context.require([.admin, .member], toDo: "verify a certificate")
        let organization = context.callerIdentity.organization
        let certificate = Self.certificate(request.certificate, in: context.state)
        let authorization = certificate.flatMap {
            Self.authorization(of: $0, for: organization, purpose: request.purpose, at: context.block.time, in: context.state)
        }
        let outcome = certificate.map { Self.outcome(of: $0, request, authorization: authorization, context) }
            ?? "certificates.unknown"
        let id = try Self.next("check", &context.state)
        let check = CertificateCheck(
            id: id, request: request, verifierOrganization: organization, verifier: context.callerAddress,
            outcome: outcome, authorization: authorization?.id ?? 0,
            purpose: authorization?.draft.purpose ?? request.purpose, type: certificate?.draft.type ?? "",
            issuer: certificate?.issuer ?? "", holderFingerprint: certificate?.draft.holderFingerprint ?? .zero,
            height: context.block.height, time: context.block.time, transactionHash: context.transactionHash)
        try context.state.put(Key.check(id), check.canonicalBytes)
        try Self.append(id.canonicalBytes, count: Key.checkCount(request.certificate),
                        entry: { Key.checkOf(request.certificate, $0) }, &context.state)
        try context.emit("certificates.verified", [
            EventAttribute("check", String(id)), EventAttribute("certificate", request.certificate),
            EventAttribute("type", check.type), EventAttribute("issuer", check.issuer),
            EventAttribute("holder", certificate.map { $0.draft.holderFingerprint.hex } ?? ""),
            EventAttribute("verifier_organization", organization), EventAttribute("verifier", context.callerAddress.hex),
            EventAttribute("purpose", check.purpose), EventAttribute("authorization", String(check.authorization)),
            EventAttribute("document", request.documentFingerprint.hex), EventAttribute("outcome", outcome),
        ])
        return VerifyResult(check: id, outcome: outcome)
    }

    /// The outcome of checking an existing certificate (see ``verify(_:_:)`` for the order).
    private static func outcome(of certificate: ElectronicCertificate, _ request: VerifyRequest,
                                authorization: CertificateAuthorization?, _ context: CallContext) -> String {
        let now = context.block.time
        guard authorization != nil else { return "certificates.not_authorized" }
        guard request.documentFingerprint == certificate.draft.documentFingerprint else { return "certificates.forged" }
        switch certificate.status {
        case .revoked: return "certificates.revoked"
        case .suspended: return "certificates.suspended"
        case .active: break
        }
        guard now >= certificate.draft.validFrom else { return "certificates.not_yet_valid" }
        guard now < certificate.draft.validUntil else { return "certificates.expired" }
        guard isTrusted(certificate.issuer, for: certificate.draft.type, in: context.state) else {
            return "certificates.untrusted_issuer"
        }
        return valid
    }

    /// The newest authorization in force of `certificate`'s holder for `organization` (and `purpose`, unless empty).
    static func authorization(of certificate: ElectronicCertificate, for organization: String, purpose: String,
                              at time: Timestamp, in state: ContractState) -> CertificateAuthorization? {
        let id = certificate.draft.id
        var index = count(Key.authorizationCount(id, organization), in: state)
        while index > 0 {
            index -= 1
            guard let number = state.get(Key.authorizationOf(id, organization, index)).flatMap({ try? UInt64(canonicalBytes: $0) }),
                  let bytes = state.get(Key.authorization(number)),
                  let authorization = try? CertificateAuthorization(canonicalBytes: bytes) else { continue }
            if authorization.isActive(at: time), authorization.holder == certificate.draft.holder,
               purpose.isEmpty || authorization.draft.purpose == purpose {
                return authorization
            }
        }
        return nil
    }

    /// Whether `organization` is trusted to issue certificates of `type`: it registered the type, or governance lists
    /// it for the type (read-only, from `governance/`).
    static func isTrusted(_ organization: String, for type: String, in state: ContractState) -> Bool {
        if Self.type(type, in: state)?.organization == organization { return true }
        let listed = state.value(inNamespace: "governance", key: GovernanceContract.Key.trustedIssuers(type))
            .flatMap { try? GovernanceContract.decodeNames($0) } ?? []
        return listed.contains(organization)
    }
}
