import CivicCodec
import CivicCrypto

/// The validator set from a height on. Genesis writes entry 0 (from height 1); each executed validator change
/// appends one that applies from its execution height + 2 (`GovernanceContract.validatorSetDelay`).
///
/// It lives in the ledger, not in the governance contract that writes it, because offline verifiers
/// (``ValidatorSetTransition``) decode it with nothing but this module.
///
/// Canonical bytes: applies-from height, the set, the proposal id (0 for genesis).
public struct ValidatorSetEntry: Hashable, Sendable, CanonicalCodable {
    /// The full state key prefix of the entries, `governance/validator-set/`; the index follows as a u64.
    /// The governance contract builds the same key as `stateKey(Key.validatorSet(index))`.
    public static let stateKeyPrefix = Array("governance/validator-set/".utf8)

    /// The first height whose blocks this set certifies.
    public var appliesFrom: Height
    /// The validators.
    public var validators: ValidatorSet
    /// The proposal that made the change; 0 for genesis (proposal ids start at 1).
    public var proposalID: UInt64

    /// Creates a value.
    public init(appliesFrom: Height, validators: ValidatorSet, proposalID: UInt64) {
        self.appliesFrom = appliesFrom
        self.validators = validators
        self.proposalID = proposalID
    }

    /// Entry 0: the genesis validators, certifying from height 1.
    public init(genesis: Genesis) {
        self.init(appliesFrom: Height(1), validators: genesis.validators, proposalID: 0)
    }

    /// The full state key of entry `index`: `governance/validator-set/` followed by `index` as a big-endian u64.
    public static func stateKey(index: UInt64) -> [UInt8] { stateKeyPrefix + index.canonicalBytes }

    /// The entry index a full state key names, or `nil` when `key` is not a validator-set entry's key.
    public static func index(ofStateKey key: [UInt8]) -> UInt64? {
        guard key.count == stateKeyPrefix.count + 8, key.starts(with: stateKeyPrefix) else { return nil }
        return try? UInt64(canonicalBytes: Array(key.suffix(8)))
    }

    /// applies-from, set, proposal id.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(appliesFrom)
        encoder.encode(validators)
        encoder.encode(proposalID)
    }

    /// Reads a value.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        appliesFrom = try decoder.decode(Height.self)
        validators = try decoder.decode(ValidatorSet.self)
        proposalID = try decoder.decodeUInt64("validator_set.proposal_id")
    }
}
