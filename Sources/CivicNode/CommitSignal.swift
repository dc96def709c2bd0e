import CivicLedger
import Synchronization

/// Wakes tasks that wait for a block to be committed above a height (the event streams of the API).
///
/// The node announces each height after it has published the block's snapshot, so a task woken here
/// finds the block in ``Node/snapshot`` and its receipts in the store. Thread-safe: one mutex; the
/// continuations are resumed outside it.
final class CommitSignal: Sendable {
    private enum Waiter {
        /// Allocated, not yet suspended.
        case pending
        /// Suspended until a height above `after` is announced.
        case waiting(after: Height, continuation: CheckedContinuation<Void, Never>)
        /// Cancelled before it suspended: it must not suspend.
        case cancelled
    }

    private struct State {
        var height: Height = .genesis
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Records that the block at `height` is committed and published, and wakes those waiting below it.
    func announce(_ height: Height) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.height = max(state.height, height)
            var ready: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in state.waiters {
                guard case .waiting(let after, let continuation) = waiter, after < height else { continue }
                state.waiters[id] = nil
                ready.append(continuation)
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// How many tasks wait here now (suspended, or about to suspend).
    var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Returns once a height above `height` has been announced, or when the task is cancelled.
    func wait(above height: Height) async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            state.waiters[state.nextID] = .pending
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.height > height, state.waiters[id] != nil {
                        state.waiters[id] = nil
                        return true
                    }
                    if case .cancelled = state.waiters[id] {
                        state.waiters[id] = nil
                        return true
                    }
                    state.waiters[id] = .waiting(after: height, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
                switch state.waiters[id] {
                case .pending:
                    state.waiters[id] = .cancelled
                    return nil
                case .waiting(_, let continuation):
                    state.waiters[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume()
        }
    }
}

extension Node {
    /// Waits until a block above `height` is committed and published, at most `timeout`.
    ///
    /// Returns at once when the head is already above `height`. A woken caller finds the new block in
    /// ``snapshot`` and its receipts through ``reader``. Cancelling the calling task ends the wait.
    /// - Returns: whether the head is now above `height` (`false` after the timeout or a cancellation).
    public func waitForCommit(above height: Height, timeout: Duration) async -> Bool {
        if snapshot.head.height > height { return true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.commitSignal.wait(above: height) }
            group.addTask { try? await Task.sleep(for: timeout) }
            _ = await group.next()
            group.cancelAll()
        }
        return snapshot.head.height > height
    }
}
