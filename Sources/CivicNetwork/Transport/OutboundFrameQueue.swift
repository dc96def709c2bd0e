import NIOCore

/// The frames waiting to be written on one link, at most `capacity`; when full, the oldest is dropped.
///
/// Dropping the oldest keeps the newest consensus messages, which supersede older ones of the same kind; the
/// caller counts each drop.
struct OutboundFrameQueue {
    /// Most frames held.
    let capacity: Int
    private var frames = CircularBuffer<[UInt8]>()

    /// An empty queue.
    /// - Precondition: `capacity >= 1`.
    init(capacity: Int) {
        precondition(capacity >= 1, "an outbound queue holds at least one frame")
        self.capacity = capacity
    }

    /// Frames waiting.
    var count: Int { frames.count }

    /// Appends `frame`; returns whether the oldest frame was dropped to make room.
    mutating func append(_ frame: [UInt8]) -> Bool {
        frames.append(frame)
        guard frames.count > capacity else { return false }
        frames.removeFirst()
        return true
    }

    /// Takes the oldest frame.
    mutating func popFirst() -> [UInt8]? { frames.popFirst() }

    /// Forgets every frame.
    mutating func removeAll() { frames.removeAll() }
}
