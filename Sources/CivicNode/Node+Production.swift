import CivicContracts
import CivicCrypto
import CivicLedger
import CoreMetrics
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

extension Node {
    /// Produces blocks until cancelled or until graceful shutdown: whenever transactions wait,
    /// at most one block per block interval, each with at most the genesis block size.
    /// - Throws: ``NodeError`` if a block cannot be stored; the node then stops (nothing partial is kept).
    public func run() async throws {
        let interval = Duration.milliseconds(Int64(genesis.parameters.blockIntervalMilliseconds))
        let clock = ContinuousClock()
        try await cancelWhenGracefulShutdown { [self] in
            var lastBlock = clock.now
            for await _ in wakeUps {
                // After stop() the waiters were told `.dropped(.shuttingDown)`: commit nothing more.
                while pendingWaiting > 0 && !isStopped {
                    try await Task.sleep(until: lastBlock.advanced(by: interval), clock: clock)
                    lastBlock = clock.now
                    try produceBlock()
                }
            }
        }
        stop()
    }

    /// Stops admitting transactions and releases every waiter.
    public func stop() {
        wakeUp.finish()
        let waiters = shared.withLock { shared in
            shared.stopped = true
            defer { shared.waiters = [:] }
            return shared.waiters.values.flatMap { $0 }
        }
        for waiter in waiters { waiter.continuation.resume(returning: .dropped(.shuttingDown)) }
    }

    private var pendingWaiting: Int { shared.withLock { $0.mempool.waitingCount } }

    private var isStopped: Bool { shared.withLock { $0.stopped } }

    /// Builds, certifies and commits one block from the oldest waiting transactions.
    func produceBlock() throws(NodeError) {
        let chain = producer.chain
        let limit = Int(genesis.parameters.blockTransactionsMax)
        let entries = shared.withLock { $0.stopped ? [] : $0.mempool.take(upTo: limit) }
        guard !entries.isEmpty else { return }
        let time = max(configuration.clock.now(), chain.head.time)
        let live = entries.filter { $0.transaction.body.expiresAt > time }
        let expired = entries.filter { $0.transaction.body.expiresAt <= time }.map(\.hash)
        let started = ContinuousClock.now
        if !live.isEmpty {
            let pending = chain.build(live.map { ($0.transaction, $0.hash, $0.encoded) }, time: time, proposer: validator.index)
            let certificate = try validator.certify(pending)
            do { try chain.commit(pending, certificate: certificate) } catch {
                logger.critical("could not commit block", metadata: ["height": "\(pending.block.header.height)", "error": "\(error)"])
                throw error
            }
            publish(pending, certificate: certificate)
        }
        shared.withLock { $0.mempool.finish(expired) }
        if !expired.isEmpty {
            metrics.dropped.increment(by: Int64(expired.count))
            resumeWaiters(expired.map { ($0, .dropped(.expired)) })
        }
        metrics.productionDuration.recordInterval(since: started)
    }

    private var validator: LocalValidator { producer.validator }

    private func publish(_ pending: PendingBlock, certificate: CommitCertificate) {
        let header = pending.block.header
        let snapshot = ChainSnapshot(head: header, headHash: pending.hash, certificate: certificate,
                                     stateTree: pending.stateTree)
        let waiting = shared.withLock { shared in
            shared.snapshot = snapshot
            shared.mempool.finish(pending.transactionHashes)
            return shared.mempool.knownCount
        }
        let failures = pending.receipts.filter { !$0.status.isSuccess }.count
        metrics.height.record(Int64(header.height.rawValue))
        metrics.blocks.increment()
        metrics.committed.increment(by: Int64(pending.receipts.count))
        metrics.failedReceipts.increment(by: Int64(failures))
        metrics.blockTransactions.record(pending.receipts.count)
        metrics.mempool.record(Int64(waiting))
        resumeWaiters(pending.receipts.enumerated().map { index, receipt in
            (receipt.transactionHash, .committed(height: header.height, index: UInt32(index), receipt: receipt))
        })
        logger.debug("block committed", metadata: [
            "height": "\(header.height)", "transactions": "\(header.transactionCount)", "hash": "\(pending.hash.hex.prefix(16))",
        ])
    }
}

extension Metrics.Timer {
    /// Records the time elapsed since `start`.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
