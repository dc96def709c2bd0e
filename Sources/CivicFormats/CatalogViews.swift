import CivicApps
import CivicCodec
import CivicCrypto
import CivicLedger

/// A field of a data resource in JSON.
public struct ResourceFieldView: Codable, Sendable, Equatable {
    /// The field's name.
    public var name: String
    /// `string`, `integer`, `decimal`, `date`, `boolean` or `binary`.
    public var type: String
    /// `open`, `internal`, `sensitive` or `personal`.
    public var sensitivity: String
    /// What it holds.
    public var description: String

    /// The view of `field`.
    public init(_ field: ResourceField) {
        name = field.name
        type = field.type.name
        sensitivity = field.sensitivity.name
        description = field.description
    }
}

/// A catalog entry in JSON: the current version of a data resource, with its state proof.
public struct ResourceView: Codable, Sendable, Equatable {
    /// The resource's id.
    public var id: String
    /// Its title.
    public var title: String
    /// What it holds.
    public var description: String
    /// The owning department.
    public var organization: String
    /// The version (1 for the first publication).
    public var version: UInt32
    /// `unconditional`, `conditional` or `not_shared`.
    public var shareType: String
    /// The conditions of a conditional resource.
    public var conditions: String
    /// The schema.
    public var fields: [ResourceFieldView]
    /// How often it is updated.
    public var updateFrequency: String
    /// The provider's gateway URL.
    public var gateway: String
    /// Who published this version (address hex).
    public var publishedBy: String
    /// The height of this version.
    public var height: UInt64
    /// The block time of this version, milliseconds.
    public var time: UInt64
    /// Whether it was withdrawn.
    public var withdrawn: Bool
    /// The record with proof.
    public var state: StateResponse

    /// The view of `resource`.
    public init(_ resource: DataResource, state: StateResponse) {
        id = resource.draft.id
        title = resource.draft.title
        description = resource.draft.description
        organization = resource.organization
        version = resource.version
        shareType = resource.draft.shareType.name
        conditions = resource.draft.conditions
        fields = resource.draft.fields.map(ResourceFieldView.init)
        updateFrequency = resource.draft.updateFrequency
        gateway = resource.draft.gateway
        publishedBy = resource.publishedBy.hex
        height = resource.height.rawValue
        time = resource.time.milliseconds
        withdrawn = resource.withdrawn
        self.state = state
    }
}

/// `GET /v1/catalog/resources`: the entries that match, sorted by id.
public struct ResourceListResponse: Codable, Sendable, Equatable {
    /// The entries.
    public var resources: [ResourceView]
    /// Pass as `after` to get the next page; absent on the last page.
    public var next: String?

    /// Creates a value.
    public init(resources: [ResourceView], next: String?) {
        self.resources = resources
        self.next = next
    }
}

/// A data request (and grant) in JSON, with its state proof.
public struct ShareRequestView: Codable, Sendable, Equatable {
    /// The request's number.
    public var id: UInt64
    /// The resource.
    public var resource: String
    /// The fields asked for.
    public var fields: [String]
    /// Why.
    public var purpose: String
    /// The service item.
    public var serviceItem: String
    /// The owning department.
    public var provider: String
    /// The requesting department.
    public var consumer: String
    /// Who asked (address hex).
    public var requestedBy: String
    /// When, milliseconds.
    public var requestedAt: UInt64
    /// `pending`, `granted`, `rejected` or `revoked`.
    public var status: String
    /// Whether the grant serves now (granted and not expired at the answer's block time).
    public var active: Bool
    /// Who decided last (address hex).
    public var decidedBy: String?
    /// When, milliseconds.
    public var decidedAt: UInt64?
    /// The decision's note.
    public var note: String
    /// When the grant ends, milliseconds (0 until granted).
    public var expiresAt: UInt64
    /// How long the grant lasts once approved, milliseconds.
    public var durationMilliseconds: UInt64
    /// The record with proof.
    public var state: StateResponse

    /// The view of `request` as of block time `now`.
    public init(_ request: ShareRequest, now: Timestamp, state: StateResponse) {
        id = request.id
        resource = request.draft.resource
        fields = request.draft.fields
        purpose = request.draft.purpose
        serviceItem = request.draft.serviceItem
        provider = request.provider
        consumer = request.consumer
        requestedBy = request.requestedBy.hex
        requestedAt = request.requestedAt.milliseconds
        status = request.status.name
        active = request.isActive(at: now)
        decidedBy = request.decidedBy?.hex
        decidedAt = request.decidedAt?.milliseconds
        note = request.note
        expiresAt = request.expiresAt.milliseconds
        durationMilliseconds = request.draft.durationMilliseconds
        self.state = state
    }
}

/// `GET /v1/catalog/requests`: the newest requests that match, newest first.
public struct ShareRequestListResponse: Codable, Sendable, Equatable {
    /// The requests.
    public var requests: [ShareRequestView]

    /// Creates a value.
    public init(requests: [ShareRequestView]) { self.requests = requests }
}

/// A recorded access in JSON, with its state proof.
public struct AccessView: Codable, Sendable, Equatable {
    /// The access's number.
    public var id: UInt64
    /// The resource.
    public var resource: String
    /// The grant presented (0: none).
    public var grant: UInt64
    /// The providing department.
    public var provider: String
    /// The consumer's department.
    public var consumerOrganization: String
    /// The key that signed the fetch (address hex).
    public var consumer: String
    /// The fields.
    public var fields: [String]
    /// `served` or the refusal code.
    public var outcome: String
    /// The fingerprint of what was served (hex; empty when refused).
    public var served: String
    /// Rows served.
    public var rows: UInt32
    /// Salted subject fingerprints (hex).
    public var subjects: [String]
    /// The height and time.
    public var height: UInt64
    /// Milliseconds.
    public var time: UInt64
    /// The recording transaction (hex).
    public var transaction: String
    /// The record with proof.
    public var state: StateResponse

    /// The view of `record`.
    public init(_ record: AccessRecord, state: StateResponse) {
        id = record.id
        resource = record.report.resource
        grant = record.report.grant
        provider = record.provider
        consumerOrganization = record.report.consumerOrganization
        consumer = record.report.consumer.hex
        fields = record.report.fields
        outcome = record.report.refusal.isEmpty ? "served" : record.report.refusal
        served = record.report.refusal.isEmpty ? record.report.servedFingerprint.hex : ""
        rows = record.report.rows
        subjects = record.report.subjects.map(\.hex)
        height = record.height.rawValue
        time = record.time.milliseconds
        transaction = record.transactionHash.hex
        self.state = state
    }
}

/// A catalog entry as a department writes it in a file for `civic catalog publish` (snake_case JSON).
public struct ResourceDraftFile: Codable, Sendable, Equatable {
    /// A field of the schema.
    public struct Field: Codable, Sendable, Equatable {
        /// The field's name.
        public var name: String
        /// Its type name.
        public var type: String
        /// Its sensitivity name.
        public var sensitivity: String
        /// What it holds.
        public var description: String?
    }

    /// The resource's id.
    public var id: String
    /// Its title.
    public var title: String
    /// What it holds.
    public var description: String
    /// The schema.
    public var fields: [Field]
    /// How often it is updated.
    public var updateFrequency: String
    /// `unconditional`, `conditional` or `not_shared`.
    public var shareType: String
    /// The conditions of a conditional resource.
    public var conditions: String?
    /// The provider's gateway URL.
    public var gateway: String

    /// The draft the file describes.
    /// - Throws: ``FormatError`` naming the unknown type, sensitivity or share type, or what makes the draft invalid.
    public func draft() throws(FormatError) -> ResourceDraft {
        var resourceFields: [ResourceField] = []
        for field in fields {
            guard let type = FieldType(name: field.type) else {
                throw .invalid("fields.\(field.name).type", "one of \(FieldType.allCases.map(\.name).joined(separator: ", "))")
            }
            guard let sensitivity = Sensitivity(name: field.sensitivity) else {
                throw .invalid("fields.\(field.name).sensitivity", "one of \(Sensitivity.allCases.map(\.name).joined(separator: ", "))")
            }
            resourceFields.append(ResourceField(name: field.name, type: type, sensitivity: sensitivity,
                                                description: field.description ?? ""))
        }
        guard let share = ShareType(name: shareType) else {
            throw .invalid("share_type", "unconditional, conditional or not_shared")
        }
        let draft = ResourceDraft(id: id, title: title, description: description, fields: resourceFields,
                                  updateFrequency: updateFrequency, shareType: share, conditions: conditions ?? "",
                                  gateway: gateway)
        if let problem = draft.problem { throw .invalid(id, problem) }
        return draft
    }
}
