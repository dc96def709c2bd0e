import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Testing

/// The node-to-node messages: every case round-trips, and bad bytes are refused by the decoder.
@Suite struct NodeMessageTests {
    static func header(transactions: UInt32) -> BlockHeader {
        let hash = Hash256(bytes: Array(repeating: 7, count: 32))
        return BlockHeader(chainID: "civic-test", height: Height(3), time: Timestamp(milliseconds: 1_750_000_000_000),
                           previousHash: hash, proposer: 1, transactionCount: transactions, transactionsRoot: hash,
                           receiptsRoot: hash, stateRoot: hash, validatorsHash: hash)
    }

    static func messages() throws -> [NodeMessage] {
        let key = PrivateKey.generate(suite: .intl)
        let hashes = (0..<3).map { Hash256(bytes: Array(repeating: UInt8($0), count: 32)) }
        let proposal = Proposal(height: Height(3), round: Round(1), polRound: Round(0), blockHash: hashes[0], proposerIndex: 1)
        let signedProposal = SignedProposal(proposal: proposal, signature: try key.signature(for: proposal.signBytes(chainID: "civic-test")))
        let vote = Vote(kind: .precommit, height: Height(3), round: Round(1), blockHash: hashes[1])
        let signedVote = SignedVote(vote: vote, validatorIndex: 2, signature: try key.signature(for: vote.signBytes(chainID: "civic-test")))
        let outline = BlockOutline(header: header(transactions: 3), transactionHashes: hashes)
        return [
            .proposal(signedProposal, outline, transactions: nil),
            .proposal(signedProposal, outline, transactions: [[1, 2, 3], [4], [5, 6]]),
            .vote(signedVote),
            .blocks([CertifiedBlockBytes(block: [9, 9], certificate: [8])]),
            .transactions([[1], [2, 3]]),
            .missingTransactions([[4, 5]]),
            .getTransactions(hashes),
            .status(committed: Height(42)),
            .getBlocks(from: Height(7)),
        ]
    }

    @Test func everyMessageRoundTrips() throws {
        for message in try Self.messages() {
            #expect(try NodeMessage(canonicalBytes: message.canonicalBytes) == message)
        }
    }

    @Test func truncatedUnknownAndInconsistentBytesAreRefused() throws {
        for message in try Self.messages() {
            let bytes = message.canonicalBytes
            #expect(throws: CodecError.self) { try NodeMessage(canonicalBytes: Array(bytes.dropLast())) }
            #expect(throws: CodecError.self) { try NodeMessage(canonicalBytes: bytes + [0]) }
        }
        #expect(throws: CodecError.self) { try NodeMessage(canonicalBytes: [99]) }
        // An outline whose hash count differs from its header's.
        let outline = BlockOutline(header: Self.header(transactions: 2), transactionHashes: [Hash256(bytes: Array(repeating: 1, count: 32))])
        #expect(throws: CodecError.self) { try BlockOutline(canonicalBytes: outline.canonicalBytes) }
        // A gossip message with more transactions than allowed is refused before they are read.
        var encoder = CanonicalEncoder()
        encoder.encode(UInt8(4))
        encoder.encodeVarint(UInt64(NodeMessage.transactionsPerMessageMax + 1))
        #expect(throws: CodecError.self) { try NodeMessage(canonicalBytes: encoder.bytes) }
    }

    @Test func reapStopsAtTheByteBudgetAndLeavesEntriesInPlace() throws {
        let key = PrivateKey.generate(suite: .intl)
        var mempool = Mempool(capacity: 10)
        var hashes: [Hash256] = []
        for number in 0..<5 {
            let body = TransactionBody(chainID: "civic-test", signer: key.publicKey, nonce: UInt64(number),
                                       expiresAt: Timestamp(milliseconds: 2_000_000_000_000),
                                       call: ContractCall(contract: "kv", method: "put", arguments: [UInt8(number)]))
            let transaction = try Transaction(signing: body, with: key)
            let hash = transaction.hash(suite: .intl)
            hashes.append(hash)
            try mempool.insert(.init(transaction: transaction, hash: hash, encoded: transaction.canonicalBytes))
        }
        let size = try #require(mempool.entry(hashes[0])).encoded.count
        #expect(mempool.reap(upTo: 10, bytes: size * 2 + size / 2).map(\.hash) == Array(hashes[0..<2]))
        #expect(mempool.count == 5)
        mempool.remove([hashes[0], hashes[2]])
        #expect(mempool.reap(upTo: 10).map(\.hash) == [hashes[1], hashes[3], hashes[4]])
        #expect(mempool.entry(hashes[2]) == nil && mempool.contains(hashes[3]))
        #expect(throws: SubmissionError.duplicate) {
            try mempool.insert(.init(transaction: try #require(mempool.entry(hashes[1])).transaction, hash: hashes[1], encoded: []))
        }
    }
}
