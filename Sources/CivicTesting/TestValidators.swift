import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger

/// Deterministic keys and validator sets for tests: key `i` is derived from its index, so runs and
/// transcripts are reproducible.
public enum TestValidators {
    /// The chain id tests use.
    public static let chainID = "civic-test"

    /// The private key of validator `index` (suite `intl`).
    public static func key(_ index: Int) -> PrivateKey {
        var attempt: UInt32 = 0
        while true {
            let scalar = CryptoSuite.intl.hash(Array("CivicTesting/key/\(index)/\(attempt)".utf8)).bytes
            if let key = try? PrivateKey(suite: .intl, rawRepresentation: scalar) { return key }
            attempt += 1
        }
    }

    /// A set of `count` validators of power 1 with keys ``key(_:)``.
    public static func set(count: Int) -> ValidatorSet {
        ValidatorSet((0..<count).map { index in
            Validator(name: "validator-\(index)", organization: "department-\(index)",
                      publicKey: key(index).publicKey, power: 1)
        })
    }

    /// A block whose hash is the `intl` hash of `payload`.
    public static func block(_ payload: [UInt8]) -> ProposedBlock {
        ProposedBlock(hash: CryptoSuite.intl.hash(payload), payload: payload)
    }

    /// A block carrying `text`.
    public static func block(_ text: String) -> ProposedBlock { block(Array(text.utf8)) }

    /// The first eight hex digits of a hash, for traces.
    public static func short(_ hash: Hash256?) -> String {
        guard let hash else { return "nil" }
        return String(hash.hex.prefix(8))
    }
}
