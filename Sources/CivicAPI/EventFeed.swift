import CivicFormats
import CivicLedger
import CivicNode

/// Which events a reader wants: all, one contract's, or one name's (both may be given).
struct EventFilter: Sendable, Equatable {
    /// Only events of this contract, when set.
    var contract: String?
    /// Only events with this name, when set.
    var name: String?

    func matches(_ event: Event) -> Bool {
        (contract == nil || event.contract == contract) && (name == nil || event.name == name)
    }
}

/// Where reading resumes: at the start of block `height`, skipping positions up to `after`.
struct EventCursor: Sendable, Equatable {
    /// The first height to read.
    var height: UInt64
    /// The last position already delivered (`Last-Event-ID`, `after`), if any; its block is read again
    /// and the positions up to it are skipped.
    var after: EventPosition?

    /// Reading from the start of block `height`.
    static func from(_ height: UInt64) -> EventCursor { EventCursor(height: height, after: nil) }

    /// Reading just after `position`.
    static func after(_ position: EventPosition) -> EventCursor {
        EventCursor(height: position.height, after: position)
    }
}

/// One bounded read: the events found and where the next read starts.
struct EventPage: Sendable {
    /// Matching events, in position order.
    var events: [ChainEvent]
    /// Where the next read starts.
    var next: EventCursor
}

/// Reads committed events out of the receipts, block by block.
///
/// Events are indexed by block: the store keeps each block's receipts under its height, so a replay
/// reads each block's receipts once, in height order, and filters them in memory. There is no
/// per-contract index: a filtered replay costs the same reads as an unfiltered one (see
/// Docs/0013-events.md for the measured rate). Only successful receipts carry events.
struct EventFeed: Sendable {
    let reader: LedgerReader

    /// Reads from `cursor` through height `last`, stopping after `heightsMax` blocks or once it holds
    /// `eventsMax` events and finds another match (then ``EventPage/next`` points just after the last one).
    /// - Precondition: `heightsMax > 0`, `eventsMax > 0`.
    /// - Throws: ``QueryError`` when a block or its receipts cannot be read.
    func page(from cursor: EventCursor, through last: UInt64, filter: EventFilter,
              heightsMax: Int, eventsMax: Int) throws(QueryError) -> EventPage {
        precondition(heightsMax > 0 && eventsMax > 0, "a page must be allowed to read something")
        var events: [ChainEvent] = []
        var height = cursor.height
        var heightsRead = 0
        while height <= last, heightsRead < heightsMax {
            var blockTime: Timestamp?
            for (transactionIndex, receipt) in try reader.receipts(at: Height(height)).enumerated()
            where receipt.status.isSuccess {
                for (eventIndex, event) in receipt.events.enumerated() where filter.matches(event) {
                    let position = EventPosition(height: height, transaction: UInt32(transactionIndex),
                                                 event: UInt32(eventIndex))
                    if let after = cursor.after, position <= after { continue }
                    if events.count == eventsMax, let lastPosition = events.last?.position {
                        return EventPage(events: events, next: .after(lastPosition))
                    }
                    if blockTime == nil { blockTime = try reader.block(at: Height(height)).block.header.time }
                    guard let time = blockTime else { continue }
                    events.append(ChainEvent(event, position: position, transactionHash: receipt.transactionHash,
                                             blockTime: time))
                }
            }
            height += 1
            heightsRead += 1
        }
        return EventPage(events: events, next: .from(height))
    }
}
