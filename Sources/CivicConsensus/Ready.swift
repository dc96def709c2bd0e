import CivicCodec
import CivicCrypto
import CivicLedger

/// One thing the driver must do, in the order ``Ready/actions`` lists them.
public enum ConsensusAction: Sendable, Equatable {
    /// Line 18 `getValue()`: this validator proposes at `height`/`round` and needs a block; answer with
    /// ``ConsensusCore/propose(block:)``.
    case requestBlock(height: Height, round: Round)
    /// Have the signer sign `proposal` (it persists first), broadcast `.proposal(signed, block)`, then
    /// step it back with `blockIsValid: true`.
    case signProposal(Proposal, ProposedBlock)
    /// Persist `validValue_p` with its proof of lock (replacing the previous record) before going on;
    /// hand it back to ``ConsensusCore/init(config:validators:validatorIndex:height:restoring:validValue:)``
    /// after a restart.
    case persistValidValue(ValidValueRecord)
    /// Have the signer sign `vote` (it persists the vote and, for a precommit, the lock, before it
    /// returns), broadcast `.vote(signed)`, then step it back. `polRound` is the prevote's
    /// justification for leaving a lock (line 29), checked by the signer.
    case signVote(Vote, polRound: Round?)
    /// Send `message` to every other validator.
    case broadcast(ConsensusMessage)
    /// Send `message` to the validator at `validatorIndex` only.
    case send(ConsensusMessage, to: UInt32)
    /// Line 51: `block` is decided; store it with `certificate` durably, then apply it.
    case commit(ProposedBlock, CommitCertificate)
    /// A validator equivocated; submit the equivocation to the chain (contract `accountability`).
    case equivocation(Equivocation)
    /// A timeout was scheduled (information: the core fires it itself on `tick()`).
    case timeoutScheduled(TimeoutKind, height: Height, round: Round, ticks: UInt64)
}

/// What the core asks of its driver since the last ``ConsensusCore/advance(_:)``, in order.
///
/// The driver performs every action in order; a signature comes from the signer, which persists
/// before it returns, so nothing is sent that is not already durable. It then calls `advance`.
public struct Ready: Sendable, Equatable {
    /// The actions, oldest first.
    public var actions: [ConsensusAction]

    /// Wraps a list of actions.
    public init(actions: [ConsensusAction]) { self.actions = actions }

    /// Whether there is nothing to do.
    public var isEmpty: Bool { actions.isEmpty }
}

/// Why the core refused an input. Ignoring a stale or duplicate message is not an error.
public enum ConsensusError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The signer index is not in the validator set.
    case unknownValidator(index: UInt32)
    /// A signature does not verify.
    case badSignature(validator: UInt32)
    /// The proposal comes from a validator that is not the round's proposer.
    case wrongProposer(expected: UInt32, actual: UInt32)
    /// The proposal's block is not the one it names.
    case blockMismatch
    /// The block's payload is larger than the configured maximum.
    case blockTooLarge(bytes: Int, max: Int)
    /// The proof-of-lock round is not below the proposal's round.
    case invalidPolRound
    /// The decided block's certificate does not prove it.
    case badCertificate(CertificateError)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .unknownValidator: "consensus.unknown_validator"
        case .badSignature: "consensus.bad_signature"
        case .wrongProposer: "consensus.wrong_proposer"
        case .blockMismatch: "consensus.block_mismatch"
        case .blockTooLarge: "consensus.block_too_large"
        case .invalidPolRound: "consensus.invalid_pol_round"
        case .badCertificate: "consensus.bad_certificate"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .unknownValidator(let index): "Validator #\(index) is not in the validator set."
        case .badSignature(let index): "The signature of validator #\(index) does not verify."
        case .wrongProposer(let expected, let actual):
            "Validator #\(actual) proposed, but this round's proposer is #\(expected)."
        case .blockMismatch: "The proposal names a different block than the one it carries."
        case .blockTooLarge(let bytes, let max): "The proposed block has \(bytes) bytes; at most \(max) are allowed."
        case .invalidPolRound: "The proposal's proof-of-lock round is not below its round."
        case .badCertificate(let error): "The decided block's certificate is not valid: \(error)"
        }
    }
}
