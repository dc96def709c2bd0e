import ArgumentParser
import CivicClient
import CivicFormats
import Foundation

/// `civic events`: contract and system events, as blocks commit.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Follow the chain's contract and system events.", subcommands: [Follow.self])

    /// `civic events follow`.
    struct Follow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow",
            abstract: "Print committed events from a height on, then new ones as blocks commit (one line each).",
            discussion: """
                Reconnects by itself after a drop and resumes just after the last printed event, so no event \
                is missed or printed twice. To resume a later run, pass the last printed position as --after.
                """)

        @Option(help: "The first block height to replay (default: the next block).")
        var from: UInt64?

        @Option(help: "Resume just after this event position (height.transaction.event); wins over --from.")
        var after: String?

        @Option(help: "Only events of this contract.")
        var contract: String?

        @Option(help: "Only events with this name.")
        var name: String?

        @Option(help: "Stop after printing this many events (default: follow until interrupted).")
        var count: Int?

        @OptionGroup var node: NodeOptions

        func validate() throws {
            if let count, count < 1 { throw ValidationError("--count must be at least 1.") }
        }

        func run() async throws {
            var position: EventPosition?
            if let after {
                guard let parsed = EventPosition(after) else {
                    throw ValidationError("'\(after)' is not an event position such as 12.0.1.")
                }
                position = parsed
            }
            let events = node.client.events(from: from, after: position, contract: contract, name: name)
            do {
                var printed = 0
                for try await event in events {
                    // Unbuffered, so that a pipe sees each event as it arrives.
                    FileHandle.standardOutput.write(Data((Self.line(event, json: node.json) + "\n").utf8))
                    printed += 1
                    if let count, printed >= count { break }
                }
            } catch let error as ClientError {
                throw CLI.failure(error)
            }
        }

        /// One event as one line: JSON, or `position  time  contract.name  key=value…`.
        static func line(_ event: ChainEvent, json: Bool) -> String {
            if json {
                return (try? JSONFormat.compactEncoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            }
            let attributes = event.attributes.map { $0.joined(separator: "=") }.joined(separator: " ")
            return "\(event.id)  \(CLI.time(event.blockTimeMs))  \(event.streamType)  tx=\(event.transactionHash.prefix(16))"
                + (attributes.isEmpty ? "" : "  \(attributes)")
        }
    }
}
