import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Logging
import Testing

/// A node that sees a validator equivocate reports it with its own key; the chain records it once.
@Suite struct NodeAccountabilityTests {
    @Test("A reported equivocation is recorded naming the validator; the node reports an offence once",
          arguments: [CryptoSuite.sm, .intl])
    func nodeReportsAnEquivocation(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        // As devnet does: the validator's key is also an identity with role validator.
        let genesis = Fixture.genesis(chainID: "civic-test", suite: suite, validatorKey: fixture.validatorKey, identities: [
            GenesisIdentity(name: "admin", organization: "city-hall", role: .admin, publicKey: fixture.adminKey.publicKey),
            GenesisIdentity(name: "validator-1", organization: "city-it", role: .validator, publicKey: fixture.validatorKey.publicKey),
        ])
        let node = try Node(configuration: .init(genesis: genesis, validatorKey: fixture.validatorKey, mempoolCapacity: 10,
                                                 clock: fixture.clock),
                            store: MemoryLedgerStore(), logger: Logger(label: "civic.test"))
        let votes = try [Fixture.randomHash(), Fixture.randomHash()].map { hash in
            let vote = Vote(kind: .precommit, height: Height(3), round: Round(1), blockHash: hash)
            return SignedVote(vote: vote, validatorIndex: 0,
                              signature: try fixture.validatorKey.signature(for: vote.signBytes(chainID: genesis.chainID)))
        }
        let equivocation = Equivocation(votes[0], votes[1])
        node.report(equivocation)
        node.report(Equivocation(votes[1], votes[0]))
        #expect(node.pendingCount == 1)
        try node.produceBlock()
        let key = AccountabilityContract.stateKey(AccountabilityContract.Key.record(Offence(equivocation)))
        let stored = try #require(try node.reader.stateProof(key: key, snapshot: node.snapshot).value)
        let record = try MisbehaviorRecord(canonicalBytes: stored)
        #expect(record.validatorName == "validator-1" && record.organization == "city-it")
        #expect(record.equivocation == equivocation)
        #expect(record.reporter == Address(publicKey: fixture.validatorKey.publicKey))
        #expect(record.reportedAt == Height(1))
    }
}
