import CivicCrypto
import CivicLedger

/// What an accepted identity certificate proves: who holds the key, in which organization, with which role.
public struct VerifiedIdentity: Hashable, Sendable {
    /// The organization, as genesis names it (the organization of the CA that issued the certificate).
    public let organization: String
    /// The identity's name (the certificate's `CN`).
    public let name: String
    /// The identity's role (the certificate's `OU`).
    public let role: Role
    /// The identity's signing key, of the chain's suite.
    public let publicKey: PublicKey
    /// The accepted certificate.
    public let certificate: X509Certificate

    /// An identity read from `certificate`.
    public init(organization: String, name: String, role: Role, publicKey: PublicKey, certificate: X509Certificate) {
        self.organization = organization
        self.name = name
        self.role = role
        self.publicKey = publicKey
        self.certificate = certificate
    }
}

/// How close a certificate is to its end, for warnings in logs, `/metrics` and `civic status`.
///
/// Expired certificates are the most common outage of consortium chains; operators get three warnings before.
public enum ExpiryWarning: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Expires within 30 days.
    case withinThirtyDays = 30
    /// Expires within 7 days.
    case withinSevenDays = 7
    /// Expires within 1 day.
    case withinOneDay = 1
    /// Already expired.
    case expired = 0

    /// The warning for a certificate valid until `notAfter`, seen at `time`: the tightest threshold reached, or
    /// `nil` when more than 30 days are left.
    public init?(notAfter: Timestamp, at time: Timestamp) {
        guard time <= notAfter else {
            self = .expired
            return
        }
        let left = notAfter.milliseconds - time.milliseconds
        guard let warning = [ExpiryWarning.withinOneDay, .withinSevenDays, .withinThirtyDays]
            .first(where: { left <= UInt64($0.rawValue) * 86_400_000 })
        else { return nil }
        self = warning
    }

    /// More urgent warnings are greater.
    public static func < (left: ExpiryWarning, right: ExpiryWarning) -> Bool { left.rawValue > right.rawValue }

    /// `expires within 7 days`, `expired`, …
    public var description: String {
        switch self {
        case .withinThirtyDays: "expires within 30 days"
        case .withinSevenDays: "expires within 7 days"
        case .withinOneDay: "expires within 1 day"
        case .expired: "expired"
        }
    }
}

extension X509Certificate {
    /// The expiry warning due for this certificate at `time`, or `nil` when more than 30 days are left.
    public func expiryWarning(at time: Timestamp) -> ExpiryWarning? {
        ExpiryWarning(notAfter: validity.notAfter, at: time)
    }
}
