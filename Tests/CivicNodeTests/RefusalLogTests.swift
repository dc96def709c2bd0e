import CivicCrypto
import CivicLedger
import CivicNetwork
@testable import CivicNode
import Testing

/// The node's ring of recent refusals.
@Suite("Refusal log")
struct RefusalLogTests {
    @Test("Keeps the newest entries up to its capacity, newest first, and counts every code since start")
    func boundedNewestFirst() {
        let clock = SteppedClock(Timestamp(milliseconds: 1_000))
        let log = RefusalLog(capacity: 3, clock: clock)
        #expect(log.newest(limit: 10).isEmpty)
        for index in 0..<5 {
            log.record(index.isMultiple(of: 2) ? .admission : .peerMessage, code: index.isMultiple(of: 2) ? "even" : "odd",
                       message: "refusal \(index)", subject: "#\(index)")
            clock.advance(byMilliseconds: 10)
        }
        let newest = log.newest(limit: 10)
        #expect(newest.map(\.message) == ["refusal 4", "refusal 3", "refusal 2"], "bounded at 3, newest first")
        #expect(newest.map(\.time.milliseconds) == [1_040, 1_030, 1_020])
        #expect(newest.map(\.source) == [.admission, .peerMessage, .admission])
        #expect(newest.first?.subject == "#4")
        #expect(log.newest(limit: 2).map(\.message) == ["refusal 4", "refusal 3"])
        #expect(log.newest(limit: 10, code: "odd").map(\.message) == ["refusal 3"])
        #expect(log.newest(limit: 10, code: "none").isEmpty)
        #expect(log.counts == ["even": 3, "odd": 2], "counts include the overwritten entries")
    }

    @Test("Wraps around many times and stays ordered")
    func wraps() {
        let log = RefusalLog(capacity: 4, clock: SteppedClock(Timestamp(milliseconds: 0)))
        for index in 0..<103 { log.record(.block, code: "c", message: "\(index)") }
        #expect(log.newest(limit: 100).map(\.message) == ["102", "101", "100", "99"])
        #expect(log.counts == ["c": 103])
    }

    @Test("A node keeps its refusals where it counts them: a peer's malformed message, a refused submission")
    func nodeRecords() throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let peer = PrivateKey.generate(suite: .intl).publicKey
        try node.receive(InboundFrame(peer: peer, bytes: [0xFF, 0x00]))
        #expect(throws: SubmissionError.self) { try node.submit([1, 2, 3]) }
        let newest = node.refusals.newest(limit: 10)
        #expect(newest.map(\.source) == [.admission, .peerMessage])
        #expect(newest.map(\.code) == ["transaction.malformed", "message.malformed"])
        #expect(newest.last?.subject == "peer \(Address(publicKey: peer))")
        #expect(newest.allSatisfy { $0.time == fixture.clock.now() && !$0.message.isEmpty })
        #expect(node.refusals.counts == ["transaction.malformed": 1, "message.malformed": 1])
    }
}
