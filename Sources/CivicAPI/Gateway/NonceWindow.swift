import CivicLedger
import Synchronization

/// The nonces the gateway has seen within the freshness window, per signer, so a captured request cannot be
/// played again while its time stamp would still pass. Entries older than the window are dropped; past
/// ``ExchangeGateway/nonceWindowEntriesMax`` live entries, new requests are refused as overloaded rather than
/// forgetting a nonce that is still fresh.
final class NonceWindow: Sendable {
    enum Outcome: Equatable { case fresh, replayed, full }

    private struct Entry: Hashable { var signer: Address; var nonce: UInt64 }

    private struct Seen {
        var expiries: [Entry: UInt64] = [:]
        /// Sweeps are cheap only when amortized: the next one runs after this many insertions.
        var insertionsUntilSweep = 1_024
    }

    private let seen = Mutex(Seen())
    private let windowMilliseconds: UInt64
    private let entriesMax: Int

    init(windowMilliseconds: UInt64, entriesMax: Int) {
        precondition(windowMilliseconds > 0 && entriesMax > 0)
        self.windowMilliseconds = windowMilliseconds
        self.entriesMax = entriesMax
    }

    /// Marks (signer, nonce) as seen at `now` unless it already was within the window.
    func check(signer: Address, nonce: UInt64, now: Timestamp) -> Outcome {
        let entry = Entry(signer: signer, nonce: nonce)
        return seen.withLock { seen in
            if let expiry = seen.expiries[entry], expiry > now.milliseconds { return .replayed }
            seen.insertionsUntilSweep -= 1
            if seen.insertionsUntilSweep <= 0 || seen.expiries.count >= entriesMax {
                seen.expiries = seen.expiries.filter { $0.value > now.milliseconds }
                seen.insertionsUntilSweep = max(1_024, seen.expiries.count / 2)
            }
            guard seen.expiries.count < entriesMax else { return .full }
            // A request stays fresh until issuedAt + window; now + 2·window outlives any issuedAt that passed.
            seen.expiries[entry] = now.milliseconds + 2 * windowMilliseconds
            return .fresh
        }
    }
}
