import AsyncHTTPClient
import CivicFormats
import Foundation
import NIOCore
import NIOHTTP1

extension NodeClient {
    /// How ``events(from:after:contract:name:retry:)`` waits before reconnecting after a drop.
    public struct EventRetry: Sendable {
        /// The first wait.
        public var delayInitial: Duration
        /// The longest wait; each failed attempt doubles the wait up to it.
        public var delayMax: Duration

        /// Creates a policy.
        public init(delayInitial: Duration = .milliseconds(250), delayMax: Duration = .seconds(10)) {
            self.delayInitial = delayInitial
            self.delayMax = delayMax
        }
    }

    /// `GET /v1/events/range`: one page of committed events from height `from` (or just after `after`,
    /// which wins) through `to` (default: the head). Follow ``EventRangeResponse/nextAfter`` or
    /// ``EventRangeResponse/nextFrom`` for the next page.
    public func eventRange(from: UInt64 = 0, after: EventPosition? = nil, to: UInt64? = nil, contract: String? = nil,
                           name: String? = nil, limit: Int? = nil) async throws(ClientError) -> EventRangeResponse {
        var items = [("from", String(from))]
        if let after { items.append(("after", after.description)) }
        if let to { items.append(("to", String(to))) }
        if let limit { items.append(("limit", String(limit))) }
        return try await getJSON("/v1/events/range" + Self.query(items, contract: contract, name: name))
    }

    /// Every matching committed event from height `from` through `to` (default: the head), following the pages of
    /// ``eventRange(from:after:to:contract:name:limit:)``.
    public func allEvents(from: UInt64 = 0, to: UInt64? = nil, contract: String? = nil, name: String? = nil)
        async throws(ClientError) -> [ChainEvent] {
        var events: [ChainEvent] = []
        var page = try await eventRange(from: from, to: to, contract: contract, name: name)
        let last = page.to
        while true {
            events += page.events
            if let next = page.nextAfter.flatMap(EventPosition.init) {
                page = try await eventRange(after: next, to: last, contract: contract, name: name)
            } else if let next = page.nextFrom {
                page = try await eventRange(from: next, to: last, contract: contract, name: name)
            } else {
                return events
            }
        }
    }

    /// Follows `GET /v1/events` (server-sent events): the committed events from height `from` (or just
    /// after `after`; with neither, from the next block), then new ones as blocks commit.
    ///
    /// After a drop (network, node restart, 503) it reconnects with `Last-Event-ID` set to the last
    /// event it yielded, waiting per `retry`, so the stream has neither gaps nor duplicates (it also
    /// drops any event at or before the last one, should a server repeat one). It ends by throwing
    /// ``ClientError/refused(status:_:)`` when the node refuses the request itself (4xx), and ends
    /// when the consuming task stops iterating.
    public func events(from: UInt64? = nil, after: EventPosition? = nil, contract: String? = nil, name: String? = nil,
                       retry: EventRetry = EventRetry()) -> AsyncThrowingStream<ChainEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ChainEvent.self, throwing: (any Error).self,
                                                                    bufferingPolicy: .unbounded)
        let task = Task { [self] in
            do {
                try await follow(from: from, after: after, contract: contract, name: name, retry: retry) { event in
                    continuation.yield(event)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The loop behind ``events(from:after:contract:name:retry:)``.
    private func follow(from: UInt64?, after: EventPosition?, contract: String?, name: String?, retry: EventRetry,
                        yield: (ChainEvent) -> Void) async throws {
        var last = after
        var start = from
        var delay = retry.delayInitial
        while !Task.isCancelled {
            do {
                if last == nil && start == nil {
                    // Pin "the next block" now, so a reconnect before the first event leaves no gap.
                    start = try await chainInfo().height + 1
                }
                var items: [(String, String)] = []
                if last == nil, let start { items.append(("from", String(start))) }
                var request = HTTPClientRequest(url: baseURL + "/v1/events" + Self.query(items, contract: contract, name: name))
                request.headers.add(name: "Accept", value: "text/event-stream")
                if let last { request.headers.add(name: "Last-Event-ID", value: last.description) }
                let response = try await Self.streamClient.execute(request, deadline: .distantFuture)
                guard response.status == .ok else {
                    let body = try await response.body.collect(upTo: 64 * 1024)
                    let error = Self.refusal(status: Int(response.status.code), body: Array(body.readableBytesView))
                    if (400..<500).contains(Int(response.status.code)) { throw error }
                    throw StreamDrop.refused(error)
                }
                delay = retry.delayInitial
                var parser = EventStreamParser()
                let decoder = JSONFormat.decoder
                for try await buffer in response.body {
                    for message in parser.feed(buffer.readableBytesView) {
                        guard let event = try? decoder.decode(ChainEvent.self, from: Data(message.data.utf8)) else {
                            continue
                        }
                        if let last, event.position <= last { continue }
                        yield(event)
                        last = event.position
                    }
                }
            } catch let error as ClientError {
                if case .refused(let status, _) = error, (400..<500).contains(status) { throw error }
            } catch is CancellationError {
                return
            } catch {
                // A drop: reconnect below.
            }
            if Task.isCancelled { return }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, retry.delayMax)
        }
    }

    private enum StreamDrop: Error {
        case refused(ClientError)
    }

    /// A client for long-lived streams: it notices a dead connection when no byte (not even a heartbeat)
    /// arrived for 45 seconds, three times the server's heartbeat.
    private static let streamClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(3)
        configuration.timeout.read = .seconds(45)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    private static func query(_ items: [(String, String)], contract: String?, name: String?) -> String {
        var items = items
        if let contract { items.append(("contract", contract)) }
        if let name { items.append(("name", name)) }
        return queryString(items)
    }

    private static func refusal(status: Int, body: [UInt8]) -> ClientError {
        if let error = try? JSONFormat.decoder.decode(ErrorBody.self, from: Data(body)) {
            return .refused(status: status, error.error)
        }
        return .refused(status: status, .init(code: "http.\(status)", message: String(decoding: body.prefix(200), as: UTF8.self)))
    }
}
