import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// Human-readable descriptions of state records of the native contracts.
public enum StateDescription {
    /// The fields of the record under `key`, or `nil` for keys it does not know.
    public static func describe(key: [UInt8], value: [UInt8]) -> [String: String]? {
        if key.starts(with: Array("evidence/".utf8)), let record = try? EvidenceRecord(canonicalBytes: value) {
            var fields = ["algorithm": record.algorithm.name, "fingerprint": record.fingerprint.hex, "label": record.label,
                          "submitter": record.submitter.hex, "organization": record.organization,
                          "height": String(record.height.rawValue), "time_ms": String(record.time.milliseconds),
                          "transaction_hash": record.transactionHash.hex]
            if let batch = record.batch {
                fields["batch_root"] = batch.root.hex
                fields["batch_index"] = String(batch.index)
                fields["batch_count"] = String(batch.count)
            }
            return fields
        }
        if key.starts(with: Array("identity/".utf8)), let identity = try? Identity(canonicalBytes: value) {
            return ["address": identity.address.hex, "name": identity.name, "organization": identity.organization,
                    "role": identity.role.name, "active": String(identity.active),
                    "registered_at": String(identity.registeredAt.rawValue),
                    "public_key": Hex.encode(identity.publicKey.rawRepresentation)]
        }
        if key.starts(with: AccountabilityContract.stateKey(AccountabilityContract.Key.validatorPrefix)),
           let validator = try? Validator(canonicalBytes: value) {
            return ["name": validator.name, "organization": validator.organization,
                    "public_key": Hex.encode(validator.publicKey.rawRepresentation), "power": String(validator.power)]
        }
        if key.starts(with: AccountabilityContract.stateKey(AccountabilityContract.Key.recordPrefix)),
           let record = try? MisbehaviorRecord(canonicalBytes: value) {
            return CallDescription.describe(record.equivocation).merging([
                "validator": record.validatorName, "organization": record.organization,
                "public_key": Hex.encode(record.publicKey.rawRepresentation),
                "equivocation": Hex.encode(record.equivocation.canonicalBytes), "reporter": record.reporter.hex,
                "reported_at": String(record.reportedAt.rawValue),
                "reported_time_ms": String(record.reportedTime.milliseconds),
                "transaction_hash": record.transactionHash.hex,
            ]) { first, _ in first }
        }
        if let governance = GovernanceDescription.describe(key: key, value: value) { return governance }
        if key.starts(with: Array("kv/".utf8)), let text = String(validating: value, as: UTF8.self) {
            return ["text": text]
        }
        return nil
    }
}
