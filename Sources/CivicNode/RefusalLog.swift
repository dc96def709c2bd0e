import CivicLedger
import Synchronization

/// Where the node refused something.
public enum RefusalSource: String, Sendable, CaseIterable {
    /// Admission of a transaction submitted to this node.
    case admission
    /// A message from a peer.
    case peerMessage = "peer_message"
    /// A proposed or synced block.
    case block
    /// This node's vote signer.
    case signer
    /// The exchange gateway.
    case gateway
}

/// One refusal the node made.
public struct RefusalEntry: Sendable, Equatable {
    /// When it happened, by the node's clock.
    public var time: Timestamp
    /// Where it happened.
    public var source: RefusalSource
    /// The refusal's stable code, e.g. `transaction.bad_signature`.
    public var code: String
    /// The sentence explaining it.
    public var message: String
    /// What it concerned, when known (a peer's address, a block height).
    public var subject: String?

    /// Creates a refusal.
    public init(time: Timestamp, source: RefusalSource, code: String, message: String, subject: String? = nil) {
        self.time = time
        self.source = source
        self.code = code
        self.message = message
        self.subject = subject
    }
}

/// The newest refusals of this node (at most ``capacity``, older ones overwritten) and how many there were of each
/// code since start. Thread-safe: everything sits behind one mutex.
public final class RefusalLog: Sendable {
    /// How many refusals are kept by default.
    public static let capacityDefault = 1_000

    /// Most refusals kept.
    public let capacity: Int
    private let clock: any NodeClock
    private let state: Mutex<State>

    /// The ring and the counters.
    private struct State {
        /// The kept refusals, in the order written; once full, `next` is the oldest.
        var ring: [RefusalEntry] = []
        /// Where the next refusal goes once the ring is full.
        var next = 0
        /// Refusals by code since start.
        var counts: [String: UInt64] = [:]
    }

    /// An empty log of at most `capacity` entries, timed by `clock`.
    public init(capacity: Int = RefusalLog.capacityDefault, clock: any NodeClock = SystemClock()) {
        precondition(capacity > 0, "a refusal log keeps at least one entry")
        self.capacity = capacity
        self.clock = clock
        state = Mutex(State())
    }

    /// Records a refusal now, overwriting the oldest when full, and counts its code.
    public func record(_ source: RefusalSource, code: String, message: String, subject: String? = nil) {
        let refusal = RefusalEntry(time: clock.now(), source: source, code: code, message: message, subject: subject)
        state.withLock { state in
            state.counts[code, default: 0] += 1
            if state.ring.count < capacity {
                state.ring.append(refusal)
            } else {
                state.ring[state.next] = refusal
                state.next = (state.next + 1) % capacity
            }
        }
    }

    /// Up to `limit` kept refusals, newest first, only those with `code` when given.
    public func newest(limit: Int, code: String? = nil) -> [RefusalEntry] {
        state.withLock { state in
            var found: [RefusalEntry] = []
            let count = state.ring.count
            var offset = 0
            while offset < count, found.count < limit {
                // The newest entry sits just before `next` (which is 0 until the ring is full).
                let refusal = state.ring[(state.next - 1 - offset + 2 * count) % count]
                if code.map({ $0 == refusal.code }) ?? true { found.append(refusal) }
                offset += 1
            }
            return found
        }
    }

    /// How many refusals of each code were recorded since start (including those no longer kept).
    public var counts: [String: UInt64] { state.withLock { $0.counts } }
}
