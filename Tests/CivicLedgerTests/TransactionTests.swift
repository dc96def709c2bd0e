import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// Signing, verifying and hashing transactions in both suites.
@Suite struct TransactionTests {
    static func body(_ suite: CryptoSuite, chainID: String = LedgerFixtures.chainID, nonce: UInt64 = 7) -> TransactionBody {
        TransactionBody(chainID: chainID, signer: LedgerFixtures.adminKey(suite).publicKey, nonce: nonce,
                        expiresAt: Timestamp(milliseconds: 5_000),
                        call: ContractCall(contract: "kv", method: "put", arguments: [1, 2, 3]))
    }

    @Test(arguments: CryptoSuite.allCases)
    func signedTransactionVerifies(suite: CryptoSuite) throws {
        let transaction = try Transaction(signing: Self.body(suite), with: LedgerFixtures.adminKey(suite))
        #expect(transaction.hasValidSignature)
        // Signed by a key other than the body's signer.
        let forged = try Transaction(signing: Self.body(suite), with: LedgerFixtures.memberKey(suite))
        #expect(!forged.hasValidSignature)
    }

    @Test(arguments: CryptoSuite.allCases)
    func anyChangeToTheBodyBreaksTheSignature(suite: CryptoSuite) throws {
        let transaction = try Transaction(signing: Self.body(suite), with: LedgerFixtures.adminKey(suite))
        var changes: [TransactionBody] = []
        var body = transaction.body
        body.nonce += 1; changes.append(body)
        body = transaction.body; body.chainID = "other-chain"; changes.append(body)
        body = transaction.body; body.expiresAt = Timestamp(milliseconds: 5_001); changes.append(body)
        body = transaction.body; body.call.arguments = [1, 2, 4]; changes.append(body)
        body = transaction.body; body.call.method = "delete"; changes.append(body)
        for changed in changes {
            #expect(!Transaction(body: changed, signature: transaction.signature).hasValidSignature)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func signatureForAnotherChainDoesNotVerify(suite: CryptoSuite) throws {
        let key = LedgerFixtures.adminKey(suite)
        let other = try Transaction(signing: Self.body(suite, chainID: "other-chain"), with: key)
        let moved = Transaction(body: Self.body(suite), signature: other.signature)
        #expect(!moved.hasValidSignature)
    }

    @Test(arguments: CryptoSuite.allCases)
    func signatureWithoutTheDomainTagDoesNotVerify(suite: CryptoSuite) throws {
        let key = LedgerFixtures.adminKey(suite)
        let body = Self.body(suite)
        #expect(Transaction.signBytes(of: body) == Transaction.domain + body.canonicalBytes)
        #expect(Transaction.domain == Array("CivicLedger/tx/v1".utf8))
        let bare = try key.signature(for: body.canonicalBytes)
        #expect(!Transaction(body: body, signature: bare).hasValidSignature)
        // A vote signature by the same key is not a transaction signature either.
        let voteBytes = Vote(kind: .precommit, height: Height(1), round: Round(0), blockHash: nil)
            .signBytes(chainID: LedgerFixtures.chainID)
        #expect(!Transaction(body: body, signature: try key.signature(for: voteBytes)).hasValidSignature)
    }

    @Test(arguments: CryptoSuite.allCases)
    func hashCoversTheBodyButNotTheSignature(suite: CryptoSuite) throws {
        let key = LedgerFixtures.adminKey(suite)
        let first = try Transaction(signing: Self.body(suite), with: key)
        let second = try Transaction(signing: Self.body(suite), with: key)
        let junk = Transaction(body: first.body, signature: try Signature(rawRepresentation: [UInt8](repeating: 9, count: 64)))
        #expect(first.hash(suite: suite) == second.hash(suite: suite))
        #expect(first.hash(suite: suite) == junk.hash(suite: suite))
        #expect(first.hash(suite: suite) == suite.hash(Transaction.domain + first.body.canonicalBytes))
        let other = try Transaction(signing: Self.body(suite, nonce: 8), with: key)
        #expect(other.hash(suite: suite) != first.hash(suite: suite))
        let otherSuite: CryptoSuite = suite == .sm ? .intl : .sm
        #expect(first.hash(suite: otherSuite) != first.hash(suite: suite))
    }

    @Test(arguments: CryptoSuite.allCases)
    func transactionRoundTripsAndRefusesOtherVersions(suite: CryptoSuite) throws {
        let transaction = try Transaction(signing: Self.body(suite), with: LedgerFixtures.adminKey(suite))
        let bytes = transaction.canonicalBytes
        let decoded = try Transaction(canonicalBytes: bytes)
        #expect(decoded == transaction)
        #expect(decoded.hasValidSignature)
        var other = bytes
        other[0] = 2
        #expect(throws: CodecError.unsupportedVersion(type: "transaction", version: 2)) { try Transaction(canonicalBytes: other) }
        #expect(throws: CodecError.trailingBytes(count: 1)) { try Transaction(canonicalBytes: bytes + [0]) }
        #expect(throws: CodecError.truncated(field: "signature")) { try Transaction(canonicalBytes: Array(bytes.dropLast())) }
    }

    @Test func unknownSuiteAndInvalidKeyBytesAreRefused() throws {
        let bytes = Self.body(.intl).canonicalBytes
        // Layout: version (1) | chain id (1 + 10) | suite (1) | point (65) | …
        let suiteOffset = 1 + 1 + LedgerFixtures.chainID.utf8.count
        #expect(bytes[suiteOffset] == CryptoSuite.intl.rawValue)
        var unknown = bytes
        unknown[suiteOffset] = 3
        #expect(throws: CodecError.unknownTag(field: "suite", tag: 3)) { try TransactionBody(canonicalBytes: unknown) }
        var offCurve = bytes
        offCurve[suiteOffset + 65] ^= 1  // last byte of y: the point leaves the curve
        let error = #expect(throws: CodecError.self) { try TransactionBody(canonicalBytes: offCurve) }
        #expect(error?.code == "codec.invalid_value")
    }
}
