import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// Human-readable descriptions of contract `governance`'s state records (for `/v1/state/{key}`).
public enum GovernanceDescription {
    /// The fields of the governance record under `key`, or `nil` for other keys.
    public static func describe(key: [UInt8], value: [UInt8]) -> [String: String]? {
        func under(_ prefix: [UInt8]) -> Bool { key.starts(with: GovernanceContract.stateKey(prefix)) }
        if under(GovernanceContract.Key.proposalPrefix), let proposal = try? GovernanceProposal(canonicalBytes: value) {
            var fields = Dictionary(proposal.change.fields, uniquingKeysWith: { first, _ in first })
            fields.merge([
                "id": String(proposal.id), "change": proposal.change.kind, "resource": proposal.change.resource.name,
                "proposer": proposal.proposer.hex, "proposer_organization": proposal.proposerOrganization,
                "proposed_at": String(proposal.proposedAt.rawValue),
                "deadline_ms": String(proposal.deadline.milliseconds),
                "status": proposal.status.name, "votes": String(proposal.votes.count),
                "approvals": String(proposal.votes.filter { $0.approve }.count),
            ]) { _, new in new }
            if let closedAt = proposal.closedAt { fields["closed_at"] = String(closedAt.rawValue) }
            return fields
        }
        if under(GovernanceContract.Key.organizationPrefix),
            let organization = try? GovernanceOrganization(canonicalBytes: value)
        {
            return [
                "name": organization.name, "ca_certificates": String(organization.caCertificates.count),
                "admins": organization.admins.map(\.hex).joined(separator: ","),
                "added_at": String(organization.addedAt.rawValue),
            ]
        }
        if under(GovernanceContract.Key.policyPrefix),
            key.count == GovernanceContract.stateKey(GovernanceContract.Key.policyPrefix).count + 1,
            let resource = GovernedResource(rawValue: key[key.count - 1]),
            let policy = try? GovernancePolicy(canonicalBytes: value)
        {
            return ["resource": resource.name, "policy": policy.description]
        }
        if under(GovernanceContract.Key.validatorSetPrefix), let entry = try? ValidatorSetEntry(canonicalBytes: value) {
            return [
                "applies_from": String(entry.appliesFrom.rawValue), "proposal_id": String(entry.proposalID),
                "validators": entry.validators.validators.map { "\($0.name):\($0.power)" }.joined(separator: ","),
                "total_power": String(entry.validators.totalPower),
            ]
        }
        if under(GovernanceContract.Key.revokedPrefix) || under(GovernanceContract.Key.revokedLogPrefix),
            let revocation = try? CertificateRevocation(canonicalBytes: value)
        {
            return [
                "algorithm": revocation.algorithm.name, "fingerprint": revocation.fingerprint.hex,
                "proposal_id": String(revocation.proposalID), "revoked_at": String(revocation.revokedAt.rawValue),
                "revoked_time_ms": String(revocation.revokedTime.milliseconds),
            ]
        }
        if key == GovernanceContract.stateKey(GovernanceContract.Key.parameters),
            let parameters = try? ChainParameters(canonicalBytes: value)
        {
            return [
                "block_transactions_max": String(parameters.blockTransactionsMax),
                "block_interval_ms": String(parameters.blockIntervalMilliseconds),
            ]
        }
        return nil
    }
}
