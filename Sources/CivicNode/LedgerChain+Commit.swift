import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

extension LedgerChain {
    /// The context transactions of the next block execute in.
    func nextBlockContext(time: Timestamp) -> BlockContext {
        BlockContext(chainID: genesis.chainID, suite: suite, height: head.height.next, time: time)
    }

    /// Executes `entries` as the next block at `time` and computes its header. Nothing is stored.
    ///
    /// With `proposing`, the block keeps only the entries before the first whose call the block's remaining gas
    /// cannot finish (`block.gas_exhausted`, Docs/0012): the proposer's trim, so that such a transaction waits in the
    /// mempool for the next block rather than fail here. Without it (validating, rebuilding a decided block) every
    /// entry is executed and kept, so all nodes compute the receipts from the block's transactions alone; a proposer
    /// that does not trim only makes blocks with `block.gas_exhausted` receipts.
    /// - Precondition: `time` is not before the head's time; hashes and encodings match the transactions.
    func build(_ entries: [(transaction: Transaction, hash: Hash256, encoded: [UInt8])], time: Timestamp,
               proposer: UInt32, proposing: Bool = false) -> PendingBlock {
        precondition(time >= head.time, "block time must not go backwards")
        precondition(entries.count <= Limits.blockTransactionsMax, "a block holds at most \(Limits.blockTransactionsMax) transactions")
        let context = nextBlockContext(time: time)
        let base = committedState.reader(tree: stateTree)
        let execution = proposing
            ? executor.executeProposal(entries.map(\.transaction), hashes: entries.map(\.hash), block: context, base: base)
            : executor.execute(entries.map(\.transaction), hashes: entries.map(\.hash), block: context, base: base)
        let kept = entries.prefix(execution.receipts.count)
        let transactions = kept.map(\.transaction)
        let hashes = kept.map(\.hash)
        let encoded = kept.map(\.encoded)
        let writes = execution.writes.map { StateWrite(key: $0.key, value: $0.value) }
        let tree = stateTree.applying(writes)
        let header = BlockHeader(
            chainID: genesis.chainID, height: head.height.next, time: time, previousHash: headHash, proposer: proposer,
            transactionCount: UInt32(transactions.count),
            transactionsRoot: MerkleTree.root(leaves: encoded, suite: suite),
            receiptsRoot: MerkleTree.root(leaves: execution.receipts.map(\.canonicalBytes), suite: suite),
            stateRoot: tree.root, validatorsHash: validators(at: head.height.next).hash(suite: suite))
        let block = Block(header: header, transactions: transactions)
        let blockBytes = Block.canonicalBytes(header: header, encodedTransactions: encoded)
        assert(blockBytes == block.canonicalBytes, "submitted encodings must be canonical")
        return PendingBlock(block: block, blockBytes: blockBytes, hash: header.hash(suite: suite),
                            transactionHashes: hashes, receipts: execution.receipts, writes: writes, stateTree: tree)
    }

    /// Commits a certified block: block, certificate, receipts, index, state and the validator-set transitions
    /// the block's writes make (``validatorSetTransitions(_:certificate:)``) in one atomic, fsync-durable step;
    /// then advances the head.
    /// - Throws: ``NodeError``; on error nothing was stored and the head is unchanged.
    func commit(_ pending: PendingBlock, certificate: CommitCertificate) throws(NodeError) {
        precondition(pending.block.header.previousHash == headHash, "a committed block must extend the head")
        precondition(certificate.blockHash == pending.hash && certificate.height == pending.block.header.height,
                     "the certificate must certify this block")
        var metadata: [String: [UInt8]] = [:]
        for transition in Self.validatorSetTransitions(pending, certificate: certificate) {
            metadata[LedgerReader.transitionMetadataName(index: transition.index)] = transition.canonicalBytes
        }
        let batch = CommitBatch(height: pending.block.header.height, blockHash: pending.hash,
                                blockBytes: pending.blockBytes, certificateBytes: certificate.canonicalBytes,
                                transactionHashes: pending.transactionHashes,
                                receiptBytes: pending.receipts.map(\.canonicalBytes),
                                stateWrites: pending.writes.map { StoreStateWrite(key: $0.key, value: $0.value) },
                                metadata: metadata)
        try LedgerChain.read { () throws(StoreError) in try store.commit(batch) }
        committedState.apply(pending.writes)
        head = pending.block.header
        headHash = pending.hash
        headCertificate = certificate
        stateTree = pending.stateTree
        refreshGovernance()
    }
}
