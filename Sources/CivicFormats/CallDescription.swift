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
