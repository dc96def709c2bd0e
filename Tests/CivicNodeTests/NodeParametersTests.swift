import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Testing

/// Chain parameters changed by a governance vote govern the next blocks.
@Suite struct NodeParametersTests {
    @Test("A block-size change voted through governance limits the following blocks", arguments: [CryptoSuite.sm, .intl])
    func governedBlockSize(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let node = try fixture.makeNode()
        #expect(node.snapshot.parameters == fixture.genesis.parameters)
        let deadline = Timestamp(milliseconds: fixture.clock.now().milliseconds + 600_000)
        let proposal = try commit([fixture.sign(TransactionBuilder.propose(.setBlockTransactionsMax(2), deadline: deadline),
                                                by: fixture.adminKey)], on: node)[0]
        #expect(proposal.status.isSuccess, "\(proposal.status)")
        let id = try UInt64(canonicalBytes: proposal.returnData)
        // The only organization's admin approves: the policy (majority of one) is met and the change runs.
        let vote = try commit([fixture.sign(TransactionBuilder.vote(proposal: id, approve: true), by: fixture.adminKey)], on: node)[0]
        #expect(vote.status.isSuccess, "\(vote.status)")
        #expect(node.snapshot.parameters.blockTransactionsMax == 2)

        for _ in 0..<5 { try node.submit(try fixture.evidence(by: fixture.memberKey).canonicalBytes) }
        try node.produceBlock()
        #expect(node.snapshot.head.transactionCount == 2)
        #expect(node.pendingCount == 3)
    }
}
