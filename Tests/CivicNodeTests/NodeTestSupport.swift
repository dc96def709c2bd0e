import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Logging
import Synchronization
import Testing

/// A node clock the test moves by hand, so expiry is deterministic.
final class SteppedClock: NodeClock {
    private let milliseconds: Mutex<UInt64>

    init(_ start: Timestamp) { milliseconds = Mutex(start.milliseconds) }

    func now() -> Timestamp { Timestamp(milliseconds: milliseconds.withLock { $0 }) }

    func advance(byMilliseconds step: UInt64) { milliseconds.withLock { $0 += step } }
}

/// A chain with one validator and identities of several roles, in one suite.
struct Fixture {
    /// Wall-clock time of the tests' world (genesis is one minute earlier).
    static let start = Timestamp(milliseconds: 1_750_000_000_000)

    let suite: CryptoSuite
    let validatorKey: PrivateKey
    let adminKey: PrivateKey
    let memberKey: PrivateKey
    let clientKey: PrivateKey
    let auditorKey: PrivateKey
    /// A key of the chain's suite that genesis does not register.
    let outsiderKey: PrivateKey
    let genesis: Genesis
    let clock: SteppedClock

    init(suite: CryptoSuite, chainID: String = "civic-test", blockIntervalMilliseconds: UInt32 = 10) {
        self.suite = suite
        validatorKey = PrivateKey.generate(suite: suite)
        adminKey = PrivateKey.generate(suite: suite)
        memberKey = PrivateKey.generate(suite: suite)
        clientKey = PrivateKey.generate(suite: suite)
        auditorKey = PrivateKey.generate(suite: suite)
        outsiderKey = PrivateKey.generate(suite: suite)
        genesis = Fixture.genesis(chainID: chainID, suite: suite, validatorKey: validatorKey, identities: [
            GenesisIdentity(name: "admin", organization: "city-hall", role: .admin, publicKey: adminKey.publicKey),
            GenesisIdentity(name: "clerk", organization: "civil-affairs", role: .member, publicKey: memberKey.publicKey),
            GenesisIdentity(name: "portal", organization: "citizen-portal", role: .client, publicKey: clientKey.publicKey),
            GenesisIdentity(name: "auditor", organization: "audit-office", role: .auditor, publicKey: auditorKey.publicKey),
        ], blockIntervalMilliseconds: blockIntervalMilliseconds)
        clock = SteppedClock(Fixture.start)
    }

    static func genesis(chainID: String, suite: CryptoSuite, validatorKey: PrivateKey, identities: [GenesisIdentity],
                        blockIntervalMilliseconds: UInt32 = 10) -> Genesis {
        Genesis(chainID: chainID, suite: suite, time: Timestamp(milliseconds: start.milliseconds - 60_000),
                validators: ValidatorSet([Validator(name: "validator-1", organization: "city-it", publicKey: validatorKey.publicKey,
                                                    power: 1)]),
                identities: identities,
                parameters: ChainParameters(blockTransactionsMax: 100, blockIntervalMilliseconds: blockIntervalMilliseconds))
    }

    func makeNode(store: any LedgerStore = MemoryLedgerStore(), mempoolCapacity: Int = 1_000) throws -> Node {
        try Node(configuration: .init(genesis: genesis, validatorKey: validatorKey, mempoolCapacity: mempoolCapacity,
                                      clock: clock),
                 store: store, logger: Logger(label: "civic.test"))
    }

    /// Signs `call` with `key`, for `chainID` (the fixture's by default), expiring at `expiresAt`
    /// (ten minutes after the clock by default).
    func sign(_ call: ContractCall, by key: PrivateKey, nonce: UInt64 = UInt64.random(in: .min ... .max),
              expiresAt: Timestamp? = nil, chainID: String? = nil) throws -> Transaction {
        let body = TransactionBody(chainID: chainID ?? genesis.chainID, signer: key.publicKey, nonce: nonce,
                                   expiresAt: expiresAt ?? Timestamp(milliseconds: clock.now().milliseconds + 600_000),
                                   call: call)
        return try Transaction(signing: body, with: key)
    }

    /// A signed evidence put of a fresh random fingerprint.
    func evidence(by key: PrivateKey, fingerprint: Hash256 = Fixture.randomHash(), label: String = "case-1") throws -> Transaction {
        try sign(TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: suite == .sm ? .sm3 : .sha256, label: label),
                 by: key)
    }

    static func randomHash() -> Hash256 {
        Hash256(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) })
    }

    /// The suite that is not this fixture's.
    var otherSuite: CryptoSuite { suite == .sm ? .intl : .sm }
}

/// Everything a refused transaction must leave untouched.
struct LedgerFingerprint: Equatable {
    var latestHeight: Height?
    var headHash: Hash256
    var stateRoot: Hash256
    var pendingCount: Int
    var state: [StoreStateEntry]

    init(node: Node, store: any LedgerStore) throws {
        latestHeight = try store.latestHeight()
        headHash = node.snapshot.headHash
        stateRoot = node.snapshot.head.stateRoot
        pendingCount = node.pendingCount
        state = try store.stateEntries(after: nil, limit: 100_000)
    }
}

/// Submits `bytes`, expects a refusal with `code`, and checks that the ledger, the state, the
/// mempool and the receipts did not change.
@discardableResult
func expectRefusal(_ node: Node, store: any LedgerStore, _ bytes: [UInt8], code: String,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> SubmissionError? {
    let before = try LedgerFingerprint(node: node, store: store)
    let hash = (try? Transaction(canonicalBytes: bytes))?.hash(suite: node.genesis.suite)
    let committedBefore = try hash.flatMap { try node.reader.location(of: $0) }
    var refusal: SubmissionError?
    do {
        let admitted = try node.submit(bytes)
        Issue.record("expected \(code), but the transaction was admitted as \(admitted.hex)", sourceLocation: sourceLocation)
    } catch {
        refusal = error
        #expect(error.code == code, "refused with \(error.code): \(error.description)", sourceLocation: sourceLocation)
        #expect(!error.description.isEmpty, sourceLocation: sourceLocation)
    }
    #expect(try LedgerFingerprint(node: node, store: store) == before, "a refusal changed the node", sourceLocation: sourceLocation)
    if let hash {
        #expect(try node.reader.location(of: hash) == committedBefore, "a refused transaction has a receipt",
                sourceLocation: sourceLocation)
    }
    // Nothing was queued behind our back: with an empty mempool, producing a block does nothing.
    if before.pendingCount == 0 {
        try node.produceBlock()
        #expect(try store.latestHeight() == before.latestHeight, "a refused transaction was committed",
                sourceLocation: sourceLocation)
    }
    return refusal
}

/// Submits each transaction and commits them all in one block.
@discardableResult
func commit(_ transactions: [Transaction], on node: Node) throws -> [Receipt] {
    let hashes = try transactions.map { try node.submit($0.canonicalBytes) }
    try node.produceBlock()
    return try hashes.map { hash in
        let location = try #require(try node.reader.location(of: hash))
        return try node.reader.receipts(at: location.height)[Int(location.index)]
    }
}
