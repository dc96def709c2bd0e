import CivicLedger
import CoreMetrics
import Metrics

/// The node's metrics, reported through swift-metrics (the executable exports them in the
/// Prometheus text format at `/metrics`). Each refusal is counted and kept in ``refusals`` by one call.
struct NodeMetrics: Sendable {
    /// The newest refusals, for `GET /v1/node/refusals`.
    let refusals: RefusalLog
    let height = Gauge(label: "civic_block_height")
    let admitted = Counter(label: "civic_transactions_admitted_total")
    let committed = Counter(label: "civic_transactions_committed_total")
    let failedReceipts = Counter(label: "civic_transactions_failed_receipts_total")
    let dropped = Counter(label: "civic_transactions_dropped_total")
    let blocks = Counter(label: "civic_blocks_committed_total")
    let mempool = Gauge(label: "civic_mempool_transactions")
    let blockTransactions = Recorder(label: "civic_block_transactions")
    let productionDuration = Metrics.Timer(label: "civic_block_production_duration_seconds")
    /// The round in which the last block was decided (0 when the first proposal succeeded).
    let round = Gauge(label: "civic_consensus_decided_round")
    let syncedBlocks = Counter(label: "civic_blocks_synced_total")
    /// Peers connected now.
    let peers = Gauge(label: "civic_peers_connected")
    let equivocations = Counter(label: "civic_equivocations_seen_total")

    /// Counts a refused submission under its stable code and keeps it in ``refusals``.
    func refused(code: String, message: String) {
        Counter(label: "civic_transactions_refused_total", dimensions: [("code", code)]).increment()
        refusals.record(.admission, code: code, message: message)
    }
}

extension NodeMetrics {
    /// Counts a signer refusal under its stable code and keeps it in ``refusals``.
    func consensusRefused(code: String, message: String) {
        Counter(label: "civic_consensus_signer_refusals_total", dimensions: [("code", code)]).increment()
        refusals.record(.signer, code: code, message: message)
    }

    /// Counts a rejected block (proposal or synced block) under its stable code and keeps it in ``refusals``.
    func blockRejected(code: String, message: String, height: Height) {
        Counter(label: "civic_blocks_rejected_total", dimensions: [("code", code)]).increment()
        refusals.record(.block, code: code, message: message, subject: "height \(height)")
    }

    /// Counts a refused peer message under its stable code and keeps it in ``refusals``.
    func peerFault(code: String, message: String, peer: Address) {
        Counter(label: "civic_peer_messages_refused_total", dimensions: [("code", code)]).increment()
        refusals.record(.peerMessage, code: code, message: message, subject: "peer \(peer)")
    }
}

extension Metrics.Timer {
    /// Records the time elapsed since `start`.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
