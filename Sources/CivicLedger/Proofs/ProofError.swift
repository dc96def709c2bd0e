/// Why a proof does not establish what it claims. Every case is a reason to distrust the data.
public enum ProofError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The proof is for another chain than the genesis file's.
    case wrongChain(expected: String, actual: String)
    /// The block was certified by a validator set other than the one the verifier knows.
    case unknownValidatorSet
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
        case .unknownValidatorSet: "The block was certified by validators the genesis file does not list."
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
