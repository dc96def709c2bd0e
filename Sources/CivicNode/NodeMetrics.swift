import CoreMetrics
import Metrics

/// The node's metrics, reported through swift-metrics (the executable exports them in the
/// Prometheus text format at `/metrics`).
struct NodeMetrics: Sendable {
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

    /// Counts a refusal under its stable code.
    func refused(code: String) {
        Counter(label: "civic_transactions_refused_total", dimensions: [("code", code)]).increment()
    }
}

extension NodeMetrics {
    /// Counts a signer refusal under its stable code.
    func consensusRefused(code: String) {
        Counter(label: "civic_consensus_signer_refusals_total", dimensions: [("code", code)]).increment()
    }

    /// Counts a rejected block (proposal or synced block) under its stable code.
    func blockRejected(code: String) {
        Counter(label: "civic_blocks_rejected_total", dimensions: [("code", code)]).increment()
    }

    /// Counts a refused peer message under its stable code.
    func peerFault(code: String) {
        Counter(label: "civic_peer_messages_refused_total", dimensions: [("code", code)]).increment()
    }
}

extension Metrics.Timer {
    /// Records the time elapsed since `start`.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
