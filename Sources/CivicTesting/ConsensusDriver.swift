import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger

/// A decided block with its certificate, as a node's chain stores it.
public struct CommittedBlock: Sendable, Equatable {
    /// The block.
    public var block: ProposedBlock
    /// The precommits that decided it.
    public var certificate: CommitCertificate
}

/// What a driver hands to the network.
public enum Outgoing: Sendable, Equatable {
    /// To every other node.
    case broadcast(ConsensusMessage)
    /// To the nodes of one validator.
    case send(ConsensusMessage, to: UInt32)
}

/// A reference driver: owns one core and its signer and performs the core's ``Ready`` in order, the way
/// a node must:
///
/// 1. `signProposal`/`signVote`: ask the signer (it persists, then signs); if it refuses, drop the
///    action; otherwise broadcast the signed message and step it back into the core.
/// 2. `broadcast`/`send`: hand to the network.
/// 3. `commit`: append the block and its certificate to the chain (durably, in a real node) before
///    anything else of this Ready is acknowledged.
/// 4. `equivocation`: keep it for submission. `requestBlock`: remember; the owner answers with
///    ``propose(_:)``.
/// Then `advance`, and repeat while the core has more.
public struct ConsensusDriver: Sendable {
    /// The consensus core; `nil` while the node is crashed.
    public var core: ConsensusCore?
    /// The guarded signer (its store survives a crash).
    public var signer: VoteSigner<InMemorySignerStateStore>
    /// The committed chain: index `k` holds height `k + 1`.
    public private(set) var chain: [CommittedBlock] = []
    /// Equivocations the core reported, in order.
    public private(set) var equivocations: [Equivocation] = []
    /// The round the core asked a block for and has not received one yet.
    public private(set) var blockRequest: (height: Height, round: Round)?
    /// The last valid value the core asked to persist (it survives a crash, like the signer's store).
    public private(set) var validValue: ValidValueRecord?
    /// Signing requests the signer refused, in order (for traces and tests).
    public private(set) var refusals: [SignerError] = []

    /// A driver for validator `index` that starts at height 1.
    public init(config: ConsensusConfig, validators: ValidatorSet, index: UInt32, key: PrivateKey) {
        do {
            signer = try VoteSigner(key: key, validatorIndex: index, chainID: config.chainID,
                                    store: InMemorySignerStateStore())
        } catch {
            preconditionFailure("an empty in-memory store cannot fail to load: \(error)")
        }
        core = ConsensusCore(config: config, validators: validators, validatorIndex: index, height: Height(1))
    }

    /// Loses the in-memory consensus state; the signer's store and the chain stay.
    public mutating func crash() {
        core = nil
        blockRequest = nil
    }

    /// Rebuilds the core after a crash from the chain's height and the signer's persisted state.
    public mutating func restart(config: ConsensusConfig, validators: ValidatorSet, key: PrivateKey) {
        precondition(core == nil, "restart of a running node")
        do {
            signer = try VoteSigner(key: key, validatorIndex: signer.validatorIndex, chainID: config.chainID,
                                    store: signer.store)
        } catch {
            preconditionFailure("the in-memory signer store failed to reload: \(error)")
        }
        core = ConsensusCore(config: config, validators: validators, validatorIndex: signer.validatorIndex,
                             height: Height(UInt64(chain.count) + 1), restoring: signer.state,
                             validValue: validValue)
        // The votes the signer gave before the crash count again (and are re-broadcast from now on).
        let restored = signer.state
        if restored.height == core!.height {
            for case let signed? in [restored.prevote, restored.precommit] { try? core!.step(.vote(signed)) }
        }
    }

    /// Steps `input` into the core and performs what follows. Refused inputs are dropped.
    /// - Returns: the performed actions and the messages to send.
    public mutating func receive(_ input: ConsensusInput) -> (actions: [ConsensusAction], outgoing: [Outgoing]) {
        guard core != nil else { return ([], []) }
        do { try core!.step(input) } catch { return drain() }
        return drain()
    }

    /// Advances the core's time by one tick and performs what follows.
    public mutating func tick() -> (actions: [ConsensusAction], outgoing: [Outgoing]) {
        guard core != nil else { return ([], []) }
        core!.tick()
        return drain()
    }

    /// Answers the outstanding block request with `block`.
    public mutating func propose(_ block: ProposedBlock) -> (actions: [ConsensusAction], outgoing: [Outgoing]) {
        guard core != nil, blockRequest != nil else { return ([], []) }
        blockRequest = nil
        core!.propose(block: block)
        return drain()
    }

    /// Performs every pending action in order (see the type's documentation).
    public mutating func drain() -> (actions: [ConsensusAction], outgoing: [Outgoing]) {
        var performed: [ConsensusAction] = []
        var outgoing: [Outgoing] = []
        while let ready = core?.ready(), !ready.isEmpty {
            for action in ready.actions {
                performed.append(action)
                perform(action, into: &outgoing)
            }
            core!.advance(ready)
        }
        return (performed, outgoing)
    }

    private mutating func perform(_ action: ConsensusAction, into outgoing: inout [Outgoing]) {
        switch action {
        case .requestBlock(let height, let round):
            blockRequest = (height, round)
        case .signProposal(let proposal, let block):
            do {
                let signed = try signer.sign(proposal)
                outgoing.append(.broadcast(.proposal(signed, block)))
                try? core!.step(.proposal(signed, block, blockIsValid: true))
            } catch {
                refusals.append(error)
            }
        case .persistValidValue(let record):
            validValue = record
        case .signVote(let vote, let polRound):
            do {
                let signed = try signer.sign(vote, polRound: polRound)
                outgoing.append(.broadcast(.vote(signed)))
                try? core!.step(.vote(signed))
            } catch {
                refusals.append(error)
            }
        case .broadcast(let message):
            outgoing.append(.broadcast(message))
        case .send(let message, let index):
            outgoing.append(.send(message, to: index))
        case .commit(let block, let certificate):
            precondition(certificate.height.rawValue == UInt64(chain.count) + 1, "a commit out of height order")
            chain.append(CommittedBlock(block: block, certificate: certificate))
            if blockRequest.map({ $0.height <= certificate.height }) == true { blockRequest = nil }
        case .equivocation(let found):
            equivocations.append(found)
        case .timeoutScheduled:
            break
        }
    }

    /// Test hook: replaces the last committed block (keeping its certificate) to fake a fork.
    public mutating func replaceLastBlockForTesting(_ block: ProposedBlock) {
        precondition(!chain.isEmpty, "no block to replace")
        chain[chain.count - 1].block = block
    }
}
