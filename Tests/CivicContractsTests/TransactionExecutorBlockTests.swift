import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

extension WasmFixtures {
    /// ``WasmTestModules/burner``.
    static let burner = WasmTestModules.burner

    /// `burn`'s arguments.
    static func burnArguments(rounds: UInt32, key: String) -> [UInt8] {
        WasmTestModules.burnArguments(rounds: rounds, key: key)
    }
}

/// Gas in receipts, the block's gas (`block.gas_exhausted`), the proposer's trim and admission's gas cap.
@Suite struct TransactionExecutorBlockTests {
    static let suite = CryptoSuite.intl
    static let executor = TransactionExecutor()
    static let state = WasmFixtures.state(suite, contracts: ["burner": WasmFixtures.wasm(WasmFixtures.burner)])
    static let block = ContractFixtures.block(suite, height: 3)

    static func burn(_ rounds: UInt32, key: String, nonce: UInt64, method: String = "burn") -> Transaction {
        ContractFixtures.transaction(ContractFixtures.member(suite), "burner", method,
                                     WasmFixtures.burnArguments(rounds: rounds, key: key), nonce: nonce)
    }

    static func execute(_ transactions: [Transaction]) -> BlockExecution {
        executor.execute(transactions, hashes: transactions.map { $0.hash(suite: suite) }, block: block, base: state)
    }

    /// The gas of one round and of the call around the rounds, measured (not assumed) from two runs.
    static let cost: (round: UInt64, base: UInt64) = {
        let receipts = execute([burn(1, key: "a", nonce: 1), burn(2, key: "a", nonce: 2)]).receipts
        let round = receipts[1].gasUsed - receipts[0].gasUsed
        return (round, receipts[0].gasUsed - round)
    }()

    /// The most rounds whose call fits in a transaction's gas: such a call uses more than
    /// `transactionGasMax - round`, so four of them leave less than four rounds of the block's gas.
    static var heavyRounds: UInt32 { UInt32((Limits.transactionGasMax - cost.base) / cost.round) }

    @Test func receiptsRecordTheSameGasOnEveryExecution() throws {
        let calls = [Self.burn(3, key: "x", nonce: 1), Self.burn(5, key: "y", nonce: 2),
                     Self.burn(2, key: "z", nonce: 3, method: "burn_fail"),
                     ContractFixtures.transaction(ContractFixtures.member(Self.suite), "kv", "put",
                                                  KeyValueContract.Put(key: [1], value: [2]).canonicalBytes, nonce: 4)]
        let first = Self.execute(calls)
        // Another executor (its own runtime and module cache) over the same state gives the same bytes.
        let other = TransactionExecutor().execute(calls, hashes: calls.map { $0.hash(suite: Self.suite) }, block: Self.block,
                                                  base: Self.state)
        #expect(first.receipts == other.receipts)
        #expect(first.receipts.map(\.canonicalBytes) == other.receipts.map(\.canonicalBytes))
        #expect(first.receipts.map(\.failureCode) == [nil, nil, "burner.tired", nil])
        let gas = first.receipts.map(\.gasUsed)
        #expect(gas[0] > 3 * 65_536 && gas[1] > gas[0], "Wasm calls record their gas, more rounds more gas")
        #expect(gas[2] > 2 * 65_536, "a failed call records the gas it used")
        #expect(gas[3] == 0, "native contracts use no gas")
        #expect(first.gasUsed == gas.reduce(0, +))
        // The receipt's gas is the one the single-transaction path measures.
        var overlay = StateOverlay(base: Self.state)
        let single = Self.executor.executeMeasured(calls[1], hash: calls[1].hash(suite: Self.suite), block: Self.block,
                                                   state: &overlay)
        #expect(single.receipt.gasUsed == gas[1] && single.gasUsed == gas[1])
        // The gas is in the canonical bytes, after the return data.
        #expect(Array(first.receipts[0].canonicalBytes.suffix(8)) == withUnsafeBytes(of: gas[0].bigEndian, Array.init))
    }

    @Test func laterCallsOfAHeavyBlockFailWithBlockGasExhausted() throws {
        let rounds = Self.heavyRounds
        let heavy = (0..<6).map { Self.burn(rounds, key: "k\($0)", nonce: UInt64($0)) }
        let native = ContractFixtures.transaction(ContractFixtures.member(Self.suite), "kv", "put",
                                                  KeyValueContract.Put(key: [9], value: [9]).canonicalBytes, nonce: 99)
        let execution = Self.execute(heavy + [native])
        let receipts = execution.receipts
        #expect(receipts.prefix(4).allSatisfy { $0.status == .success })
        #expect(receipts.prefix(4).allSatisfy { $0.gasUsed > Limits.transactionGasMax - Self.cost.round })
        // The fifth starts with what the four left (less than one round each) and runs out: not its fault, so not
        // contract.out_of_gas; it records the gas it had. The sixth finds none left and does not run.
        let left = Limits.blockGasMax - receipts.prefix(4).reduce(0) { $0 + $1.gasUsed }
        #expect(left > 0 && left < 4 * Self.cost.round)
        #expect(receipts[4].failureCode == "block.gas_exhausted")
        #expect(receipts[4].gasUsed == left)
        #expect(receipts[5].failureCode == "block.gas_exhausted")
        #expect(receipts[5].gasUsed == 0)
        #expect(execution.gasUsed == Limits.blockGasMax)
        // Native calls use no gas, so they still run.
        #expect(receipts[6].status == .success)
        // The exhausted calls' writes are discarded; the others' kept.
        let keys = Set(execution.writes.map { String(decoding: $0.key, as: UTF8.self) })
        #expect((0..<4).allSatisfy { keys.contains("burner/k\($0)") })
        #expect(!keys.contains("burner/k4") && !keys.contains("burner/k5"))
        // The same call alone at the start of a block has the transaction's full gas and succeeds.
        #expect(Self.execute([heavy[4]]).receipts.map(\.status) == [.success])
    }

    @Test func aCallOverTheTransactionsGasIsOutOfGasEvenFirstInABlock() throws {
        let tooHeavy = Self.burn(Self.heavyRounds + 1, key: "k", nonce: 1)
        let receipts = Self.execute([tooHeavy, tooHeavy]).receipts
        #expect(receipts[0].failureCode == "contract.out_of_gas")
        #expect(receipts[0].gasUsed == Limits.transactionGasMax)
    }

    @Test func aProposalStopsBeforeTheFirstCallTheBlockCannotFinish() throws {
        let rounds = Self.heavyRounds
        let light = Self.burn(1, key: "light", nonce: 50)
        let calls = (0..<5).map { Self.burn(rounds, key: "k\($0)", nonce: UInt64($0)) } + [light]
        let hashes = calls.map { $0.hash(suite: Self.suite) }
        let proposal = Self.executor.executeProposal(calls, hashes: hashes, block: Self.block, base: Self.state)
        // Stops at the fifth heavy call: it, and everything after (even a light call that would fit), waits.
        #expect(proposal.receipts.count == 4)
        #expect(proposal.receipts.allSatisfy { $0.status == .success })
        // What validators compute from the kept transactions alone is the same, receipts and writes.
        let validated = Self.execute(Array(calls.prefix(4)))
        #expect(validated.receipts == proposal.receipts)
        #expect(validated.writes.map(\.key) == proposal.writes.map(\.key))
        #expect(validated.writes.map(\.value) == proposal.writes.map(\.value))
        // The next block starts with the rest and has room for them.
        let next = Self.executor.executeProposal(Array(calls.dropFirst(4)), hashes: Array(hashes.dropFirst(4)),
                                                 block: Self.block, base: Self.state)
        #expect(next.receipts.map(\.status) == [.success, .success])
        // A first call is always kept, even one that runs out of the transaction's gas.
        let tooHeavy = Self.burn(rounds + 1, key: "k", nonce: 7)
        let lone = Self.executor.executeProposal([tooHeavy], hashes: [tooHeavy.hash(suite: Self.suite)], block: Self.block,
                                                 base: Self.state)
        #expect(lone.receipts.map(\.failureCode) == ["contract.out_of_gas"])
    }

    @Test func admissionsDryRunStopsAtItsGasCapAndAdmits() throws {
        let perCap = UInt32(Limits.admissionGasMax / Self.cost.round)
        func check(_ transaction: Transaction) -> String? {
            do {
                try Self.executor.check(transaction, hash: transaction.hash(suite: Self.suite), block: Self.block,
                                        state: Self.state)
                return nil
            } catch {
                return error.code
            }
        }
        // Fails before the cap: refused with the code its receipt would carry.
        #expect(check(Self.burn(perCap / 2, key: "k", nonce: 1, method: "burn_fail")) == "burner.tired")
        // Would fail only after the cap (and within the transaction's gas): the dry run cannot tell, so it admits.
        #expect(check(Self.burn(perCap + 2, key: "k", nonce: 2, method: "burn_fail")) == nil)
        // Over the transaction's gas too: admitted, and its block records contract.out_of_gas.
        #expect(check(Self.burn(Self.heavyRounds + 1, key: "k", nonce: 3)) == nil)
        #expect(Self.execute([Self.burn(perCap + 2, key: "k", nonce: 2, method: "burn_fail")]).receipts[0].failureCode
                    == "burner.tired")
        // Other failures are still refused.
        #expect(check(ContractFixtures.transaction(ContractFixtures.stranger(Self.suite), "burner", "burn",
                                                   WasmFixtures.burnArguments(rounds: 1, key: "k"), nonce: 4))
                    == "identity.unknown_caller")
        #expect(check(Self.burn(1, key: "k", nonce: 5, method: "nothing")) == "contract.unknown_method")
    }

    @Test func limitsKeepTheirRelations() {
        Limits.checkRelations()
        #expect(Limits.blockGasMax >= Limits.transactionGasMax)
        #expect(Limits.admissionGasMax < Limits.transactionGasMax)
        // A contract may not take the name of the block's own failures.
        #expect(!GovernanceContract.isValidContractName("block"))
    }
}
