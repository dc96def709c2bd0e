import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// A synthetic chain whose validator set changes once: genesis set A (keys 1…4) certifies up to height 4; block 3
/// (certified by A) writes entry 1 = set B (keys 5…8) applying from height 5; block 6 is certified by B.
struct TransitionChain {
    static let changeHeight = Height(3)
    static let appliesFrom = Height(5)
    static let targetHeight = Height(6)
    static let kvKey = Array("kv/alpha".utf8)

    let suite: CryptoSuite
    let genesis: Genesis
    let keysA: [PrivateKey]
    let keysB: [PrivateKey]
    let setB: ValidatorSet
    let entry1: ValidatorSetEntry
    /// Block 3's state: entries 0 and 1 and a key-value entry.
    let changeState: StateTree
    let changeAnchor: CertifiedHeader
    let transition: ValidatorSetTransition
    /// Block 6's state and its header certified by B.
    let targetState: StateTree
    let targetAnchor: CertifiedHeader

    init(_ suite: CryptoSuite) {
        self.suite = suite
        genesis = LedgerFixtures.genesis(suite)
        keysA = LedgerFixtures.validatorKeys(suite)
        keysB = (5...8).map { LedgerFixtures.key(suite, $0) }
        setB = Self.validators(keysB, prefix: "b")
        entry1 = ValidatorSetEntry(appliesFrom: Self.appliesFrom, validators: setB, proposalID: 1)
        changeState = StateTree(suite: suite, entries: [
            (ValidatorSetEntry.stateKey(index: 0), ValidatorSetEntry(genesis: genesis).canonicalBytes),
            (ValidatorSetEntry.stateKey(index: 1), entry1.canonicalBytes),
            (Self.kvKey, Array("one".utf8)),
        ])
        changeAnchor = Self.anchor(height: Self.changeHeight, state: changeState, validators: genesis.validators,
                                   keys: keysA, suite: suite)
        transition = ValidatorSetTransition(anchor: changeAnchor, index: 1, entry: entry1,
                                            proof: changeState.proof(forKey: ValidatorSetEntry.stateKey(index: 1)))
        targetState = changeState.applying([StateWrite(key: Self.kvKey, value: Array("two".utf8))])
        targetAnchor = Self.anchor(height: Self.targetHeight, state: targetState, validators: setB, keys: keysB,
                                   suite: suite)
    }

    static func validators(_ keys: [PrivateKey], prefix: String) -> ValidatorSet {
        ValidatorSet(keys.enumerated().map { index, key in
            Validator(name: "\(prefix)-\(index)", organization: "org-\(index)", publicKey: key.publicKey, power: 1)
        })
    }

    /// A header at `height` over `state`, naming `validators`, certified by the first three of `keys`.
    static func anchor(height: Height, state: StateTree, validators: ValidatorSet, keys: [PrivateKey],
                       suite: CryptoSuite) -> CertifiedHeader {
        let header = BlockHeader(
            chainID: LedgerFixtures.chainID, height: height,
            time: Timestamp(milliseconds: 1_700_000_000_000 + height.rawValue * 1_000),
            previousHash: LedgerFixtures.hash(UInt8(height.rawValue)), proposer: 0, transactionCount: 0,
            transactionsRoot: MerkleTree.root(leaves: [], suite: suite),
            receiptsRoot: MerkleTree.root(leaves: [], suite: suite), stateRoot: state.root,
            validatorsHash: validators.hash(suite: suite))
        return CertifiedHeader(header: header, certificate: certificate(for: header, keys: keys, suite: suite))
    }

    /// A certificate for `header` signed by the first three of `keys` (indices 0, 1, 2).
    static func certificate(for header: BlockHeader, keys: [PrivateKey], suite: CryptoSuite) -> CommitCertificate {
        let blockHash = header.hash(suite: suite)
        let vote = Vote(kind: .precommit, height: header.height, round: Round(0), blockHash: blockHash)
        let signatures = (0..<3).map { index in
            CommitSignature(validatorIndex: UInt32(index),
                            signature: try! keys[index].signature(for: vote.signBytes(chainID: header.chainID)))
        }
        return CommitCertificate(height: header.height, round: Round(0), blockHash: blockHash, signatures: signatures)
    }

    /// The proof of `kvKey` at block 6, carrying `transitions`.
    func targetProof(transitions: [ValidatorSetTransition]) -> StateEntryProof {
        StateEntryProof(anchor: targetAnchor, key: Self.kvKey, value: Array("two".utf8),
                        proof: targetState.proof(forKey: Self.kvKey), transitions: transitions)
    }
}

/// Offline proofs across a validator-set change: the chain of transitions from genesis, and one refusal code
/// per way it can be wrong.
@Suite struct ValidatorSetTransitionTests {
    static let chains: [CryptoSuite: TransitionChain] = [.sm: TransitionChain(.sm), .intl: TransitionChain(.intl)]
    static func chain(_ suite: CryptoSuite) -> TransitionChain { chains[suite]! }

    static func code(_ body: () throws(ProofError) -> Void) -> String? {
        do { try body() } catch { return error.code }
        return nil
    }

    @Test(arguments: CryptoSuite.allCases)
    func aProofAfterTheChangeVerifiesFromGenesis(suite: CryptoSuite) throws {
        let chain = Self.chain(suite)
        let proof = chain.targetProof(transitions: [chain.transition])
        let history = try proof.verify(genesis: chain.genesis)
        #expect(history.transitionCount == 1)
        #expect(history.entry(at: TransitionChain.targetHeight).index == 1)
        #expect(history.entry(at: Height(4)).index == 0)
        #expect(history.entry(at: TransitionChain.appliesFrom).entry == chain.entry1)
        let file = ProofFile.state(proof)
        #expect(try ProofFile.decode(file.canonicalBytes) == file)
        try ProofFile.decode(file.canonicalBytes).verify(genesis: chain.genesis)
    }

    /// Block 4 is after the change but before it applies: set A still certifies it, with or without the transition.
    @Test(arguments: CryptoSuite.allCases)
    func theOldSetCertifiesUntilTheEntryApplies(suite: CryptoSuite) throws {
        let chain = Self.chain(suite)
        let anchor = TransitionChain.anchor(height: Height(4), state: chain.targetState,
                                            validators: chain.genesis.validators, keys: chain.keysA, suite: suite)
        for transitions in [[], [chain.transition]] {
            let proof = StateEntryProof(anchor: anchor, key: TransitionChain.kvKey, value: Array("two".utf8),
                                        proof: chain.targetState.proof(forKey: TransitionChain.kvKey),
                                        transitions: transitions)
            #expect(try proof.verify(genesis: chain.genesis).verify(anchor).index == 0)
        }
        // Set B at height 4 names a set that does not apply yet.
        let early = TransitionChain.anchor(height: Height(4), state: chain.targetState, validators: chain.setB,
                                           keys: chain.keysB, suite: suite)
        let history = try ValidatorSetHistory(genesis: chain.genesis, transitions: [chain.transition])
        #expect(throws: ProofError.validatorSetNotInForce(height: Height(4), inForce: 0)) { try history.verify(early) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func aMissingTransitionIsRefused(suite: CryptoSuite) {
        let chain = Self.chain(suite)
        #expect(throws: ProofError.unknownValidatorSet) {
            try chain.targetProof(transitions: []).verify(genesis: chain.genesis)
        }
        #expect(Self.code { () throws(ProofError) in
            _ = try chain.targetProof(transitions: []).verify(genesis: chain.genesis)
        } == "proof.unknown_validator_set")
    }

    @Test(arguments: CryptoSuite.allCases)
    func aGapIsRefused(suite: CryptoSuite) {
        let chain = Self.chain(suite)
        var skipped = chain.transition
        skipped.index = 2
        #expect(throws: ProofError.transitionGap(expected: 1, actual: 2)) {
            try chain.targetProof(transitions: [skipped]).verify(genesis: chain.genesis)
        }
        #expect(throws: ProofError.transitionGap(expected: 2, actual: 1)) {
            try chain.targetProof(transitions: [chain.transition, chain.transition]).verify(genesis: chain.genesis)
        }
        #expect(ProofError.transitionGap(expected: 1, actual: 2).code == "proof.transition_gap")
    }

    @Test(arguments: CryptoSuite.allCases)
    func aTransitionCertifiedByTheWrongSetIsRefused(suite: CryptoSuite) {
        let chain = Self.chain(suite)
        // Block 3 signed by B's keys while the header names A.
        var signedByB = chain.transition
        signedByB.anchor.certificate = TransitionChain.certificate(for: chain.changeAnchor.header, keys: chain.keysB,
                                                                   suite: suite)
        let error = #expect(throws: ProofError.self) {
            try chain.targetProof(transitions: [signedByB]).verify(genesis: chain.genesis)
        }
        #expect(error?.code == "proof.transition_uncertified")
        if case .transitionUncertified(let index, let reason)? = error {
            #expect(index == 1)
            #expect(reason.code.hasPrefix("certificate."))
        } else {
            Issue.record("expected transitionUncertified, got \(String(describing: error))")
        }
        // Block 3 naming and signed by B: B does not certify height 3.
        var namedB = chain.transition
        namedB.anchor = TransitionChain.anchor(height: TransitionChain.changeHeight, state: chain.changeState,
                                               validators: chain.setB, keys: chain.keysB, suite: suite)
        #expect(throws: ProofError.transitionUncertified(index: 1, reason: .unknownValidatorSet)) {
            try chain.targetProof(transitions: [namedB]).verify(genesis: chain.genesis)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func aStateProofThatDoesNotLeadToTheRootIsRefused(suite: CryptoSuite) {
        let chain = Self.chain(suite)
        var otherPath = chain.transition
        otherPath.proof = chain.changeState.proof(forKey: TransitionChain.kvKey)
        #expect(throws: ProofError.transitionStateMismatch(index: 1)) {
            try chain.targetProof(transitions: [otherPath]).verify(genesis: chain.genesis)
        }
        var otherRoot = chain.transition
        otherRoot.proof = chain.targetState.proof(forKey: ValidatorSetEntry.stateKey(index: 1))
        otherRoot.proof.siblings[0] = LedgerFixtures.hash(0x77)
        #expect(throws: ProofError.transitionStateMismatch(index: 1)) {
            try chain.targetProof(transitions: [otherRoot]).verify(genesis: chain.genesis)
        }
        #expect(ProofError.transitionStateMismatch(index: 1).code == "proof.transition_state_mismatch")
    }

    @Test(arguments: CryptoSuite.allCases)
    func aTamperedEntryIsRefused(suite: CryptoSuite) {
        let chain = Self.chain(suite)
        var otherSet = chain.transition
        otherSet.entry.validators = TransitionChain.validators(chain.keysA, prefix: "forged")
        #expect(throws: ProofError.transitionEntryMismatch(index: 1)) {
            try chain.targetProof(transitions: [otherSet]).verify(genesis: chain.genesis)
        }
        var earlier = chain.transition
        earlier.entry.appliesFrom = Height(4)
        #expect(throws: ProofError.transitionEntryMismatch(index: 1)) {
            try chain.targetProof(transitions: [earlier]).verify(genesis: chain.genesis)
        }
        #expect(ProofError.transitionEntryMismatch(index: 1).code == "proof.transition_entry_mismatch")
    }

    /// An entry the chain itself wrote to apply at its own height breaks the rule that a change applies later.
    @Test(arguments: CryptoSuite.allCases)
    func anEntryApplyingAtItsOwnBlockIsRefused(suite: CryptoSuite) {
        let chain = Self.chain(suite)
        let entry = ValidatorSetEntry(appliesFrom: TransitionChain.changeHeight, validators: chain.setB, proposalID: 1)
        let state = StateTree(suite: suite, entries: [(ValidatorSetEntry.stateKey(index: 1), entry.canonicalBytes)])
        let anchor = TransitionChain.anchor(height: TransitionChain.changeHeight, state: state,
                                            validators: chain.genesis.validators, keys: chain.keysA, suite: suite)
        let transition = ValidatorSetTransition(anchor: anchor, index: 1, entry: entry,
                                                proof: state.proof(forKey: ValidatorSetEntry.stateKey(index: 1)))
        #expect(throws: ProofError.transitionInvalid(index: 1)) {
            try ValidatorSetHistory(genesis: chain.genesis, transitions: [transition])
        }
        #expect(ProofError.transitionInvalid(index: 1).code == "proof.transition_invalid")
    }

    @Test(arguments: CryptoSuite.allCases)
    func theOldSetAfterTheNewOneAppliesIsRefused(suite: CryptoSuite) {
        let chain = Self.chain(suite)
        let stale = TransitionChain.anchor(height: TransitionChain.targetHeight, state: chain.targetState,
                                           validators: chain.genesis.validators, keys: chain.keysA, suite: suite)
        var proof = chain.targetProof(transitions: [chain.transition])
        proof.anchor = stale
        #expect(throws: ProofError.validatorSetNotInForce(height: TransitionChain.targetHeight, inForce: 1)) {
            try proof.verify(genesis: chain.genesis)
        }
        #expect(ProofError.validatorSetNotInForce(height: Height(1), inForce: 0).code
                == "proof.validator_set_not_in_force")
    }

    /// Transaction proofs carry transitions the same way.
    @Test(arguments: CryptoSuite.allCases)
    func transactionProofsCarryTransitions(suite: CryptoSuite) throws {
        let fixture = ProofTests.fixture(suite)
        var proof = fixture.transactionProof(index: 0)
        proof.transitions = [Self.chain(suite).transition]
        // The fixture's block 1 is before the change: set A certifies it, and the transition is checked all the same.
        #expect(try proof.verify(genesis: fixture.genesis).transitionCount == 1)
        let file = ProofFile.transaction(proof)
        #expect(try ProofFile.decode(file.canonicalBytes) == file)
        proof.transitions[0].index = 3
        #expect(throws: ProofError.transitionGap(expected: 1, actual: 3)) { try proof.verify(genesis: fixture.genesis) }
    }

    @Test func stateKeysMatchTheGovernanceLayout() {
        #expect(ValidatorSetEntry.stateKey(index: 1)
                == Array("governance/validator-set/".utf8) + [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(ValidatorSetEntry.index(ofStateKey: ValidatorSetEntry.stateKey(index: 300)) == 300)
        #expect(ValidatorSetEntry.index(ofStateKey: Array("governance/validator-set-count".utf8)) == nil)
        #expect(ValidatorSetEntry.index(ofStateKey: ValidatorSetEntry.stateKey(index: 1) + [0]) == nil)
    }

    /// Changing any one byte of a proof file with a transition makes decoding or verification fail.
    @Test(arguments: CryptoSuite.allCases)
    func everySingleByteChangeOfATransitionIsDetected(suite: CryptoSuite) throws {
        let chain = Self.chain(suite)
        let bytes = ProofFile.state(chain.targetProof(transitions: [chain.transition])).canonicalBytes
        try ProofFile.decode(bytes).verify(genesis: chain.genesis)
        for position in bytes.indices {
            for mask: UInt8 in [0x01, 0xff] {
                var changed = bytes
                changed[position] ^= mask
                do {
                    try ProofFile.decode(changed).verify(genesis: chain.genesis)
                    Issue.record("\(suite): byte \(position) ^ \(mask) was accepted")
                } catch {}
            }
        }
    }
}
