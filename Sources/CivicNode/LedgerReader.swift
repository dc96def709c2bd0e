import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// Read-only queries over committed blocks, answered from the store with proofs. Safe to use
/// from any thread: the store serializes its own access and nothing here is mutable.
public struct LedgerReader: Sendable {
    /// The chain's genesis document.
    public let genesis: Genesis
    let store: any LedgerStore

    /// A committed block and its certificate (`nil` for genesis).
    public func block(at height: Height) throws(QueryError) -> (block: Block, certificate: CommitCertificate?) {
        guard let bytes = try read({ () throws(StoreError) in try store.blockBytes(at: height) }) else {
            throw .notFound("Block \(height)")
        }
        guard let block = try? Block(canonicalBytes: bytes), block.header.height == height else {
            throw .storage("block \(height) is damaged")
        }
        guard height != .genesis else { return (block, nil) }
        guard let certificateBytes = try read({ () throws(StoreError) in try store.certificateBytes(at: height) }),
              let certificate = try? CommitCertificate(canonicalBytes: certificateBytes),
              certificate.blockHash == block.header.hash(suite: genesis.suite) else {
            throw .storage("the certificate of block \(height) is damaged")
        }
        return (block, certificate)
    }

    /// The committed block with `hash`.
    public func block(hash: Hash256) throws(QueryError) -> (block: Block, certificate: CommitCertificate?) {
        guard let height = try read({ () throws(StoreError) in try store.height(ofBlock: hash) }) else {
            throw .notFound("Block \(hash.hex)")
        }
        return try block(at: height)
    }

    /// The commit certificate of the block at `height`, or `nil` when none is stored (genesis, or above the head).
    /// Unlike ``block(at:)`` it does not read the block, so it does not check the certificate against it.
    public func certificate(at height: Height) throws(QueryError) -> CommitCertificate? {
        guard let bytes = try read({ () throws(StoreError) in try store.certificateBytes(at: height) }) else { return nil }
        guard let certificate = try? CommitCertificate(canonicalBytes: bytes), certificate.height == height else {
            throw .storage("the certificate of block \(height) is damaged")
        }
        return certificate
    }

    /// The receipts of the block at `height`.
    public func receipts(at height: Height) throws(QueryError) -> [Receipt] {
        let bytes = try read { () throws(StoreError) in try store.receiptsBytes(at: height) } ?? []
        var receipts: [Receipt] = []
        for item in bytes {
            guard let receipt = try? Receipt(canonicalBytes: item) else { throw .storage("a receipt at height \(height) is damaged") }
            receipts.append(receipt)
        }
        return receipts
    }

    /// Where a committed transaction is, or `nil`.
    public func location(of hash: Hash256) throws(QueryError) -> TransactionLocation? {
        try read { () throws(StoreError) in try store.transactionLocation(hash) }
    }

    /// The name of the metadata blob holding the encoded ``ValidatorSetTransition`` of entry `index`, which
    /// ``LedgerChain`` stores with the block that wrote the entry.
    public static func transitionMetadataName(index: UInt64) -> String { "validator-transition/\(index)" }

    /// The recorded validator-set transitions whose blocks are below `height`, from entry 1 on, in order: what a
    /// proof anchored at `height` needs to be checked from the genesis file alone.
    /// - Throws: ``QueryError/storage(_:)`` when a recorded transition does not decode.
    public func validatorSetTransitions(before height: Height) throws(QueryError) -> [ValidatorSetTransition] {
        var transitions: [ValidatorSetTransition] = []
        var index: UInt64 = 1
        while let bytes = try read({ () throws(StoreError) in
            try store.metadata(Self.transitionMetadataName(index: index))
        }) {
            guard let transition = try? ValidatorSetTransition(canonicalBytes: bytes), transition.index == index else {
                throw .storage("the recorded validator-set transition \(index) is damaged")
            }
            guard transition.anchor.header.height < height else { break }
            transitions.append(transition)
            index += 1
        }
        return transitions
    }

    /// The validator set that certifies blocks at `height`, from committed governance state (the genesis
    /// validators on a chain without governance state).
    public func validatorSet(at height: Height) throws(QueryError) -> ValidatorSet {
        let entry = try read { () throws(StoreError) in
            try GovernanceContract.validatorSet(at: height) { key throws(StoreError) in
                try store.stateValue(forKey: key)
            }
        }
        return entry?.validators ?? genesis.validators
    }

    /// A committed transaction with its receipt, Merkle paths, the block's certificate and the validator-set
    /// transitions before the block.
    public func transactionProof(_ hash: Hash256) throws(QueryError) -> TransactionProof {
        guard let location = try location(of: hash) else { throw .notFound("Transaction \(hash.hex)") }
        let (block, certificate) = try block(at: location.height)
        guard let certificate else { throw .storage("a transaction is indexed in the genesis block") }
        let receipts = try read { () throws(StoreError) in try store.receiptsBytes(at: location.height) } ?? []
        let index = Int(location.index)
        guard index < block.transactions.count, receipts.count == block.transactions.count,
              let receipt = try? Receipt(canonicalBytes: receipts[index]) else {
            throw .storage("the index of transaction \(hash.hex) does not match its block")
        }
        let suite = genesis.suite
        return TransactionProof(
            anchor: CertifiedHeader(header: block.header, certificate: certificate),
            transaction: block.transactions[index],
            transactionPath: MerkleTree.auditPath(index: UInt64(index), leaves: block.transactions.map(\.canonicalBytes), suite: suite),
            receipt: receipt,
            receiptPath: MerkleTree.auditPath(index: UInt64(index), leaves: receipts, suite: suite),
            transitions: try validatorSetTransitions(before: location.height))
    }

    /// The value under a full state key at the snapshot's head, with a proof of it (or of its absence) and the
    /// validator-set transitions before the head.
    public func stateProof(key: [UInt8], snapshot: ChainSnapshot) throws(QueryError) -> StateEntryProof {
        let (value, proof) = try checkedStateValue(key: key, snapshot: snapshot)
        guard let certificate = snapshot.certificate else { throw .noCertifiedBlock }
        return StateEntryProof(anchor: CertifiedHeader(header: snapshot.head, certificate: certificate), key: key,
                               value: value, proof: proof, transitions: try validatorSetTransitions(before: snapshot.head.height))
    }

    /// The value under a full state key at the snapshot's head (`nil` when absent), checked against its state root
    /// but without a proof to hand on: for lists that read many records.
    public func stateValue(key: [UInt8], snapshot: ChainSnapshot) throws(QueryError) -> [UInt8]? {
        try checkedStateValue(key: key, snapshot: snapshot).value
    }

    /// The stored value under `key` with the snapshot tree's proof of it, or ``QueryError/stale``.
    private func checkedStateValue(key: [UInt8], snapshot: ChainSnapshot) throws(QueryError) -> (value: [UInt8]?, proof: StateProof) {
        guard key.count <= Limits.stateKeyBytesMax else { throw .invalid("the key is longer than \(Limits.stateKeyBytesMax) bytes") }
        let value = try read { () throws(StoreError) in try store.stateValue(forKey: key) }
        let proof = snapshot.stateTree.proof(forKey: key)
        // The store may already hold a newer block than the snapshot: then the value read does not
        // belong to the snapshot's tree, and the caller retries with a fresh snapshot.
        guard proof.verify(key: key, value: value, root: snapshot.head.stateRoot, suite: genesis.suite) else {
            throw .stale
        }
        return (value, proof)
    }

    /// Up to `limit` stored state keys that start with `prefix`, in key order, after `after` (or from the first).
    /// The store holds the latest committed state; read each key's value with ``stateProof(key:snapshot:)``.
    public func stateKeys(prefix: [UInt8], after: [UInt8]?, limit: Int) throws(QueryError) -> [[UInt8]] {
        var keys: [[UInt8]] = []
        // Start after `after`, or after the largest key that sorts before every key with `prefix` (keys are at
        // most `stateKeyBytesMax` long).
        var cursor = after
        if cursor == nil, let last = prefix.last {
            cursor = last == 0 ? Array(prefix.dropLast())
                : Array(prefix.dropLast()) + [last - 1] + [UInt8](repeating: 0xFF, count: Limits.stateKeyBytesMax)
        }
        while keys.count < limit {
            let batch = try read { () throws(StoreError) in try store.stateEntries(after: cursor, limit: min(limit - keys.count, 256)) }
            for entry in batch {
                if entry.key.starts(with: prefix) {
                    keys.append(entry.key)
                } else if prefix.lexicographicallyPrecedes(entry.key) {
                    return keys
                }
            }
            guard let last = batch.last else { return keys }
            cursor = last.key
        }
        return keys
    }

    /// Bytes used by the store.
    public func storageBytes() throws(QueryError) -> UInt64 {
        try read { () throws(StoreError) in try store.storageBytes() }
    }

    private func read<T>(_ body: () throws(StoreError) -> T) throws(QueryError) -> T {
        do { return try body() } catch { throw .storage(error.description) }
    }
}
