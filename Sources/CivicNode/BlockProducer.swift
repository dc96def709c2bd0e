import CivicContracts
import CivicCrypto
import CivicLedger

/// The serial owner of the ledger chain: builds, certifies and commits blocks.
///
/// `@unchecked Sendable`: its mutable state (the chain) is touched only by ``Node/run()``, one
/// block at a time; `executor` and `committedState` are immutable or locked, and admission reads them.
final class BlockProducer: @unchecked Sendable {
    let chain: LedgerChain
    let validator: LocalValidator
    let executor: TransactionExecutor
    let committedState: CommittedState

    init(chain: LedgerChain, validator: LocalValidator) {
        self.chain = chain
        self.validator = validator
        self.executor = chain.executor
        self.committedState = chain.committedState
    }
}
