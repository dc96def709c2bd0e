import CivicLedger
import CivicNetwork
import CoreMetrics
import Logging
import Metrics
import Synchronization

/// A certificate the node depends on (its TLS transport certificate), watched for expiry.
public struct MonitoredCertificate: Hashable, Sendable {
    /// What it is for, e.g. `tls`.
    public var name: String
    /// Its subject, for people.
    public var subject: String
    /// The end of its validity.
    public var notAfter: Timestamp

    /// Describes a certificate to watch.
    public init(name: String, subject: String, notAfter: Timestamp) {
        self.name = name
        self.subject = subject
        self.notAfter = notAfter
    }

    /// How close to expiry it is at `time` (30, 7 or 1 days, or expired), or `nil` when further off.
    public func warning(at time: Timestamp) -> ExpiryWarning? { ExpiryWarning(notAfter: notAfter, at: time) }
}

extension Node {
    /// How often certificates are checked, in seconds.
    static let certificateCheckSeconds: UInt64 = 60

    /// Records each watched certificate's remaining validity in `civic_certificate_expiry_seconds`
    /// and logs when it enters a warning band (30, 7, 1 days, expired), once per band, saying how to
    /// renew it.
    func checkCertificates() {
        let now = configuration.clock.now()
        for certificate in shared.withLock({ $0.certificates }) {
            let left = Int64(certificate.notAfter.milliseconds) - Int64(now.milliseconds)
            Gauge(label: "civic_certificate_expiry_seconds", dimensions: [("certificate", certificate.name)])
                .record(left / 1000)
            let warning = certificate.warning(at: now)
            let previous = engine.certificateWarnings[certificate.name] ?? nil
            guard warning != previous else { continue }
            engine.certificateWarnings[certificate.name] = warning
            guard let warning else { continue }
            let metadata: Logger.Metadata = [
                "certificate": "\(certificate.name)", "subject": "\(certificate.subject)",
                "not_after_ms": "\(certificate.notAfter.milliseconds)", "code": "certificate.expiry_\(warning.rawValue)d",
            ]
            let advice = "issue a new one with `civic org issue-node` from the organization's CA and put it in place of the old files (the node picks it up without a restart)"
            switch warning {
            case .expired: logger.error("the \(certificate.name) certificate has expired: peers refuse this node; \(advice)", metadata: metadata)
            case .withinOneDay, .withinSevenDays:
                logger.error("the \(certificate.name) certificate \(warning); \(advice)", metadata: metadata)
            case .withinThirtyDays: logger.warning("the \(certificate.name) certificate \(warning); \(advice)", metadata: metadata)
            }
        }
    }
}
