import CivicCodec
import CivicLedger

extension LedgerChain {
    /// The transitions to record for a block: one per `governance/validator-set/<n>` entry its writes set, with
    /// the certified header and the entry's path in the block's state tree, so that proofs of later blocks can be
    /// checked from the genesis file alone (Docs/0003-proofs.md).
    /// - Precondition: every such write holds a ``ValidatorSetEntry`` (only the governance contract writes them).
    static func validatorSetTransitions(_ pending: PendingBlock, certificate: CommitCertificate)
        -> [ValidatorSetTransition] {
        let anchor = CertifiedHeader(header: pending.block.header, certificate: certificate)
        var latest: [UInt64: [UInt8]] = [:]
        for write in pending.writes {
            guard let index = ValidatorSetEntry.index(ofStateKey: write.key) else { continue }
            guard let value = write.value else { preconditionFailure("validator-set entry \(index) was deleted") }
            latest[index] = value
        }
        return latest.keys.sorted().map { index in
            guard let entry = try? ValidatorSetEntry(canonicalBytes: latest[index]!) else {
                preconditionFailure("validator-set entry \(index) does not decode")
            }
            let key = ValidatorSetEntry.stateKey(index: index)
            let transition = ValidatorSetTransition(anchor: anchor, index: index, entry: entry,
                                                    proof: pending.stateTree.proof(forKey: key))
            precondition(transition.proof.verify(key: key, value: entry.canonicalBytes,
                                                 root: pending.block.header.stateRoot, suite: pending.stateTree.suite),
                         "the recorded transition must lead to the block's state root")
            return transition
        }
    }
}
