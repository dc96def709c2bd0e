import CivicCodec
import CivicCrypto

/// Proof that the chain adopted validator-set entry `index`: the certified header of the block whose execution
/// wrote `governance/validator-set/<index>`, and the state-tree path of that entry to the block's state root.
///
/// Docs/0003-proofs.md: "A transition is checked against the sets established so far: its index is the previous
/// index + 1; its anchor is certified by the set in force at the anchor's height; the entry's state path leads to
/// the anchor's state root; the entry applies from a height above the anchor's."
///
/// Canonical bytes: CertifiedHeader | index u64 | ValidatorSetEntry | StateProof. The state key is not carried:
/// it is ``ValidatorSetEntry/stateKey(index:)``, and the value is the entry's canonical encoding.
public struct ValidatorSetTransition: Hashable, Sendable, CanonicalCodable {
    /// The block that wrote the entry, with its commit certificate.
    public var anchor: CertifiedHeader
    /// The entry's index: 1 for the first change after genesis.
    public var index: UInt64
    /// The entry as the block's state holds it.
    public var entry: ValidatorSetEntry
    /// The path of `governance/validator-set/<index>` in the anchor's state tree.
    public var proof: StateProof

    /// Creates a transition.
    public init(anchor: CertifiedHeader, index: UInt64, entry: ValidatorSetEntry, proof: StateProof) {
        self.anchor = anchor
        self.index = index
        self.entry = entry
        self.proof = proof
    }

    /// The full state key of the entry.
    public var stateKey: [UInt8] { ValidatorSetEntry.stateKey(index: index) }

    /// Checks that the state proof shows the entry under its key at the anchor's state root, and that the entry
    /// applies after the anchor. The anchor's certificate is checked by ``ValidatorSetHistory/append(_:)``.
    /// - Throws: ``ProofError/transitionEntryMismatch(index:)`` when the proof is sound for the key but commits
    ///   another entry; ``ProofError/transitionStateMismatch(index:)`` when it does not lead to the state root;
    ///   ``ProofError/transitionInvalid(index:)`` when the entry applies at or before the anchor.
    func verifyEntry(suite: CryptoSuite) throws(ProofError) {
        let root = anchor.header.stateRoot
        let path = StateTree.keyPath(forKey: stateKey, suite: suite)
        let valueHash = StateTree.valueHash(of: entry.canonicalBytes, suite: suite)
        if !proof.verify(keyPath: path, valueHash: valueHash, root: root, suite: suite) {
            // The same check with the value hash the proof itself commits to tells a changed entry from a bad path.
            if case .leaf(let leafPath, let committed) = proof.terminal, leafPath == path,
               proof.verify(keyPath: path, valueHash: committed, root: root, suite: suite) {
                throw .transitionEntryMismatch(index: index)
            }
            throw .transitionStateMismatch(index: index)
        }
        guard entry.appliesFrom > anchor.header.height else { throw .transitionInvalid(index: index) }
    }

    /// anchor, index, entry, proof.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(anchor)
        encoder.encode(index)
        encoder.encode(entry)
        encoder.encode(proof)
    }

    /// Reads a transition.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        anchor = try decoder.decode(CertifiedHeader.self)
        index = try decoder.decodeUInt64("transition.index")
        entry = try decoder.decode(ValidatorSetEntry.self)
        proof = try decoder.decode(StateProof.self)
    }
}

extension ValidatorSetTransition {
    /// Reads the transitions that end a version 2 proof: a count, at most ``Limits/proofTransitionsMax``, then each.
    static func decodeList(_ decoder: inout CanonicalDecoder) throws(CodecError) -> [ValidatorSetTransition] {
        try decoder.decodeSequence(ValidatorSetTransition.self, "proof.transitions", max: Limits.proofTransitionsMax)
    }
}
