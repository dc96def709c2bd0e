import CivicCodec
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing
@testable import CivicConsensus

/// The guarded signer: conflicts, regressions, locks, persistence before return, restart.
@Suite struct VoteSignerTests {
    static let chainID = TestValidators.chainID
    static let hashA = TestValidators.block("A").hash
    static let hashB = TestValidators.block("B").hash

    static func signer(_ store: InMemorySignerStateStore = InMemorySignerStateStore())
        throws(SignerError) -> VoteSigner<InMemorySignerStateStore> {
        try VoteSigner(key: TestValidators.key(0), validatorIndex: 0, chainID: chainID, store: store)
    }

    static func vote(_ kind: VoteKind, _ height: UInt64, _ round: UInt32, _ hash: Hash256?) -> Vote {
        Vote(kind: kind, height: Height(height), round: Round(round), blockHash: hash)
    }

    static func refusal(_ body: () throws(SignerError) -> Void) -> SignerError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    static func refusal(_ signer: inout VoteSigner<InMemorySignerStateStore>, _ vote: Vote,
                        polRound: Round? = nil) -> SignerError? {
        do {
            _ = try signer.sign(vote, polRound: polRound)
            return nil
        } catch {
            return error
        }
    }

    @Test func signsAValidVoteAndPersistsIt() throws {
        var signer = try Self.signer()
        let signed = try signer.sign(Self.vote(.prevote, 1, 0, Self.hashA))
        #expect(signed.isValid(chainID: Self.chainID, validators: TestValidators.set(count: 4)))
        let stored = try SignerState(canonicalBytes: signer.store.record ?? [])
        #expect(stored.prevote == signed)
        #expect(stored == signer.state)
    }

    @Test func theSameVoteTwiceReturnsTheSameSignature() throws {
        var signer = try Self.signer()
        let first = try signer.sign(Self.vote(.prevote, 1, 0, Self.hashA))
        let saves = signer.store.saveCount
        let second = try signer.sign(Self.vote(.prevote, 1, 0, Self.hashA))
        // ECDSA signatures are randomized: equal bytes mean the signer answered from its record.
        #expect(first == second)
        #expect(signer.store.saveCount == saves)
    }

    @Test func aConflictingVoteIsRefused() throws {
        var signer = try Self.signer()
        _ = try signer.sign(Self.vote(.prevote, 1, 0, Self.hashA))
        let refusal = Self.refusal(&signer, Self.vote(.prevote, 1, 0, Self.hashB))
        #expect(refusal == .conflict(height: Height(1), round: Round(0), step: .prevote))
        let nilRefusal = Self.refusal(&signer, Self.vote(.prevote, 1, 0, nil))
        #expect(nilRefusal?.code == "signer.conflict")
    }

    @Test func conflictingProposalIsRefusedAndTheSameOneRepeated() throws {
        var signer = try Self.signer()
        let proposal = Proposal(height: Height(4), round: Round(0), polRound: nil, blockHash: Self.hashA,
                                proposerIndex: 0)
        let first = try signer.sign(proposal)
        #expect(try signer.sign(proposal) == first)
        var other = proposal
        other.blockHash = Self.hashB
        let refusal = Self.refusal { () throws(SignerError) in _ = try signer.sign(other) }
        #expect(refusal == .conflict(height: Height(4), round: Round(0), step: .proposal))
        var foreign = proposal
        foreign.proposerIndex = 2
        let wrong = Self.refusal { () throws(SignerError) in _ = try signer.sign(foreign) }
        #expect(wrong == .wrongValidator(2))
    }

    @Test func goingBackwardsIsRefused() throws {
        var signer = try Self.signer()
        _ = try signer.sign(Self.vote(.precommit, 2, 1, nil))
        let earlierHeight = Self.refusal(&signer, Self.vote(.prevote, 1, 5, nil))
        #expect(earlierHeight?.code == "signer.regression")
        let earlierRound = Self.refusal(&signer, Self.vote(.prevote, 2, 0, nil))
        #expect(earlierRound?.code == "signer.regression")
        let earlierStep = Self.refusal(&signer, Self.vote(.prevote, 2, 1, nil))
        #expect(earlierStep?.code == "signer.regression")
        #expect(throws: Never.self) { _ = try signer.sign(Self.vote(.prevote, 2, 2, nil)) }
    }

    @Test func aLockNeedsAProofOfLockAtOrAfterItToBeLeft() throws {
        var signer = try Self.signer()
        _ = try signer.sign(Self.vote(.precommit, 1, 1, Self.hashA))
        #expect(signer.state.lockedRound == Round(1) && signer.state.lockedBlockHash == Self.hashA)
        let unjustified = Self.refusal(&signer, Self.vote(.prevote, 1, 2, Self.hashB))
        #expect(unjustified == .lockViolation(lockedRound: Round(1)))
        let stale = Self.refusal { () throws(SignerError) in
            _ = try signer.sign(Self.vote(.prevote, 1, 3, Self.hashB), polRound: Round(0))
        }
        #expect(stale == .lockViolation(lockedRound: Round(1)))
        #expect(throws: Never.self) { _ = try signer.sign(Self.vote(.prevote, 1, 4, Self.hashA)) }
        #expect(throws: Never.self) { _ = try signer.sign(Self.vote(.prevote, 1, 5, Self.hashB), polRound: Round(4)) }
        // A new height starts unlocked.
        #expect(throws: Never.self) { _ = try signer.sign(Self.vote(.prevote, 2, 0, Self.hashB)) }
        #expect(signer.state.lockedRound == nil)
    }

    @Test func aFailingStoreMeansNoSignature() throws {
        var signer = try Self.signer(InMemorySignerStateStore(failSaves: true))
        let before = signer.state
        let refusal = Self.refusal(&signer, Self.vote(.prevote, 1, 0, Self.hashA))
        #expect(refusal?.code == "signer.storage")
        #expect(signer.state == before)
        #expect(signer.store.record == nil)
    }

    @Test func restartRestoresTheLastSignedState() throws {
        var signer = try Self.signer()
        let prevote = try signer.sign(Self.vote(.prevote, 3, 2, Self.hashA))
        _ = try signer.sign(Self.vote(.precommit, 3, 2, Self.hashA))
        var restarted = try Self.signer(signer.store)
        #expect(restarted.state == signer.state)
        #expect(try restarted.sign(Self.vote(.prevote, 3, 2, Self.hashA)) == prevote)
        let conflict = Self.refusal(&restarted, Self.vote(.precommit, 3, 2, nil))
        #expect(conflict?.code == "signer.conflict")
        let locked = Self.refusal(&restarted, Self.vote(.prevote, 3, 3, Self.hashB))
        #expect(locked?.code == "signer.lock_violation")
    }

    @Test func aCorruptRecordIsReportedNotIgnored() {
        let refusal = Self.refusal { () throws(SignerError) in
            _ = try Self.signer(InMemorySignerStateStore(record: [9, 9, 9]))
        }
        #expect(refusal?.code == "signer.corrupt_record")
    }
}
