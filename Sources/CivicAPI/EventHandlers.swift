import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// The handlers of `GET /v1/events` (server-sent events) and `GET /v1/events/range` (JSON pages).
struct EventHandlers: Sendable {
    let node: Node
    let settings: EventStreamSettings
    let subscribers: EventSubscribers

    init(node: Node, settings: EventStreamSettings) {
        self.node = node
        self.settings = settings
        self.subscribers = EventSubscribers(max: settings.subscribersMax)
    }

    var feed: EventFeed { EventFeed(reader: node.reader) }

    /// `GET /v1/events/range?from=H[&to=K][&after=H.T.E][&contract=C][&name=N][&limit=L]`: the matching
    /// events of heights `from` through `to` (default and at most the head), at most
    /// ``EventStreamSettings/rangeHeightsMax`` blocks and `limit` (at most
    /// ``EventStreamSettings/rangeEventsMax``) events; `after` resumes just after a position and wins over `from`.
    func range(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let filter = Self.filter(query)
        let head = node.snapshot.head.height.rawValue
        var cursor = try Self.cursor(from: query.get("from"), after: query.get("after"), field: "after", default: 0)
        if query.get("from") == nil && query.get("after") == nil {
            throw APIError(.badRequest, code: "events.invalid_from", message: "Give the first height as 'from' (or a position as 'after').")
        }
        var to = head
        if let text = query.get("to") {
            guard let value = UInt64(text) else {
                throw APIError(.badRequest, code: "events.invalid_to", message: "'to' must be a block height (a whole number).")
            }
            guard value >= cursor.height else {
                throw APIError(.badRequest, code: "events.invalid_range", message: "'to' (\(value)) is below the first height (\(cursor.height)).")
            }
            to = min(value, head)
        }
        var eventsMax = settings.rangeEventsMax
        if let text = query.get("limit") {
            guard let value = Int(text), value > 0 else {
                throw APIError(.badRequest, code: "events.invalid_limit", message: "'limit' must be a positive whole number.")
            }
            eventsMax = min(value, settings.rangeEventsMax)
        }
        let first = cursor.height
        let page: EventPage
        do {
            page = try feed.page(from: cursor, through: to, filter: filter, heightsMax: settings.rangeHeightsMax,
                                 eventsMax: eventsMax)
        } catch { throw APIError(error) }
        cursor = page.next
        let response = EventRangeResponse(
            events: page.events, from: first, to: to, head: head,
            nextAfter: cursor.after?.description,
            nextFrom: cursor.after == nil && cursor.height <= to ? cursor.height : nil)
        return JSONResponse.make(response)
    }

    /// `GET /v1/events?from=H[&contract=C][&name=N]` with an optional `Last-Event-ID` header: a
    /// `text/event-stream` that replays the committed events from height `H` (or just after the
    /// `Last-Event-ID` position, which wins) and then follows new blocks as they commit. Without either,
    /// it starts with the next block.
    func stream(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let filter = Self.filter(query)
        let lastEventID = request.headers[.lastEventID]
        let next = node.snapshot.head.height.rawValue + 1
        let start = try Self.cursor(from: query.get("from"), after: lastEventID, field: "Last-Event-ID", default: next)
        guard let slot = subscribers.take() else {
            throw APIError(.serviceUnavailable, code: "events.too_many_subscribers",
                           message: "This node already serves \(subscribers.max) event streams; try again later or poll /v1/events/range.")
        }
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        let body = ResponseBody { [self] writer in
            defer { slot.release() }
            try await follow(from: start, filter: filter, writer: &writer)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Writes the events from `cursor` on, page by page, then waits for each new block; a comment line
    /// goes out when nothing was written for ``EventStreamSettings/heartbeat``. Ends when the task is
    /// cancelled, the server shuts down gracefully (noticed within ``shutdownPoll``), the client goes away
    /// (a write fails), a block cannot be read, or ``EventStreamSettings/streamDurationMax`` has passed.
    private func follow(from start: EventCursor, filter: EventFilter, writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        var cursor = start
        try await writer.write(ByteBuffer(string: "retry: 1000\n: following events from \(Self.describe(cursor))\n\n"))
        let started = clock.now
        let deadline = settings.streamDurationMax.map { started + $0 }
        var lastWrite = started
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let head = node.snapshot.head.height.rawValue
            while cursor.height <= head {
                if let deadline, clock.now >= deadline { return }
                let page: EventPage
                do {
                    page = try feed.page(from: cursor, through: head, filter: filter,
                                         heightsMax: settings.streamPageHeightsMax, eventsMax: settings.streamPageEventsMax)
                } catch {
                    try await writer.write(ByteBuffer(string: ": stopped: \(error)\n\n"))
                    return
                }
                if !page.events.isEmpty {
                    let encoder = JSONFormat.compactEncoder
                    try await writer.write(ByteBuffer(string: page.events.map { Self.serverSentEvent($0, encoder: encoder) }.joined()))
                    lastWrite = clock.now
                }
                cursor = page.next
            }
            if let deadline, clock.now >= deadline { return }
            let quiet = lastWrite.duration(to: clock.now)
            if quiet >= settings.heartbeat {
                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                lastWrite = clock.now
                continue
            }
            _ = await node.waitForCommit(above: Height(head), timeout: min(settings.heartbeat - quiet, Self.shutdownPoll))
        }
    }

    /// How often a waiting stream looks whether the server is shutting down.
    static let shutdownPoll = Duration.seconds(1)

    /// One event in the `text/event-stream` format: `id`, `event` (`contract.name`) and one `data` line of JSON.
    static func serverSentEvent(_ event: ChainEvent, encoder: JSONEncoder) -> String {
        let json = (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Compact JSON holds no raw newline (they are escaped in strings), so one `data` line carries it.
        return "id: \(event.id)\nevent: \(event.streamType)\ndata: \(json)\n\n"
    }

    private static func describe(_ cursor: EventCursor) -> String {
        cursor.after.map { "after \($0)" } ?? "height \(cursor.height)"
    }

    private static func filter(_ query: Parameters) -> EventFilter {
        EventFilter(contract: query.get("contract").flatMap { $0.isEmpty ? nil : $0 },
                    name: query.get("name").flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The cursor from a `from` height and a position (`after` or `Last-Event-ID`, named `field`), which wins.
    private static func cursor(from: String?, after: String?, field: String, default: UInt64) throws -> EventCursor {
        if let after, !after.isEmpty {
            guard let position = EventPosition(after.trimmingCharacters(in: .whitespaces)) else {
                let code = field == "after" ? "events.invalid_after" : "events.invalid_last_event_id"
                throw APIError(.badRequest, code: code, message: "'\(field)' must be an event position 'height.transaction.event', such as 12.0.1.")
            }
            return .after(position)
        }
        guard let from else { return .from(`default`) }
        guard let height = UInt64(from) else {
            throw APIError(.badRequest, code: "events.invalid_from", message: "'from' must be a block height (a whole number).")
        }
        return .from(height)
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`: the `id` of the last server-sent event a reconnecting client received.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
