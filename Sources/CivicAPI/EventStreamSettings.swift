import Synchronization

/// The limits of the event endpoints (`GET /v1/events`, `GET /v1/events/range`).
public struct EventStreamSettings: Sendable {
    /// Most event streams open at once; one more is refused with 503 `events.too_many_subscribers`.
    public var subscribersMax: Int
    /// How long a stream stays silent before it sends a comment line (`: heartbeat`), which keeps
    /// proxies from closing it and lets the server notice a client that went away.
    public var heartbeat: Duration
    /// Most blocks a stream reads before it writes what it found (bounds its memory while replaying).
    public var streamPageHeightsMax: Int
    /// Most events a stream holds before it writes them.
    public var streamPageEventsMax: Int
    /// Most blocks one `GET /v1/events/range` reads.
    public var rangeHeightsMax: Int
    /// Most events one `GET /v1/events/range` returns.
    public var rangeEventsMax: Int
    /// How long one stream may stay open, if limited: then the server ends it between two events and the
    /// client resumes with `Last-Event-ID` (spreads long-lived followers over the nodes behind a balancer).
    public var streamDurationMax: Duration?

    /// Creates settings; the defaults suit a node serving a few dozen followers.
    /// - Precondition: every count is positive.
    public init(subscribersMax: Int = 64, heartbeat: Duration = .seconds(15), streamPageHeightsMax: Int = 256,
                streamPageEventsMax: Int = 512, rangeHeightsMax: Int = 1_000, rangeEventsMax: Int = 1_000,
                streamDurationMax: Duration? = nil) {
        precondition(subscribersMax > 0 && streamPageHeightsMax > 0 && streamPageEventsMax > 0
                     && rangeHeightsMax > 0 && rangeEventsMax > 0, "event stream limits must be positive")
        self.subscribersMax = subscribersMax
        self.heartbeat = heartbeat
        self.streamPageHeightsMax = streamPageHeightsMax
        self.streamPageEventsMax = streamPageEventsMax
        self.rangeHeightsMax = rangeHeightsMax
        self.rangeEventsMax = rangeEventsMax
        self.streamDurationMax = streamDurationMax
    }
}

/// Counts the open event streams against ``EventStreamSettings/subscribersMax``.
final class EventSubscribers: Sendable {
    /// A held place, given back by ``release()`` (or when dropped, should the stream never run).
    final class Slot: Sendable {
        private let subscribers: EventSubscribers
        private let released = Mutex(false)

        fileprivate init(_ subscribers: EventSubscribers) { self.subscribers = subscribers }

        /// Gives the place back; later calls do nothing.
        func release() {
            let first = released.withLock { released in
                defer { released = true }
                return !released
            }
            if first { subscribers.count.withLock { $0 -= 1 } }
        }

        deinit { release() }
    }

    let max: Int
    fileprivate let count = Mutex(0)

    init(max: Int) { self.max = max }

    /// A place for one more stream, or `nil` when all are taken.
    func take() -> Slot? {
        let taken = count.withLock { count -> Bool in
            guard count < max else { return false }
            count += 1
            return true
        }
        return taken ? Slot(self) : nil
    }
}
