import CivicCrypto

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
