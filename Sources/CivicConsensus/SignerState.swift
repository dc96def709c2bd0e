import CivicCodec
import CivicCrypto
import CivicLedger

/// How far a signer has gone within a round: proposal, then prevote, then precommit.
public enum SignerStep: UInt8, Sendable, Comparable, CanonicalCodable {
    /// Nothing signed yet at this height and round.
    case none = 0
    /// A proposal was signed.
    case proposal = 1
    /// A prevote was signed.
    case prevote = 2
    /// A precommit was signed.
    case precommit = 3

    /// Orders by position in the round.
    public static func < (lhs: SignerStep, rhs: SignerStep) -> Bool { lhs.rawValue < rhs.rawValue }
    /// One byte.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }
    /// Reads the step byte.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let byte = try decoder.decodeUInt8("signer.step")
        guard let step = SignerStep(rawValue: byte) else { throw .unknownTag(field: "signer.step", tag: UInt64(byte)) }
        self = step
    }
}

/// The signer's durable record: the last height, round and step it signed at, what it signed there,
/// and its lock (the block of its last precommit for a block at that height).
///
/// Encoded as a version byte (1) followed by the fields; the signer saves it *before* it returns a
/// signature, so after a crash it can neither sign a conflicting message nor forget its lock.
public struct SignerState: Hashable, Sendable, CanonicalCodable {
    /// The record format's version.
    public static let version: UInt8 = 1

    /// The height of the last signature (genesis: nothing signed yet).
    public var height: Height
    /// The round of the last signature.
    public var round: Round
    /// The step of the last signature.
    public var step: SignerStep
    /// The proposal signed at `height`/`round`, if any.
    public var proposal: SignedProposal?
    /// The prevote signed at `height`/`round`, if any.
    public var prevote: SignedVote?
    /// The precommit signed at `height`/`round`, if any.
    public var precommit: SignedVote?
    /// The round of the last precommit for a block at `height` (`lockedRound_p`).
    public var lockedRound: Round?
    /// The block of that precommit (`id(lockedValue_p)`).
    public var lockedBlockHash: Hash256?

    /// Nothing signed yet.
    public static let initial = SignerState(height: .genesis, round: Round(0), step: .none)

    /// Creates a record.
    public init(height: Height, round: Round, step: SignerStep, proposal: SignedProposal? = nil,
                prevote: SignedVote? = nil, precommit: SignedVote? = nil, lockedRound: Round? = nil,
                lockedBlockHash: Hash256? = nil) {
        self.height = height
        self.round = round
        self.step = step
        self.proposal = proposal
        self.prevote = prevote
        self.precommit = precommit
        self.lockedRound = lockedRound
        self.lockedBlockHash = lockedBlockHash
    }

    /// Version, then every field in declaration order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(SignerState.version)
        encoder.encode(height)
        encoder.encode(round)
        encoder.encode(step)
        encoder.encode(optional: proposal)
        encoder.encode(optional: prevote)
        encoder.encode(optional: precommit)
        encoder.encode(optional: lockedRound)
        encoder.encode(optional: lockedBlockHash)
    }

    /// Reads a record; an unknown version or a lock without its block is refused.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let version = try decoder.decodeUInt8("signer.version")
        guard version == SignerState.version else {
            throw .unsupportedVersion(type: "SignerState", version: version)
        }
        height = try decoder.decode(Height.self)
        round = try decoder.decode(Round.self)
        step = try decoder.decode(SignerStep.self)
        proposal = try decoder.decodeOptional(SignedProposal.self, "signer.proposal")
        prevote = try decoder.decodeOptional(SignedVote.self, "signer.prevote")
        precommit = try decoder.decodeOptional(SignedVote.self, "signer.precommit")
        lockedRound = try decoder.decodeOptional(Round.self, "signer.locked_round")
        lockedBlockHash = try decoder.decodeOptional(Hash256.self, "signer.locked_block_hash")
        guard (lockedRound == nil) == (lockedBlockHash == nil) else {
            throw .invalidValue(field: "signer.lock", reason: "a locked round needs its block and back")
        }
    }
}

/// Where a signer keeps its ``SignerState``: one canonical-encoded record, replaced atomically.
public protocol SignerStateStore {
    /// The last saved record, or `nil` if none was ever saved.
    /// - Throws: ``SignerError/storage(_:)`` when the record cannot be read.
    func load() throws(SignerError) -> [UInt8]?
    /// Replaces the record durably: when this returns, a crash cannot lose it.
    /// - Throws: ``SignerError/storage(_:)`` when it cannot be written.
    mutating func save(_ record: [UInt8]) throws(SignerError)
}

/// A store in memory, for tests and simulation; it survives a simulated crash when the simulation
/// keeps the value. `failSaves` makes every save fail.
public struct InMemorySignerStateStore: SignerStateStore, Sendable {
    /// The saved record.
    public private(set) var record: [UInt8]?
    /// When set, ``save(_:)`` throws and keeps the old record.
    public var failSaves: Bool
    /// How many saves succeeded.
    public private(set) var saveCount = 0

    /// An empty store.
    public init(record: [UInt8]? = nil, failSaves: Bool = false) {
        self.record = record
        self.failSaves = failSaves
    }

    /// The saved record.
    public func load() throws(SignerError) -> [UInt8]? { record }

    /// Replaces the record, or throws if `failSaves` is set.
    public mutating func save(_ record: [UInt8]) throws(SignerError) {
        if failSaves { throw .storage("the in-memory store was told to fail") }
        self.record = record
        saveCount += 1
    }
}
