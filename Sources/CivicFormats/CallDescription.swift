import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// Human-readable descriptions of native contract calls, for explorers and the CLI.
public enum CallDescription {
    /// The decoded arguments of `call` as name/value pairs, or `nil` for calls it does not know.
    public static func describe(_ call: ContractCall) -> [String: String]? {
        switch (call.contract, call.method) {
        case ("evidence", "put"):
            guard let put = try? EvidenceContract.Put(canonicalBytes: call.arguments) else { return nil }
            return ["algorithm": put.algorithm.name, "fingerprint": put.fingerprint.hex, "label": put.label]
        case ("evidence", "put_batch"):
            guard let batch = try? EvidenceContract.PutBatch(canonicalBytes: call.arguments) else { return nil }
            return ["items": String(batch.items.count)]
        case ("kv", "put"), ("kv", "delete"):
            guard let put = try? KeyValueContract.Put(canonicalBytes: call.arguments) else { return nil }
            var description = ["key": String(decoding: put.key, as: UTF8.self), "key_hex": Hex.encode(put.key)]
            if call.method == "put" { description["value_bytes"] = String(put.value.count) }
            return description
        case ("identity", "register"):
            guard let register = try? IdentityContract.Register(canonicalBytes: call.arguments) else { return nil }
            return ["name": register.name, "organization": register.organization, "role": register.role.name,
                    "address": Address(publicKey: register.publicKey).hex]
        case ("identity", "set_role"), ("identity", "deactivate"):
            guard let change = try? IdentityContract.Change(canonicalBytes: call.arguments) else { return nil }
            return ["address": change.address.hex, "role": change.role.name]
        case ("accountability", "report"):
            guard let equivocation = try? Equivocation(canonicalBytes: call.arguments) else { return nil }
            return describe(equivocation)
        case ("governance", _), ("catalog", _), ("certificates", _):
            return describeService(call)
        default:
            return nil
        }
    }

    /// The calls of the governance, catalog and certificate contracts that people sign in the console.
    static func describeService(_ call: ContractCall) -> [String: String]? {
        let arguments = call.arguments
        switch (call.contract, call.method) {
        case ("governance", "propose"):
            guard let propose = try? GovernanceContract.Propose(canonicalBytes: arguments) else { return nil }
            var fields = Dictionary(propose.change.fields, uniquingKeysWith: { first, _ in first })
            fields["change"] = propose.change.kind
            fields["deadline_ms"] = String(propose.deadline.milliseconds)
            return fields
        case ("governance", "vote"):
            guard let vote = try? GovernanceContract.Vote(canonicalBytes: arguments) else { return nil }
            return ["proposal": String(vote.proposalID), "approve": String(vote.approve)]
        case ("governance", "close"):
            guard let proposal = try? UInt64(canonicalBytes: arguments) else { return nil }
            return ["proposal": String(proposal)]
        case ("catalog", "publish"):
            guard let draft = try? ResourceDraft(canonicalBytes: arguments) else { return nil }
            return ["resource": draft.id, "title": draft.title, "share_type": draft.shareType.name,
                    "fields": draft.fields.map(\.name).joined(separator: ",")]
        case ("catalog", "withdraw"):
            guard let resource = try? CanonicalString(canonicalBytes: arguments) else { return nil }
            return ["resource": resource.value]
        case ("catalog", "request"):
            guard let draft = try? RequestDraft(canonicalBytes: arguments) else { return nil }
            return ["resource": draft.resource, "fields": draft.fields.joined(separator: ","), "purpose": draft.purpose,
                    "service_item": draft.serviceItem, "days": String(draft.durationMilliseconds / 86_400_000)]
        case ("catalog", "approve"), ("catalog", "reject"), ("catalog", "revoke"):
            guard let decision = try? CatalogContract.Decision(canonicalBytes: arguments) else { return nil }
            return ["request": String(decision.request), "note": decision.note]
        case ("certificates", "issue"):
            guard let draft = try? CertificateDraft(canonicalBytes: arguments) else { return nil }
            return ["certificate": draft.id, "type": draft.type, "holder": draft.holder.hex,
                    "document_fingerprint": draft.documentFingerprint.hex,
                    "valid_from_ms": String(draft.validFrom.milliseconds), "valid_until_ms": String(draft.validUntil.milliseconds)]
        case ("certificates", "suspend"), ("certificates", "resume"), ("certificates", "revoke"):
            guard let change = try? CertificateContract.StatusChange(canonicalBytes: arguments) else { return nil }
            return ["certificate": change.certificate, "reason": change.reason]
        case ("certificates", "authorize"):
            guard let draft = try? AuthorizationDraft(canonicalBytes: arguments) else { return nil }
            return ["certificate": draft.certificate, "verifier": draft.verifierOrganization, "purpose": draft.purpose,
                    "valid_until_ms": String(draft.validUntil.milliseconds)]
        case ("certificates", "verify"):
            guard let request = try? VerifyRequest(canonicalBytes: arguments) else { return nil }
            return ["certificate": request.certificate, "document_fingerprint": request.documentFingerprint.hex,
                    "purpose": request.purpose]
        default:
            return nil
        }
    }

    /// The offence an equivocation proves and the two blocks voted for (`none`: a vote for nothing).
    static func describe(_ equivocation: Equivocation) -> [String: String] {
        ["validator_index": String(equivocation.validatorIndex), "kind": equivocation.kind.name,
         "height": String(equivocation.height.rawValue), "round": String(equivocation.round.rawValue),
         "first_block_hash": equivocation.first.vote.blockHash?.hex ?? "none",
         "second_block_hash": equivocation.second.vote.blockHash?.hex ?? "none"]
    }
}
