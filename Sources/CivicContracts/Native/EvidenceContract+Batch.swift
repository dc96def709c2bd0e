import CivicCodec
import CivicCrypto
import CivicLedger

extension EvidenceContract {
    /// Arguments of `put_batch`: the items, in the order of their leaves.
    ///
    /// Wire form: `varint count || count × (algorithm (1) || fingerprint (32) || varint len || label)`. The codec
    /// reads as many items as a call's arguments could hold; the contract refuses more than
    /// ``Limits/evidenceBatchItemsMax`` with its own code.
    public struct PutBatch: Hashable, Sendable, CanonicalCodable {
        /// Most items the codec reads: what fits in one call's arguments (34 bytes each at least).
        public static let decodedItemsMax = Limits.callArgumentsBytesMax / 34

        /// The items.
        public var items: [Put]

        /// Creates arguments.
        public init(items: [Put]) { self.items = items }

        /// The items as a sequence.
        public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(sequence: items) }

        /// Reads arguments.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            items = try decoder.decodeSequence(Put.self, "evidence.items", max: Self.decodedItemsMax)
        }
    }

    /// Runs `put_batch`: records every item, or none.
    ///
    /// Each item gets an ``EvidenceRecord`` with its ``EvidenceBatchPosition``; the receipt gets one
    /// `evidence.batch_recorded` event (`root`, `count`, `submitter`, `organization`) and returns the 32 root bytes.
    /// There is no per-item event: a batch may hold far more items than ``Limits/eventsPerTransactionMax``, and the
    /// records and the Merkle path say everything an item's event would.
    /// - Throws: `evidence.batch_empty`, `evidence.batch_too_large`, `evidence.duplicate` (an item already on chain,
    ///   or twice in the batch; the message names the item), `contract.invalid_arguments`. The transaction then
    ///   writes nothing.
    func putBatch(_ arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        let batch = try decodeArguments(PutBatch.self, arguments, method: "put_batch")
        guard !batch.items.isEmpty else {
            throw ContractFailure(code: "evidence.batch_empty", message: "A batch must hold at least one item.")
        }
        guard batch.items.count <= Limits.evidenceBatchItemsMax else {
            throw ContractFailure(code: "evidence.batch_too_large",
                                  message: "A batch holds at most \(Limits.evidenceBatchItemsMax) items; this one has \(batch.items.count).")
        }
        try Self.refuseDuplicates(batch.items, state: context.state)
        let root = EvidenceBatch.root(of: batch.items, suite: context.block.suite)
        let count = UInt32(batch.items.count)
        for (index, item) in batch.items.enumerated() {
            let record = EvidenceRecord(
                algorithm: item.algorithm, fingerprint: item.fingerprint, label: item.label,
                submitter: context.callerAddress, organization: context.callerIdentity.organization,
                height: context.block.height, time: context.block.time, transactionHash: context.transactionHash,
                batch: EvidenceBatchPosition(root: root, index: UInt32(index), count: count))
            try context.state.put(Self.localKey(item), record.canonicalBytes)
        }
        try context.emit("evidence.batch_recorded", [
            EventAttribute("root", root.hex), EventAttribute("count", String(count)),
            EventAttribute("submitter", context.callerAddress.hex),
            EventAttribute("organization", context.callerIdentity.organization),
        ])
        return root.bytes
    }

    /// Throws `evidence.duplicate` for the first item that repeats an earlier item of the batch or a recorded one.
    static func refuseDuplicates(_ items: [Put], state: ContractState) throws(ContractFailure) {
        // Membership only; the dictionary is never iterated, so its order cannot matter.
        var firstIndex: [[UInt8]: Int] = [:]
        firstIndex.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let key = localKey(item)
            let name = "Item \(index) (\(item.algorithm.name):\(item.fingerprint.hex), label '\(item.label)')"
            if let earlier = firstIndex[key] {
                throw ContractFailure(code: "evidence.duplicate", message: "\(name) repeats item \(earlier) of this batch.")
            }
            if let existing = state.get(key) {
                let when = (try? EvidenceRecord(canonicalBytes: existing)).map { " at height \($0.height) by \($0.submitter)" } ?? ""
                throw ContractFailure(code: "evidence.duplicate", message: "\(name) was already recorded\(when).")
            }
            firstIndex[key] = index
        }
    }
}
