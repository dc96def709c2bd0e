import AsyncHTTPClient
import CivicAPI
import CivicClient
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
@testable import CivicNode
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// `GET /v1/events` (server-sent events) and `GET /v1/events/range`, over real HTTP (AsyncHTTPClient)
/// against the Hummingbird server on a local port.
@Suite("Event streams")
struct EventStreamTests {
    /// Runs `body` against a live server for a fresh one-validator node.
    func withServer(_ settings: EventStreamSettings = EventStreamSettings(),
                    _ body: @Sendable (Fixture, Node, NodeClient) async throws -> Void) async throws {
        let fixture = Fixture(suite: .sm)
        let node = try fixture.makeNode()
        let app = Application(router: CivicAPI.router(node: node, metrics: nil, events: settings),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(fixture, node, NodeClient(baseURL: "http://127.0.0.1:\(port)"))
        }
    }

    /// Commits `blocks` blocks, each with an evidence record (event `evidence.recorded`) and a key-value
    /// write (event `kv.written`).
    static func commitBlocks(_ blocks: Int, on node: Node, fixture: Fixture) throws {
        for _ in 0..<blocks {
            try commit([
                try fixture.evidence(by: fixture.memberKey),
                try fixture.sign(TransactionBuilder.keyValuePut(key: [UInt8.random(in: 0...255)], value: [1]),
                                 by: fixture.clientKey),
            ], on: node)
        }
    }

    /// The first `count` events of `stream`.
    static func take(_ count: Int, from stream: AsyncThrowingStream<ChainEvent, any Error>) async throws -> [ChainEvent] {
        var events: [ChainEvent] = []
        guard count > 0 else { return events }
        for try await event in stream {
            events.append(event)
            if events.count == count { break }
        }
        return events
    }

    @Test("The range endpoint lists the committed events by position, with block time and transaction hash")
    func range() async throws {
        try await withServer { fixture, node, client in
            try Self.commitBlocks(4, on: node, fixture: fixture)
            let all = try await client.allEvents(from: 0)
            #expect(all.count == 8)
            #expect(all.map(\.id) == (1...4).flatMap { ["\($0).0.0", "\($0).1.0"] })
            #expect(all.map(\.position) == all.map(\.position).sorted())
            let (block, _) = try node.reader.block(at: Height(2))
            let second = try #require(all.first { $0.height == 2 })
            #expect(second.blockTimeMs == block.header.time.milliseconds)
            #expect(second.transactionHash == block.transactions[0].hash(suite: fixture.suite).hex)
            #expect(second.contract == "evidence" && second.name == "evidence.recorded")
            // Pages: two events at a time, resuming after the last position.
            var page = try await client.eventRange(from: 2, to: 3, limit: 3)
            #expect(page.events.map(\.id) == ["2.0.0", "2.1.0", "3.0.0"])
            #expect(page.nextAfter == "3.0.0")
            page = try await client.eventRange(after: EventPosition("3.0.0"), to: 3, limit: 3)
            #expect(page.events.map(\.id) == ["3.1.0"])
            #expect(page.nextAfter == nil && page.nextFrom == nil)
        }
    }

    @Test("Failed receipts carry no events; positions keep the transaction's index in its block")
    func failedReceipts() async throws {
        try await withServer { fixture, node, client in
            let fingerprint = Fixture.randomHash()
            let receipts = try commit([try fixture.evidence(by: fixture.memberKey, fingerprint: fingerprint),
                                       try fixture.evidence(by: fixture.memberKey, fingerprint: fingerprint),
                                       try fixture.evidence(by: fixture.memberKey)], on: node)
            #expect(receipts.map(\.status.isSuccess) == [true, false, true])
            let events = try await client.allEvents(from: 1)
            #expect(events.map(\.id) == ["1.0.0", "1.2.0"])
        }
    }

    @Test("A stream replays the committed events from a height")
    func replay() async throws {
        try await withServer { fixture, node, client in
            try Self.commitBlocks(5, on: node, fixture: fixture)
            let expected = try await client.allEvents(from: 3)
            #expect(expected.count == 6)
            let streamed = try await Self.take(expected.count, from: client.events(from: 3))
            #expect(streamed == expected)
        }
    }

    @Test("Live events arrive as blocks commit")
    func live() async throws {
        try await withServer { fixture, node, client in
            try Self.commitBlocks(1, on: node, fixture: fixture)
            let start = node.snapshot.head.height.rawValue + 1
            let receiver = Task { try await Self.take(6, from: client.events(from: start)) }
            // The stream has caught up and waits for the next commit.
            try await Self.eventually { node.commitSignal.waitingCount > 0 }
            for _ in 0..<3 {
                try Self.commitBlocks(1, on: node, fixture: fixture)
                try await Task.sleep(for: .milliseconds(20))
            }
            let received = try await receiver.value
            #expect(received == (try await client.allEvents(from: start)))
            #expect(Set(received.map(\.height)) == [start, start + 1, start + 2])
        }
    }

    @Test("Streams and pages filter by contract and by name")
    func filters() async throws {
        try await withServer { fixture, node, client in
            try Self.commitBlocks(3, on: node, fixture: fixture)
            let all = try await client.allEvents(from: 0)
            let evidence = try await client.allEvents(from: 0, contract: "evidence")
            #expect(evidence == all.filter { $0.contract == "evidence" })
            #expect(evidence.count == 3)
            let written = try await client.allEvents(from: 0, name: "kv.written")
            #expect(written == all.filter { $0.name == "kv.written" })
            #expect(try await client.allEvents(from: 0, contract: "kv", name: "evidence.recorded").isEmpty)
            let streamed = try await Self.take(3, from: client.events(from: 1, name: "kv.written"))
            #expect(streamed == written)
        }
    }

    @Test("Resuming with Last-Event-ID after a cut continues exactly after the last event seen")
    func resumeAfterCut() async throws {
        try await withServer { fixture, node, client in
            try Self.commitBlocks(6, on: node, fixture: fixture)
            let expected = try await client.allEvents(from: 1)
            for cut in [1, 5, 6, 11] {
                let first = try await Self.take(cut, from: client.events(from: 1))
                let last = try #require(first.last?.position)
                let rest = try await Self.take(expected.count - cut, from: client.events(after: last))
                #expect(first + rest == expected, "cut after \(cut) events")
            }
        }
    }

    @Test("A client whose streams the server keeps ending reconnects by itself, without gaps or duplicates")
    func automaticReconnect() async throws {
        let settings = EventStreamSettings(streamPageHeightsMax: 1, streamPageEventsMax: 1,
                                           streamDurationMax: .milliseconds(30))
        try await withServer(settings) { fixture, node, client in
            try Self.commitBlocks(20, on: node, fixture: fixture)
            let stream = client.events(from: 1, retry: .init(delayInitial: .milliseconds(5), delayMax: .milliseconds(20)))
            let receiver = Task { try await Self.take(60, from: stream) }
            for _ in 0..<10 {
                try Self.commitBlocks(1, on: node, fixture: fixture)
                try await Task.sleep(for: .milliseconds(15))
            }
            let received = try await receiver.value
            #expect(received == (try await client.allEvents(from: 1)))
        }
    }

    @Test("One stream more than the cap is refused with 503 events.too_many_subscribers; a closed stream frees its place")
    func subscriberCap() async throws {
        try await withServer(EventStreamSettings(subscribersMax: 1, heartbeat: .milliseconds(50))) { _, node, client in
            let held = Task { try await Self.take(1, from: client.events(from: 1)) }
            try await Self.eventually { node.commitSignal.waitingCount > 0 }
            let (status, body) = try await client.raw("/v1/events?from=0")
            #expect(status == 503)
            let error = try JSONFormat.decoder.decode(ErrorBody.self, from: Data(body))
            #expect(error.error.code == "events.too_many_subscribers")
            held.cancel()
            // The server notices the closed connection at its next heartbeat; then a stream is accepted again.
            try await Self.eventually { try await Self.streamStatus(client, "/v1/events?from=1") == 200 }
        }
    }

    /// The status of a stream request, whose connection is then dropped (at the request's deadline); 0 when no
    /// answer came before the deadline (a loaded machine), so that `eventually` asks again.
    static func streamStatus(_ client: NodeClient, _ path: String) async throws -> UInt {
        let request = HTTPClientRequest(url: client.baseURL + path)
        do {
            return try await HTTPClient.shared.execute(request, timeout: .milliseconds(300)).status.code
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return 0
        }
    }

    @Test("An idle stream sends a heartbeat comment; its first lines set the retry delay")
    func heartbeat() async throws {
        try await withServer(EventStreamSettings(heartbeat: .milliseconds(100))) { _, _, client in
            let request = HTTPClientRequest(url: client.baseURL + "/v1/events?from=5")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)
            var text = ""
            for try await buffer in response.body {
                text += String(buffer: buffer)
                if text.contains(": heartbeat\n\n") { break }
            }
            #expect(text.hasPrefix("retry: 1000\n: following events from height 5\n\n"))
        }
    }

    @Test("Bad parameters answer 400 with a code", arguments: [
        ("/v1/events?from=abc", "events.invalid_from"),
        ("/v1/events?from=-1", "events.invalid_from"),
        ("/v1/events/range?from=x", "events.invalid_from"),
        ("/v1/events/range", "events.invalid_from"),
        ("/v1/events/range?from=5&to=2", "events.invalid_range"),
        ("/v1/events/range?after=1.2", "events.invalid_after"),
        ("/v1/events/range?from=0&limit=0", "events.invalid_limit"),
    ])
    func badParameters(path: String, code: String) async throws {
        try await withServer { _, _, client in
            let (status, body) = try await client.raw(path)
            #expect(status == 400)
            #expect(try JSONFormat.decoder.decode(ErrorBody.self, from: Data(body)).error.code == code)
        }
    }

    @Test("A malformed Last-Event-ID answers 400 events.invalid_last_event_id")
    func badLastEventID() async throws {
        try await withServer { _, _, client in
            var request = HTTPClientRequest(url: client.baseURL + "/v1/events?from=0")
            request.headers.add(name: "Last-Event-ID", value: "7.x.1")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            #expect(response.status.code == 400)
            let body = try await response.body.collect(upTo: 1 << 16)
            let error = try JSONFormat.decoder.decode(ErrorBody.self, from: Data(body.readableBytesView))
            #expect(error.error.code == "events.invalid_last_event_id")
        }
    }

    /// Waits until `condition` holds, at most 5 seconds.
    static func eventually(_ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within 5 s", sourceLocation: sourceLocation)
    }
}
