import CivicCodec
import CivicConsensus
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicNetwork
import CoreMetrics
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

extension Node {
    /// Runs the consensus loop until the service is cancelled: ticks, peer frames and local
    /// admissions are handled one at a time, in arrival order. Gossiped transactions are admitted
    /// beside the loop (their signature checks would otherwise hold up proposals and votes); the
    /// loop hears of them as admissions.
    public func run() async throws {
        let tick = Duration.milliseconds(configuration.tickMilliseconds)
        let sink = eventSink
        try await cancelWhenGracefulShutdown { [self] in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: tick)
                        sink.yield(.tick)
                    }
                }
                if let peers = configuration.peers {
                    let (gossip, gossipSink) = AsyncStream.makeStream(
                        of: InboundFrame.self, bufferingPolicy: .bufferingOldest(Node.gossipFramesQueuedMax))
                    group.addTask {
                        for await frame in peers.inbound {
                            if NodeMessage.isTransactions(frame.bytes) { gossipSink.yield(frame) } else { sink.yield(.frame(frame)) }
                        }
                        gossipSink.finish()
                    }
                    group.addTask { [self] in
                        for await frame in gossip {
                            guard case .transactions(let transactions)? = try? NodeMessage(canonicalBytes: frame.bytes) else {
                                peerFault(frame.peer, code: "message.malformed", "a transactions message that does not decode")
                                continue
                            }
                            admitFromPeer(transactions)
                        }
                    }
                }
                for await event in events {
                    try handle(event)
                }
                group.cancelAll()
            }
        }
        stop()
    }

    /// Stops the node: waiters are told `.dropped(.shuttingDown)` and the loop ends.
    public func stop() {
        eventSink.finish()
        let waiters = shared.withLock { shared in
            shared.stopped = true
            defer { shared.waiters = [:] }
            return shared.waiters.values.flatMap { $0 }
        }
        for waiter in waiters { waiter.continuation.resume(returning: .dropped(.shuttingDown)) }
    }

    /// Handles one event, then performs whatever the core asks.
    func handle(_ event: Engine.Event) throws(NodeError) {
        guard !isStopped else { return }
        switch event {
        case .tick:
            engine.ticks += 1
            onTick()
        case .frame(let frame):
            try receive(frame)
        case .admitted:
            shared.withLock { $0.admissionSignalled = false }
            if !engine.parked.isEmpty { retryParked() }
        case .certificatesChanged:
            checkCertificates()
        }
        flushOutbox()
        if !engine.awake && pendingCount > 0 { engine.awake = true }
        try drive(ignoringInterval: false)
    }

    /// Commits one block from the mempool on a single-validator chain, synchronously (tests and
    /// tools that drive the node without ``run()``). Does nothing when the mempool is empty.
    func produceBlock() throws(NodeError) {
        precondition(engine.validators.count == 1 && engine.validatorIndex != nil,
                     "only the single validator of a one-validator chain produces blocks synchronously")
        guard !isStopped, pendingCount > 0 else { return }
        engine.awake = true
        let height = engine.chain.head.height
        try drive(ignoringInterval: true, proposingUpTo: height.next)
    }

    var isStopped: Bool { shared.withLock { $0.stopped } }

    /// Most gossip messages waiting for admission beside the loop; beyond it they are dropped
    /// (re-gossip and the proposer's answers to `getTransactions` bring the bodies again).
    static let gossipFramesQueuedMax = 256

    private func onTick() {
        let ticks = engine.ticks
        if engine.awake { engine.core?.tick() }
        let second = UInt64(max(1, 1_000 / configuration.tickMilliseconds))
        if ticks % second == 0 {
            broadcast(.status(committed: engine.chain.head.height))
            metrics.peers.record(Int64(connectedPeers.count))
        }
        if ticks == 1 || ticks % (Node.certificateCheckSeconds * second) == 0 { checkCertificates() }
        if ticks % (3 * second) == 0 { regossip() }
        if let request = engine.syncRequest, ticks - request.tick > second / 2 { engine.syncRequest = nil }
    }

    /// Performs the core's actions until it has none, answering a block request when one is due.
    /// - Parameter limit: with a height, blocks are proposed up to it only.
    func drive(ignoringInterval: Bool, proposingUpTo limit: Height? = nil) throws(NodeError) {
        guard engine.core != nil else { return }
        while true {
            if limit.map({ engine.chain.head.height < $0 }) ?? true { answerBlockRequest(ignoringInterval: ignoringInterval) }
            guard let ready = engine.core?.ready(), !ready.isEmpty else { return }
            let generation = engine.coreGeneration
            for action in ready.actions {
                try perform(action)
                // An action that replaced the core (a fallback to sync) ends this Ready: the new
                // core has its own.
                if engine.coreGeneration != generation { break }
            }
            if engine.coreGeneration == generation { engine.core?.advance(ready) }
        }
    }

    private func perform(_ action: ConsensusAction) throws(NodeError) {
        switch action {
        case .requestBlock(let height, let round):
            engine.blockRequest = (height, round)
        case .signProposal(let proposal, let block):
            do {
                // After a restart in the round this validator proposed in, the core rebuilds the
                // proposal from its valid value (with that round as proof-of-lock round); the signed
                // one for the same block stands.
                let held = engine.signer?.state.proposal.flatMap { held in
                    held.proposal.height == proposal.height && held.proposal.round == proposal.round
                        && held.proposal.blockHash == proposal.blockHash ? held : nil
                }
                let signed: SignedProposal
                if let held {
                    signed = held
                } else {
                    guard let fresh = try engine.signer?.sign(proposal) else { return }
                    signed = fresh
                }
                broadcast(proposalMessage(signed, block))
                try? engine.core?.step(.proposal(signed, block, blockIsValid: true))
            } catch {
                try refuseOrStop(error)
            }
        case .persistValidValue(let record):
            // The core sets a valid value only for a block it was told is valid: one this node
            // validated in this life, or, after a restart, the restored valid value it proposes
            // again, whose bodies were put back in the mempool.
            guard let bodies = (engine.validated[record.block.hash] ?? rebuild(record.block))?.encoded else {
                throw .corrupted("the block this validator locks on at height \(record.height) cannot be rebuilt from its bodies")
            }
            let durable = DurableValidValue(record: record, transactions: bodies)
            do { try engine.validValueRecord.save(durable.canonicalBytes) } catch {
                throw .storage("the consensus valid value could not be saved: \(error.description)")
            }
        case .signVote(let vote, let polRound):
            do {
                guard let signed = try engine.signer?.sign(vote, polRound: polRound) else { return }
                broadcast(.vote(signed))
                try? engine.core?.step(.vote(signed))
            } catch {
                try refuseOrStop(error)
            }
        case .broadcast(let message):
            if let translated = translate(message) { broadcast(translated) }
        case .send(let message, let index):
            if let translated = translate(message), Int(index) < engine.validatorKeys.count {
                send(translated, to: engine.validatorKeys[Int(index)])
            }
        case .commit(let block, let certificate):
            try commitDecided(block, certificate)
        case .equivocation(let evidence):
            report(evidence)
        case .timeoutScheduled(let kind, let height, let round, _):
            if round.rawValue > 0 || kind != .propose {
                logger.debug("consensus timeout scheduled", metadata: ["kind": "\(kind)", "height": "\(height)", "round": "\(round)"])
            }
        }
    }

    /// A refusal of the signer is logged and counted (the core moves on by timeout); a signer that
    /// cannot persist stops the node, since voting on without a durable record could equivocate.
    private func refuseOrStop(_ error: SignerError) throws(NodeError) {
        if case .storage(let why) = error { throw .storage("the signer could not persist its vote: \(why)") }
        metrics.consensusRefused(code: error.code, message: error.description)
        logger.warning("signer refused", metadata: ["code": "\(error.code)", "reason": "\(error.description)"])
    }

    /// Line 18 `getValue()`: once the block interval has passed since the last commit, proposes the
    /// oldest waiting transactions (possibly none, if a peer woke the height).
    private func answerBlockRequest(ignoringInterval: Bool) {
        guard let request = engine.blockRequest, engine.awake, let core = engine.core else { return }
        guard request.height == core.height, request.round == core.round else {
            engine.blockRequest = nil
            return
        }
        let parameters = engine.chain.parameters
        let intervalTicks = UInt64(Int(parameters.blockIntervalMilliseconds) / configuration.tickMilliseconds)
        guard ignoringInterval || engine.ticks >= engine.lastCommitTick + intervalTicks else { return }
        engine.blockRequest = nil
        let chain = engine.chain
        let limit = Int(parameters.blockTransactionsMax)
        let time = max(configuration.clock.now(), chain.head.time)
        let entries = shared.withLock { $0.mempool.reap(upTo: limit, bytes: Limits.blockBodyBytesMax) }
        let live = entries.filter { $0.transaction.body.expiresAt > time }
        if live.count < entries.count {
            let expired = entries.filter { $0.transaction.body.expiresAt <= time }.map(\.hash)
            drop(expired, as: .expired)
        }
        // Nothing to propose and no peer waiting at this height: stay idle rather than make an
        // empty block.
        if live.isEmpty && engine.peerActiveHeight != core.height {
            engine.blockRequest = request
            engine.awake = pendingCount > 0
            return
        }
        // Proposing trims: transactions past the block's gas stay in the mempool (reaping left them there) for the
        // next block.
        let pending = chain.build(live.map { ($0.transaction, $0.hash, $0.encoded) }, time: time,
                                  proposer: core.validatorIndex, proposing: true)
        let outline = BlockOutline(header: pending.block.header, transactionHashes: pending.transactionHashes)
        engine.validated[pending.hash] = Engine.Validated(pending: pending,
                                                          encoded: live.prefix(pending.transactionHashes.count).map(\.encoded))
        engine.core?.propose(block: ProposedBlock(hash: pending.hash, payload: outline.canonicalBytes))
    }

    /// Line 51: stores the decided block with its certificate and applies it.
    private func commitDecided(_ block: ProposedBlock, _ certificate: CommitCertificate) throws(NodeError) {
        guard let validated = engine.validated[block.hash] ?? rebuild(block) else {
            // Decided without this node having the bodies (it restarted holding only the outline):
            // the block is committed elsewhere, so fetch it with its certificate.
            logger.warning("decided a block whose transactions are not here; fetching it from peers",
                           metadata: ["height": "\(certificate.height)"])
            try resetCore()
            requestSync(from: nil)
            return
        }
        try commit(validated.pending, certificate)
    }

    /// Stores `pending` with `certificate`, publishes it, and starts the next height's bookkeeping.
    func commit(_ pending: PendingBlock, _ certificate: CommitCertificate) throws(NodeError) {
        let started = ContinuousClock.now
        do { try engine.chain.commit(pending, certificate: certificate) } catch {
            logger.critical("could not commit block", metadata: ["height": "\(pending.block.header.height)", "error": "\(error)"])
            throw error
        }
        let next = engine.chain.head.height.next
        let validators = engine.chain.validators(at: next)
        let setChanged = validators != engine.validators
        if setChanged {
            // Governance changed the set from this height on: the core is made anew for it.
            try engine.restartCore()
            logger.notice("validator set changed", metadata: [
                "from_height": "\(next)", "validators": "\(validators.validators.map(\.name).joined(separator: ","))",
                "role": "\(engine.validatorIndex.map { "validator #\($0)" } ?? "follower")",
            ])
        }
        publish(pending, certificate: certificate)
        if setChanged || ChainTrust.isAffected(by: pending.writes) { refreshTrust() }
        engine.validated = [:]
        engine.parked = []
        engine.lastCommitTick = engine.ticks
        engine.awake = pendingCount > 0 || engine.peerActiveHeight == engine.chain.head.height.next
        metrics.productionDuration.recordInterval(since: started)
        broadcast(.status(committed: pending.block.header.height))
    }

    /// Reads whom the chain trusts from the committed state and tells the transport if it changed.
    func refreshTrust() {
        guard let onTrustChange = configuration.onTrustChange else { return }
        let chain = engine.chain
        let reader = chain.committedState.reader(tree: chain.stateTree)
        let trust = ChainTrust.read(genesis: genesis, inForce: chain.validators(at: chain.head.height.next),
                                    newest: chain.validatorSetEntries.last?.validators ?? genesis.validators,
                                    read: { reader.value(forKey: $0) })
        guard trust != engine.trust else { return }
        engine.trust = trust
        onTrustChange(trust)
    }

    /// Rebuilds a decided or restored block from its outline and the mempool, if every body is here.
    func rebuild(_ block: ProposedBlock) -> Engine.Validated? {
        guard let outline = try? BlockOutline(canonicalBytes: block.payload),
              outline.header.hash(suite: genesis.suite) == block.hash,
              let entries = mempoolEntries(outline.transactionHashes).found else { return nil }
        return validate(outline, entries: entries, proposer: nil)
    }

    /// Recreates the core at the height after the head (after sync moved the head).
    func resetCore() throws(NodeError) {
        try engine.restartCore()
        restoreValidValueTransactions()
        engine.awake = pendingCount > 0
    }

    /// Puts the bodies of a restored valid value back in the mempool (they were validated before the
    /// node locked on them), so that the block can be rebuilt, committed or proposed again.
    func restoreValidValueTransactions() {
        let restored = engine.restoredTransactions
        engine.restoredTransactions = []
        guard !restored.isEmpty else { return }
        shared.withLock { shared in
            for bytes in restored {
                guard let transaction = try? Transaction(canonicalBytes: bytes) else { continue }
                try? shared.mempool.insert(.init(transaction: transaction, hash: transaction.hash(suite: genesis.suite),
                                                 encoded: bytes))
            }
        }
        logger.notice("restored the bodies of the block this validator was locked on", metadata: [
            "transactions": "\(restored.count)", "height": "\(engine.chain.head.height.next)",
        ])
    }

    /// Drops transactions from the mempool and tells their waiters why.
    func drop(_ hashes: [Hash256], as reason: SubmissionError) {
        guard !hashes.isEmpty else { return }
        shared.withLock { $0.mempool.remove(hashes) }
        metrics.dropped.increment(by: Int64(hashes.count))
        resumeWaiters(hashes.map { ($0, .dropped(reason)) })
    }

    private func publish(_ pending: PendingBlock, certificate: CommitCertificate) {
        let header = pending.block.header
        let snapshot = ChainSnapshot(head: header, headHash: pending.hash, certificate: certificate,
                                     stateTree: pending.stateTree, parameters: engine.chain.parameters,
                                     validators: engine.validators)
        let waiting = shared.withLock { shared in
            shared.snapshot = snapshot
            shared.mempool.remove(pending.transactionHashes)
            shared.commits += 1
            return shared.mempool.count
        }
        commitSignal.announce(header.height)
        let failures = pending.receipts.filter { !$0.status.isSuccess }.count
        metrics.height.record(Int64(header.height.rawValue))
        metrics.blocks.increment()
        metrics.committed.increment(by: Int64(pending.receipts.count))
        metrics.failedReceipts.increment(by: Int64(failures))
        metrics.blockTransactions.record(pending.receipts.count)
        metrics.mempool.record(Int64(waiting))
        metrics.round.record(Int64(certificate.round.rawValue))
        resumeWaiters(pending.receipts.enumerated().map { index, receipt in
            (receipt.transactionHash, .committed(height: header.height, index: UInt32(index), receipt: receipt))
        })
        if certificate.round.rawValue > 0 {
            // Round 0's proposer did not get its block through in time (down, slow, or cut off).
            logger.notice("block decided after a round change", metadata: [
                "height": "\(header.height)", "round": "\(certificate.round)",
                "first_proposer": "#\(UInt32(header.height.rawValue % UInt64(engine.chain.validators(at: header.height).count)))",
            ])
        }
        logger.debug("block committed", metadata: [
            "height": "\(header.height)", "round": "\(certificate.round)", "transactions": "\(header.transactionCount)",
            "hash": "\(pending.hash.hex.prefix(16))",
        ])
    }
}
