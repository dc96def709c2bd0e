import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Synchronization
import Testing

/// Blocks, receipts, proofs and waiters on the happy path.
@Suite("Node block production")
struct NodeProductionTests {
    static let suites: [CryptoSuite] = [.sm, .intl]

    @Test("Register an identity, then it writes evidence and key-value data", arguments: suites)
    func happyPath(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store)
        let genesisRoot = node.snapshot.head.stateRoot
        #expect(try store.latestHeight() == .genesis)

        let newKey = PrivateKey.generate(suite: suite)
        let address = Address(publicKey: newKey.publicKey)
        let register = try fixture.sign(TransactionBuilder.registerIdentity(newKey.publicKey, name: "registrar",
                                                                            organization: "civil-affairs", role: .member),
                                        by: fixture.adminKey)
        // Before it is registered, the new key is refused.
        try expectRefusal(node, store: store, try fixture.evidence(by: newKey).canonicalBytes, code: "identity.unknown_caller")
        let first = try commit([register], on: node)
        #expect(first.map(\.status) == [.success])
        #expect(first[0].returnData == address.bytes)
        #expect(first[0].events.map(\.name) == ["identity.registered"])
        #expect(node.snapshot.head.height == Height(1))
        #expect(node.snapshot.head.stateRoot != genesisRoot)

        let fingerprint = Fixture.randomHash()
        let algorithm: FingerprintAlgorithm = suite == .sm ? .sm3 : .sha256
        let evidence = try fixture.sign(TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: algorithm,
                                                                       label: "deed-42"), by: newKey)
        let kv = try fixture.sign(TransactionBuilder.keyValuePut(key: Array("permit".utf8), value: [1, 2, 3]), by: newKey)
        let second = try commit([evidence, kv], on: node)
        #expect(second.map(\.status) == [.success, .success])
        #expect(second.map(\.transactionHash) == [evidence.hash(suite: suite), kv.hash(suite: suite)])
        #expect(node.pendingCount == 0)

        let head = node.snapshot
        #expect(head.head.height == Height(2))
        #expect(head.head.transactionCount == 2)
        #expect(try store.latestHeight() == Height(2))
        let (block, certificate) = try node.reader.block(at: Height(2))
        #expect(block.transactions == [evidence, kv])
        #expect(certificate?.blockHash == head.headHash)
        #expect(try node.reader.block(hash: head.headHash).block == block)
        #expect(try node.reader.location(of: kv.hash(suite: suite)) == TransactionLocation(height: Height(2), index: 1))

        let recordKey = EvidenceRecord.stateKey(algorithm: algorithm, fingerprint: fingerprint)
        let recordBytes = try #require(try node.reader.stateProof(key: recordKey, snapshot: head).value)
        let record = try EvidenceRecord(canonicalBytes: recordBytes)
        #expect(record.submitter == address)
        #expect(record.organization == "civil-affairs")
        #expect(record.label == "deed-42")
        #expect(record.height == Height(2))
        #expect(record.transactionHash == evidence.hash(suite: suite))
        let kvKey = KeyValueContract.stateKey(owner: address, key: Array("permit".utf8))
        #expect(try node.reader.stateProof(key: kvKey, snapshot: head).value == [1, 2, 3])
        let identity = try Identity(canonicalBytes: try #require(try store.stateValue(forKey: Identity.stateKey(address))))
        #expect(identity.role == .member && identity.active && identity.registeredAt == Height(1))
    }

    @Test("A call that fails at execution is committed with a failed receipt", arguments: suites)
    func failedReceipt(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let node = try fixture.makeNode()
        let fingerprint = Fixture.randomHash()
        // Both pass admission (nothing is committed yet); the second fails when executed after the first.
        let receipts = try commit([try fixture.evidence(by: fixture.memberKey, fingerprint: fingerprint),
                                   try fixture.evidence(by: fixture.clientKey, fingerprint: fingerprint)], on: node)
        #expect(receipts[0].status == .success)
        guard case .failure(let code, _) = receipts[1].status else {
            Issue.record("the second put should fail, got \(receipts[1].status)")
            return
        }
        #expect(code == "evidence.duplicate")
        #expect(receipts[1].events.isEmpty)
    }

    @Test("A transaction proof verifies offline, and any flipped byte breaks it", arguments: suites)
    func transactionProof(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let node = try fixture.makeNode()
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        let transactions = try (0..<3).map { _ in try fixture.evidence(by: fixture.clientKey) }
        try commit(transactions, on: node)
        let hash = transactions[1].hash(suite: suite)

        let proof = try node.reader.transactionProof(hash)
        #expect(proof.transactionPath.leafIndex == 1)
        let bytes = ProofFile.transaction(proof).canonicalBytes
        let report = try OfflineVerifier.verify(bytes, genesis: fixture.genesis)
        #expect(report.kind == "transaction")
        #expect(report.height == 2)
        #expect(report.facts["transaction_hash"] == hash.hex)
        #expect(report.facts["status"] == "success")
        #expect(report.signedBy == ["validator-1"])

        var accepted: [Int] = []
        for index in bytes.indices {
            var tampered = bytes
            tampered[index] ^= 0x01
            if (try? OfflineVerifier.verify(tampered, genesis: fixture.genesis)) != nil { accepted.append(index) }
        }
        #expect(accepted.isEmpty, "flipping these bytes still verifies: \(accepted)")
        #expect(throws: ProofError.self) { try OfflineVerifier.verify(Array(bytes.dropLast()), genesis: fixture.genesis) }
        #expect(throws: ProofError.self) { try OfflineVerifier.verify(bytes + [0], genesis: fixture.genesis) }

        // Another chain's genesis (same chain id, another validator) does not accept it.
        let impostor = Fixture(suite: suite)
        #expect(throws: ProofError.self) { try OfflineVerifier.verify(bytes, genesis: impostor.genesis) }
        #expect(throws: QueryError.self) { try node.reader.transactionProof(Fixture.randomHash()) }
    }

    @Test("State proofs for present and absent keys verify and fail when tampered", arguments: suites)
    func stateProofs(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let node = try fixture.makeNode()
        // Before any certified block there is nothing to prove against.
        #expect(throws: QueryError.noCertifiedBlock) {
            try node.reader.stateProof(key: Array("kv/x".utf8), snapshot: node.snapshot)
        }
        let owner = Address(publicKey: fixture.memberKey.publicKey)
        try commit([try fixture.sign(TransactionBuilder.keyValuePut(key: [7], value: [42]), by: fixture.memberKey)], on: node)
        let snapshot = node.snapshot

        let presentKey = KeyValueContract.stateKey(owner: owner, key: [7])
        let present = try node.reader.stateProof(key: presentKey, snapshot: snapshot)
        #expect(present.value == [42])
        let presentBytes = ProofFile.state(present).canonicalBytes
        let report = try OfflineVerifier.verify(presentBytes, genesis: fixture.genesis)
        #expect(report.facts["present"] == "true")
        var accepted: [Int] = []
        for index in presentBytes.indices {
            var tampered = presentBytes
            tampered[index] ^= 0x01
            if (try? OfflineVerifier.verify(tampered, genesis: fixture.genesis)) != nil { accepted.append(index) }
        }
        #expect(accepted.isEmpty, "flipping these bytes still verifies: \(accepted)")

        // Claiming another value, or absence, for the present key fails.
        var otherValue = present
        otherValue.value = [43]
        #expect(throws: ProofError.stateMismatch) { try otherValue.verify(genesis: fixture.genesis) }
        var claimedAbsent = present
        claimedAbsent.value = nil
        #expect(throws: ProofError.stateMismatch) { try claimedAbsent.verify(genesis: fixture.genesis) }

        let absentKey = KeyValueContract.stateKey(owner: owner, key: [8])
        let absent = try node.reader.stateProof(key: absentKey, snapshot: snapshot)
        #expect(absent.value == nil)
        let absentReport = try OfflineVerifier.verify(ProofFile.state(absent).canonicalBytes, genesis: fixture.genesis)
        #expect(absentReport.facts["present"] == "false")
        var claimedPresent = absent
        claimedPresent.value = [42]
        #expect(throws: ProofError.stateMismatch) { try claimedPresent.verify(genesis: fixture.genesis) }
        var absentForPresent = absent
        absentForPresent.key = presentKey
        #expect(throws: ProofError.stateMismatch) { try absentForPresent.verify(genesis: fixture.genesis) }
        if !absent.proof.siblings.isEmpty {
            var badSibling = absent
            var first = badSibling.proof.siblings[0].bytes
            first[0] ^= 0x01
            badSibling.proof.siblings[0] = Hash256(bytes: first)
            #expect(throws: ProofError.stateMismatch) { try badSibling.verify(genesis: fixture.genesis) }
        }
        var otherRoot = absent
        var rootBytes = otherRoot.anchor.header.stateRoot.bytes
        rootBytes[31] ^= 0x01
        otherRoot.anchor.header.stateRoot = Hash256(bytes: rootBytes)
        #expect(throws: ProofError.self) { try otherRoot.verify(genesis: fixture.genesis) }
        // Too long a key is refused as invalid.
        #expect(throws: QueryError.self) {
            try node.reader.stateProof(key: [UInt8](repeating: 1, count: Limits.stateKeyBytesMax + 1), snapshot: snapshot)
        }
    }

    @Test("submitAndWait returns the committed receipt while run() produces blocks", arguments: suites)
    func waitersResumeOnCommit(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let node = try fixture.makeNode()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.run() }
            let transactions = try (0..<5).map { _ in try fixture.evidence(by: fixture.memberKey) }
            try await withThrowingTaskGroup(of: (Transaction, Hash256, CommitOutcome).self) { waiters in
                for transaction in transactions {
                    waiters.addTask {
                        let (hash, outcome) = try await node.submitAndWait(transaction.canonicalBytes, timeout: .seconds(20))
                        return (transaction, hash, outcome)
                    }
                }
                for try await (transaction, hash, outcome) in waiters {
                    #expect(hash == transaction.hash(suite: suite))
                    guard case .committed(let height, let index, let receipt) = outcome else {
                        Issue.record("expected a commit, got \(outcome)")
                        continue
                    }
                    #expect(receipt.transactionHash == hash && receipt.status == .success)
                    #expect(try node.reader.location(of: hash) == TransactionLocation(height: height, index: index))
                }
            }
            // Waiting for an already committed transaction answers at once.
            let committed = transactions[0].hash(suite: suite)
            guard case .committed = await node.waitForCommit(committed, timeout: .seconds(5)) else {
                Issue.record("an already committed transaction should report its commit")
                return
            }
            // Waiting for an unknown transaction answers timedOut at once.
            #expect(await node.waitForCommit(Fixture.randomHash(), timeout: .seconds(5)) == .timedOut)
            group.cancelAll()
        }
        #expect(node.pendingCount == 0)
        #expect(node.snapshot.head.height >= Height(1))
    }

    @Test("A transaction that expires in the mempool is dropped with .dropped(.expired)", arguments: suites)
    func expiredInMempool(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store)
        let now = fixture.clock.now().milliseconds
        let transaction = try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [2]), by: fixture.memberKey,
                                           expiresAt: Timestamp(milliseconds: now + 1_000))
        let hash = try node.submit(transaction.canonicalBytes)
        let before = node.snapshot.head.stateRoot
        async let outcome = node.waitForCommit(hash, timeout: .seconds(20))
        // Wait until the waiter is registered, so the drop cannot overtake it.
        while node.shared.withLock({ $0.waiters[hash] == nil }) { await Task.yield() }
        fixture.clock.advance(byMilliseconds: 1_000)
        try node.produceBlock()
        #expect(await outcome == .dropped(.expired))
        #expect(node.pendingCount == 0)
        #expect(try store.latestHeight() == .genesis)
        #expect(node.snapshot.head.stateRoot == before)
        #expect(try node.reader.location(of: hash) == nil)
        try expectRefusal(node, store: store, transaction.canonicalBytes, code: "transaction.expired")
    }

    @Test("Many concurrent submitters, some sending the same transaction twice, while run() produces blocks")
    func concurrentSubmitters() async throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let transactions = try (0..<120).map { _ in try fixture.evidence(by: fixture.clientKey) }
        let outcomes = await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.run() }
            let outcomes = await withTaskGroup(of: (Int, Result<CommitOutcome, SubmissionError>).self) { submitters in
                // Each transaction is sent by two submitters at once: exactly one is admitted.
                for (index, transaction) in (transactions + transactions).enumerated() {
                    submitters.addTask {
                        do {
                            let (_, outcome) = try await node.submitAndWait(transaction.canonicalBytes, timeout: .seconds(30))
                            return (index % transactions.count, .success(outcome))
                        } catch let error as SubmissionError {
                            return (index % transactions.count, .failure(error))
                        } catch {
                            Issue.record("untyped error \(error)")
                            return (index % transactions.count, .success(.timedOut))
                        }
                    }
                }
                var all: [Int: [Result<CommitOutcome, SubmissionError>]] = [:]
                for await (index, result) in submitters { all[index, default: []].append(result) }
                return all
            }
            group.cancelAll()
            return outcomes
        }
        #expect(outcomes.count == transactions.count)
        for (index, results) in outcomes {
            let committed = results.filter { if case .success(.committed) = $0 { true } else { false } }
            #expect(committed.count == 1, "transaction \(index): \(results)")
            for result in results {
                if case .failure(let error) = result {
                    #expect(error == .duplicate || (error.code == "transaction.replay"), "\(error)")
                }
            }
        }
        #expect(node.pendingCount == 0)
        var total = 0
        for height in 1...node.snapshot.head.height.rawValue {
            total += try node.reader.block(at: Height(height)).block.transactions.count
        }
        #expect(total == transactions.count)
    }

    @Test("stop() releases waiters with .dropped(.shuttingDown) and ends run()")
    func stopReleasesWaiters() async throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let hash = try node.submit(try fixture.evidence(by: fixture.memberKey).canonicalBytes)
        async let outcome = node.waitForCommit(hash, timeout: .seconds(20))
        while node.shared.withLock({ $0.waiters[hash] == nil }) { await Task.yield() }
        node.stop()
        #expect(await outcome == .dropped(.shuttingDown))
        // run() returns at once on a stopped node, and produced nothing.
        try await node.run()
        #expect(node.snapshot.head.height == .genesis)
        try node.produceBlock()
        #expect(node.snapshot.head.height == .genesis)
        #expect(try node.reader.location(of: hash) == nil)
    }

    @Test("A wait that times out answers .timedOut and the transaction stays pending")
    func waitTimesOut() async throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        let (hash, outcome) = try await node.submitAndWait(bytes, timeout: .milliseconds(20))
        #expect(outcome == .timedOut)
        #expect(node.pendingCount == 1)
        #expect(node.shared.withLock { $0.waiters[hash] == nil })
        try node.produceBlock()
        guard case .committed(let height, _, _) = await node.waitForCommit(hash, timeout: .seconds(5)) else {
            Issue.record("the transaction should be committed by the next block")
            return
        }
        #expect(height == Height(1))
    }

    @Test("A key-value delete removes the value; the state proof then shows it absent", arguments: suites)
    func keyValueDelete(suite: CryptoSuite) throws {
        let fixture = Fixture(suite: suite)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store)
        let key = KeyValueContract.stateKey(owner: Address(publicKey: fixture.memberKey.publicKey), key: [5])
        let delete = ContractCall(contract: "kv", method: "delete", arguments: KeyValueContract.Put(key: [5], value: []))
        // Nothing to delete yet: refused by the dry run.
        try expectRefusal(node, store: store, try fixture.sign(delete, by: fixture.memberKey).canonicalBytes, code: "kv.not_found")
        try commit([try fixture.sign(TransactionBuilder.keyValuePut(key: [5], value: [6]), by: fixture.memberKey)], on: node)
        #expect(try store.stateValue(forKey: key) == [6])
        let receipts = try commit([try fixture.sign(delete, by: fixture.memberKey)], on: node)
        #expect(receipts.map(\.status) == [.success])
        #expect(try store.stateValue(forKey: key) == nil)
        let proof = try node.reader.stateProof(key: key, snapshot: node.snapshot)
        #expect(proof.value == nil)
        #expect(try OfflineVerifier.verify(ProofFile.state(proof).canonicalBytes, genesis: fixture.genesis).facts["present"] == "false")
    }

    @Test("A block holds at most the genesis block size; the rest waits for the next block")
    func blockSizeLimit() throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let limit = Int(fixture.genesis.parameters.blockTransactionsMax)
        for _ in 0..<(limit + 7) { try node.submit(try fixture.evidence(by: fixture.memberKey).canonicalBytes) }
        try node.produceBlock()
        #expect(node.snapshot.head.transactionCount == UInt32(limit))
        #expect(node.pendingCount == 7)
        try node.produceBlock()
        #expect(node.snapshot.head.height == Height(2))
        #expect(node.snapshot.head.transactionCount == 7)
        #expect(node.pendingCount == 0)
    }

    @Test("Expired and live transactions in one batch: only the live one is committed")
    func mixedExpiry() throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let now = fixture.clock.now().milliseconds
        let short = try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [1]), by: fixture.memberKey,
                                     expiresAt: Timestamp(milliseconds: now + 500))
        let long = try fixture.evidence(by: fixture.memberKey)
        try node.submit(short.canonicalBytes)
        try node.submit(long.canonicalBytes)
        fixture.clock.advance(byMilliseconds: 500)
        try node.produceBlock()
        #expect(node.pendingCount == 0)
        #expect(try node.reader.block(at: Height(1)).block.transactions == [long])
        #expect(try node.reader.location(of: short.hash(suite: .intl)) == nil)
    }

    @Test("Block time never goes backwards even if the clock does")
    func blockTimeMonotonic() throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        let first = node.snapshot.head.time
        #expect(first == fixture.clock.now())
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        #expect(node.snapshot.head.time >= first)
        #expect(node.snapshot.head.previousHash == (try node.reader.block(at: Height(1)).block.header.hash(suite: .intl)))
    }
}
