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
    /// Names of the validators whose signatures certify the block.
    public var signedBy: [String]
    /// Facts proved, as name/value pairs.
    public var facts: [String: String]
}

/// Checks proof files offline, holding only the genesis document: no node, no network.
public enum OfflineVerifier {
    /// Decodes and verifies `bytes` against `genesis`.
    /// - Throws: ``ProofError`` naming the first check that fails.
    public static func verify(_ bytes: [UInt8], genesis: Genesis) throws(ProofError) -> VerificationReport {
        let file = try ProofFile.decode(bytes)
        try file.verify(genesis: genesis)
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
            return report("transaction", proof.anchor, genesis: genesis, facts: facts)
        case .state(let proof):
            var facts = ["key": Hex.encode(proof.key), "present": String(proof.value != nil)]
            if let value = proof.value {
                facts["value"] = Hex.encode(value)
                for (key, text) in StateDescription.describe(key: proof.key, value: value) ?? [:] { facts["record.\(key)"] = text }
            }
            return report("state", proof.anchor, genesis: genesis, facts: facts)
        }
    }

    private static func report(_ kind: String, _ anchor: CertifiedHeader, genesis: Genesis, facts: [String: String])
        -> VerificationReport {
        VerificationReport(
            kind: kind, chainId: anchor.header.chainID, height: anchor.header.height.rawValue,
            blockTimeMs: anchor.header.time.milliseconds, blockHash: anchor.header.hash(suite: genesis.suite).hex,
            signedBy: anchor.certificate.signatures.compactMap { genesis.validators.validator(at: $0.validatorIndex)?.name },
            facts: facts)
    }
}
