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

/// The validator sets a verifier has established, starting from the genesis file's and extended one checked
/// ``ValidatorSetTransition`` at a time: the light client's view of who certifies which height.
public struct ValidatorSetHistory: Hashable, Sendable {
    /// The chain the sets belong to.
    public let chainID: String
    /// The chain's hash and signature suite.
    public let suite: CryptoSuite
    /// Entry `n` at position `n`; entry 0 is the genesis validators'.
    public private(set) var entries: [ValidatorSetEntry]

    /// The history that knows only the genesis validators (entry 0, from height 1).
    public init(genesis: Genesis) {
        chainID = genesis.chainID
        suite = genesis.suite
        entries = [ValidatorSetEntry(genesis: genesis)]
    }

    /// The history after checking `transitions`, in order, from genesis.
    /// - Throws: ``ProofError`` of the first transition that fails ``append(_:)``.
    public init(genesis: Genesis, transitions: [ValidatorSetTransition]) throws(ProofError) {
        self.init(genesis: genesis)
        for transition in transitions { try append(transition) }
    }

    /// How many transitions were checked.
    public var transitionCount: Int { entries.count - 1 }

    /// The set that certifies blocks at `height`: the newest entry applying from `height` or earlier (the
    /// genesis entry below height 1 too, where no block is certified).
    public func entry(at height: Height) -> (index: UInt64, entry: ValidatorSetEntry) {
        let position = entries.lastIndex { $0.appliesFrom <= height } ?? 0
        return (UInt64(position), entries[position])
    }

    /// Checks `anchor` against the set in force at its height: chain id, `validatorsHash`, certificate.
    /// - Returns: the set in force and its index.
    /// - Throws: ``ProofError/validatorSetNotInForce(height:inForce:)`` when the header names another known
    ///   set (a replaced one, or one not applying yet); else as ``CertifiedHeader/verify(chainID:suite:validators:)``.
    @discardableResult
    public func verify(_ anchor: CertifiedHeader) throws(ProofError) -> (index: UInt64, entry: ValidatorSetEntry) {
        let inForce = entry(at: anchor.header.height)
        do {
            try anchor.verify(chainID: chainID, suite: suite, validators: inForce.entry.validators)
        } catch {
            if error == .unknownValidatorSet,
               entries.contains(where: { $0.validators.hash(suite: suite) == anchor.header.validatorsHash }) {
                throw .validatorSetNotInForce(height: anchor.header.height, inForce: inForce.index)
            }
            throw error
        }
        return inForce
    }

    /// Checks `transition` and adopts its entry.
    /// - Throws: ``ProofError/transitionGap(expected:actual:)`` unless its index is the next one;
    ///   ``ProofError/transitionUncertified(index:reason:)`` when its anchor fails ``verify(_:)``; the errors of
    ///   the entry's state check (``ValidatorSetTransition``). Nothing changes on error.
    public mutating func append(_ transition: ValidatorSetTransition) throws(ProofError) {
        let expected = UInt64(entries.count)
        guard transition.index == expected else { throw .transitionGap(expected: expected, actual: transition.index) }
        do {
            try verify(transition.anchor)
        } catch {
            throw .transitionUncertified(index: transition.index, reason: error)
        }
        try transition.verifyEntry(suite: suite)
        entries.append(transition.entry)
    }
}

extension ValidatorSetTransition {
    /// Reads the transitions that end a version 2 proof: a count, at most ``Limits/proofTransitionsMax``, then each.
    static func decodeList(_ decoder: inout CanonicalDecoder) throws(CodecError) -> [ValidatorSetTransition] {
        try decoder.decodeSequence(ValidatorSetTransition.self, "proof.transitions", max: Limits.proofTransitionsMax)
    }
}
