import CivicCrypto
import CivicLedger

/// What executing a block's transactions produced.
public struct BlockExecution: Sendable {
    /// One receipt per transaction, in block order (for ``TransactionExecutor/executeProposal(_:hashes:block:base:)``,
    /// one per transaction of the prefix it kept).
    public var receipts: [Receipt]
    /// The block's net state changes, sorted by key (`nil` deletes).
    public var writes: [(key: [UInt8], value: [UInt8]?)]
    /// The gas of all the receipts together, at most ``Limits/blockGasMax``.
    public var gasUsed: UInt64
}

/// The gas one WebAssembly call may use, and what running out of it means when it is less than a transaction's.
struct GasAllowance {
    /// Most gas the call may use.
    var limit: UInt64
    /// The failure when the call runs out of a `limit` below ``Limits/transactionGasMax``: the call did not fail on
    /// its own terms, the budget around it (the block's, admission's) was smaller than a transaction's.
    var shortfall: ContractFailure

    /// Whether `limit` is below the transaction's: running out then means ``shortfall``, not `contract.out_of_gas`.
    var isShort: Bool { limit < Limits.transactionGasMax }

    /// A transaction's full gas: running out is `contract.out_of_gas`.
    static let transaction = GasAllowance(limit: Limits.transactionGasMax, shortfall: .outOfGas)

    /// What remains of the block's gas, capped at a transaction's.
    static func block(remaining: UInt64) -> GasAllowance {
        GasAllowance(limit: min(Limits.transactionGasMax, remaining), shortfall: .blockGasExhausted(remaining: remaining))
    }
}

extension ContractFailure {
    /// The block's gas ran out before the call finished (Docs/0012, "Block gas"). Not the call's fault: a proposer
    /// leaves such a transaction for a later block, where it starts with more gas.
    static func blockGasExhausted(remaining: UInt64) -> ContractFailure {
        ContractFailure(code: "block.gas_exhausted",
                        message: "The block had \(remaining) gas left of \(Limits.blockGasMax), not enough for this call; "
                            + "it may succeed in a later block.")
    }

    /// Admission's dry run spent its ``Limits/admissionGasMax`` without the call ending: never recorded, the
    /// transaction is admitted.
    static let admissionGasSpent = ContractFailure(code: "admission.gas_spent",
                                                   message: "The dry run used all the gas admission gives a call.")
}

extension TransactionExecutor {
    /// Executes a block's transactions in order over `base`: what every validator does with a proposed block, and
    /// what a follower does with a committed one.
    ///
    /// Block gas (Docs/0012): the WebAssembly calls of a block share ``Limits/blockGasMax``. Each call may use the
    /// smaller of ``Limits/transactionGasMax`` and what the block's earlier receipts left; a call that runs out of
    /// such a reduced limit fails with `block.gas_exhausted` (its writes and events discarded, its gas counted),
    /// one that runs out of the full limit with `contract.out_of_gas`. A call that finds no block gas left fails
    /// with `block.gas_exhausted` without running. The receipts depend on the block's transactions alone.
    public func execute(_ transactions: [Transaction], hashes: [Hash256], block: BlockContext,
                        base: any StateReader) -> BlockExecution {
        execute(transactions, hashes: hashes, block: block, base: base, stoppingAtGasExhaustion: false)
    }

    /// Executes the transactions a proposer considers for a block, in order, and stops before the first one that
    /// fails with `block.gas_exhausted`: the receipts (and writes) are those of the prefix to propose, exactly what
    /// ``execute(_:hashes:block:base:)`` gives for that prefix, since a transaction's receipt depends only on the ones
    /// before it. The transactions left out stay in the mempool for the next block, where the first of them starts
    /// with the block's full gas.
    ///
    /// The first transaction always gets the full ``Limits/transactionGasMax`` (``Limits/blockGasMax`` is at least
    /// that), so the prefix is never empty when `transactions` is not.
    public func executeProposal(_ transactions: [Transaction], hashes: [Hash256], block: BlockContext,
                                base: any StateReader) -> BlockExecution {
        let execution = execute(transactions, hashes: hashes, block: block, base: base, stoppingAtGasExhaustion: true)
        assert(transactions.isEmpty || !execution.receipts.isEmpty, "a proposal keeps its first transaction")
        return execution
    }

    private func execute(_ transactions: [Transaction], hashes: [Hash256], block: BlockContext, base: any StateReader,
                         stoppingAtGasExhaustion: Bool) -> BlockExecution {
        precondition(transactions.count == hashes.count, "one hash per transaction")
        var overlay = StateOverlay(base: base)
        var receipts: [Receipt] = []
        receipts.reserveCapacity(transactions.count)
        var gasUsed: UInt64 = 0
        for (transaction, hash) in zip(transactions, hashes) {
            let gas = GasAllowance.block(remaining: Limits.blockGasMax - gasUsed)
            let (receipt, ranShort) = execute(transaction, hash: hash, block: block, state: &overlay, gas: gas)
            if stoppingAtGasExhaustion && ranShort { break }
            gasUsed += receipt.gasUsed
            precondition(gasUsed <= Limits.blockGasMax, "a block's calls use at most the block's gas")
            receipts.append(receipt)
        }
        return BlockExecution(receipts: receipts, writes: overlay.sortedWrites, gasUsed: gasUsed)
    }
}
