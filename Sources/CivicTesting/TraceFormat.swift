import CivicConsensus
import CivicCrypto
import CivicLedger

/// One-line descriptions of consensus actions and messages, for transcripts and trace tails.
public enum TraceFormat {
    /// A vote, e.g. `prevote h1 r0 1a2b3c4d by 2`.
    public static func describe(_ signed: SignedVote) -> String {
        let vote = signed.vote
        let kind = vote.kind == .prevote ? "prevote" : "precommit"
        return "\(kind) h\(vote.height) r\(vote.round) \(TestValidators.short(vote.blockHash))"
            + " by \(signed.validatorIndex)"
    }

    /// A message.
    public static func describe(_ message: ConsensusMessage) -> String {
        switch message {
        case .proposal(let signed, _):
            let proposal = signed.proposal
            let pol = proposal.polRound.map { " pol\($0)" } ?? ""
            return "proposal h\(proposal.height) r\(proposal.round)\(pol) \(TestValidators.short(proposal.blockHash))"
                + " by \(proposal.proposerIndex)"
        case .vote(let signed): return describe(signed)
        case .decision(let block, let certificate):
            return "decision h\(certificate.height) r\(certificate.round) \(TestValidators.short(block.hash))"
        }
    }

    /// An action.
    public static func describe(_ action: ConsensusAction) -> String {
        switch action {
        case .requestBlock(let height, let round): return "request-block h\(height) r\(round)"
        case .signProposal(let proposal, _):
            let pol = proposal.polRound.map { " pol\($0)" } ?? ""
            return "sign proposal h\(proposal.height) r\(proposal.round)\(pol) "
                + TestValidators.short(proposal.blockHash)
        case .signVote(let vote, let polRound):
            let kind = vote.kind == .prevote ? "prevote" : "precommit"
            let pol = polRound.map { " pol\($0)" } ?? ""
            return "sign \(kind) h\(vote.height) r\(vote.round) \(TestValidators.short(vote.blockHash))\(pol)"
        case .persistValidValue(let record):
            let signers = record.prevotes.map { String($0.validatorIndex) }.joined(separator: ",")
            return "persist valid-value h\(record.height) r\(record.round) "
                + "\(TestValidators.short(record.block.hash)) pol \(signers)"
        case .broadcast(let message): return "broadcast \(describe(message))"
        case .send(let message, let index): return "send to \(index) \(describe(message))"
        case .commit(let block, let certificate):
            let signers = certificate.signatures.map { String($0.validatorIndex) }.joined(separator: ",")
            return "commit h\(certificate.height) r\(certificate.round) \(TestValidators.short(block.hash))"
                + " signers \(signers)"
        case .equivocation(let equivocation):
            return "equivocation validator \(equivocation.validatorIndex): "
                + "\(describe(equivocation.first)) / \(describe(equivocation.second))"
        case .timeoutScheduled(let kind, let height, let round, let ticks):
            return "timeout \(kind) h\(height) r\(round) in \(ticks)"
        }
    }
}
