import CivicAPI
import CivicClient
import CivicFormats
import CivicLedger
@testable import CivicNode
import Foundation
import Testing

extension EventStreamTests {
    /// Blocks in the measured chain (environment `CIVIC_EVENTS_MEASURE_BLOCKS`, default 1 000).
    static var measuredBlocks: Int {
        ProcessInfo.processInfo.environment["CIVIC_EVENTS_MEASURE_BLOCKS"].flatMap(Int.init) ?? 1_000
    }

    @Test("Replay rate over a chain with many blocks, unfiltered and filtered (prints events/s)")
    func replayRate() async throws {
        try await withServer { fixture, node, client in
            let blocks = Self.measuredBlocks
            try Self.commitBlocks(blocks, on: node, fixture: fixture)
            let clock = ContinuousClock()
            var figures: [String] = []
            for (label, contract) in [("all", String?.none), ("contract=evidence", "evidence"), ("contract=none", "none")] {
                var events: [ChainEvent] = []
                let range = try await clock.measure { events = try await client.allEvents(from: 1, contract: contract) }
                let streamed: Duration
                if events.isEmpty {
                    streamed = .zero
                } else {
                    streamed = try await clock.measure {
                        let received = try await Self.take(events.count, from: client.events(from: 1, contract: contract))
                        #expect(received == events)
                    }
                }
                let seconds = { (duration: Duration) in Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
                figures.append("""
                    \(label): \(events.count) events over \(blocks) blocks; range pages \(range) \
                    (\(Int(Double(events.count) / seconds(range))) events/s, \(Int(Double(blocks) / seconds(range))) blocks/s)\
                    \(events.isEmpty ? "" : "; stream \(streamed) (\(Int(Double(events.count) / seconds(streamed))) events/s)")
                    """)
            }
            print("event replay rate:\n  " + figures.joined(separator: "\n  "))
        }
    }
}
