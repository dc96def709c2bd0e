import CivicCrypto
import CivicLedger
import CivicTesting
import Testing
@testable import CivicConsensus

/// State-machine tests: feed events to one core, check the actions it returns. No sleeps, no network.
@Suite struct ConsensusCoreTests {
    static let validators = TestValidators.set(count: 4)
    static let config = ConsensusConfig(chainID: TestValidators.chainID)
    static let blockA = TestValidators.block("block A")
    static let blockB = TestValidators.block("block B")

    static func core(_ index: UInt32, restoring: SignerState? = nil, validValue: ValidValueRecord? = nil,
                     config: ConsensusConfig = config) -> ConsensusCore {
        ConsensusCore(config: config, validators: validators, validatorIndex: index, height: Height(1),
                      restoring: restoring, validValue: validValue)
    }

    static func vote(_ kind: VoteKind, by index: Int, _ block: ProposedBlock?, height: UInt64 = 1,
                     round: UInt32 = 0) -> SignedVote {
        let vote = Vote(kind: kind, height: Height(height), round: Round(round), blockHash: block?.hash)
        let signature = try! TestValidators.key(index).signature(for: vote.signBytes(chainID: config.chainID))
        return SignedVote(vote: vote, validatorIndex: UInt32(index), signature: signature)
    }

    static func proposal(by index: Int, _ block: ProposedBlock, round: UInt32 = 0, polRound: Round? = nil,
                         signer: Int? = nil) -> SignedProposal {
        let proposal = Proposal(height: Height(1), round: Round(round), polRound: polRound, blockHash: block.hash,
                                proposerIndex: UInt32(index))
        let signature = try! TestValidators.key(signer ?? index).signature(
            for: proposal.signBytes(chainID: config.chainID))
        return SignedProposal(proposal: proposal, signature: signature)
    }

    /// Takes the pending actions.
    static func take(_ core: inout ConsensusCore) -> [ConsensusAction] {
        let ready = core.ready()
        core.advance(ready)
        return ready.actions
    }

    @Test func startRequestsBlockOnlyFromTheProposer() {
        var proposer = Self.core(1)
        #expect(Self.take(&proposer) == [
            .requestBlock(height: Height(1), round: Round(0)),
            .timeoutScheduled(.propose, height: Height(1), round: Round(0), ticks: 30),
        ])
        var other = Self.core(0)
        #expect(Self.take(&other) == [.timeoutScheduled(.propose, height: Height(1), round: Round(0), ticks: 30)])
        #expect(other.proposer(height: Height(1), round: Round(0)) == 1)
        #expect(other.proposer(height: Height(1), round: Round(3)) == 0)
    }

    @Test func proposeAnswersTheRequestOnce() {
        var core = Self.core(1)
        _ = Self.take(&core)
        let accepted = core.propose(block: Self.blockA)
        #expect(accepted)
        #expect(Self.take(&core) == [.signProposal(
            Proposal(height: Height(1), round: Round(0), polRound: nil, blockHash: Self.blockA.hash, proposerIndex: 1),
            Self.blockA)])
        let acceptedAgain = core.propose(block: Self.blockB)
        #expect(!acceptedAgain)
    }

    @Test(arguments: [true, false])
    func proposalIsPrevotedWhenValid(valid: Bool) throws {
        var core = Self.core(0)
        _ = Self.take(&core)
        try core.step(.proposal(Self.proposal(by: 1, Self.blockA), Self.blockA, blockIsValid: valid))
        let expected = Vote(kind: .prevote, height: Height(1), round: Round(0),
                            blockHash: valid ? Self.blockA.hash : nil)
        #expect(Self.take(&core) == [.signVote(expected, polRound: nil)])
        #expect(core.step == .prevote)
    }

    static func refusal(_ core: inout ConsensusCore, _ input: ConsensusInput) -> ConsensusError? {
        do {
            try core.step(input)
            return nil
        } catch {
            return error
        }
    }

    @Test func proposalsFromTheWrongValidatorOrWithBadSignaturesAreRefused() {
        var core = Self.core(0)
        let wrongProposer = Self.refusal(
            &core, .proposal(Self.proposal(by: 2, Self.blockA), Self.blockA, blockIsValid: true))
        #expect(wrongProposer == .wrongProposer(expected: 1, actual: 2))
        let badSignature = Self.refusal(
            &core, .proposal(Self.proposal(by: 1, Self.blockA, signer: 3), Self.blockA, blockIsValid: true))
        #expect(badSignature == .badSignature(validator: 1))
        let mismatch = Self.refusal(
            &core, .proposal(Self.proposal(by: 1, Self.blockA), Self.blockB, blockIsValid: true))
        #expect(mismatch == .blockMismatch)
        var forged = Self.vote(.prevote, by: 2, Self.blockA)
        forged.validatorIndex = 3
        let forgedRefusal = Self.refusal(&core, .vote(forged))
        #expect(forgedRefusal == .badSignature(validator: 3))
        var stranger = Self.vote(.prevote, by: 2, Self.blockA)
        stranger.validatorIndex = 9
        let strangerRefusal = Self.refusal(&core, .vote(stranger))
        #expect(strangerRefusal == .unknownValidator(index: 9))
        #expect(wrongProposer?.code == "consensus.wrong_proposer")
        #expect(core.step == .propose)
    }

    @Test func quorumOfPrevotesLocksThenQuorumOfPrecommitsCommits() throws {
        var core = Self.core(0)
        _ = Self.take(&core)
        try core.step(.proposal(Self.proposal(by: 1, Self.blockA), Self.blockA, blockIsValid: true))
        _ = Self.take(&core)
        for index in 0...2 { try core.step(.vote(Self.vote(.prevote, by: index, Self.blockA))) }
        let locking = Self.take(&core)
        #expect(locking.contains(.signVote(
            Vote(kind: .precommit, height: Height(1), round: Round(0), blockHash: Self.blockA.hash), polRound: nil)))
        #expect(locking.contains {
            if case .persistValidValue(let record) = $0 { record.block == Self.blockA } else { false }
        })
        #expect(core.lockedRound == Round(0) && core.lockedBlockHash == Self.blockA.hash)
        #expect(core.step == .precommit)
        for index in 1...3 { try core.step(.vote(Self.vote(.precommit, by: index, Self.blockA))) }
        let committing = Self.take(&core)
        guard case .commit(let block, let certificate)? = committing.first(where: {
            if case .commit = $0 { true } else { false }
        }) else {
            Issue.record("no commit in \(committing)")
            return
        }
        #expect(block == Self.blockA)
        #expect(throws: Never.self) {
            try certificate.verify(chainID: Self.config.chainID, height: Height(1), blockHash: Self.blockA.hash,
                                   validators: Self.validators)
        }
        #expect(core.height == Height(2) && core.round == Round(0) && core.lockedRound == nil)
    }

    @Test func quorumOfNilPrevotesPrecommitsNil() throws {
        var core = Self.core(0)
        for _ in 0..<30 { core.tick() }
        #expect(Self.take(&core).contains(.signVote(
            Vote(kind: .prevote, height: Height(1), round: Round(0), blockHash: nil), polRound: nil)))
        for index in 0...2 { try core.step(.vote(Self.vote(.prevote, by: index, nil))) }
        #expect(Self.take(&core).contains(.signVote(
            Vote(kind: .precommit, height: Height(1), round: Round(0), blockHash: nil), polRound: nil)))
    }

    @Test func timeoutsGrowWithTheRound() {
        #expect(Self.config.timeoutTicks(.propose, round: Round(0)) == 30)
        #expect(Self.config.timeoutTicks(.propose, round: Round(3)) == 60)
        #expect(Self.config.timeoutTicks(.prevote, round: Round(2)) == 20)
        #expect(Self.config.timeoutTicks(.precommit, round: Round(1)) == 15)
    }

    @Test func precommitTimeoutStartsTheNextRound() throws {
        var core = Self.core(0)
        for index in 1...3 { try core.step(.vote(Self.vote(.precommit, by: index, nil))) }
        #expect(Self.take(&core).contains(.timeoutScheduled(.precommit, height: Height(1), round: Round(0), ticks: 10)))
        for _ in 0..<10 { core.tick() }
        #expect(core.round == Round(1))
        #expect(Self.take(&core).contains(.requestBlock(height: Height(1), round: Round(1))) == false)
        #expect(core.proposer(height: Height(1), round: Round(1)) == 2)
    }

    @Test func fPlusOneMessagesOfAHigherRoundSkipToIt() throws {
        var core = Self.core(0)
        try core.step(.vote(Self.vote(.prevote, by: 2, nil, round: 5)))
        #expect(core.round == Round(0))
        try core.step(.vote(Self.vote(.precommit, by: 3, nil, round: 5)))
        #expect(core.round == Round(5))
    }

    @Test func lockedValidatorPrevotesNilForAnotherBlockWithoutProofOfLock() throws {
        let locked = SignerState(height: Height(1), round: Round(1), step: .precommit, lockedRound: Round(0),
                                 lockedBlockHash: Self.blockA.hash)
        var core = Self.core(0, restoring: locked)
        #expect(core.round == Round(1) && core.lockedRound == Round(0))
        _ = Self.take(&core)
        try core.step(.proposal(Self.proposal(by: 2, Self.blockB, round: 1), Self.blockB, blockIsValid: true))
        #expect(Self.take(&core) == [.signVote(
            Vote(kind: .prevote, height: Height(1), round: Round(1), blockHash: nil), polRound: nil)])
    }

    @Test func proofOfLockAtOrAfterTheLockFreesIt() throws {
        let locked = SignerState(height: Height(1), round: Round(2), step: .precommit, lockedRound: Round(0),
                                 lockedBlockHash: Self.blockA.hash)
        var core = Self.core(0, restoring: locked)
        _ = Self.take(&core)
        // Round 1 prevotes for B from 1, 2, 3; then round 2's proposer (3) proposes B with vr = 1.
        for index in 1...3 { try core.step(.vote(Self.vote(.prevote, by: index, Self.blockB, round: 1))) }
        _ = Self.take(&core)
        try core.step(.proposal(Self.proposal(by: 3, Self.blockB, round: 2, polRound: Round(1)), Self.blockB,
                                blockIsValid: true))
        #expect(Self.take(&core) == [.signVote(
            Vote(kind: .prevote, height: Height(1), round: Round(2), blockHash: Self.blockB.hash), polRound: Round(1))])
    }

    @Test func equivocationIsReportedOnceWithBothVotes() throws {
        var core = Self.core(0)
        _ = Self.take(&core)
        let first = Self.vote(.prevote, by: 3, Self.blockA)
        let second = Self.vote(.prevote, by: 3, Self.blockB)
        try core.step(.vote(first))
        try core.step(.vote(second))
        try core.step(.vote(Self.vote(.prevote, by: 3, nil)))
        let reported = Self.take(&core).compactMap { if case .equivocation(let found) = $0 { found } else { nil } }
        #expect(reported.count == 1)
        #expect(reported.first == Equivocation(first, second))
        #expect(reported.first?.isValid(chainID: Self.config.chainID, validators: Self.validators) == true)
    }

    @Test func oldHeightsAreIgnoredAndFutureHeightsBufferedWithinBounds() throws {
        var config = Self.config
        config.futureMessagesMax = 2
        var core = Self.core(0, config: config)
        for index in 1...3 { try core.step(.vote(Self.vote(.prevote, by: index, nil, height: 2))) }
        #expect(core.futureInputs.count == 2)
        try core.step(.vote(Self.vote(.prevote, by: 1, nil, height: 9)))
        #expect(core.futureInputs.count == 2)
        // Decide height 1 through a certificate; the buffered votes replay at height 2.
        let precommits = (1...3).map { Self.vote(.precommit, by: $0, Self.blockA) }
        let certificate = CommitCertificate(height: Height(1), round: Round(0), blockHash: Self.blockA.hash,
            signatures: precommits.map { CommitSignature(validatorIndex: $0.validatorIndex, signature: $0.signature) })
        try core.step(.decision(Self.blockA, certificate))
        #expect(core.height == Height(2))
        #expect(core.futureInputs.isEmpty)
        #expect(core.rounds[Round(0)]?.prevotes.totalPower(in: Self.validators) == 2)
        // A vote for height 1 now is ignored without error.
        try core.step(.vote(Self.vote(.prevote, by: 2, Self.blockA, height: 1)))
    }

    @Test func decisionWithAnInsufficientCertificateIsRefused() {
        var core = Self.core(0)
        let precommit = Self.vote(.precommit, by: 1, Self.blockA)
        let certificate = CommitCertificate(height: Height(1), round: Round(0), blockHash: Self.blockA.hash,
            signatures: [CommitSignature(validatorIndex: 1, signature: precommit.signature)])
        let refusal = Self.refusal(&core, .decision(Self.blockA, certificate))
        #expect(refusal == .badCertificate(.insufficientPower(signed: 1, required: 3)))
        #expect(core.height == Height(1))
    }

    @Test func restartRestoresTheValidValueAndItsProofOfLock() throws {
        let prevotes = (0...2).map { Self.vote(.prevote, by: $0, Self.blockA, round: 0) }
        let record = ValidValueRecord(height: Height(1), round: Round(0), block: Self.blockA, prevotes: prevotes)
        let signer = SignerState(height: Height(1), round: Round(2), step: .precommit, lockedRound: Round(0),
                                 lockedBlockHash: Self.blockA.hash)
        // Round 2 at height 1: proposer (1 + 2) mod 4 = 3 re-proposes its valid value with vr = 0.
        var core = Self.core(3, restoring: signer, validValue: record)
        let actions = Self.take(&core)
        #expect(actions.first == .signProposal(
            Proposal(height: Height(1), round: Round(2), polRound: Round(0), blockHash: Self.blockA.hash,
                     proposerIndex: 3),
            Self.blockA))
        #expect(actions.filter { if case .broadcast(.vote) = $0 { true } else { false } }.count == 3)
    }
}
