import CivicCodec
import CivicCrypto
import CivicLedger

extension ConsensusInput {
    /// The height the input is about.
    public var height: Height {
        switch self {
        case .proposal(let signed, _, _): signed.proposal.height
        case .vote(let signed): signed.vote.height
        case .decision(_, let certificate): certificate.height
        }
    }
}

extension ConsensusCore {
    /// Takes in a proposal, vote or decision, then applies every rule whose condition now holds.
    ///
    /// Messages for earlier heights are ignored (a validator one height behind is sent the decision);
    /// messages for the next ``ConsensusConfig/futureHeightsMax`` heights are buffered, up to
    /// ``ConsensusConfig/futureMessagesMax``, and replayed when the height is reached; exact
    /// duplicates are ignored without checking their signature again.
    /// - Throws: ``ConsensusError`` when the input is malformed or its signature does not verify.
    public mutating func step(_ input: ConsensusInput) throws(ConsensusError) {
        defer { evaluateRules() }
        try receive(input)
    }

    mutating func receive(_ input: ConsensusInput) throws(ConsensusError) {
        switch input {
        case .vote(let signed): try receiveVote(signed)
        case .proposal(let signed, let block, let isValid): try receiveProposal(signed, block, isValid: isValid)
        case .decision(let block, let certificate): try receiveDecision(block, certificate)
        }
    }

    /// Whether a message of `messageHeight`/`messageRound` from `sender` is for now; buffers or answers it
    /// otherwise.
    mutating func admit(_ input: ConsensusInput, round messageRound: Round, from sender: UInt32) -> Bool {
        if input.height < height {
            sendDecisionIfLagging(sender, at: input.height)
            return false
        }
        if input.height > height {
            if input.height.rawValue - height.rawValue <= config.futureHeightsMax,
               futureInputs.count < config.futureMessagesMax {
                futureInputs.append(input)
            }
            return false
        }
        return UInt64(messageRound.rawValue) <= UInt64(round.rawValue) + UInt64(config.futureRoundsMax)
    }

    mutating func receiveVote(_ signed: SignedVote) throws(ConsensusError) {
        let index = signed.validatorIndex
        guard validators.validator(at: index) != nil else { throw .unknownValidator(index: index) }
        guard admit(.vote(signed), round: signed.vote.round, from: index) else { return }
        var state = rounds[signed.vote.round] ?? RoundState(validatorCount: validators.count)
        if state.votes(signed.vote.kind).contains(signed) { return }
        guard signed.isValid(chainID: config.chainID, validators: validators) else {
            throw .badSignature(validator: index)
        }
        let result: VoteSet.AddResult
        switch signed.vote.kind {
        case .prevote: result = state.prevotes.add(signed)
        case .precommit: result = state.precommits.add(signed)
        }
        switch result {
        case .added, .equivocation(nil): state.senders[Int(index)] = true
        case .duplicate: break
        case .equivocation(let equivocation?): pending.append(.equivocation(equivocation))
        }
        rounds[signed.vote.round] = state
    }

    mutating func receiveProposal(_ signed: SignedProposal, _ block: ProposedBlock,
                                  isValid: Bool) throws(ConsensusError) {
        let proposal = signed.proposal
        let index = proposal.proposerIndex
        guard validators.validator(at: index) != nil else { throw .unknownValidator(index: index) }
        if let polRound = proposal.polRound, polRound >= proposal.round { throw .invalidPolRound }
        guard block.hash == proposal.blockHash else { throw .blockMismatch }
        guard block.payload.count <= config.blockPayloadBytesMax else {
            throw .blockTooLarge(bytes: block.payload.count, max: config.blockPayloadBytesMax)
        }
        guard admit(.proposal(signed, block, blockIsValid: isValid), round: proposal.round, from: index) else {
            return
        }
        let expected = proposer(height: height, round: proposal.round)
        guard index == expected else { throw .wrongProposer(expected: expected, actual: index) }
        var state = rounds[proposal.round] ?? RoundState(validatorCount: validators.count)
        // The first proposal of the round counts; a second one from the same proposer is ignored.
        guard state.proposal == nil else { return }
        guard signed.isValid(chainID: config.chainID, validators: validators) else {
            throw .badSignature(validator: index)
        }
        state.proposal = (signed, block, isValid)
        state.senders[Int(index)] = true
        rounds[proposal.round] = state
    }

    mutating func receiveDecision(_ block: ProposedBlock, _ certificate: CommitCertificate) throws(ConsensusError) {
        guard certificate.height == height else {
            if certificate.height > height, futureInputs.count < config.futureMessagesMax,
               certificate.height.rawValue - height.rawValue <= config.futureHeightsMax {
                futureInputs.append(.decision(block, certificate))
            }
            return
        }
        do {
            try certificate.verify(chainID: config.chainID, height: height, blockHash: block.hash,
                                   validators: validators)
        } catch {
            throw .badCertificate(error)
        }
        decide(block, certificate)
    }

    /// Sends the last decision to a validator still working on it, at most once per re-broadcast period.
    mutating func sendDecisionIfLagging(_ sender: UInt32, at senderHeight: Height) {
        guard sender != validatorIndex, let lastDecision, lastDecision.certificate.height == senderHeight else {
            return
        }
        let index = Int(sender)
        if let sentAt = catchUpSentAt[index], now - sentAt < config.rebroadcastTicks { return }
        catchUpSentAt[index] = now
        pending.append(.send(.decision(lastDecision.block, lastDecision.certificate), to: sender))
    }

    /// Replays the inputs buffered for the height just reached; malformed ones are dropped.
    mutating func replayFutureInputs() {
        let buffered = futureInputs
        futureInputs = []
        for input in buffered {
            do { try receive(input) } catch { continue }
        }
    }
}
