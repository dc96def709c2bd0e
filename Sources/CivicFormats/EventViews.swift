import CivicCrypto
import CivicLedger

/// Where an event sits in the chain: block height, transaction index in the block, event index in
/// the transaction's receipt. Stable (committed blocks never change) and totally ordered; its text
/// form `H.T.E` is the `id` of a server-sent event and the `Last-Event-ID` a client resumes from.
public struct EventPosition: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The block's height.
    public var height: UInt64
    /// The transaction's index in the block.
    public var transaction: UInt32
    /// The event's index in the transaction's receipt.
    public var event: UInt32

    /// Creates a position.
    public init(height: UInt64, transaction: UInt32, event: UInt32) {
        self.height = height
        self.transaction = transaction
        self.event = event
    }

    /// Reads the text form `H.T.E` (three decimal numbers); `nil` for anything else.
    public init?(_ description: String) {
        let parts = description.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let height = UInt64(parts[0]), let transaction = UInt32(parts[1]), let event = UInt32(parts[2]) else {
            return nil
        }
        self.init(height: height, transaction: transaction, event: event)
    }

    /// `H.T.E`.
    public var description: String { "\(height).\(transaction).\(event)" }

    /// Height first, then transaction, then event.
    public static func < (lhs: EventPosition, rhs: EventPosition) -> Bool {
        (lhs.height, lhs.transaction, lhs.event) < (rhs.height, rhs.transaction, rhs.event)
    }
}

/// One committed event, as the API sends it: the `data` of a server-sent event and an item of
/// `GET /v1/events/range`. Only successful receipts carry events.
public struct ChainEvent: Codable, Sendable, Equatable {
    /// The position `H.T.E`, see ``EventPosition``.
    public var id: String
    /// The block's height.
    public var height: UInt64
    /// The transaction's index in the block.
    public var transactionIndex: UInt32
    /// The event's index in the receipt.
    public var eventIndex: UInt32
    /// The transaction's hash, hex.
    public var transactionHash: String
    /// The emitting contract.
    public var contract: String
    /// The event's name.
    public var name: String
    /// Attributes as `[name, value]` pairs, in emission order.
    public var attributes: [[String]]
    /// The block's time, milliseconds since 1970 (from consensus).
    public var blockTimeMs: UInt64

    /// Creates the view of `event` at `position`.
    public init(_ event: Event, position: EventPosition, transactionHash: Hash256, blockTime: Timestamp) {
        id = position.description
        height = position.height
        transactionIndex = position.transaction
        eventIndex = position.event
        self.transactionHash = transactionHash.hex
        contract = event.contract
        name = event.name
        attributes = event.attributes.map { [$0.key, $0.value] }
        blockTimeMs = blockTime.milliseconds
    }

    /// The event's position.
    public var position: EventPosition {
        EventPosition(height: height, transaction: transactionIndex, event: eventIndex)
    }
}

/// Answer to `GET /v1/events/range`: the matching events of a run of heights, in order.
///
/// A page stops at a limit of heights read or of events returned. Then ``nextAfter`` (a position, when
/// the page stopped inside a block) or else ``nextFrom`` (a height) says where the following page starts:
/// pass it as `after` or as `from`. Both are `nil` once every height up to ``to`` has been read.
public struct EventRangeResponse: Codable, Sendable, Equatable {
    /// The matching events, in position order.
    public var events: [ChainEvent]
    /// The first height read.
    public var from: UInt64
    /// The last height asked for, lowered to the head when beyond it.
    public var to: UInt64
    /// The chain's head when the page was read.
    public var head: UInt64
    /// The next page starts after this position `H.T.E` (the page stopped inside a block).
    public var nextAfter: String?
    /// The next page starts at this height (the page stopped at a block boundary before ``to``).
    public var nextFrom: UInt64?

    /// Creates a page.
    public init(events: [ChainEvent], from: UInt64, to: UInt64, head: UInt64, nextAfter: String?, nextFrom: UInt64?) {
        self.events = events
        self.from = from
        self.to = to
        self.head = head
        self.nextAfter = nextAfter
        self.nextFrom = nextFrom
    }
}

extension ChainEvent {
    /// The event's type in a server-sent event stream: its name, prefixed with `<contract>.` unless
    /// the name already is (native contracts name their events `evidence.recorded`, …).
    public var streamType: String { name.hasPrefix(contract + ".") ? name : "\(contract).\(name)" }
}
