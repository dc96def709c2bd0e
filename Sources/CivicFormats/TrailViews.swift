import CivicCodec
import CivicCrypto
import CivicLedger

/// The question a trail answer answers (Docs/0016, "Usage trail").
public enum TrailQuestion: String, CaseIterable, Sendable, Codable {
    /// Who accessed resource R: rows whose resource is the key.
    case resource
    /// Which resources department D used, and why: rows whose consumer organization is the key, with its usage.
    case department
    /// Every access naming a citizen or company: rows whose subjects include the key (a fingerprint).
    case subject
    /// What department D provided: rows whose provider is the key.
    case provider

    /// The API path segment: `resources`, `departments`, `subjects`, `providers`.
    public var pathSegment: String { rawValue + "s" }

    /// The name of the route's key parameter, as the OpenAPI document names it: `id`, `organization` or
    /// `fingerprint`.
    public var keyParameter: String {
        switch self {
        case .resource: "id"
        case .department, .provider: "organization"
        case .subject: "fingerprint"
        }
    }
}

/// One row of a trail answer: an indexed event, where it is in the chain, and (on request) the proof of its receipt.
public struct TrailRowView: Codable, Sendable, Equatable {
    /// The event's position `H.T.E` (Docs/0013).
    public var position: String
    /// The block height.
    public var height: UInt64
    /// The transaction's index in the block.
    public var transactionIndex: UInt32
    /// The event's index in the transaction's receipt.
    public var eventIndex: UInt32
    /// The block time, milliseconds since 1970.
    public var timeMs: UInt64
    /// The transaction's hash, hex.
    public var transactionHash: String
    /// The event's name (`catalog.access`, `catalog.granted`, …).
    public var event: String
    /// The access number (`catalog.access`) or request number (request events); 0 when the event has none.
    public var number: UInt64
    /// What was used.
    public var resource: String
    /// Its owning department.
    public var provider: String
    /// The using department.
    public var consumerOrganization: String
    /// The key that used it (address hex), or that decided a request.
    public var consumer: String
    /// The fields.
    public var fields: [String]
    /// `served`, a refusal code, or a request status.
    public var outcome: String
    /// The purpose stated in the request.
    public var purpose: String
    /// The service item.
    public var serviceItem: String
    /// The suite hash of the data served, hex; empty when nothing was served.
    public var served: String
    /// Rows served.
    public var rows: UInt64
    /// The grant (request number) the access was made under; 0 when none.
    public var grant: UInt64
    /// The subject fingerprints named, hex.
    public var subjects: [String]
    /// The transaction proof (`ProofFile`, base64) whose receipt holds this event, when asked with `proofs=true`.
    public var proof: String?

    /// Creates the view of `entry` at `position`.
    public init(_ entry: TrailEntry, position: EventPosition, time: UInt64, transactionHash: Hash256, proof: String? = nil) {
        self.position = position.description
        height = position.height
        transactionIndex = position.transaction
        eventIndex = position.event
        timeMs = time
        self.transactionHash = transactionHash.hex
        event = entry.name
        number = entry.integer(.number)
        resource = entry.text(.resource)
        provider = entry.text(.provider)
        consumerOrganization = entry.text(.consumerOrganization)
        consumer = entry.text(.consumer)
        fields = entry.text(.fields).split(separator: ",").map(String.init)
        outcome = entry.text(.outcome)
        purpose = entry.text(.purpose)
        serviceItem = entry.text(.serviceItem)
        served = entry.text(.served)
        rows = entry.integer(.rows)
        grant = entry.integer(.grant)
        subjects = entry.subjects.map(\.hex)
        self.proof = proof
    }

    /// Whether `entry` says what this row says (its columns and subjects); the offline check compares the row with
    /// the event in the proved receipt through this.
    public func matches(_ entry: TrailEntry) -> Bool {
        guard let hash = Hex.decode(transactionHash).flatMap(Hash256.init(validating:)) else { return false }
        let expected = TrailRowView(entry, position: EventPosition(height: height, transaction: transactionIndex,
                                                                   event: eventIndex),
                                    time: timeMs, transactionHash: hash, proof: proof)
        return expected == self
    }
}

/// What a department used, and why: one line per resource, purpose and service item, over everything indexed (the
/// time window does not apply to it).
public struct TrailUsageView: Codable, Sendable, Equatable {
    /// The event counted (`catalog.access`, `certificates.verified`).
    public var event: String
    /// What was used.
    public var resource: String
    /// Its owner.
    public var provider: String
    /// The purpose stated.
    public var purpose: String
    /// The service item.
    public var serviceItem: String
    /// Successful uses (served accesses, valid checks).
    public var uses: UInt64
    /// Refused ones.
    public var refusals: UInt64
    /// The first use's block time, milliseconds since 1970.
    public var firstTimeMs: UInt64
    /// The last use's block time.
    public var lastTimeMs: UInt64

    /// Creates a usage line.
    public init(event: String, resource: String, provider: String, purpose: String, serviceItem: String, uses: UInt64,
                refusals: UInt64, firstTimeMs: UInt64, lastTimeMs: UInt64) {
        self.event = event
        self.resource = resource
        self.provider = provider
        self.purpose = purpose
        self.serviceItem = serviceItem
        self.uses = uses
        self.refusals = refusals
        self.firstTimeMs = firstTimeMs
        self.lastTimeMs = lastTimeMs
    }
}

/// Answer to `GET /v1/trail/{resources|departments|subjects|providers}/{key}`: one page of rows in time order.
public struct TrailResponse: Codable, Sendable, Equatable {
    /// What was asked.
    public var question: TrailQuestion
    /// The resource id, organization or fingerprint (hex).
    public var key: String
    /// The window's first time (inclusive), when given.
    public var sinceMs: UInt64?
    /// The window's last time (inclusive), when given.
    public var untilMs: UInt64?
    /// The last height the index holds: the answer covers blocks up to it.
    public var indexedHeight: UInt64
    /// The chain's head when the answer was made.
    public var headHeight: UInt64
    /// The rows, oldest first.
    public var rows: [TrailRowView]
    /// Pass as `cursor` for the next page; `nil` on the last page.
    public var nextCursor: String?
    /// For ``TrailQuestion/department``: the resources it used, with purpose and service item.
    public var resources: [TrailUsageView]?

    /// Creates an answer.
    public init(question: TrailQuestion, key: String, sinceMs: UInt64?, untilMs: UInt64?, indexedHeight: UInt64,
                headHeight: UInt64, rows: [TrailRowView], nextCursor: String?, resources: [TrailUsageView]? = nil) {
        self.question = question
        self.key = key
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.indexedHeight = indexedHeight
        self.headHeight = headHeight
        self.rows = rows
        self.nextCursor = nextCursor
        self.resources = resources
    }
}
