import CivicCodec
import CivicConsensus
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicNetwork
import CoreMetrics
import Logging
import Metrics
import Synchronization

extension Node {
    /// Most transactions re-gossiped per period (the oldest waiting ones).
    static let regossipTransactionsMax = 256

    /// Handles one frame from a peer. A frame that does not decode, or a message the core refuses,
    /// is logged and counted; it never stops the node.
    func receive(_ frame: InboundFrame) throws(NodeError) {
        let message: NodeMessage
        do { message = try NodeMessage(canonicalBytes: frame.bytes) } catch {
            peerFault(frame.peer, code: "message.malformed", "\(error)")
            return
        }
        switch message {
        case .proposal(let signed, let outline, let transactions):
            if let transactions { admitFromPeer(transactions) }
            wakeFor(signed.proposal.height)
            considerProposal(signed, outline, from: frame.peer)
        case .vote(let signed):
            wakeFor(signed.vote.height)
            step(.vote(signed), from: frame.peer)
        case .blocks(let blocks):
            try apply(blocks, from: frame.peer)
        case .transactions(let transactions), .missingTransactions(let transactions):
            // `run()` admits gossip beside the loop; answers to `getTransactions` come here.
            if admitFromPeer(transactions) > 0 { retryParked() }
        case .getTransactions(let hashes):
            let found = hashes.compactMap { hash in
                shared.withLock { $0.mempool.entry(hash)?.encoded }
                    ?? engine.validated.values.lazy.compactMap { validated in
                        validated.pending.transactionHashes.firstIndex(of: hash).map { validated.encoded[$0] }
                    }.first
            }
            for chunk in stride(from: 0, to: found.count, by: NodeMessage.transactionsPerMessageMax) {
                send(.missingTransactions(Array(found[chunk..<min(found.count, chunk + NodeMessage.transactionsPerMessageMax)])),
                     to: frame.peer)
            }
        case .status(let height):
            engine.peerHeights[frame.peer] = height
            if height > engine.chain.head.height { requestSync(from: frame.peer) }
        case .getBlocks(let from):
            serveBlocks(from: from, to: frame.peer)
        }
    }

    /// A message for the height being decided (or later) wakes the core's clock.
    private func wakeFor(_ height: Height) {
        guard let core = engine.core, height >= core.height else { return }
        engine.awake = true
        engine.peerActiveHeight = max(engine.peerActiveHeight ?? height, height)
    }

    /// Steps a peer's message into the core; refusals are logged and counted.
    private func step(_ input: ConsensusInput, from peer: PublicKey) {
        do { try engine.core?.step(input) } catch {
            peerFault(peer, code: error.code, error.description)
        }
    }

    /// A proposal is validated once all its transactions are here; missing bodies are asked of the
    /// proposer and the proposal waits for them.
    private func considerProposal(_ signed: SignedProposal, _ outline: BlockOutline, from peer: PublicKey) {
        // Proposals of other heights are ignored: the proposer re-sends its proposal, and a node
        // that is behind catches up through sync first.
        guard let core = engine.core, signed.proposal.height == core.height else { return }
        // Only the round's proposer's signed proposal is worth fetching bodies for and executing.
        let proposer = core.proposer(height: core.height, round: signed.proposal.round)
        guard signed.proposal.proposerIndex == proposer,
              signed.isValid(chainID: genesis.chainID, validators: core.validators) else {
            peerFault(peer, code: "consensus.bad_proposal", "a proposal not signed by round \(signed.proposal.round)'s proposer #\(proposer)")
            return
        }
        let hash = outline.header.hash(suite: genesis.suite)
        let block = ProposedBlock(hash: hash, payload: outline.canonicalBytes)
        if engine.validated[hash] != nil {
            step(.proposal(signed, block, blockIsValid: true), from: peer)
            return
        }
        let lookup = mempoolEntries(outline.transactionHashes)
        guard let entries = lookup.found else {
            engine.parked.removeAll { $0.signed.proposal.round == signed.proposal.round }
            engine.parked.append(Engine.Parked(peer: peer, signed: signed, outline: outline, missing: Set(lookup.missing)))
            send(.getTransactions(lookup.missing), to: peer)
            return
        }
        let isValid = validate(outline, entries: entries, proposer: signed.proposal.proposerIndex) != nil
        step(.proposal(signed, block, blockIsValid: isValid), from: peer)
    }

    /// Parked proposals whose missing bodies have all arrived are considered again (the others keep
    /// waiting; the proposer's periodic re-send of its proposal asks again for what is still missing).
    func retryParked() {
        let (ready, waiting) = shared.withLock { shared in
            (engine.parked.filter { $0.missing.allSatisfy(shared.mempool.contains) },
             engine.parked.filter { !$0.missing.allSatisfy(shared.mempool.contains) })
        }
        engine.parked = waiting
        for entry in ready { considerProposal(entry.signed, entry.outline, from: entry.peer) }
    }

    /// The mempool entries for `hashes`, in order, or the hashes that are missing.
    func mempoolEntries(_ hashes: [Hash256]) -> (found: [Mempool.Entry]?, missing: [Hash256]) {
        shared.withLock { shared in
            var entries: [Mempool.Entry] = []
            entries.reserveCapacity(hashes.count)
            var missing: [Hash256] = []
            for hash in hashes {
                if let entry = shared.mempool.entry(hash) { entries.append(entry) } else { missing.append(hash) }
            }
            return (missing.isEmpty ? entries : nil, missing)
        }
    }

    /// Validates an outline whose bodies are at hand; a valid block is kept for its commit.
    func validate(_ outline: BlockOutline, entries: [Mempool.Entry], proposer: UInt32?) -> Engine.Validated? {
        let hash = outline.header.hash(suite: genesis.suite)
        do {
            let pending = try engine.chain.validate(header: outline.header,
                                                    entries: entries.map { ($0.transaction, $0.hash, $0.encoded) },
                                                    proposer: proposer, now: configuration.clock.now(), uncommitted: true)
            let validated = Engine.Validated(pending: pending, encoded: entries.map(\.encoded))
            engine.validated[hash] = validated
            return validated
        } catch {
            metrics.blockRejected(code: error.code, message: error.description, height: outline.header.height)
            logger.warning("proposal rejected", metadata: [
                "height": "\(outline.header.height)", "proposer": "#\(outline.header.proposer)",
                "code": "\(error.code)", "reason": "\(error.description)",
            ])
            return nil
        }
    }

    /// The wire form of a core message: proposals travel as outlines (with bodies if configured),
    /// decisions as the stored block with its certificate.
    func translate(_ message: ConsensusMessage) -> NodeMessage? {
        switch message {
        case .proposal(let signed, let block): proposalMessage(signed, block)
        case .vote(let signed): .vote(signed)
        case .decision(_, let certificate): storedBlocks(from: certificate.height, count: 1).map { .blocks($0) }
        }
    }

    func proposalMessage(_ signed: SignedProposal, _ block: ProposedBlock) -> NodeMessage? {
        guard let outline = try? BlockOutline(canonicalBytes: block.payload) else {
            preconditionFailure("the node proposes outlines only")
        }
        var bodies: [[UInt8]]?
        if configuration.proposalsCarryTransactions, let validated = engine.validated[block.hash] {
            bodies = validated.encoded
        }
        return .proposal(signed, outline, transactions: bodies)
    }

    func broadcast(_ message: NodeMessage?) {
        guard let message, let peers = configuration.peers else { return }
        peers.broadcast(message.canonicalBytes)
    }

    func send(_ message: NodeMessage, to peer: PublicKey) {
        configuration.peers?.send(message.canonicalBytes, to: peer)
    }

    /// Gossips the transactions admitted locally since the last flush.
    func flushOutbox() {
        let outbox = shared.withLock { shared -> [[UInt8]] in
            defer { shared.outbox = [] }
            return shared.outbox
        }
        guard configuration.peers != nil, !outbox.isEmpty else { return }
        for chunk in stride(from: 0, to: outbox.count, by: NodeMessage.transactionsPerMessageMax) {
            broadcast(.transactions(Array(outbox[chunk..<min(outbox.count, chunk + NodeMessage.transactionsPerMessageMax)])))
        }
    }

    /// Re-sends the oldest waiting transactions, for peers that missed their first gossip.
    func regossip() {
        guard configuration.peers != nil else { return }
        let oldest = shared.withLock { $0.mempool.reap(upTo: Node.regossipTransactionsMax) }
        if !oldest.isEmpty { broadcast(.transactions(oldest.map(\.encoded))) }
    }

    func peerFault(_ peer: PublicKey, code: String, _ reason: String) {
        metrics.peerFault(code: code, message: reason, peer: Address(publicKey: peer))
        logger.notice("peer message refused", metadata: [
            "peer": "\(Address(publicKey: peer))", "code": "\(code)", "reason": "\(reason)",
        ])
    }
}
