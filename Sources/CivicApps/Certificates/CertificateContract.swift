import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// Electronic certificates (电子证照, Docs/0016): issuing departments register certificate types and issue,
/// suspend, resume, revoke and re-issue certificates; holders authorize verifying organizations for a purpose and a
/// period; verifiers check a presented certificate, and every check, valid or refused, is recorded.
///
/// Only fingerprints go on chain: the document's suite hash and the holder's ``SubjectFingerprint``. Any
/// department may issue a registered type, but a check accepts only trusted issuers: the type's registering
/// department, and those governance lists for the type (`GovernanceChange.setTrustedIssuers`, cross-region
/// recognition).
///
/// State (namespace `certificates/`): see ``Key``. Methods: `register_type` (``CertificateTypeDraft``), `issue`
/// (``CertificateDraft``), `suspend`, `resume`, `revoke` (``StatusChange``), `reissue` (``Reissue``), `authorize`
/// (``AuthorizationDraft``; returns the number, 8 bytes big-endian), `withdraw_authorization` (the number, u64),
/// `verify` (``VerifyRequest``; returns ``VerifyResult``).
public struct CertificateContract: SystemContract {
    /// A check's outcome when every test passes.
    public static let valid = "valid"
    /// Longest authorization: 366 days after the authorizing block.
    public static let authorizationMillisecondsMax: UInt64 = 366 * 24 * 3600 * 1000
    /// Most authorizations of one certificate for one verifying organization (a verification reads them all).
    public static let authorizationsPerVerifierMax: UInt64 = 32

    /// `certificates`.
    public let name = "certificates"
    /// The methods, sorted.
    public let methods = [
        "authorize", "issue", "register_type", "reissue", "resume", "revoke", "suspend", "verify", "withdraw_authorization",
    ]

    /// Creates the contract.
    public init() {}

    /// Runs `method`.
    public func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        switch method {
        case "register_type": try registerType(decodeArguments(CertificateTypeDraft.self, arguments, method: method), &context)
        case "issue": try issue(decodeArguments(CertificateDraft.self, arguments, method: method), replaces: "", &context)
        case "suspend", "resume", "revoke":
            try changeStatus(method, decodeArguments(StatusChange.self, arguments, method: method), &context)
        case "reissue": try reissue(decodeArguments(Reissue.self, arguments, method: method), &context)
        case "authorize":
            return try authorize(decodeArguments(AuthorizationDraft.self, arguments, method: method), &context)
        case "withdraw_authorization":
            try withdraw(decodeArguments(UInt64.self, arguments, method: method), &context)
        case "verify": return try verify(decodeArguments(VerifyRequest.self, arguments, method: method), &context).canonicalBytes
        default: throw .unknownMethod(name, method)
        }
        return []
    }

    // MARK: - Types and certificates

    private func registerType(_ draft: CertificateTypeDraft, _ context: inout CallContext) throws(ContractFailure) {
        try context.require([.admin, .member], toDo: "register a certificate type")
        if let existing = Self.type(draft.id, in: context.state) {
            throw .duplicateCertificate("certificate type '\(draft.id)' was registered by \(existing.organization)")
        }
        let type = CertificateType(draft: draft, organization: context.callerIdentity.organization,
                                   registeredBy: context.callerAddress, height: context.block.height, time: context.block.time)
        try context.state.put(Key.type(draft.id), type.canonicalBytes)
        try Self.append(CanonicalString(draft.id).canonicalBytes, count: Key.typeCount, entry: Key.typeList, &context.state)
        try context.emit("certificates.type_registered", [
            EventAttribute("type", draft.id), EventAttribute("name", draft.name),
            EventAttribute("issuer", type.organization), EventAttribute("by", context.callerAddress.hex),
        ])
    }

    private func issue(_ draft: CertificateDraft, replaces: String, _ context: inout CallContext) throws(ContractFailure) {
        try context.require([.admin, .member], toDo: "issue a certificate")
        guard Self.type(draft.type, in: context.state) != nil else {
            throw ContractFailure(code: "certificates.unknown_type", message: "There is no certificate type '\(draft.type)'.")
        }
        if let existing = Self.certificate(draft.id, in: context.state) {
            throw .duplicateCertificate("certificate '\(draft.id)' was issued by \(existing.issuer)")
        }
        let certificate = ElectronicCertificate(draft: draft, issuer: context.callerIdentity.organization,
                                                issuedBy: context.callerAddress, height: context.block.height,
                                                issuedAt: context.block.time, replaces: replaces)
        try context.state.put(Key.certificate(draft.id), certificate.canonicalBytes)
        try Self.append(CanonicalString(draft.id).canonicalBytes, count: Key.holderCount(draft.holderFingerprint),
                        entry: { Key.holder(draft.holderFingerprint, $0) }, &context.state)
        try context.emit("certificates.issued", Self.attributes(of: certificate, by: context.callerAddress))
    }

    private func changeStatus(_ method: String, _ change: StatusChange, _ context: inout CallContext) throws(ContractFailure) {
        var certificate = try issued(change.certificate, toDo: method, &context)
        let allowed: Set<CertificateStatus> = switch method {
        case "suspend": [.active]
        case "resume": [.suspended]
        default: [.active, .suspended]
        }
        guard allowed.contains(certificate.status) else {
            throw ContractFailure(code: "certificates.wrong_status",
                                  message: "Certificate '\(change.certificate)' is \(certificate.status.name); it cannot be \(method)d.")
        }
        certificate.status = method == "suspend" ? .suspended : method == "resume" ? .active : .revoked
        try store(&certificate, reason: change.reason, &context)
        let event = ["suspend": "certificates.suspended", "resume": "certificates.resumed", "revoke": "certificates.revoked"][method]!
        try context.emit(event, Self.attributes(of: certificate, by: context.callerAddress))
    }

    private func reissue(_ request: Reissue, _ context: inout CallContext) throws(ContractFailure) {
        var old = try issued(request.replaced, toDo: "reissue", &context)
        guard old.status != .revoked else {
            throw ContractFailure(code: "certificates.wrong_status",
                                  message: "Certificate '\(request.replaced)' is revoked; only a certificate in force can be re-issued.")
        }
        guard request.certificate.type == old.draft.type else {
            throw .invalidArguments("reissue", "the new certificate must have the type of the one it replaces ('\(old.draft.type)')")
        }
        try issue(request.certificate, replaces: old.draft.id, &context)
        old.status = .revoked
        old.replacedBy = request.certificate.id
        try store(&old, reason: request.reason, &context)
        try context.emit("certificates.reissued", Self.attributes(of: old, by: context.callerAddress))
    }

    /// Certificate `id`, which the caller's department issued.
    private func issued(_ id: String, toDo action: String, _ context: inout CallContext) throws(ContractFailure) -> ElectronicCertificate {
        try context.require([.admin, .member], toDo: "\(action) a certificate")
        guard let certificate = Self.certificate(id, in: context.state) else { throw .unknownCertificate(id) }
        guard certificate.issuer == context.callerIdentity.organization else {
            throw ContractFailure(code: "certificates.not_issuer",
                                  message: "Certificate '\(id)' was issued by \(certificate.issuer); only its staff may \(action) it.")
        }
        return certificate
    }

    private func store(_ certificate: inout ElectronicCertificate, reason: String, _ context: inout CallContext) throws(ContractFailure) {
        certificate.changedBy = context.callerAddress
        certificate.changedAt = context.block.time
        certificate.reason = reason
        try context.state.put(Key.certificate(certificate.draft.id), certificate.canonicalBytes)
    }

    // MARK: - Authorizations

    private func authorize(_ draft: AuthorizationDraft, _ context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        guard let certificate = Self.certificate(draft.certificate, in: context.state) else {
            throw .unknownCertificate(draft.certificate)
        }
        guard certificate.draft.holder == context.callerAddress else { throw .notHolder(draft.certificate) }
        guard certificate.status != .revoked else {
            throw ContractFailure(code: "certificates.wrong_status",
                                  message: "Certificate '\(draft.certificate)' is revoked; it can no longer be authorized.")
        }
        let now = context.block.time.milliseconds
        guard draft.validUntil.milliseconds > now, draft.validUntil.milliseconds - now <= Self.authorizationMillisecondsMax else {
            throw .invalidArguments("authorize", "an authorization ends after the block time and at most 366 days later")
        }
        let countKey = Key.authorizationCount(draft.certificate, draft.verifierOrganization)
        guard Self.count(countKey, in: context.state) < Self.authorizationsPerVerifierMax else {
            throw ContractFailure(code: "certificates.too_many_authorizations",
                                  message: "Certificate '\(draft.certificate)' already has \(Self.authorizationsPerVerifierMax) authorizations for \(draft.verifierOrganization).")
        }
        let id = try Self.next("authorization", &context.state)
        let authorization = CertificateAuthorization(id: id, draft: draft, holder: context.callerAddress,
                                                     height: context.block.height, grantedAt: context.block.time)
        try context.state.put(Key.authorization(id), authorization.canonicalBytes)
        try Self.append(id.canonicalBytes, count: countKey,
                        entry: { Key.authorizationOf(draft.certificate, draft.verifierOrganization, $0) }, &context.state)
        try context.emit("certificates.authorized", Self.attributes(of: authorization, certificate))
        return Key.bigEndian(id)
    }

    private func withdraw(_ id: UInt64, _ context: inout CallContext) throws(ContractFailure) {
        guard let bytes = context.state.get(Key.authorization(id)),
              var authorization = try? CertificateAuthorization(canonicalBytes: bytes) else {
            throw ContractFailure(code: "certificates.unknown_authorization", message: "There is no certificate authorization \(id).")
        }
        guard authorization.holder == context.callerAddress else { throw .notHolder(authorization.draft.certificate) }
        guard authorization.withdrawnAt == nil else {
            throw ContractFailure(code: "certificates.wrong_status", message: "Authorization \(id) was already withdrawn.")
        }
        authorization.withdrawnAt = context.block.time
        try context.state.put(Key.authorization(id), authorization.canonicalBytes)
        let certificate = Self.certificate(authorization.draft.certificate, in: context.state)
        try context.emit("certificates.authorization_withdrawn", Self.attributes(of: authorization, certificate))
    }

    // MARK: - Events

    /// The attributes of every certificate lifecycle event.
    static func attributes(of certificate: ElectronicCertificate, by address: Address) -> [EventAttribute] {
        [
            EventAttribute("certificate", certificate.draft.id), EventAttribute("type", certificate.draft.type),
            EventAttribute("issuer", certificate.issuer), EventAttribute("holder", certificate.draft.holderFingerprint.hex),
            EventAttribute("holder_address", certificate.draft.holder.hex), EventAttribute("status", certificate.status.name),
            EventAttribute("valid_from", String(certificate.draft.validFrom.milliseconds)),
            EventAttribute("valid_until", String(certificate.draft.validUntil.milliseconds)),
            EventAttribute("replaces", certificate.replaces), EventAttribute("replaced_by", certificate.replacedBy),
            EventAttribute("reason", certificate.reason), EventAttribute("by", address.hex),
        ]
    }

    /// The attributes of authorization events.
    static func attributes(of authorization: CertificateAuthorization, _ certificate: ElectronicCertificate?) -> [EventAttribute] {
        [
            EventAttribute("authorization", String(authorization.id)),
            EventAttribute("certificate", authorization.draft.certificate),
            EventAttribute("type", certificate?.draft.type ?? ""), EventAttribute("issuer", certificate?.issuer ?? ""),
            EventAttribute("holder", certificate?.draft.holderFingerprint.hex ?? ""),
            EventAttribute("verifier_organization", authorization.draft.verifierOrganization),
            EventAttribute("purpose", authorization.draft.purpose),
            EventAttribute("valid_until", String(authorization.draft.validUntil.milliseconds)),
            EventAttribute("by", authorization.holder.hex),
        ]
    }

    /// Whether `text` may be a certificate id: an identifier that is not a route word of the API.
    public static func isCertificateID(_ text: String) -> Bool {
        CatalogContract.isIdentifier(text) && text != "types" && text != "by-holder"
    }
}

extension ContractFailure {
    /// No certificate has that id.
    static func unknownCertificate(_ id: String) -> ContractFailure {
        ContractFailure(code: "certificates.unknown", message: "There is no certificate '\(id)'.")
    }

    /// The caller is not the certificate's holder.
    static func notHolder(_ id: String) -> ContractFailure {
        ContractFailure(code: "certificates.not_holder",
                        message: "Only the holder of certificate '\(id)' may authorize verifiers or withdraw authorizations.")
    }

    /// The id is taken.
    static func duplicateCertificate(_ what: String) -> ContractFailure {
        ContractFailure(code: "certificates.duplicate", message: "The id is taken: \(what).")
    }
}
