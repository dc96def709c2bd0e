import CivicFormats
import CivicLedger
import CivicNode
import Logging
import ServiceLifecycle

extension TrailIndex {
    /// Most heights one ``apply(_:)`` transaction covers during a catch-up.
    public static let catchUpHeightsPerWrite = 256

    /// Indexes the committed blocks above the indexed height through `head`, at most `heightsMax` of them, reading
    /// each block's receipts (and its time when it holds a kept event) through `reader`.
    /// - Returns: the indexed height afterwards.
    /// - Throws: ``TrailError``; what was written before the failure stays (it is whole blocks).
    @discardableResult
    public func catchUp(reader: LedgerReader, through head: Height, heightsMax: Int = .max) throws(TrailError) -> UInt64 {
        try catchingUp.withLock { (_: inout Void) throws(TrailError) -> UInt64 in
            var indexed: UInt64
            do throws(StoreError) { indexed = try indexedHeight() } catch { throw .storage(error) }
            var remaining = heightsMax
            while indexed < head.rawValue && remaining > 0 {
                let count = min(remaining, Self.catchUpHeightsPerWrite, Int(clamping: head.rawValue - indexed))
                var blocks: [TrailBlock] = []
                for height in indexed + 1...indexed + UInt64(count) {
                    do throws(QueryError) {
                        blocks.append(try Self.block(at: Height(height), reader: reader))
                    } catch { throw .query(error) }
                }
                do throws(StoreError) { indexed = try apply(blocks) } catch { throw .storage(error) }
                remaining -= count
            }
            return indexed
        }
    }

    /// The kept events of the committed block at `height`.
    static func block(at height: Height, reader: LedgerReader) throws(QueryError) -> TrailBlock {
        var rows: [TrailIndexedEvent] = []
        for (transactionIndex, receipt) in try reader.receipts(at: height).enumerated() where receipt.status.isSuccess {
            for (eventIndex, event) in receipt.events.enumerated() {
                guard let mapping = TrailEventMapping.mapping(for: event.name) else { continue }
                rows.append(TrailIndexedEvent(
                    position: EventPosition(height: height.rawValue, transaction: UInt32(transactionIndex),
                                            event: UInt32(eventIndex)),
                    transactionHash: receipt.transactionHash, entry: mapping.entry(of: event)))
            }
        }
        // Only blocks with kept events pay for reading the block (its time).
        var time: UInt64 = 0
        if !rows.isEmpty { time = try reader.block(at: height).block.header.time.milliseconds }
        return TrailBlock(height: height.rawValue, time: time, rows: rows)
    }
}

/// Keeps a ``TrailIndex`` up to date with a node: catches up at start, then after each commit (the node's commit
/// signal), until the service is shut down. A failure is logged and retried after a second: the index is derived
/// data, and the node goes on without it.
public struct TrailIndexer: Service {
    /// The index fed.
    public let index: TrailIndex
    /// The node whose committed blocks feed it.
    public let node: Node
    /// Where failures are logged.
    public let logger: Logger

    /// Creates the follower.
    public init(index: TrailIndex, node: Node, logger: Logger) {
        self.index = index
        self.node = node
        self.logger = logger
    }

    /// Follows the node until cancelled or shut down gracefully.
    public func run() async throws {
        var lastFailure: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let head = node.snapshot.head.height
            let indexed: UInt64
            do {
                indexed = try index.catchUp(reader: node.reader, through: head, heightsMax: TrailIndex.catchUpHeightsPerWrite)
                lastFailure = nil
            } catch {
                if lastFailure != error.description {
                    logger.error("the trail index could not catch up; retrying", metadata: ["reason": "\(error)"])
                }
                lastFailure = error.description
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            if indexed < head.rawValue {
                await Task.yield()
                continue
            }
            _ = await node.waitForCommit(above: head, timeout: .seconds(1))
        }
    }
}

/// Why the trail index could not answer or catch up.
public enum TrailError: Error, Sendable, CustomStringConvertible {
    /// The index file failed.
    case storage(StoreError)
    /// A committed block could not be read.
    case query(QueryError)

    /// A stable code.
    public var code: String {
        switch self {
        case .storage(let error): "trail.\(error.code)"
        case .query(let error): "trail.\(error.code)"
        }
    }

    /// A sentence.
    public var description: String {
        switch self {
        case .storage(let error): "The trail index failed: \(error.description)"
        case .query(let error): "The trail index could not read the ledger: \(error.description)"
        }
    }
}
