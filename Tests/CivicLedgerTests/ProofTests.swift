import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// Transaction and state proofs against a genesis: each check of `verify` can fail, and no single changed
/// byte of a proof file gets through.
@Suite struct ProofTests {
    static let fixtures: [CryptoSuite: ChainFixture] = [.sm: ChainFixture(.sm), .intl: ChainFixture(.intl)]
    static func fixture(_ suite: CryptoSuite) -> ChainFixture { fixtures[suite]! }

    static let absentKey = Array("kv/gamma".utf8)

    @Test(arguments: CryptoSuite.allCases)
    func everyTransactionProofVerifies(suite: CryptoSuite) throws {
        let chain = Self.fixture(suite)
        try chain.anchor.verify(genesis: chain.genesis)
        for index in chain.transactions.indices {
            let proof = chain.transactionProof(index: index)
            try proof.verify(genesis: chain.genesis)
            try ProofFile.decode(ProofFile.transaction(proof).canonicalBytes).verify(genesis: chain.genesis)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func stateProofsOfPresenceAndAbsenceVerify(suite: CryptoSuite) throws {
        let chain = Self.fixture(suite)
        for entry in ChainFixture.stateEntries {
            let proof = chain.stateProof(key: entry.key)
            #expect(proof.value == entry.value)
            try proof.verify(genesis: chain.genesis)
            try ProofFile.decode(ProofFile.state(proof).canonicalBytes).verify(genesis: chain.genesis)
        }
        let absent = chain.stateProof(key: Self.absentKey)
        #expect(absent.value == nil)
        try absent.verify(genesis: chain.genesis)
    }

    @Test(arguments: CryptoSuite.allCases)
    func wrongChainIsRefused(suite: CryptoSuite) {
        let chain = Self.fixture(suite)
        var genesis = chain.genesis
        genesis.chainID = "another-city"
        #expect(throws: ProofError.wrongChain(expected: "another-city", actual: LedgerFixtures.chainID)) {
            try chain.transactionProof(index: 0).verify(genesis: genesis)
        }
        #expect(throws: ProofError.wrongChain(expected: "another-city", actual: LedgerFixtures.chainID)) {
            try chain.stateProof(key: ChainFixture.stateEntries[0].key).verify(genesis: genesis)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func unknownValidatorSetIsRefused(suite: CryptoSuite) {
        let chain = Self.fixture(suite)
        var genesis = chain.genesis
        // Same keys, one more unit of power: another set, another hash.
        var validators = genesis.validators.validators
        validators[0].power = 2
        genesis.validators = ValidatorSet(validators)
        #expect(throws: ProofError.unknownValidatorSet) { try chain.transactionProof(index: 0).verify(genesis: genesis) }
        #expect(throws: ProofError.unknownValidatorSet) {
            try chain.stateProof(key: Self.absentKey).verify(genesis: genesis)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateErrorsAreReported(suite: CryptoSuite) {
        let chain = Self.fixture(suite)
        var proof = chain.transactionProof(index: 0)
        proof.anchor.certificate = LedgerFixtures.certificate(for: chain.header, suite: suite, signers: [0, 3])
        #expect(throws: ProofError.certificate(.insufficientPower(signed: 2, required: 3))) {
            try proof.verify(genesis: chain.genesis)
        }
        // A header changed after certification no longer matches the certificate.
        var state = chain.stateProof(key: ChainFixture.stateEntries[1].key)
        state.anchor.header.time = Timestamp(milliseconds: state.anchor.header.time.milliseconds + 1)
        #expect(throws: ProofError.certificate(.wrongBlock)) { try state.verify(genesis: chain.genesis) }
        #expect(ProofError.certificate(.wrongBlock).code == "certificate.wrong_block")
    }

    @Test(arguments: CryptoSuite.allCases)
    func transactionNotInBlockIsRefused(suite: CryptoSuite) {
        let chain = Self.fixture(suite)
        var swapped = chain.transactionProof(index: 0)
        swapped.transaction = chain.transactions[1]
        #expect(throws: ProofError.transactionNotInBlock) { try swapped.verify(genesis: chain.genesis) }
        var moved = chain.transactionProof(index: 0)
        moved.transactionPath.leafIndex = 1
        #expect(throws: ProofError.transactionNotInBlock) { try moved.verify(genesis: chain.genesis) }
        var beyond = chain.transactionProof(index: 2)
        beyond.transactionPath.leafIndex = 3
        #expect(throws: ProofError.transactionNotInBlock) { try beyond.verify(genesis: chain.genesis) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func receiptMismatchIsRefused(suite: CryptoSuite) {
        let chain = Self.fixture(suite)
        // The receipt of transaction 1, with its valid path, offered for transaction 0.
        var other = chain.transactionProof(index: 0)
        let second = chain.transactionProof(index: 1)
        other.receipt = second.receipt
        other.receiptPath = second.receiptPath
        #expect(throws: ProofError.receiptMismatch) { try other.verify(genesis: chain.genesis) }
        // The right receipt at another position.
        var position = chain.transactionProof(index: 0)
        position.receiptPath = second.receiptPath
        #expect(throws: ProofError.receiptMismatch) { try position.verify(genesis: chain.genesis) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func receiptNotInBlockIsRefused(suite: CryptoSuite) {
        let chain = Self.fixture(suite)
        var changed = chain.transactionProof(index: 1)
        changed.receipt.status = .success  // it failed
        #expect(throws: ProofError.receiptNotInBlock) { try changed.verify(genesis: chain.genesis) }
        var data = chain.transactionProof(index: 0)
        data.receipt.returnData = [1]
        #expect(throws: ProofError.receiptNotInBlock) { try data.verify(genesis: chain.genesis) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func badTransactionSignatureIsRefused(suite: CryptoSuite) throws {
        let chain = ChainFixture(suite, badSignatureAt: 2)
        try chain.transactionProof(index: 0).verify(genesis: chain.genesis)
        #expect(throws: ProofError.badTransactionSignature) { try chain.transactionProof(index: 2).verify(genesis: chain.genesis) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func stateMismatchIsRefused(suite: CryptoSuite) {
        let chain = Self.fixture(suite)
        let key = ChainFixture.stateEntries[0].key
        var wrongValue = chain.stateProof(key: key)
        wrongValue.value = Array("uno".utf8)
        #expect(throws: ProofError.stateMismatch) { try wrongValue.verify(genesis: chain.genesis) }
        var claimedAbsent = chain.stateProof(key: key)
        claimedAbsent.value = nil
        #expect(throws: ProofError.stateMismatch) { try claimedAbsent.verify(genesis: chain.genesis) }
        var claimedPresent = chain.stateProof(key: Self.absentKey)
        claimedPresent.value = [0]
        #expect(throws: ProofError.stateMismatch) { try claimedPresent.verify(genesis: chain.genesis) }
        var otherKey = chain.stateProof(key: key)
        otherKey.key = ChainFixture.stateEntries[1].key
        #expect(throws: ProofError.stateMismatch) { try otherKey.verify(genesis: chain.genesis) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func malformedFilesAreRefused(suite: CryptoSuite) throws {
        let chain = Self.fixture(suite)
        let bytes = ProofFile.transaction(chain.transactionProof(index: 0)).canonicalBytes
        #expect(Array(bytes.prefix(11)) == Array("CIVICPROOF".utf8) + [2])
        let candidates: [[UInt8]] = [
            [], Array("CIVICPROOF".utf8), Array(bytes.dropLast()), bytes + [0],
            Array("CIVICPR00F".utf8) + bytes.dropFirst(10),
            Array(bytes.prefix(10)) + [3] + bytes.dropFirst(11),   // version 3
            Array(bytes.prefix(10)) + [0] + bytes.dropFirst(11),   // version 0
            Array(bytes.prefix(10)) + [1] + bytes.dropFirst(11),   // version 1 has no transition count: a byte too many
            Array(bytes.prefix(11)) + [3] + bytes.dropFirst(12),   // kind 3
        ]
        for candidate in candidates {
            let error = #expect(throws: ProofError.self) { try ProofFile.decode(candidate) }
            #expect(error?.code == "proof.malformed")
        }
    }

    /// Changing any one byte of a proof file makes decoding or verification fail.
    @Test(arguments: CryptoSuite.allCases)
    func everySingleByteChangeIsDetected(suite: CryptoSuite) throws {
        let chain = Self.fixture(suite)
        let files: [ProofFile] = [
            .transaction(chain.transactionProof(index: 1)),
            .transaction(chain.transactionProof(index: 2)),
            .state(chain.stateProof(key: ChainFixture.stateEntries[2].key)),
            .state(chain.stateProof(key: Self.absentKey)),
        ]
        for (fileIndex, file) in files.enumerated() {
            let bytes = file.canonicalBytes
            try ProofFile.decode(bytes).verify(genesis: chain.genesis)
            for position in bytes.indices {
                for mask: UInt8 in [0x01, 0xff] {
                    var changed = bytes
                    changed[position] ^= mask
                    let accepted: ProofFile?
                    do {
                        let decoded = try ProofFile.decode(changed)
                        try decoded.verify(genesis: chain.genesis)
                        accepted = decoded
                    } catch {
                        accepted = nil
                    }
                    guard let accepted else { continue }
                    // The one change that may verify: a byte of the key of an absence proof, when the changed key is
                    // absent too and its path shares the proof's prefix. The proof then states something true about
                    // another key; anything else getting through is a hole.
                    if case .state(let proof) = accepted, case .state(let original) = file, original.value == nil,
                       proof.value == nil, proof.key != original.key, !chain.state.contains(key: proof.key),
                       proof.anchor == original.anchor, proof.proof == original.proof {
                        continue
                    }
                    Issue.record("\(suite) file \(fileIndex): byte \(position) ^ \(mask) was accepted")
                }
            }
        }
    }

    @Test func errorCodesAreStable() {
        let cases: [(ProofError, String)] = [
            (.wrongChain(expected: "a", actual: "b"), "proof.wrong_chain"), (.unknownValidatorSet, "proof.unknown_validator_set"),
            (.certificate(.unsortedSignatures), "certificate.unsorted_signatures"),
            (.transactionNotInBlock, "proof.transaction_not_in_block"), (.receiptNotInBlock, "proof.receipt_not_in_block"),
            (.receiptMismatch, "proof.receipt_mismatch"), (.badTransactionSignature, "proof.bad_transaction_signature"),
            (.stateMismatch, "proof.state_mismatch"), (.malformed("x"), "proof.malformed"),
            (.validatorSetNotInForce(height: Height(5), inForce: 1), "proof.validator_set_not_in_force"),
            (.transitionGap(expected: 1, actual: 2), "proof.transition_gap"),
            (.transitionUncertified(index: 1, reason: .unknownValidatorSet), "proof.transition_uncertified"),
            (.transitionStateMismatch(index: 1), "proof.transition_state_mismatch"),
            (.transitionEntryMismatch(index: 1), "proof.transition_entry_mismatch"),
            (.transitionInvalid(index: 1), "proof.transition_invalid"),
        ]
        for (error, code) in cases {
            #expect(error.code == code)
            #expect(!error.description.isEmpty)
        }
    }
}
