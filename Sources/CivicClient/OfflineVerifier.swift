import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger

/// What an offline check established, in words a court clerk can read.
public struct VerificationReport: Sendable, Equatable, Codable {
    /// `transaction` or `state`.
    public var kind: String
    /// The chain id.
    public var chainId: String
    /// The certified height.
    public var height: UInt64
    /// The certified block's time, milliseconds since the Unix epoch.
    public var blockTimeMs: UInt64
    /// The certified block's hash.
    public var blockHash: String
    /// Names of the validators whose signatures certify the block, from the set in force at its height.
    public var signedBy: [String]
    /// Index of the validator set in force at the block's height (0: the genesis validators).
    public var validatorSetIndex: UInt64
    /// Names of all validators of that set.
    public var validators: [String]
    /// How many validator-set transitions, from genesis on, the proof carried and the check verified.
    public var transitionsChecked: Int
    /// Facts proved, as name/value pairs.
    public var facts: [String: String]
}

/// Checks proof files offline, holding only the genesis document: no node, no network.
public enum OfflineVerifier {
    /// Decodes and verifies `bytes` against `genesis`.
    /// - Throws: ``ProofError`` naming the first check that fails.
    public static func verify(_ bytes: [UInt8], genesis: Genesis) throws(ProofError) -> VerificationReport {
        let file = try ProofFile.decode(bytes)
        let history = try file.verify(genesis: genesis)
        let suite = genesis.suite
        switch file {
        case .transaction(let proof):
            var facts = ["transaction_hash": proof.transaction.hash(suite: suite).hex,
                         "signer": Address(publicKey: proof.transaction.body.signer).hex,
                         "contract": proof.transaction.body.call.contract, "method": proof.transaction.body.call.method,
                         "index": String(proof.transactionPath.leafIndex)]
            switch proof.receipt.status {
            case .success: facts["status"] = "success"
            case .failure(let code, _): facts["status"] = "failure (\(code))"
            }
            for (key, value) in CallDescription.describe(proof.transaction.body.call) ?? [:] { facts["call.\(key)"] = value }
            return report("transaction", proof.anchor, history: history, facts: facts)
        case .state(let proof):
            var facts = ["key": Hex.encode(proof.key), "present": String(proof.value != nil)]
            if let value = proof.value {
                facts["value"] = Hex.encode(value)
                for (key, text) in StateDescription.describe(key: proof.key, value: value) ?? [:] { facts["record.\(key)"] = text }
            }
            return report("state", proof.anchor, history: history, facts: facts)
        }
    }

    /// The report of a verified proof; signers are named from the set in force at the anchor's height.
    private static func report(_ kind: String, _ anchor: CertifiedHeader, history: ValidatorSetHistory,
                               facts: [String: String]) -> VerificationReport {
        let inForce = history.entry(at: anchor.header.height)
        let validators = inForce.entry.validators
        return VerificationReport(
            kind: kind, chainId: anchor.header.chainID, height: anchor.header.height.rawValue,
            blockTimeMs: anchor.header.time.milliseconds, blockHash: anchor.header.hash(suite: history.suite).hex,
            signedBy: anchor.certificate.signatures.compactMap { validators.validator(at: $0.validatorIndex)?.name },
            validatorSetIndex: inForce.index, validators: validators.validators.map(\.name),
            transitionsChecked: history.transitionCount, facts: facts)
    }
}
