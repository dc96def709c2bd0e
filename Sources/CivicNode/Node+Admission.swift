import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CoreMetrics
import Dispatch
import Synchronization

extension Node {
    /// Checks a submitted transaction and, if every check passes, adds it to the mempool.
    ///
    /// Checks, cheapest first: size; canonical decoding; chain id; suite; expiry window;
    /// signature; replay of a committed transaction; a dry run of the call against committed
    /// state (unknown contract or method, bad arguments, unregistered caller, missing role,
    /// duplicate evidence, and the signer's identity certificate: `identity.certificate_expired`,
    /// `identity.certificate_revoked`, `identity.organization_removed` — the codes execution would
    /// record, as ``SubmissionError/rejected(_:)``); finally mempool duplicates and capacity.
    /// - Returns: the transaction's hash.
    /// - Throws: ``SubmissionError``; a refused transaction changes nothing.
    @discardableResult
    public func submit(_ bytes: [UInt8]) throws(SubmissionError) -> Hash256 {
        try counted { () throws(SubmissionError) in try admit(try precheck(bytes), encoded: bytes, fromPeer: false) }
    }

    /// Submits many transactions: the stateless checks (decoding, signatures) run in parallel on
    /// every core, then each transaction is admitted in order exactly as ``submit(_:)`` would.
    /// - Returns: one result per transaction, in order.
    public func submitBatch(_ items: [[UInt8]]) -> [Result<Hash256, SubmissionError>] {
        let prechecked = Node.parallelMap(items) { bytes in
            Result { () throws(SubmissionError) in try precheck(bytes) }
        }
        return zip(prechecked, items).map { checked, bytes in
            Result { () throws(SubmissionError) in
                try counted { () throws(SubmissionError) in try admit(try checked.get(), encoded: bytes, fromPeer: false) }
            }
        }
    }

    private func counted(_ body: () throws(SubmissionError) -> Hash256) throws(SubmissionError) -> Hash256 {
        do {
            let hash = try body()
            metrics.admitted.increment()
            return hash
        } catch {
            metrics.refused(code: error.code, message: error.description)
            throw error
        }
    }

    /// Maps `items` on all cores, keeping order.
    static func parallelMap<T: Sendable>(_ items: [[UInt8]], _ transform: @Sendable ([UInt8]) -> T) -> [T] {
        let chunkSize = 64
        let chunks = (items.count + chunkSize - 1) / chunkSize
        guard chunks > 1 else { return items.map(transform) }
        let results = Mutex<[[T]]>(Array(repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let slice = items[chunk * chunkSize..<min(items.count, (chunk + 1) * chunkSize)]
            let mapped = slice.map(transform)
            results.withLock { $0[chunk] = mapped }
        }
        return results.withLock { $0.flatMap { $0 } }
    }

    /// Submits and waits until the transaction is committed (or dropped, or `timeout` passes).
    /// - Throws: ``SubmissionError`` if admission refuses it.
    public func submitAndWait(_ bytes: [UInt8], timeout: Duration) async throws(SubmissionError) -> (Hash256, CommitOutcome) {
        let hash = try submit(bytes)
        return (hash, await waitForCommit(hash, timeout: timeout))
    }

    /// Waits until `hash` is committed, dropped, or `timeout` passes. Returns at once if it is
    /// already committed.
    public func waitForCommit(_ hash: Hash256, timeout: Duration) async -> CommitOutcome {
        let id = shared.withLock { shared in
            shared.nextWaiterID += 1
            return shared.nextWaiterID
        }
        let timer = Mutex<Task<Void, Never>?>(nil)
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<CommitOutcome, Never>) in
            let pending = shared.withLock { shared in
                let known = shared.mempool.contains(hash)
                if known { shared.waiters[hash, default: []].append((id, continuation)) }
                return known
            }
            guard pending else {
                continuation.resume(returning: committedOutcome(hash) ?? .timedOut)
                return
            }
            // Started only once the waiter is registered, so the timeout can always find it.
            timer.withLock { $0 = Task { [self] in
                try? await Task.sleep(for: timeout)
                resumeWaiter(hash: hash, id: id, with: .timedOut)
            } }
        }
        timer.withLock { $0?.cancel() }
        return outcome
    }

    private func committedOutcome(_ hash: Hash256) -> CommitOutcome? {
        guard let location = try? reader.location(of: hash),
              let receipts = try? reader.receipts(at: location.height),
              Int(location.index) < receipts.count else { return nil }
        return .committed(height: location.height, index: location.index, receipt: receipts[Int(location.index)])
    }

    private func resumeWaiter(hash: Hash256, id: UInt64, with outcome: CommitOutcome) {
        let continuation = shared.withLock { shared -> CheckedContinuation<CommitOutcome, Never>? in
            guard var list = shared.waiters[hash], let position = list.firstIndex(where: { $0.id == id }) else { return nil }
            let entry = list.remove(at: position)
            shared.waiters[hash] = list.isEmpty ? nil : list
            return entry.continuation
        }
        continuation?.resume(returning: outcome)
    }

    /// Resumes every waiter of the given transactions.
    func resumeWaiters(_ outcomes: [(Hash256, CommitOutcome)]) {
        let ready = shared.withLock { shared in
            outcomes.compactMap { hash, outcome in shared.waiters.removeValue(forKey: hash).map { ($0, outcome) } }
        }
        for (list, outcome) in ready { for waiter in list { waiter.continuation.resume(returning: outcome) } }
    }

    /// The checks that need no state: safe to run in parallel.
    func precheck(_ bytes: [UInt8]) throws(SubmissionError) -> (Transaction, Hash256) {
        guard bytes.count <= Limits.transactionBytesMax else { throw .tooLarge(bytes: bytes.count, max: Limits.transactionBytesMax) }
        let transaction: Transaction
        do { transaction = try Transaction(canonicalBytes: bytes) } catch { throw .malformed(error) }
        let body = transaction.body
        guard body.chainID == genesis.chainID else { throw .wrongChain(expected: genesis.chainID, actual: body.chainID) }
        guard body.signer.suite == genesis.suite else { throw .wrongSuite(expected: genesis.suite, actual: body.signer.suite) }
        let now = configuration.clock.now()
        guard body.expiresAt > now else { throw .expired }
        guard body.expiresAt.milliseconds - now.milliseconds <= Limits.transactionLifetimeMillisecondsMax else {
            throw .expiryTooFar(maxMilliseconds: Limits.transactionLifetimeMillisecondsMax)
        }
        guard let hash = transaction.verifiedHash(suite: genesis.suite) else { throw .badSignature }
        return (transaction, hash)
    }

    /// The checks against committed state and the mempool; on success the transaction is in the mempool.
    private func admit(_ checked: (Transaction, Hash256), encoded: [UInt8], fromPeer: Bool) throws(SubmissionError) -> Hash256 {
        let (transaction, hash) = checked
        let commitsBefore = shared.withLock { $0.commits }
        if let location = try? reader.location(of: hash) { throw .replay(height: location.height.rawValue) }
        if !fromPeer { try dryRun(transaction, hash: hash) }
        let (signal, raced) = try shared.withLock { shared throws(SubmissionError) -> (Bool, Bool) in
            guard !shared.stopped else { throw .shuttingDown }
            try shared.mempool.insert(.init(transaction: transaction, hash: hash, encoded: encoded))
            if !fromPeer { shared.outbox.append(encoded) }
            defer { shared.admissionSignalled = true }
            return (!shared.admissionSignalled, shared.commits != commitsBefore)
        }
        // A block holding this transaction may have committed between the replay check and the
        // insertion (its commit then removed it from the mempool before it was there). Asking again
        // in that case keeps "the mempool never holds a committed transaction", which proposals
        // and their validation rely on.
        if raced, let location = try? reader.location(of: hash) {
            shared.withLock { $0.mempool.remove([hash]) }
            throw .replay(height: location.height.rawValue)
        }
        if signal { eventSink.yield(.admitted) }
        return hash
    }

    /// Admits transactions gossiped by a peer: the same stateless checks, signature and replay
    /// check, but no dry run (a peer's transaction may depend on a block this node has not seen yet;
    /// execution decides) and no further gossip. Returns how many were new.
    @discardableResult
    func admitFromPeer(_ items: [[UInt8]]) -> Int {
        let prechecked = Node.parallelMap(items) { bytes in
            Result { () throws(SubmissionError) in try precheck(bytes) }
        }
        var added = 0
        for (checked, bytes) in zip(prechecked, items) {
            guard case .success(let transaction) = checked else { continue }
            if (try? admit(transaction, encoded: bytes, fromPeer: true)) != nil { added += 1 }
        }
        return added
    }

    /// Runs the call against committed state, so that a client hears at once about a call that
    /// would fail (an unknown caller, a missing permission, an expired or revoked identity
    /// certificate, a refused enrollment) instead of finding a failed receipt. The block time is the
    /// later of the node's clock and the head's, so a certificate that has expired by the clock is
    /// refused here even before a block passes its end.
    private func dryRun(_ transaction: Transaction, hash: Hash256) throws(SubmissionError) {
        let (block, state) = dryRunSetting()
        do {
            try engine.chain.executor.check(transaction, hash: hash, block: block, state: state)
        } catch {
            throw .rejected(error)
        }
    }

    /// Where dry runs execute: the block after the head, at the later of the node's clock and the
    /// head's time, over the committed state.
    func dryRunSetting() -> (block: BlockContext, state: some StateReader) {
        let snapshot = self.snapshot
        let head = snapshot.head
        let block = BlockContext(chainID: genesis.chainID, suite: genesis.suite, height: head.height.next,
                                 time: max(configuration.clock.now(), head.time))
        return (block, engine.chain.committedState.reader(tree: snapshot.stateTree))
    }

    /// Runs a signed call against the committed state without submitting it, and returns the receipt
    /// execution would give now: the return data and events, or the failure. Nothing is kept, so a
    /// client reads a contract (`civic contract query`) with the same identity checks as a call.
    /// - Throws: the stateless checks' ``SubmissionError`` (size, decoding, chain, expiry, signature).
    public func query(_ bytes: [UInt8]) throws(SubmissionError) -> Receipt {
        let (transaction, hash) = try precheck(bytes)
        let (block, state) = dryRunSetting()
        var overlay = StateOverlay(base: state)
        return engine.chain.executor.execute(transaction, hash: hash, block: block, state: &overlay)
    }
}
