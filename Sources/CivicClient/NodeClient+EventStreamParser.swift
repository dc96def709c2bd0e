/// One message of a `text/event-stream` (the server-sent events format of the HTML standard).
public struct ServerSentEvent: Sendable, Equatable {
    /// The `id` field (for CivicLedger events, the position `H.T.E`), if the message had one.
    public var id: String?
    /// The `event` field (for CivicLedger events, `contract.name`); `message` when absent.
    public var event: String
    /// The `data` lines, joined with newlines.
    public var data: String

    /// Creates a message.
    public init(id: String?, event: String, data: String) {
        self.id = id
        self.event = event
        self.data = data
    }
}

/// Splits a `text/event-stream` into messages, as bytes arrive in any chunks.
///
/// Quoting the HTML standard, §9.2.5: "Lines must be separated by either a U+000D CARRIAGE RETURN
/// U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF) character, or a single
/// U+000D CARRIAGE RETURN (CR) character." A blank line dispatches the message; a line that starts with
/// a colon is a comment; `field: value` sets a field (one space after the colon is dropped). Only
/// complete messages come out, so a stream cut in the middle of a message yields nothing of it.
public struct EventStreamParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var id: String?
    private var event: String?
    private var data: [String] = []
    /// Longest line kept, in bytes; longer lines are cut (a CivicLedger event is far shorter).
    public static let lineBytesMax = 1 << 20

    /// Creates a parser at the start of a stream.
    public init() {}

    /// Consumes `bytes` and returns the messages they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var messages: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") && lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if let message = endLine() { messages.append(message) }
            } else if line.count < Self.lineBytesMax {
                line.append(byte)
            }
        }
        return messages
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            defer { (id, event, data) = (nil, nil, []) }
            guard !data.isEmpty else { return nil }
            return ServerSentEvent(id: id, event: event ?? "message", data: data.joined(separator: "\n"))
        }
        guard line.first != UInt8(ascii: ":") else { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon < line.endIndex ? line.index(after: colon) : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart = line.index(after: valueStart) }
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch field {
        case "id": id = value
        case "event": event = value
        case "data": data.append(value)
        default: break
        }
        return nil
    }
}
