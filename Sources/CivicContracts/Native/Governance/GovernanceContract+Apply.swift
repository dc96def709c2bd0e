import CivicCodec
import CivicCrypto
import CivicLedger

/// How an approved change rewrites state. Every check runs before the first write, and a failure
/// throws, so a change either executes whole or not at all (the executor discards the call's writes).
///
/// Governance is the one contract that writes outside its namespace: `identity/` (admins of new
/// organizations, deactivation of removed admins) and `accountability/validator/<index>` (kept equal
/// to the newest validator set).
extension GovernanceContract {
    /// Applies `change`, decided by proposal `proposalID` (0 for a proposal's dry run).
    /// - Throws: the refusal codes of ``GovernanceContract``.
    static func apply(
        _ change: GovernanceChange, proposalID: UInt64, wasm: WasmRuntime, context: inout CallContext
    )
        throws(ContractFailure)
    {
        switch change {
        case .addOrganization(let name, let certificates, let adminName, let adminKey):
            try addOrganization(name, certificates, adminName: adminName, adminKey: adminKey, context: &context)
        case .removeOrganization(let name):
            try removeOrganization(name, context: &context)
        case .addAdmin(let organization, let name, let key):
            var record = try existingOrganization(organization, in: context.state)
            guard record.admins.count < GovernanceOrganization.adminsMax else {
                throw .invalidChange(
                    "organization '\(organization)' already has \(GovernanceOrganization.adminsMax) admins")
            }
            let address = try registerAdmin(name: name, organization: organization, key: key, context: &context)
            guard !record.admins.contains(address) else {
                throw .invalidChange("\(address) is already an admin of '\(organization)'")
            }
            record.admins.append(address)
            try context.state.put(Key.organization(organization), record.canonicalBytes)
        case .removeAdmin(let organization, let address):
            var record = try existingOrganization(organization, in: context.state)
            guard record.admins.contains(address) else {
                throw .invalidChange("\(address) is not an admin of '\(organization)'")
            }
            guard record.admins.count > 1 else {
                throw ContractFailure(
                    code: "governance.last_admin",
                    message: "\(address) is the last admin of '\(organization)'; add another admin first.")
            }
            record.admins.removeAll { $0 == address }
            try context.state.put(Key.organization(organization), record.canonicalBytes)
            deactivateIdentity(address, context: &context)
        case .addValidator, .removeValidator, .setValidatorPower:
            try changeValidators(change, proposalID: proposalID, context: &context)
        case .setBlockTransactionsMax(let value):
            try setParameters(context: &context) { $0.blockTransactionsMax = value }
        case .setBlockIntervalMilliseconds(let value):
            try setParameters(context: &context) { $0.blockIntervalMilliseconds = value }
        case .revokeCertificate(let algorithm, let fingerprint):
            let key = Key.revoked(algorithm, fingerprint)
            if let existing = context.state.get(key) {
                let earlier = record(CertificateRevocation.self, existing, "revocation")
                throw ContractFailure(
                    code: "governance.already_revoked",
                    message: "The certificate \(algorithm.name):\(fingerprint.hex) was revoked at height "
                        + "\(earlier.revokedAt) by proposal \(earlier.proposalID).")
            }
            let revocation = CertificateRevocation(
                algorithm: algorithm, fingerprint: fingerprint, proposalID: proposalID,
                revokedAt: context.block.height, revokedTime: context.block.time)
            let count = readUInt64(context.state.get(Key.revokedCount))
            try context.state.put(key, revocation.canonicalBytes)
            try context.state.put(Key.revokedLog(count), revocation.canonicalBytes)
            try context.state.put(Key.revokedCount, (count + 1).canonicalBytes)
        case .setPolicy(let resource, let policy):
            if case .nOf(let n) = policy.rule, Int(n) > Limits.validatorsMax {
                throw .invalidChange("an N-of policy may ask for at most \(Limits.validatorsMax) organizations")
            }
            try context.state.put(Key.policy(resource), policy.canonicalBytes)
        case .deployContract, .upgradeContract, .setContractFrozen:
            try changeContract(change, proposalID: proposalID, wasm: wasm, context: &context)
        case .setTrustedIssuers(let type, let organizations):
            // Decoding holds proposals to sorted, distinct names; a change built in memory is held to it here.
            guard organizations.count <= trustedIssuersMax, organizations == Array(Set(organizations)).sorted(),
                  !type.isEmpty, !organizations.contains("") else {
                throw .invalidChange("list at most \(trustedIssuersMax) organizations, sorted and distinct, for a named type")
            }
            if organizations.isEmpty {
                context.state.delete(Key.trustedIssuers(type))
            } else {
                try context.state.put(Key.trustedIssuers(type), encodeNames(organizations))
            }
        }
    }

    private static func existingOrganization(
        _ name: String, in state: ContractState
    ) throws(ContractFailure) -> GovernanceOrganization {
        guard let record = try organization(name, in: state) else {
            throw ContractFailure(
                code: "governance.unknown_organization",
                message: "'\(name)' is not a member organization of this chain.")
        }
        return record
    }

    private static func addOrganization(
        _ name: String, _ certificates: [[UInt8]], adminName: String, adminKey: PublicKey,
        context: inout CallContext
    ) throws(ContractFailure) {
        guard try organization(name, in: context.state) == nil else {
            throw ContractFailure(
                code: "governance.organization_exists", message: "'\(name)' is already a member organization.")
        }
        var names = try organizationNames(in: context.state)
        guard names.count < Limits.validatorsMax else {
            throw .invalidChange("a chain has at most \(Limits.validatorsMax) organizations")
        }
        let address = try registerAdmin(name: adminName, organization: name, key: adminKey, context: &context)
        let record = GovernanceOrganization(
            name: name, caCertificates: certificates, admins: [address],
            addedAt: context.block.height)
        try context.state.put(Key.organization(name), record.canonicalBytes)
        names.append(name)
        try context.state.put(Key.organizationNames, encodeNames(names.sorted()))
    }

    private static func removeOrganization(_ name: String, context: inout CallContext) throws(ContractFailure) {
        let record = try existingOrganization(name, in: context.state)
        var names = try organizationNames(in: context.state)
        guard names.count > 1 else { throw .invalidChange("'\(name)' is the last member organization") }
        if let validators = latestValidatorSet(in: context.state)?.entry.validators,
            let running = validators.validators.first(where: { $0.organization == name })
        {
            throw ContractFailure(
                code: "governance.organization_has_validators",
                message: "'\(name)' still runs validator '\(running.name)'; remove its validators first.")
        }
        names.removeAll { $0 == name }
        context.state.delete(Key.organization(name))
        try context.state.put(Key.organizationNames, encodeNames(names))
        for admin in record.admins { deactivateIdentity(admin, context: &context) }
    }

    /// Registers `key` as an admin identity of `organization`, or makes an existing identity of that
    /// organization an active admin. Writes `identity/<address>`.
    private static func registerAdmin(
        name: String, organization: String, key: PublicKey,
        context: inout CallContext
    ) throws(ContractFailure) -> Address {
        guard key.suite == context.block.suite else {
            throw .invalidChange(
                "the admin key is for the '\(key.suite)' suite; this chain uses '\(context.block.suite)'")
        }
        let address = Address(publicKey: key)
        let fullKey = Identity.stateKey(address)
        var identity = Identity(
            publicKey: key, name: name, organization: organization, role: .admin, active: true,
            registeredAt: context.block.height)
        if let stored = context.state.overlay.value(forKey: fullKey) {
            let existing = record(Identity.self, stored, "identity")
            guard existing.organization == organization else {
                throw .invalidChange("the key \(address) is registered for organization '\(existing.organization)'")
            }
            identity = existing
            identity.role = .admin
            identity.active = true
        }
        context.state.overlay.set(fullKey, identity.canonicalBytes)
        return address
    }

    /// Deactivates the identity at `address`, if registered.
    private static func deactivateIdentity(_ address: Address, context: inout CallContext) {
        let fullKey = Identity.stateKey(address)
        guard let stored = context.state.overlay.value(forKey: fullKey) else { return }
        var identity = record(Identity.self, stored, "identity")
        identity.active = false
        context.state.overlay.set(fullKey, identity.canonicalBytes)
    }

    private static func setParameters(
        context: inout CallContext, _ change: (inout ChainParameters) -> Void
    )
        throws(ContractFailure)
    {
        var parameters =
            context.state.get(Key.parameters).map { record(ChainParameters.self, $0, "parameters") }
            ?? ChainParameters()
        change(&parameters)
        do {
            // Decoding checks the ranges genesis is held to.
            parameters = try ChainParameters(canonicalBytes: parameters.canonicalBytes)
        } catch {
            throw .invalidChange(error.description)
        }
        try context.state.put(Key.parameters, parameters.canonicalBytes)
    }
}
