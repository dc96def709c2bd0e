import CivicCrypto
import CivicLedger

/// Why a block from a peer (a proposal or a synced block) is not valid here. The validator prevotes
/// nil for such a proposal; a synced block is not applied. Each case has a stable code.
public enum BlockRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block's bytes or one of its transactions do not decode.
    case malformed(String)
    /// A header field differs from what the chain expects (`field`: what was checked).
    case header(field: String, detail: String)
    /// A transaction is for another chain or suite, or its signature does not verify.
    case badTransaction(index: Int, reason: String)
    /// The same transaction appears twice, or was already committed.
    case replay(index: Int)
    /// More transactions than the chain's parameters allow.
    case tooManyTransactions(count: Int, max: Int)
    /// More bytes of transactions than a block may hold.
    case tooLarge(bytes: Int, max: Int)
    /// Executing the transactions gives another header (`field` differs).
    case executionMismatch(field: String)
    /// The certificate does not prove the block.
    case badCertificate(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .malformed: "block.malformed"
        case .header: "block.bad_header"
        case .badTransaction: "block.bad_transaction"
        case .replay: "block.replay"
        case .tooManyTransactions: "block.too_many_transactions"
        case .tooLarge: "block.too_large"
        case .executionMismatch: "block.execution_mismatch"
        case .badCertificate: "block.bad_certificate"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .malformed(let why): "The block is malformed: \(why)."
        case .header(let field, let detail): "The block's \(field) is wrong: \(detail)."
        case .badTransaction(let index, let reason): "Transaction \(index) of the block is invalid: \(reason)."
        case .replay(let index): "Transaction \(index) of the block is a replay (already committed or repeated)."
        case .tooManyTransactions(let count, let max): "The block has \(count) transactions; at most \(max) are allowed."
        case .tooLarge(let bytes, let max): "The block's transactions take \(bytes) bytes; at most \(max) are allowed."
        case .executionMismatch(let field):
            "Executing the block's transactions here gives a different \(field) than its header claims."
        case .badCertificate(let why): "The block's commit certificate is invalid: \(why)."
        }
    }
}

extension LedgerChain {
    /// Most a proposal's time may run ahead of this node's clock.
    static let proposalClockSkewMillisecondsMax: UInt64 = 10_000

    /// Checks a block from a peer against the head and re-executes it; on success returns the block
    /// ready to commit. The transactions' signatures must have been verified by the caller.
    ///
    /// - Parameters:
    ///   - proposer: the round's proposer for a proposal; `nil` for a certified block, whose
    ///     certificate already shows that a quorum accepted it.
    ///   - now: this node's clock for a proposal (its time may not run far ahead); `nil` for a
    ///     certified block.
    ///   - uncommitted: the transactions are known not to be committed (they were taken from the
    ///     mempool, which never holds a committed transaction), so the index need not be asked.
    func validate(header: BlockHeader, entries: [(transaction: Transaction, hash: Hash256, encoded: [UInt8])],
                  proposer: UInt32?, now: Timestamp?, uncommitted: Bool) throws(BlockRejection) -> PendingBlock {
        func expect(_ holds: Bool, _ field: String, _ detail: @autoclosure () -> String) throws(BlockRejection) {
            if !holds { throw .header(field: field, detail: detail()) }
        }
        try expect(header.chainID == genesis.chainID, "chain id", "\(header.chainID), expected \(genesis.chainID)")
        try expect(header.height == head.height.next, "height", "\(header.height), expected \(head.height.next)")
        try expect(header.previousHash == headHash, "previous hash", "it does not extend this node's head")
        try expect(header.validatorsHash == validators(at: header.height).hash(suite: suite), "validators hash",
                   "it names another validator set")
        try expect(header.time >= head.time, "time", "\(header.time) is before the previous block's \(head.time)")
        if let now {
            try expect(header.time.milliseconds <= now.milliseconds + LedgerChain.proposalClockSkewMillisecondsMax,
                       "time", "\(header.time) is more than \(LedgerChain.proposalClockSkewMillisecondsMax / 1000) s ahead of this node's clock")
        }
        if let proposer { try expect(header.proposer == proposer, "proposer", "#\(header.proposer), expected #\(proposer)") }
        try expect(Int(header.transactionCount) == entries.count, "transaction count",
                   "\(header.transactionCount) in the header, \(entries.count) in the block")
        let max = Int(parameters.blockTransactionsMax)
        guard entries.count <= max else { throw .tooManyTransactions(count: entries.count, max: max) }
        let bytes = entries.reduce(0) { $0 + $1.encoded.count }
        guard bytes <= Limits.blockBodyBytesMax else { throw .tooLarge(bytes: bytes, max: Limits.blockBodyBytesMax) }
        var seen = Set<Hash256>(minimumCapacity: entries.count)
        for (index, entry) in entries.enumerated() {
            guard seen.insert(entry.hash).inserted,
                  uncommitted || (try? store.transactionLocation(entry.hash)) == .some(nil) else { throw .replay(index: index) }
            guard entry.transaction.body.chainID == genesis.chainID, entry.transaction.body.signer.suite == suite else {
                throw .badTransaction(index: index, reason: "it is for another chain or suite")
            }
        }
        let pending = build(entries, time: header.time, proposer: header.proposer)
        let built = pending.block.header
        for (field, same) in [("transactions root", built.transactionsRoot == header.transactionsRoot),
                              ("receipts root", built.receiptsRoot == header.receiptsRoot),
                              ("state root", built.stateRoot == header.stateRoot)] where !same {
            throw .executionMismatch(field: field)
        }
        guard pending.hash == header.hash(suite: suite) else { throw .executionMismatch(field: "header hash") }
        return pending
    }
}
