import CivicCodec
import CivicCrypto
import CivicLedger

/// What a consuming department asks for: a resource (or some of its fields), for a stated purpose and service
/// item (事项), for a period.
public struct RequestDraft: Hashable, Sendable, CanonicalCodable {
    /// The resource's id.
    public var resource: String
    /// The fields wanted; empty means every field of the resource.
    public var fields: [String]
    /// Why, in words (shown to the owner and kept in the trail).
    public var purpose: String
    /// The service item the data is used for, e.g. `housing.purchase-qualification`.
    public var serviceItem: String
    /// How long the grant should last, in milliseconds from approval (at most ``CatalogContract/grantMillisecondsMax``).
    public var durationMilliseconds: UInt64

    /// Creates a draft.
    public init(resource: String, fields: [String] = [], purpose: String, serviceItem: String,
                durationMilliseconds: UInt64) {
        self.resource = resource
        self.fields = fields
        self.purpose = purpose
        self.serviceItem = serviceItem
        self.durationMilliseconds = durationMilliseconds
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: resource)
        encoder.encode(sequence: fields.map(CanonicalString.init))
        encoder.encode(string: purpose)
        encoder.encode(string: serviceItem)
        encoder.encode(durationMilliseconds)
    }

    /// Reads a draft.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        resource = try decoder.decodeString("request.resource", maxBytes: Limits.nameBytesMax)
        fields = try decoder.decodeSequence(CanonicalString.self, "request.fields", max: CatalogContract.fieldsMax).map(\.value)
        purpose = try decoder.decodeString("request.purpose", maxBytes: CatalogContract.titleBytesMax)
        serviceItem = try decoder.decodeString("request.service_item", maxBytes: Limits.nameBytesMax)
        durationMilliseconds = try decoder.decodeUInt64("request.duration")
        guard !purpose.isEmpty, CatalogContract.isIdentifier(serviceItem) else {
            throw .invalidValue(field: "request", reason: "a request states its purpose and a service item id (a-z, 0-9, '.', '_', '-')")
        }
        guard (1...CatalogContract.grantMillisecondsMax).contains(durationMilliseconds) else {
            throw .invalidValue(field: "request.duration", reason: "a grant lasts from 1 ms to 366 days")
        }
    }
}

/// A string in a canonical sequence.
public struct CanonicalString: Hashable, Sendable, CanonicalCodable {
    /// The text.
    public var value: String
    /// Wraps `value`.
    public init(_ value: String) { self.value = value }
    /// Length-prefixed UTF-8.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(string: value) }
    /// Reads a name-sized string.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        value = try decoder.decodeString("string", maxBytes: Limits.nameBytesMax)
    }
}

/// Where a request stands.
public enum RequestStatus: UInt8, Sendable, CanonicalByteEnum {
    /// The field decoding errors name.
    public static let canonicalField = "request.status"

    /// Waiting for the owner (conditional resources).
    case pending = 1
    /// Granted: the gateway serves it until it expires or is revoked.
    case granted
    /// Refused by the owner.
    case rejected
    /// Granted, then revoked by the owner.
    case revoked

    /// The lowercase name.
    public var name: String { String(describing: self) }
}

/// A request and, once granted, the grant: every change with who made it and when.
public struct ShareRequest: Hashable, Sendable, CanonicalCodable {
    /// The request's number (also the grant's), from 1.
    public var id: UInt64
    /// What was asked for (fields resolved: never empty).
    public var draft: RequestDraft
    /// The resource's owner.
    public var provider: String
    /// The requesting department.
    public var consumer: String
    /// Who asked.
    public var requestedBy: Address
    /// When it was asked (block time).
    public var requestedAt: Timestamp
    /// The resource version it was asked against.
    public var resourceVersion: UInt32
    /// Where it stands.
    public var status: RequestStatus
    /// Who decided (approved, rejected or revoked) last, or the requester for automatic grants.
    public var decidedBy: Address?
    /// When the status last changed.
    public var decidedAt: Timestamp?
    /// The decision's note or reason.
    public var note: String
    /// When a grant ends (block time); 0 until granted.
    public var expiresAt: Timestamp

    /// Creates a pending request.
    public init(id: UInt64, draft: RequestDraft, provider: String, consumer: String, requestedBy: Address,
                requestedAt: Timestamp, resourceVersion: UInt32) {
        self.id = id
        self.draft = draft
        self.provider = provider
        self.consumer = consumer
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.resourceVersion = resourceVersion
        status = .pending
        decidedBy = nil
        decidedAt = nil
        note = ""
        expiresAt = Timestamp(milliseconds: 0)
    }

    /// Whether the grant lets the gateway serve at `time`: granted and not expired.
    public func isActive(at time: Timestamp) -> Bool { status == .granted && time < expiresAt }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(draft)
        encoder.encode(string: provider)
        encoder.encode(string: consumer)
        encoder.encode(requestedBy)
        encoder.encode(requestedAt)
        encoder.encode(resourceVersion)
        encoder.encode(status)
        encoder.encode(optional: decidedBy)
        encoder.encode(optional: decidedAt)
        encoder.encode(string: note)
        encoder.encode(expiresAt)
    }

    /// Reads a request.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeUInt64("request.id")
        draft = try decoder.decode(RequestDraft.self)
        provider = try decoder.decodeString("request.provider", maxBytes: Limits.nameBytesMax)
        consumer = try decoder.decodeString("request.consumer", maxBytes: Limits.nameBytesMax)
        requestedBy = try decoder.decode(Address.self)
        requestedAt = try decoder.decode(Timestamp.self)
        resourceVersion = try decoder.decodeUInt32("request.resource_version")
        status = try decoder.decode(RequestStatus.self)
        decidedBy = try decoder.decodeOptional(Address.self, "request.decided_by")
        decidedAt = try decoder.decodeOptional(Timestamp.self, "request.decided_at")
        note = try decoder.decodeString("request.note", maxBytes: CatalogContract.titleBytesMax)
        expiresAt = try decoder.decode(Timestamp.self)
    }

    /// The state key in the catalog's namespace: `request/<id, 8 bytes big-endian>`.
    public static func key(_ id: UInt64) -> [UInt8] { Array("request/".utf8) + withUnsafeBytes(of: id.bigEndian, Array.init) }
}

/// What a provider's exchange gateway reports after answering (or refusing) one fetch; the catalog keeps it as an
/// ``AccessRecord`` and the trail indexes its event.
public struct AccessReport: Hashable, Sendable, CanonicalCodable {
    /// The resource asked for.
    public var resource: String
    /// The grant presented; 0 when none was.
    public var grant: UInt64
    /// The key that signed the fetch.
    public var consumer: Address
    /// The signer's department, as the identity registry names it (empty when the signer is unknown).
    public var consumerOrganization: String
    /// The fields served (or asked for, when refused).
    public var fields: [String]
    /// The suite hash of the plaintext served; zero when refused.
    public var servedFingerprint: Hash256
    /// Salted fingerprints of the citizens or companies whose rows were served (``SubjectFingerprint``).
    public var subjects: [Hash256]
    /// Rows served.
    public var rows: UInt32
    /// Empty when served; the refusal's code otherwise (e.g. `gateway.grant_expired`).
    public var refusal: String

    /// Creates a report.
    public init(resource: String, grant: UInt64, consumer: Address, consumerOrganization: String, fields: [String],
                servedFingerprint: Hash256, subjects: [Hash256], rows: UInt32, refusal: String) {
        self.resource = resource
        self.grant = grant
        self.consumer = consumer
        self.consumerOrganization = consumerOrganization
        self.fields = fields
        self.servedFingerprint = servedFingerprint
        self.subjects = subjects
        self.rows = rows
        self.refusal = refusal
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: resource)
        encoder.encode(grant)
        encoder.encode(consumer)
        encoder.encode(string: consumerOrganization)
        encoder.encode(sequence: fields.map(CanonicalString.init))
        encoder.encode(servedFingerprint)
        encoder.encode(sequence: subjects)
        encoder.encode(rows)
        encoder.encode(string: refusal)
    }

    /// Reads a report.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        resource = try decoder.decodeString("access.resource", maxBytes: Limits.nameBytesMax)
        grant = try decoder.decodeUInt64("access.grant")
        consumer = try decoder.decode(Address.self)
        consumerOrganization = try decoder.decodeString("access.consumer_organization", maxBytes: Limits.nameBytesMax)
        fields = try decoder.decodeSequence(CanonicalString.self, "access.fields", max: CatalogContract.fieldsMax).map(\.value)
        servedFingerprint = try decoder.decode(Hash256.self)
        subjects = try decoder.decodeSequence(Hash256.self, "access.subjects", max: CatalogContract.subjectsPerAccessMax)
        rows = try decoder.decodeUInt32("access.rows")
        refusal = try decoder.decodeString("access.refusal", maxBytes: Limits.nameBytesMax)
    }
}

/// An access as the chain keeps it: the report, the provider that served it, and when.
public struct AccessRecord: Hashable, Sendable, CanonicalCodable {
    /// The access's number, from 1.
    public var id: UInt64
    /// What the gateway reported.
    public var report: AccessReport
    /// The providing department.
    public var provider: String
    /// The gateway key that reported it.
    public var reportedBy: Address
    /// The block height and time.
    public var height: Height
    /// The block time.
    public var time: Timestamp
    /// The reporting transaction.
    public var transactionHash: Hash256

    /// Creates a record.
    public init(id: UInt64, report: AccessReport, provider: String, reportedBy: Address, height: Height,
                time: Timestamp, transactionHash: Hash256) {
        self.id = id
        self.report = report
        self.provider = provider
        self.reportedBy = reportedBy
        self.height = height
        self.time = time
        self.transactionHash = transactionHash
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(report)
        encoder.encode(string: provider)
        encoder.encode(reportedBy)
        encoder.encode(height)
        encoder.encode(time)
        encoder.encode(transactionHash)
    }

    /// Reads a record.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeUInt64("access.id")
        report = try decoder.decode(AccessReport.self)
        provider = try decoder.decodeString("access.provider", maxBytes: Limits.nameBytesMax)
        reportedBy = try decoder.decode(Address.self)
        height = try decoder.decode(Height.self)
        time = try decoder.decode(Timestamp.self)
        transactionHash = try decoder.decode(Hash256.self)
    }

    /// The state key in the catalog's namespace: `access/<id, 8 bytes big-endian>`.
    public static func key(_ id: UInt64) -> [UInt8] { Array("access/".utf8) + withUnsafeBytes(of: id.bigEndian, Array.init) }
}
