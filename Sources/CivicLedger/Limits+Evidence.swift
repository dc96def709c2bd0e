extension Limits {
    /// Most items in one `evidence.put_batch` call (`evidence.batch_too_large`). A batch of this many unlabeled
    /// items (34 bytes each) fits in one call's arguments; labelled items make the arguments bound the batch first.
    public static let evidenceBatchItemsMax = 1_000

    /// Asserts the relations of the evidence limits; part of ``checkRelations()``.
    static func checkEvidenceRelations() {
        precondition(evidenceBatchItemsMax * 34 + 8 <= callArgumentsBytesMax,
                     "a batch of unlabeled evidence items must fit in one call")
        precondition(1 << merklePathMax >= evidenceBatchItemsMax, "Merkle paths must cover a full evidence batch")
        // Time-stamp serial numbers pack (height, transaction index, item index) into 24 low bits (Docs/0016).
        precondition(blockTransactionsMax <= 1 << 14 && evidenceBatchItemsMax <= 1 << 10,
                     "time-stamp serial numbers need transaction indexes below 2^14 and item indexes below 2^10")
    }
}
