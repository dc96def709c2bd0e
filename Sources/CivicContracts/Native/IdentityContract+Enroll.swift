import CivicCodec
import CivicCrypto
import CivicLedger

extension IdentityContract {
    /// `identity.enroll(certificate DER)`: the signer registers itself — or renews its certificate — by presenting
    /// an identity certificate (Docs/0011). Refusals change nothing; in order:
    /// 1. the certificate checker's refusal (`identity.malformed`, `identity.unknown_ca` — also for the CA of an
    ///    organization that is not, or no longer, a member —, `identity.bad_signature`, `identity.ca_not_valid`,
    ///    `identity.not_yet_valid`, `identity.expired`, `identity.wrong_chain`, `identity.wrong_organization`,
    ///    `identity.wrong_suite`, `identity.role_missing`, `identity.role_unknown`), checked at the block time
    ///    against the CAs of the current member organizations; a certificate whose notAfter is the block time is
    ///    `identity.expired` too;
    /// 2. `identity.key_mismatch`: the certificate's key is not the transaction's signer;
    /// 3. `identity.certificate_revoked`: its fingerprint is under `governance/revoked/`;
    /// 4. for a key already registered: `identity.organization_mismatch` (the record belongs to another
    ///    organization), `identity.already_enrolled` (the same certificate), `identity.certificate_not_newer` (the
    ///    stored certificate ends at or after this one: an older certificate cannot roll back a reissue).
    ///
    /// A new key gets a new record (name = `CN`, organization = the issuing CA's organization, role = `OU`). A
    /// registered key — enrolled or not — keeps its address and registered-at height and takes the name, role and
    /// certificate of the new certificate (renewal). A deactivated key is refused by the executor before this runs.
    /// Emits `identity.enrolled` or `identity.renewed`. Returns the address.
    func enroll(_ der: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        guard !der.isEmpty, der.count <= GenesisOrganization.certificateBytesMax else {
            throw ContractFailure(
                code: "identity.malformed",
                message: "The arguments of 'enroll' must be one DER certificate of 1 to "
                    + "\(GenesisOrganization.certificateBytesMax) bytes.")
        }
        let block = context.block
        let overlay = context.state.overlay
        let authorities = GovernanceContract.organizations { overlay.value(forKey: $0) }.flatMap { organization in
            organization.caCertificates.map { der in
                CertificateAuthority(organization: organization.name, certificateDER: der)
            }
        }
        let certified = try certificates.check(
            certificateDER: der, authorities: authorities, chainID: block.chainID, suite: block.suite, at: block.time)
        guard block.time < certified.notAfter else {
            throw ContractFailure(
                code: "identity.expired",
                message: "The identity certificate expires at this block's time (\(certified.notAfter)); ask "
                    + "\(certified.organization) for a new one.")
        }
        guard !certified.name.isEmpty, certified.name.utf8.count <= Limits.nameBytesMax else {
            throw ContractFailure(
                code: "identity.malformed",
                message: "The identity certificate's CN must hold a name of 1 to \(Limits.nameBytesMax) bytes.")
        }
        guard certified.publicKey == context.caller else {
            throw ContractFailure(
                code: "identity.key_mismatch",
                message: "The identity certificate is for key \(Address(publicKey: certified.publicKey)), but the "
                    + "transaction is signed by \(context.callerAddress); sign the enrollment with the certified key.")
        }
        let (algorithm, fingerprint) = IdentityCertificate.fingerprint(of: der, suite: block.suite)
        if let revocation = GovernanceContract.revocation(algorithm, fingerprint, read: { overlay.value(forKey: $0) }) {
            throw ContractFailure(
                code: "identity.certificate_revoked",
                message: "The identity certificate \(algorithm.name):\(fingerprint.hex) was revoked by governance "
                    + "proposal \(revocation.proposalID) at height \(revocation.revokedAt).")
        }
        let certificate = IdentityCertificate(
            algorithm: algorithm, fingerprint: fingerprint, notAfter: certified.notAfter, enrolledAt: block.height)
        let identity = try enrolledIdentity(certified, certificate, context: context)
        try context.state.put(context.callerAddress.bytes, identity.canonicalBytes)
        try context.emit(context.isCallerRegistered ? "identity.renewed" : "identity.enrolled", [
            EventAttribute("address", context.callerAddress.hex), EventAttribute("name", identity.name),
            EventAttribute("organization", identity.organization), EventAttribute("role", identity.role.name),
            EventAttribute("fingerprint", "\(algorithm.name):\(fingerprint.hex)"),
            EventAttribute("not_after_ms", String(certified.notAfter.milliseconds)),
        ])
        return context.callerAddress.bytes
    }

    /// The record the enrollment writes: a new one, or the caller's record renewed.
    private func enrolledIdentity(
        _ certified: CertifiedIdentity, _ certificate: IdentityCertificate, context: CallContext
    ) throws(ContractFailure) -> Identity {
        guard context.isCallerRegistered else {
            return Identity(
                publicKey: context.caller, name: certified.name, organization: certified.organization,
                role: certified.role, active: true, registeredAt: context.block.height, certificate: certificate)
        }
        var identity = context.callerIdentity
        guard identity.organization == certified.organization else {
            throw ContractFailure(
                code: "identity.organization_mismatch",
                message: "\(context.callerAddress) is registered for '\(identity.organization)', but the certificate "
                    + "was issued by '\(certified.organization)'; a key belongs to one organization.")
        }
        if let stored = identity.certificate {
            guard stored.fingerprint != certificate.fingerprint else {
                throw ContractFailure(
                    code: "identity.already_enrolled",
                    message: "\(context.callerAddress) is already enrolled with this certificate.")
            }
            guard stored.notAfter < certificate.notAfter else {
                throw ContractFailure(
                    code: "identity.certificate_not_newer",
                    message: "\(context.callerAddress) is enrolled with a certificate valid until \(stored.notAfter); "
                        + "a renewal must end later (this one ends at \(certificate.notAfter)).")
            }
        }
        identity.name = certified.name
        identity.role = certified.role
        identity.certificate = certificate
        return identity
    }
}
