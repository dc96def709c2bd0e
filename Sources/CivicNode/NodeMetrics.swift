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

    /// Counts a refusal under its stable code.
    func refused(code: String) {
        Counter(label: "civic_transactions_refused_total", dimensions: [("code", code)]).increment()
    }
}
