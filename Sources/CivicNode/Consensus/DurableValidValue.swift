import CivicCodec
import CivicConsensus
import CivicLedger

/// What a validator stores before it precommits: the consensus valid value (an outline with its proof
/// of lock) and the bodies of the outline's transactions.
///
/// Without the bodies, a validator restarted after locking on a block whose transactions lived only
/// in its mempool could neither commit that block nor, being locked, propose another: a lone
/// validator would stop for good. (Tendermint keeps the block parts in its WAL for the same reason.)
struct DurableValidValue: Hashable, Sendable, CanonicalCodable {
    /// The core's valid value.
    var record: ValidValueRecord
    /// The canonical bytes of the outline's transactions, in block order.
    var transactions: [[UInt8]]

    /// record, then the bodies as byte strings.
    func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(record)
        encoder.encodeVarint(UInt64(transactions.count))
        for bytes in transactions { encoder.encode(bytes: bytes) }
    }

    /// Reads a record whose body count matches its outline.
    init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        record = try decoder.decode(ValidValueRecord.self)
        let count = try decoder.decodeCount("valid_value.transactions", max: Limits.blockTransactionsMax)
        guard count <= decoder.remaining else { throw .truncated(field: "valid_value.transactions") }
        transactions = []
        transactions.reserveCapacity(count)
        for _ in 0..<count {
            transactions.append(try decoder.decodeBytes("valid_value.transaction", max: Limits.transactionBytesMax))
        }
    }

    init(record: ValidValueRecord, transactions: [[UInt8]]) {
        self.record = record
        self.transactions = transactions
    }
}
