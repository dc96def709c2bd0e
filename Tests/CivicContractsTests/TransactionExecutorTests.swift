import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// A contract that writes and then fails, to show that a failed call keeps none of its writes.
struct WriteThenFailContract: SystemContract {
    let name = "faulty"
    let methods = ["write_then_fail"]
    func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        try context.state.put(Array("written".utf8), [1])
        try context.emit("faulty.wrote", [])
        throw ContractFailure(code: "faulty.failed", message: "failed after writing")
    }
}

/// Block execution over the native contracts: ordering, rollback, expiry, determinism.
@Suite struct TransactionExecutorTests {
    static let genesis = ContractFixtures.genesis()
    static var base: DictionaryState { DictionaryState(GenesisState.writes(for: genesis)) }

    static func execute(_ transactions: [Transaction], executor: TransactionExecutor = TransactionExecutor(),
                        block: BlockContext = ContractFixtures.block(),
                        base: DictionaryState = TransactionExecutorTests.base) -> BlockExecution {
        executor.execute(transactions, hashes: transactions.map { $0.hash(suite: block.suite) }, block: block, base: base)
    }

    static func kvPut(_ key: PrivateKey, _ userKey: String, _ value: String, nonce: UInt64 = 0) -> Transaction {
        ContractFixtures.transaction(key, "kv", "put",
                                     KeyValueContract.Put(key: Array(userKey.utf8), value: Array(value.utf8)).canonicalBytes,
                                     nonce: nonce)
    }

    static func codes(_ execution: BlockExecution) -> [String] {
        execution.receipts.map { receipt in
            if case .failure(let code, _) = receipt.status { return code }
            return "ok"
        }
    }

    @Test func receiptsNameTheirTransactionsInBlockOrder() {
        let transactions = [Self.kvPut(ContractFixtures.member(), "a", "1"), Self.kvPut(ContractFixtures.client(), "b", "2")]
        let execution = Self.execute(transactions)
        #expect(execution.receipts.map(\.transactionHash) == transactions.map { $0.hash(suite: .intl) })
        #expect(Self.codes(execution) == ["ok", "ok"])
    }

    @Test func unknownCallerIsRefused() {
        let execution = Self.execute([Self.kvPut(ContractFixtures.stranger(), "a", "1")])
        #expect(Self.codes(execution) == ["identity.unknown_caller"])
        #expect(execution.writes.isEmpty)
        #expect(execution.receipts[0].events.isEmpty)
    }

    @Test func unknownContractAndMethodsAreRefused() {
        let admin = ContractFixtures.admin()
        let execution = Self.execute([
            ContractFixtures.transaction(admin, "bank", "pay", [], nonce: 1),
            ContractFixtures.transaction(admin, "identity", "delete", [], nonce: 2),
            ContractFixtures.transaction(admin, "kv", "get", [], nonce: 3),
            ContractFixtures.transaction(admin, "evidence", "remove", [], nonce: 4),
        ])
        #expect(Self.codes(execution) == ["contract.unknown", "contract.unknown_method", "contract.unknown_method",
                                          "contract.unknown_method"])
        #expect(execution.writes.isEmpty)
    }

    @Test(arguments: [0, 1, 99_999]) // block time equal to or after expiry (expiresAt - time: 0) and before it
    func expiryIsCheckedAgainstBlockTime(offsetBeforeExpiry: UInt64) {
        let transaction = Self.kvPut(ContractFixtures.member(), "a", "1")
        let expiry = transaction.body.expiresAt.milliseconds
        let execution = Self.execute([transaction], block: ContractFixtures.block(time: expiry - offsetBeforeExpiry))
        #expect(Self.codes(execution) == [offsetBeforeExpiry == 0 ? "transaction.expired" : "ok"])
        let late = Self.execute([transaction], block: ContractFixtures.block(time: expiry + 1))
        #expect(Self.codes(late) == ["transaction.expired"])
        #expect(late.writes.isEmpty)
    }

    @Test func lifetimeCapIsARuleOfExecutionToo() {
        let cap = Limits.transactionLifetimeMillisecondsMax
        let expiry = 10 * cap
        let transaction = ContractFixtures.transaction(ContractFixtures.member(), "kv", "put",
                                                       KeyValueContract.Put(key: Array("a".utf8), value: [1]).canonicalBytes,
                                                       expiresAt: expiry)
        let atCap = Self.execute([transaction], block: ContractFixtures.block(time: expiry - cap))
        #expect(Self.codes(atCap) == ["ok"])
        let beyond = Self.execute([transaction], block: ContractFixtures.block(time: expiry - cap - 1))
        #expect(Self.codes(beyond) == ["transaction.expiry_too_far"])
        #expect(beyond.writes.isEmpty)
    }

    @Test func failureRollsBackItsWritesButKeepsEarlierAndLaterOnes() {
        let executor = TransactionExecutor(contracts: TransactionExecutor.nativeContracts + [WriteThenFailContract()])
        let member = ContractFixtures.member()
        let transactions = [
            Self.kvPut(member, "before", "1", nonce: 1),
            ContractFixtures.transaction(member, "faulty", "write_then_fail", [], nonce: 2),
            Self.kvPut(member, "after", "3", nonce: 3),
        ]
        let execution = Self.execute(transactions, executor: executor)
        #expect(Self.codes(execution) == ["ok", "faulty.failed", "ok"])
        #expect(execution.receipts[1].events.isEmpty)
        #expect(execution.receipts[1].returnData.isEmpty)
        let address = Address(publicKey: member.publicKey)
        #expect(execution.writes.map(\.key) == [
            KeyValueContract.stateKey(owner: address, key: Array("after".utf8)),
            KeyValueContract.stateKey(owner: address, key: Array("before".utf8)),
        ])
        #expect(!execution.writes.contains { $0.key == Array("faulty/written".utf8) })
    }

    @Test func failedWriteOfAKeyLeavesTheEarlierValue() {
        // Transaction 2 fails (kv.not_found on a key never written) after transaction 1 wrote "x";
        // transaction 3 deletes "x": the final write is a deletion, and "y" stays absent.
        let member = ContractFixtures.member()
        let deleteY = ContractFixtures.transaction(member, "kv", "delete",
                                                   KeyValueContract.Put(key: Array("y".utf8), value: []).canonicalBytes, nonce: 2)
        let deleteX = ContractFixtures.transaction(member, "kv", "delete",
                                                   KeyValueContract.Put(key: Array("x".utf8), value: []).canonicalBytes, nonce: 3)
        let execution = Self.execute([Self.kvPut(member, "x", "1", nonce: 1), deleteY, deleteX])
        #expect(Self.codes(execution) == ["ok", "kv.not_found", "ok"])
        let address = Address(publicKey: member.publicKey)
        #expect(execution.writes.map(\.key) == [KeyValueContract.stateKey(owner: address, key: Array("x".utf8))])
        #expect(execution.writes.map(\.value) == [nil])
    }

    static func mixedBlock() -> [Transaction] {
        let admin = ContractFixtures.admin()
        let member = ContractFixtures.member()
        let newcomer = ContractFixtures.key(.intl, 40)
        return [
            ContractFixtures.transaction(admin, "identity", "register",
                                         IdentityContract.Register(publicKey: newcomer.publicKey, name: "new", organization: "o",
                                                                   role: .client).canonicalBytes, nonce: 1),
            Self.kvPut(newcomer, "k", "v", nonce: 2),
            Self.kvPut(member, "z", "1", nonce: 3),
            Self.kvPut(member, "a", "2", nonce: 4),
            ContractFixtures.transaction(member, "evidence", "put",
                                         EvidenceContract.Put(algorithm: .sha256, fingerprint: Hash256(bytes: [UInt8](repeating: 5, count: 32)),
                                                              label: "case-1").canonicalBytes, nonce: 5),
            ContractFixtures.transaction(ContractFixtures.auditor(), "kv", "put",
                                         KeyValueContract.Put(key: [1], value: [2]).canonicalBytes, nonce: 6),
            ContractFixtures.transaction(admin, "identity", "deactivate",
                                         IdentityContract.Change(address: Address(publicKey: member.publicKey), role: .member).canonicalBytes,
                                         nonce: 7),
            Self.kvPut(member, "late", "x", nonce: 8),
        ]
    }

    @Test func executionIsDeterministic() {
        let transactions = Self.mixedBlock()
        let first = Self.execute(transactions)
        #expect(Self.codes(first) == ["ok", "ok", "ok", "ok", "ok", "permission.denied", "ok", "identity.inactive"])
        for _ in 0..<5 {
            // A fresh executor and a freshly built base each time (dictionary order differs between instances).
            let again = Self.execute(transactions, executor: TransactionExecutor(contracts: TransactionExecutor.nativeContracts.reversed()))
            #expect(again.receipts == first.receipts)
            #expect(again.writes.map(\.key) == first.writes.map(\.key))
            #expect(again.writes.map(\.value) == first.writes.map(\.value))
        }
    }

    @Test func writesAreSortedByKeyWithoutDuplicates() {
        let writes = Self.execute(Self.mixedBlock()).writes
        #expect(writes.count >= 5)
        for (earlier, later) in zip(writes, writes.dropFirst()) {
            #expect(earlier.key.lexicographicallyPrecedes(later.key), "\(Hex.encode(earlier.key)) !< \(Hex.encode(later.key))")
        }
    }

    @Test func dryRunReportsTheSameFailureAndKeepsNothing() throws {
        let executor = TransactionExecutor()
        let block = ContractFixtures.block()
        let stranger = Self.kvPut(ContractFixtures.stranger(), "a", "1")
        let error = #expect(throws: ContractFailure.self) {
            try executor.check(stranger, hash: stranger.hash(suite: .intl), block: block, state: Self.base)
        }
        #expect(error?.code == "identity.unknown_caller")
        let good = Self.kvPut(ContractFixtures.member(), "a", "1")
        try executor.check(good, hash: good.hash(suite: .intl), block: block, state: Self.base)
    }

    @Test func singleExecuteLeavesStateUnchangedOnFailure() {
        let executor = TransactionExecutor()
        var overlay = StateOverlay(base: Self.base)
        let good = Self.kvPut(ContractFixtures.member(), "a", "1")
        let receipt = executor.execute(good, hash: good.hash(suite: .intl), block: ContractFixtures.block(), state: &overlay)
        #expect(receipt.status == .success)
        let before = overlay.sortedWrites.map(\.key)
        let bad = Self.kvPut(ContractFixtures.auditor(), "a", "1")
        let refused = executor.execute(bad, hash: bad.hash(suite: .intl), block: ContractFixtures.block(), state: &overlay)
        #expect(!refused.status.isSuccess)
        #expect(overlay.sortedWrites.map(\.key) == before)
        #expect(executor.contractNames == ["accountability", "code", "evidence", "governance", "identity", "kv"])
    }
}

@Suite struct GenesisStateTests {
    @Test(arguments: CryptoSuite.allCases)
    func genesisIdentitiesAndValidatorsAreWrittenSorted(suite: CryptoSuite) throws {
        let genesis = ContractFixtures.genesis(suite)
        let writes = GenesisState.writes(for: genesis)
        #expect(writes.count == genesis.identities.count + genesis.validators.count
                    + GovernanceContract.genesisWrites(genesis).count)
        #expect(writes.filter { $0.key.starts(with: Array("governance/".utf8)) }.count
                    == GovernanceContract.genesisWrites(genesis).count)
        #expect(writes.filter { $0.key.starts(with: Array("accountability/".utf8)) }.map(\.key)
            == AccountabilityContract.genesisWrites(genesis.validators).map(\.key))
        for (earlier, later) in zip(writes, writes.dropFirst()) {
            #expect(earlier.key.lexicographicallyPrecedes(later.key))
        }
        for entry in genesis.identities {
            let address = Address(publicKey: entry.publicKey)
            let write = try #require(writes.first { $0.key == Identity.stateKey(address) })
            let identity = try Identity(canonicalBytes: try #require(write.value))
            #expect(identity == Identity(publicKey: entry.publicKey, name: entry.name, organization: entry.organization,
                                         role: entry.role, active: true, registeredAt: .genesis))
        }
        #expect(Identity.stateKey(Address(publicKey: genesis.identities[0].publicKey)).prefix(9) == ArraySlice(Array("identity/".utf8)))
    }
}
