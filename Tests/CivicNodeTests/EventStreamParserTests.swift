import CivicClient
import CivicFormats
import Testing

/// The text forms of event streams: positions and the server-sent events format.
@Suite("Event stream formats")
struct EventStreamParserTests {
    @Test("Positions read back from their text and sort by height, transaction, event")
    func positions() throws {
        let position = EventPosition(height: 12, transaction: 3, event: 0)
        #expect(position.description == "12.3.0")
        #expect(EventPosition("12.3.0") == position)
        for bad in ["", "12", "12.3", "12.3.0.1", "a.3.0", "12..0", "-1.0.0", "1.0.4294967296", " 1.0.0", "+1.0.0"] {
            #expect(EventPosition(bad) == nil, "\(bad)")
        }
        let sorted = ["2.0.0", "1.10.0", "1.2.5", "1.2.10"].compactMap(EventPosition.init).sorted()
        #expect(sorted.map(\.description) == ["1.2.5", "1.2.10", "1.10.0", "2.0.0"])
    }

    @Test("The parser yields complete messages only, across any chunking and line ending")
    func parser() {
        let text = "retry: 1000\n: comment\n\nid: 1.0.0\nevent: kv.written\ndata: {\"a\":1}\n\n"
            + "id:2.0.0\r\ndata: x\r\ndata: y\r\n\r\n: heartbeat\r\rid: 3.0.0\ndata: cut"
        let expected = [ServerSentEvent(id: "1.0.0", event: "kv.written", data: "{\"a\":1}"),
                        ServerSentEvent(id: "2.0.0", event: "message", data: "x\ny")]
        let bytes = Array(text.utf8)
        for chunk in [1, 2, 3, 7, bytes.count] {
            var parser = EventStreamParser()
            var messages: [ServerSentEvent] = []
            var start = 0
            while start < bytes.count {
                messages += parser.feed(bytes[start..<min(start + chunk, bytes.count)])
                start += chunk
            }
            #expect(messages == expected, "chunks of \(chunk)")
        }
    }
}
