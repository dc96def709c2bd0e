import CivicCodec
import CivicCrypto
import CivicLedger

/// A column of a usage-trail row (Docs/0016, "Usage trail"): what the trail index stores and answers for every
/// event it keeps, whatever contract emitted it.
public enum TrailColumn: String, CaseIterable, Sendable {
    /// The record's number: the access number (`catalog.access`), the request number (request events).
    case number
    /// What was used: a catalog resource id, a certificate id.
    case resource
    /// The department that owns what was used.
    case provider
    /// The department that used it.
    case consumerOrganization = "consumer_organization"
    /// The key (address, hex) that used it, or decided.
    case consumer
    /// The fields used, comma-separated.
    case fields
    /// `served`, a refusal code, a request status, a check's result.
    case outcome
    /// Why, as the request stated it.
    case purpose
    /// The service item it was used for.
    case serviceItem = "service_item"
    /// The suite hash of the data served (hex), empty when nothing was served.
    case served
    /// Rows served.
    case rows
    /// The grant (request number) an access was made under.
    case grant

    /// Whether the column holds a whole number (stored as an SQLite INTEGER, answered as a JSON number).
    public var isInteger: Bool { self == .number || self == .rows || self == .grant }
}

/// How one kind of event becomes a trail row: which attribute fills which ``TrailColumn``, which attributes list
/// subject fingerprints, and whether the event counts as a department's use of a resource.
///
/// The trail index and the offline check of a trail answer both read events through this table, so a new kind of
/// event (for example `certificates.verified`) is one entry in ``all``: no new table, no new query.
public struct TrailEventMapping: Sendable {
    /// The event's full name, e.g. `catalog.access`.
    public var eventName: String
    /// Column → attribute name. Columns not listed are empty (0 for integers).
    public var columns: [TrailColumn: String]
    /// Attributes whose values are comma-separated subject fingerprints (``SubjectFingerprint``, 64 hex digits each).
    public var subjectAttributes: [String]
    /// Whether the event is a use of the resource by the consumer organization (kept in the department's usage
    /// summary); request lifecycle events are not.
    public var isUse: Bool
    /// The outcomes that count as a successful use; any other outcome is a refusal.
    public var successOutcomes: Set<String>

    /// Creates a mapping.
    public init(eventName: String, columns: [TrailColumn: String], subjectAttributes: [String] = [], isUse: Bool = false,
                successOutcomes: Set<String> = []) {
        self.eventName = eventName
        self.columns = columns
        self.subjectAttributes = subjectAttributes
        self.isUse = isUse
        self.successOutcomes = successOutcomes
    }

    /// The attributes of every `catalog` request event, read as a row: the consumer is the requesting department,
    /// the key is whoever acted last (`by`), the outcome is the request's status.
    private static func request(_ name: String) -> TrailEventMapping {
        TrailEventMapping(eventName: name, columns: [
            .number: "request", .resource: "resource", .provider: "provider", .consumerOrganization: "consumer",
            .consumer: "by", .fields: "fields", .outcome: "status", .purpose: "purpose", .serviceItem: "service_item",
        ])
    }

    /// Every event the trail keeps. Add an entry to index another kind of event.
    public static let all: [TrailEventMapping] = [
        TrailEventMapping(eventName: "catalog.access", columns: [
            .number: "access", .resource: "resource", .grant: "grant", .provider: "provider",
            .consumerOrganization: "consumer_organization", .consumer: "consumer", .fields: "fields", .served: "served",
            .rows: "rows", .outcome: "outcome", .purpose: "purpose", .serviceItem: "service_item",
        ], subjectAttributes: ["subjects"], isUse: true, successOutcomes: ["served"]),
        request("catalog.requested"), request("catalog.granted"), request("catalog.rejected"),
        request("catalog.revoked"),
        // E-certificate checks (Docs/0016, scenario 5): the holder is a subject, the verifying department a consumer.
        TrailEventMapping(eventName: "certificates.verified", columns: [
            .resource: "certificate", .fields: "type", .provider: "issuer", .consumerOrganization: "verifier_organization",
            .consumer: "verifier", .purpose: "purpose", .outcome: "outcome",
        ], subjectAttributes: ["holder"], isUse: true, successOutcomes: ["valid", "verified"]),
    ]

    private static let byName: [String: TrailEventMapping] = Dictionary(uniqueKeysWithValues: all.map { ($0.eventName, $0) })

    /// The mapping of events called `name`, or `nil` when the trail does not keep them.
    public static func mapping(for name: String) -> TrailEventMapping? { byName[name] }

    /// The event read as trail columns and subjects.
    public func entry(of event: Event) -> TrailEntry {
        var values: [String: String] = [:]
        for attribute in event.attributes where values[attribute.key] == nil { values[attribute.key] = attribute.value }
        var texts: [TrailColumn: String] = [:]
        var integers: [TrailColumn: UInt64] = [:]
        for column in TrailColumn.allCases {
            let value = columns[column].flatMap { values[$0] } ?? ""
            if column.isInteger { integers[column] = UInt64(value) ?? 0 } else { texts[column] = value }
        }
        var subjects: [Hash256] = []
        for name in subjectAttributes {
            for item in (values[name] ?? "").split(separator: ",") {
                if let bytes = Hex.decode(String(item)), let hash = Hash256(validating: bytes), !subjects.contains(hash) {
                    subjects.append(hash)
                }
            }
        }
        let outcome = texts[.outcome] ?? ""
        return TrailEntry(name: eventName, texts: texts, integers: integers, subjects: subjects,
                          isUse: isUse, isSuccess: successOutcomes.contains(outcome))
    }
}

/// One event read through its ``TrailEventMapping``: what the trail index stores for it (without its position).
public struct TrailEntry: Hashable, Sendable {
    /// The event's full name.
    public var name: String
    /// The text columns (every non-integer column has a value, possibly empty).
    public var texts: [TrailColumn: String]
    /// The integer columns (every integer column has a value, possibly 0).
    public var integers: [TrailColumn: UInt64]
    /// The subjects named, without repeats, in order.
    public var subjects: [Hash256]
    /// Whether it is a use (counted in the usage summary).
    public var isUse: Bool
    /// Whether its outcome counts as a success.
    public var isSuccess: Bool

    /// Creates an entry.
    public init(name: String, texts: [TrailColumn: String], integers: [TrailColumn: UInt64], subjects: [Hash256],
                isUse: Bool, isSuccess: Bool) {
        self.name = name
        self.texts = texts
        self.integers = integers
        self.subjects = subjects
        self.isUse = isUse
        self.isSuccess = isSuccess
    }

    /// The text of `column` ("" for integer columns).
    public func text(_ column: TrailColumn) -> String { texts[column] ?? "" }

    /// The number in `column` (0 for text columns).
    public func integer(_ column: TrailColumn) -> UInt64 { integers[column] ?? 0 }
}
