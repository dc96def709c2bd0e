import Testing

@testable import CivicNetwork

/// The bounded per-link queue keeps the newest frames.
@Suite struct OutboundFrameQueueTests {
    @Test func fullQueueDropsTheOldest() {
        var queue = OutboundFrameQueue(capacity: 3)
        let dropped = (0..<5).map { queue.append([UInt8($0)]) }
        #expect(dropped == [false, false, false, true, true])
        #expect(queue.count == 3)
        #expect(queue.popFirst() == [2])
        #expect(queue.popFirst() == [3])
        #expect(queue.popFirst() == [4])
        #expect(queue.popFirst() == nil)
    }

    @Test func removeAllEmptiesTheQueue() {
        var queue = OutboundFrameQueue(capacity: 2)
        _ = queue.append([1])
        queue.removeAll()
        #expect(queue.count == 0)
    }
}
