import CivicClient
import CivicFormats
import Foundation
import Testing

/// `civic events follow` against a real node process.
@Suite("civic events")
struct EventsCommandTests {
    @Test("follow prints one line per event, as text or JSON, from a height")
    func follow() async throws {
        let directory = try CivicProcess.temporaryDirectory("events-follow")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["validator", "admin", "clerk"] {
            try CivicProcess.civic(["keygen", "--suite", "intl", "--out", "\(name).pem"], in: directory)
        }
        try CivicProcess.civic(["genesis", "--chain-id", "events", "--suite", "intl",
                                "--validator", "validator-1:City IT:validator.pem",
                                "--admin", "admin:City IT:admin.pem", "--block-interval-ms", "50"], in: directory)
        let node = NodeProcess(directory: directory, port: try freePort())
        try await node.start()
        defer { node.stop() }
        let url = ["--node", node.url]
        try CivicProcess.civic(["tx", "identity-register", "--key", "admin.pem", "--public-key", "clerk.pem",
                                "--name", "court-clerk", "--organization", "Court", "--role", "client"] + url, in: directory)
        let json = try CivicProcess.civic(["events", "follow", "--from", "0", "--count", "1", "--json"] + url, in: directory)
        let lines = json.split(separator: "\n")
        #expect(lines.count == 1)
        let event = try JSONFormat.decoder.decode(ChainEvent.self, from: Data(lines[0].utf8))
        #expect(event.contract == "identity" && event.name == "identity.registered")
        let again = try CivicProcess.civic(["events", "follow", "--from", "1", "--name", "identity.registered", "--count", "1"] + url,
                                           in: directory)
        #expect(again.hasPrefix("\(event.id)  ") && again.contains("identity.registered  tx="))
    }
}
