import CivicCodec
import CivicCrypto
import CivicLedger

/// `validValue_p` and `validRound_p` with their proof of lock: the block and the 2f+1 prevotes for it
/// in `round` at `height`.
///
/// The core asks the driver to persist it (``ConsensusAction/persistValidValue(_:)``) before it signs
/// the precommit that locks the block, and takes it back after a restart. Without it a restarted
/// validator would keep its lock (the signer holds that) but forget the block and the proof it needs
/// to propose it again with `vr = validRound_p`, and a lock whose proof nobody holds any more can stall
/// the height for good.
public struct ValidValueRecord: Hashable, Sendable, CanonicalCodable {
    /// The height.
    public var height: Height
    /// `validRound_p`.
    public var round: Round
    /// `validValue_p`.
    public var block: ProposedBlock
    /// Prevotes for `block` at `height`/`round` carrying more than 2/3 of the power, by validator index.
    public var prevotes: [SignedVote]

    /// Creates a record.
    /// - Precondition: every prevote is for `block` at `height`/`round`, in increasing validator order.
    public init(height: Height, round: Round, block: ProposedBlock, prevotes: [SignedVote]) {
        precondition(prevotes.allSatisfy {
            $0.vote == Vote(kind: .prevote, height: height, round: round, blockHash: block.hash)
        }, "a proof of lock holds prevotes for its block only")
        precondition(zip(prevotes, prevotes.dropFirst()).allSatisfy { $0.validatorIndex < $1.validatorIndex },
                     "a proof of lock lists each validator once, in order")
        self.height = height
        self.round = round
        self.block = block
        self.prevotes = prevotes
    }

    /// height, round, block, prevotes.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(height)
        encoder.encode(round)
        encoder.encode(block)
        encoder.encode(sequence: prevotes)
    }

    /// Reads a record; prevotes for another block or out of order are refused.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let height = try decoder.decode(Height.self)
        let round = try decoder.decode(Round.self)
        let block = try decoder.decode(ProposedBlock.self)
        let prevotes = try decoder.decodeSequence(SignedVote.self, "valid_value.prevotes", max: Limits.validatorsMax)
        let expected = Vote(kind: .prevote, height: height, round: round, blockHash: block.hash)
        guard prevotes.allSatisfy({ $0.vote == expected }),
              zip(prevotes, prevotes.dropFirst()).allSatisfy({ $0.validatorIndex < $1.validatorIndex }) else {
            throw .invalidValue(field: "valid_value.prevotes", reason: "prevotes for another vote or out of order")
        }
        self.init(height: height, round: round, block: block, prevotes: prevotes)
    }
}
