import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

extension LedgerChain {
    /// How many of the latest blocks are re-verified (roots and links) at start-up.
    static let startupVerifiedBlocks: UInt64 = 16
    /// How many state entries are read per page when rebuilding the state tree.
    static let stateRebuildPageSize = 10_000

    /// Reads and checks the head block and the links of the blocks before it; `validators` gives
    /// the set that certifies each height.
    static func loadVerifiedHead(at latest: Height, genesis: Genesis, store: any LedgerStore,
                                 validators: (Height) -> ValidatorSet)
        throws(NodeError) -> (BlockHeader, CommitCertificate?) {
        var head: (BlockHeader, CommitCertificate?)?
        var newer: BlockHeader?
        let lowest = latest.rawValue >= startupVerifiedBlocks ? latest.rawValue - startupVerifiedBlocks + 1 : 0
        for height in stride(from: latest.rawValue, through: lowest, by: -1) {
            let (block, certificate) = try loadVerifiedBlock(at: Height(height), genesis: genesis, store: store,
                                                           validators: validators(Height(height)))
            if let newer, newer.previousHash != block.header.hash(suite: genesis.suite) {
                throw .corrupted("block \(height + 1) does not link to block \(height)")
            }
            if head == nil { head = (block.header, certificate) }
            newer = block.header
        }
        guard let head else { preconditionFailure("the loop visits the latest height first") }
        return head
    }

    /// Reads block `height` and checks it: its hash matches the index, its transactions and
    /// receipts match the header's roots, and (after genesis) its header names `validators` and
    /// their certificate verifies.
    static func loadVerifiedBlock(at height: Height, genesis: Genesis, store: any LedgerStore, validators: ValidatorSet)
        throws(NodeError) -> (Block, CommitCertificate?) {
        let suite = genesis.suite
        guard let bytes = try read({ () throws(StoreError) in try store.blockBytes(at: height) }) else {
            throw .corrupted("block \(height) is missing")
        }
        guard let block = try? Block(canonicalBytes: bytes) else { throw .corrupted("block \(height) does not decode") }
        let hash = block.header.hash(suite: suite)
        guard block.header.height == height,
              try read({ () throws(StoreError) in try store.height(ofBlock: hash) }) == height else {
            throw .corrupted("block \(height)'s content does not match its recorded hash")
        }
        guard MerkleTree.root(leaves: block.transactions.map(\.canonicalBytes), suite: suite) == block.header.transactionsRoot else {
            throw .corrupted("block \(height)'s transactions do not match its transactions root")
        }
        // The index answers replay checks and transaction queries: a lost or moved entry would let a
        // committed transaction be admitted again.
        for (index, transaction) in block.transactions.enumerated() {
            let hash = transaction.hash(suite: suite)
            guard try read({ () throws(StoreError) in try store.transactionLocation(hash) })
                    == TransactionLocation(height: height, index: UInt32(index)) else {
                throw .corrupted("block \(height)'s transaction \(index) (\(hash.hex.prefix(16))) is missing from the transaction index or indexed at another place")
            }
        }
        let receipts = try read { () throws(StoreError) in try store.receiptsBytes(at: height) } ?? []
        guard MerkleTree.root(leaves: receipts, suite: suite) == block.header.receiptsRoot else {
            throw .corrupted("block \(height)'s receipts do not match its receipts root")
        }
        guard height != .genesis else {
            guard block.header.previousHash == genesis.hash else { throw .corrupted("the genesis block does not match the genesis file") }
            return (block, nil)
        }
        guard let certificateBytes = try read({ () throws(StoreError) in try store.certificateBytes(at: height) }),
              let certificate = try? CommitCertificate(canonicalBytes: certificateBytes) else {
            throw .corrupted("block \(height)'s commit certificate is missing or unreadable")
        }
        guard block.header.validatorsHash == validators.hash(suite: suite) else {
            throw .corrupted("block \(height) names a validator set other than the one governance put in force at its height")
        }
        do {
            try certificate.verify(chainID: genesis.chainID, height: height, blockHash: hash, validators: validators)
        } catch {
            throw .corrupted("block \(height)'s commit certificate is invalid: \(error.description)")
        }
        return (block, certificate)
    }

    /// Rebuilds the state tree from every stored state entry, in key order.
    static func rebuildState(suite: CryptoSuite, store: any LedgerStore) throws(NodeError) -> StateTree {
        var entries: [(key: [UInt8], value: [UInt8])] = []
        var after: [UInt8]?
        while true {
            let page = try read { () throws(StoreError) in try store.stateEntries(after: after, limit: stateRebuildPageSize) }
            entries.append(contentsOf: page.map { (key: $0.key, value: $0.value) })
            guard page.count == stateRebuildPageSize, let last = page.last else { break }
            after = last.key
        }
        return StateTree(suite: suite, entries: entries)
    }
}
