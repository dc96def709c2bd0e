import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Testing

/// `LedgerChain.commit` records a validator-set transition with the block whose writes hold a validator-set entry,
/// and the reader attaches it to the proofs of later blocks.
@Suite("Validator-set transitions recorded at commit")
struct LedgerChainTransitionTests {
    static let suites: [CryptoSuite] = [.sm, .intl]

    @Test("A block that executes a validator change records its transition; later proofs carry it", arguments: suites)
    func commitRecordsTheTransition(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store)
        let name = LedgerReader.transitionMetadataName(index: 1)
        let deadline = Timestamp(milliseconds: fixture.clock.now().milliseconds + 3_600_000)
        let added = Validator(name: "validator-2", organization: "city-hall",
                              publicKey: PrivateKey.generate(suite: suite).publicKey, power: 1)
        let propose = try fixture.sign(TransactionBuilder.propose(.addValidator(added), deadline: deadline),
                                       by: fixture.adminKey)
        #expect(try commit([propose], on: node).map(\.status) == [.success])
        #expect(try store.metadata(name) == nil)

        let vote = try fixture.sign(TransactionBuilder.vote(proposal: 1, approve: true), by: fixture.adminKey)
        #expect(try commit([vote], on: node).map(\.status) == [.success])
        let executedAt = node.snapshot.head.height
        let transition = try ValidatorSetTransition(canonicalBytes: try #require(try store.metadata(name)))
        #expect(transition.index == 1)
        #expect(transition.anchor.header == node.snapshot.head)
        #expect(transition.anchor.certificate == node.snapshot.certificate)
        #expect(transition.entry.appliesFrom == Height(executedAt.rawValue + 2))
        #expect(transition.entry.validators.validators.map(\.name) == ["validator-1", "validator-2"])
        #expect(try store.metadata(LedgerReader.transitionMetadataName(index: 2)) == nil)

        // Checked from the genesis file alone.
        let history = try ValidatorSetHistory(genesis: fixture.genesis, transitions: [transition])
        #expect(history.entry(at: transition.entry.appliesFrom).index == 1)
        #expect(try node.reader.validatorSetTransitions(before: executedAt).isEmpty)
        #expect(try node.reader.validatorSetTransitions(before: executedAt.next) == [transition])

        // Block E+1 is still certified by the genesis validator; its proofs carry the transition.
        let evidence = try fixture.evidence(by: fixture.memberKey)
        #expect(try commit([evidence], on: node).map(\.status) == [.success])
        let proof = try node.reader.transactionProof(evidence.hash(suite: suite))
        #expect(proof.transitions == [transition])
        let report = try OfflineVerifier.verify(ProofFile.transaction(proof).canonicalBytes, genesis: fixture.genesis)
        #expect(report.transitionsChecked == 1)
        #expect(report.validatorSetIndex == 0)
        #expect(report.validators == ["validator-1"])
        #expect(report.signedBy == ["validator-1"])

        let entryProof = try node.reader.stateProof(key: ValidatorSetEntry.stateKey(index: 1), snapshot: node.snapshot)
        #expect(entryProof.value == transition.entry.canonicalBytes)
        #expect(entryProof.transitions == [transition])
        try entryProof.verify(genesis: fixture.genesis)
        // The vote's own block is the transition's anchor: its proof needs no transition.
        #expect(try node.reader.transactionProof(vote.hash(suite: suite)).transitions.isEmpty)
    }

    @Test("Blocks without validator-set writes record no transition", arguments: suites)
    func ordinaryBlocksRecordNothing(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store)
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        #expect(try store.metadata(LedgerReader.transitionMetadataName(index: 0)) == nil)
        #expect(try store.metadata(LedgerReader.transitionMetadataName(index: 1)) == nil)
        #expect(try node.reader.validatorSetTransitions(before: Height(100)).isEmpty)
    }

    @Test("The ledger's entry key is the governance contract's")
    func entryKeysAgree() {
        for index: UInt64 in [0, 1, 2, 255, 256, .max] {
            #expect(ValidatorSetEntry.stateKey(index: index)
                    == GovernanceContract.stateKey(GovernanceContract.Key.validatorSet(index)))
        }
    }
}
