import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

@Suite struct BlockTests {
    @Test(arguments: CryptoSuite.allCases)
    func blockRoundTripsAndHeaderHashUsesItsDomain(suite: CryptoSuite) throws {
        let chain = ChainFixture(suite)
        let block = Block(header: chain.header, transactions: chain.transactions)
        #expect(try Block(canonicalBytes: block.canonicalBytes) == block)
        #expect(chain.header.hash(suite: suite) == suite.hash(Array("CivicLedger/header/v1".utf8) + chain.header.canonicalBytes))
        var changed = chain.header
        changed.proposer = 1
        #expect(changed.hash(suite: suite) != chain.header.hash(suite: suite))
    }

    @Test func transactionCountMustMatchTheHeader() {
        let chain = ChainFixture(.intl)
        let block = Block(header: chain.header, transactions: Array(chain.transactions.prefix(2)))
        #expect(throws: CodecError.invalidValue(field: "block.transactions",
                                                reason: "count differs from the header's transaction count")) {
            try Block(canonicalBytes: block.canonicalBytes)
        }
    }

    @Test func otherHeaderVersionsAreRefused() {
        var bytes = ChainFixture(.sm).header.canonicalBytes
        bytes[0] = 0
        #expect(throws: CodecError.unsupportedVersion(type: "block header", version: 0)) { try BlockHeader(canonicalBytes: bytes) }
    }
}
