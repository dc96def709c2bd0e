import CivicAPI
import CivicClient
import CivicFormats
import CivicLedger
@testable import CivicNode
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

extension EventStreamTests {
    /// Blocks in the measured chain (environment `CIVIC_EVENTS_MEASURE_BLOCKS`, default 300).
    static var measuredBlocks: Int {
        ProcessInfo.processInfo.environment["CIVIC_EVENTS_MEASURE_BLOCKS"].flatMap(Int.init) ?? 300
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
                var serverOnly = Duration.zero
                if events.isEmpty {
                    streamed = .zero
                } else {
                    serverOnly = try await clock.measure {
                        try await Self.readRawStream(client, from: 1, contract: contract, events: events)
                    }
                    streamed = try await clock.measure {
                        let received = try await Self.take(events.count, from: client.events(from: 1, contract: contract))
                        #expect(received == events)
                    }
                }
                let seconds = { (duration: Duration) in Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
                figures.append("""
                    \(label): \(events.count) events over \(blocks) blocks; range pages \(range) \
                    (\(Int(Double(events.count) / seconds(range))) events/s, \(Int(Double(blocks) / seconds(range))) blocks/s)\
                    \(events.isEmpty ? "" : "; stream \(streamed) (\(Int(Double(events.count) / seconds(streamed))) events/s)")\
                    \(events.isEmpty ? "" : "; stream bytes only \(serverOnly) (\(Int(Double(events.count) / seconds(serverOnly))) events/s)")
                    """)
            }
            print("event replay rate:\n  " + figures.joined(separator: "\n  "))
        }
    }

    /// Reads the raw stream until it has carried the bytes of `events` (no parsing: the server's rate).
    static func readRawStream(_ client: NodeClient, from: UInt64, contract: String?, events: [ChainEvent]) async throws {
        let encoder = JSONFormat.compactEncoder
        let expected = try events.reduce(0) { total, event in
            total + "id: \(event.id)\nevent: \(event.streamType)\ndata: \n\n".utf8.count
                + (try encoder.encode(event)).count
        }
        let url = client.baseURL + "/v1/events?from=\(from)" + (contract.map { "&contract=\($0)" } ?? "")
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
        var received = 0
        for try await buffer in response.body {
            received += buffer.readableBytes
            if received >= expected { break }
        }
    }
}
