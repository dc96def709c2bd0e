import CivicCodec
import CivicCrypto
import CivicLedger

extension ConsensusCore {
    /// Applies the paper's `upon` rules until none holds any more.
    mutating func evaluateRules() {
        var applied = 0
        while applyOneRule() {
            applied += 1
            precondition(applied < 10_000, "consensus rules keep firing without end")
        }
    }

    /// Applies the first rule whose condition holds; returns whether one did.
    mutating func applyOneRule() -> Bool {
        if ruleDecide() { return true }
        if ruleSkipRound() { return true }
        var state = rounds[round] ?? RoundState(validatorCount: validators.count)
        defer { rounds[round] = state }
        if step == .propose, rulePrevote(state) { return true }
        if step == .prevote, !state.prevoteTimeoutScheduled, state.prevotes.hasQuorumForAnything(in: validators) {
            // Lines 34–35:
            // upon 2f+1 ⟨PREVOTE, h_p, round_p, ∗⟩ while step_p = prevote for the first time do
            //   schedule OnTimeoutPrevote(h_p, round_p) to be executed after timeoutPrevote(round_p)
            state.prevoteTimeoutScheduled = true
            schedule(.prevote)
            return true
        }
        if ruleLock(&state) { return true }
        if step == .prevote, state.prevotes.hasQuorum(for: nil, in: validators) {
            // Lines 44–46:
            // upon 2f+1 ⟨PREVOTE, h_p, round_p, nil⟩ while step_p = prevote do
            //   broadcast ⟨PRECOMMIT, h_p, round_p, nil⟩; step_p ← precommit
            castVote(.precommit, for: nil)
            step = .precommit
            return true
        }
        if !state.precommitTimeoutScheduled, state.precommits.hasQuorumForAnything(in: validators) {
            // Lines 47–48:
            // upon 2f+1 ⟨PRECOMMIT, h_p, round_p, ∗⟩ for the first time do
            //   schedule OnTimeoutPrecommit(h_p, round_p) to be executed after timeoutPrecommit(round_p)
            state.precommitTimeoutScheduled = true
            schedule(.precommit)
            return true
        }
        return false
    }

    /// Lines 22–33:
    /// ```
    /// upon ⟨PROPOSAL, h_p, round_p, v, −1⟩ from proposer(h_p, round_p) while step_p = propose do
    ///   if valid(v) ∧ (lockedRound_p = −1 ∨ lockedValue_p = v) then broadcast ⟨PREVOTE, h_p, round_p, id(v)⟩
    ///   else broadcast ⟨PREVOTE, h_p, round_p, nil⟩
    ///   step_p ← prevote
    /// upon ⟨PROPOSAL, h_p, round_p, v, vr⟩ from proposer(h_p, round_p) AND 2f+1 ⟨PREVOTE, h_p, vr, id(v)⟩
    ///     while step_p = propose ∧ (vr ≥ 0 ∧ vr < round_p) do
    ///   if valid(v) ∧ (lockedRound_p ≤ vr ∨ lockedValue_p = v) then broadcast ⟨PREVOTE, h_p, round_p, id(v)⟩
    ///   else broadcast ⟨PREVOTE, h_p, round_p, nil⟩
    ///   step_p ← prevote
    /// ```
    mutating func rulePrevote(_ state: RoundState) -> Bool {
        guard let proposal = state.proposal else { return false }
        let hash = proposal.block.hash
        if let polRound = proposal.signed.proposal.polRound {
            guard polRound < round, rounds[polRound]?.prevotes.hasQuorum(for: hash, in: validators) == true else {
                return false
            }
            let unlocked = lockedRound.map { $0 <= polRound } ?? true
            let acceptable = proposal.isValid && (unlocked || lockedBlockHash == hash)
            castVote(.prevote, for: acceptable ? hash : nil, polRound: acceptable ? polRound : nil)
        } else {
            let acceptable = proposal.isValid && (lockedRound == nil || lockedBlockHash == hash)
            castVote(.prevote, for: acceptable ? hash : nil)
        }
        step = .prevote
        return true
    }

    /// Lines 36–43:
    /// ```
    /// upon ⟨PROPOSAL, h_p, round_p, v, ∗⟩ from proposer(h_p, round_p)
    ///     AND 2f+1 ⟨PREVOTE, h_p, round_p, id(v)⟩
    ///     while valid(v) ∧ step_p ≥ prevote for the first time do
    ///   if step_p = prevote then
    ///     lockedValue_p ← v; lockedRound_p ← round_p
    ///     broadcast ⟨PRECOMMIT, h_p, round_p, id(v)⟩
    ///     step_p ← precommit
    ///   validValue_p ← v; validRound_p ← round_p
    /// ```
    mutating func ruleLock(_ state: inout RoundState) -> Bool {
        guard step >= .prevote, !state.lockRuleFired, let proposal = state.proposal, proposal.isValid,
              state.prevotes.hasQuorum(for: proposal.block.hash, in: validators) else { return false }
        state.lockRuleFired = true
        let prevotes = state.prevotes.votes(for: proposal.block.hash)
        pending.append(.persistValidValue(
            ValidValueRecord(height: height, round: round, block: proposal.block, prevotes: prevotes)))
        if step == .prevote {
            lockedBlockHash = proposal.block.hash
            lockedRound = round
            castVote(.precommit, for: proposal.block.hash)
            step = .precommit
        }
        validBlock = proposal.block
        validRound = round
        return true
    }

    /// Lines 49–54:
    /// ```
    /// upon ⟨PROPOSAL, h_p, r, v, ∗⟩ from proposer(h_p, r) AND 2f+1 ⟨PRECOMMIT, h_p, r, id(v)⟩
    ///     while decision_p[h_p] = nil do
    ///   if valid(v) then
    ///     decision_p[h_p] = v; h_p ← h_p + 1
    ///     reset lockedRound_p, lockedValue_p, validRound_p and validValue_p to initial values
    ///     and empty message log
    ///     StartRound(0)
    /// ```
    mutating func ruleDecide() -> Bool {
        for candidate in rounds.keys.sorted() {
            guard let state = rounds[candidate], let proposal = state.proposal, proposal.isValid,
                  state.precommits.hasQuorum(for: proposal.block.hash, in: validators) else { continue }
            let certificate = CommitCertificate(
                height: height, round: candidate, blockHash: proposal.block.hash,
                signatures: state.precommits.commitSignatures(for: proposal.block.hash))
            decide(proposal.block, certificate)
            return true
        }
        return false
    }

    /// Lines 55–56:
    /// ```
    /// upon f+1 ⟨∗, h_p, round, ∗, ∗⟩ with round > round_p do
    ///   StartRound(round)
    /// ```
    /// Of several such rounds, the highest is entered.
    mutating func ruleSkipRound() -> Bool {
        for candidate in rounds.keys.sorted(by: >) where candidate > round {
            guard let state = rounds[candidate],
                  state.senderPower(in: validators) >= powerMoreThanOneThird else { continue }
            startRound(candidate)
            return true
        }
        return false
    }

    /// Records the decision of the current height and starts the next one (line 51 onwards).
    mutating func decide(_ block: ProposedBlock, _ certificate: CommitCertificate) {
        precondition(certificate.height == height && certificate.blockHash == block.hash,
                     "a decision for another height or block")
        pending.append(.commit(block, certificate))
        lastDecision = (block, certificate)
        height = height.next
        lockedRound = nil
        lockedBlockHash = nil
        validRound = nil
        validBlock = nil
        rounds = [:]
        timers = []
        startRound(Round(0))
        replayFutureInputs()
    }
}
