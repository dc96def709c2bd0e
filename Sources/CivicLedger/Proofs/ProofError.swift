/// Why a proof does not establish what it claims. Every case is a reason to distrust the data.
public enum ProofError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The proof is for another chain than the genesis file's.
    case wrongChain(expected: String, actual: String)
    /// The block was certified by a validator set the verifier does not know: neither the genesis set nor one
    /// established by the proof's transitions (a transition is missing, or the block is not from this chain).
    case unknownValidatorSet
    /// The block names a known validator set that is not the one in force at its height: a set that was
    /// replaced before `height`, or one that applies only later. `inForce` is the index of the right one.
    case validatorSetNotInForce(height: Height, inForce: UInt64)
    /// A transition's index is not the one after the previous transition's (transitions start at 1).
    case transitionGap(expected: UInt64, actual: UInt64)
    /// A transition's block is not certified by the set in force at its height.
    indirect case transitionUncertified(index: UInt64, reason: ProofError)
    /// A transition's state path does not lead to its block's state root.
    case transitionStateMismatch(index: UInt64)
    /// A transition's state path is sound, but the block's state holds another entry than the one offered.
    case transitionEntryMismatch(index: UInt64)
    /// A transition's entry applies at or before the height of the block that wrote it.
    case transitionInvalid(index: UInt64)
    /// The commit certificate does not finalize the block.
    case certificate(CertificateError)
    /// The transaction is not in the block (its Merkle path does not lead to the header's root).
    case transactionNotInBlock
    /// The receipt is not in the block.
    case receiptNotInBlock
    /// The receipt belongs to another transaction or position.
    case receiptMismatch
    /// The transaction's signature does not verify.
    case badTransactionSignature
    /// The state proof does not lead to the header's state root.
    case stateMismatch
    /// The file is not a CivicLedger proof, or is damaged.
    case malformed(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .wrongChain: "proof.wrong_chain"
        case .unknownValidatorSet: "proof.unknown_validator_set"
        case .validatorSetNotInForce: "proof.validator_set_not_in_force"
        case .transitionGap: "proof.transition_gap"
        case .transitionUncertified: "proof.transition_uncertified"
        case .transitionStateMismatch: "proof.transition_state_mismatch"
        case .transitionEntryMismatch: "proof.transition_entry_mismatch"
        case .transitionInvalid: "proof.transition_invalid"
        case .certificate(let error): error.code
        case .transactionNotInBlock: "proof.transaction_not_in_block"
        case .receiptNotInBlock: "proof.receipt_not_in_block"
        case .receiptMismatch: "proof.receipt_mismatch"
        case .badTransactionSignature: "proof.bad_transaction_signature"
        case .stateMismatch: "proof.state_mismatch"
        case .malformed: "proof.malformed"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .wrongChain(let expected, let actual):
            "The proof is for chain '\(actual)', but the genesis file is for '\(expected)'."
        case .unknownValidatorSet:
            "The block was certified by validators that neither the genesis file nor the proof's validator-set "
                + "transitions establish (a transition may be missing)."
        case .validatorSetNotInForce(let height, let inForce):
            "Block \(height) names a validator set that does not certify that height; set \(inForce) does."
        case .transitionGap(let expected, let actual):
            "The proof's validator-set transition \(actual) comes where transition \(expected) is due."
        case .transitionUncertified(let index, let reason):
            "Validator-set transition \(index) is not certified by the validators in force at its block: "
                + reason.description
        case .transitionStateMismatch(let index):
            "The state path of validator-set transition \(index) does not lead to its block's state root."
        case .transitionEntryMismatch(let index):
            "Validator-set transition \(index) offers an entry other than the one its block's state holds."
        case .transitionInvalid(let index):
            "Validator-set entry \(index) applies no later than the block that wrote it."
        case .certificate(let error): error.description
        case .transactionNotInBlock: "The transaction's Merkle path does not lead to the block's transactions root."
        case .receiptNotInBlock: "The receipt's Merkle path does not lead to the block's receipts root."
        case .receiptMismatch: "The receipt does not belong to this transaction."
        case .badTransactionSignature: "The transaction's signature does not verify with its signer's key."
        case .stateMismatch: "The state proof does not lead to the block's state root."
        case .malformed(let why): "The proof file is damaged or not a CivicLedger proof: \(why)"
        }
    }
}
