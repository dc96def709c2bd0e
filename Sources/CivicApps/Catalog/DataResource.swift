import CivicCodec
import CivicLedger

/// How a data resource may be shared (无条件共享 / 有条件共享 / 不予共享).
public enum ShareType: UInt8, Sendable, CanonicalByteEnum {
    /// The field decoding errors name.
    public static let canonicalField = "share_type"

    /// Any department may use it: a request is granted at once.
    case unconditional = 1
    /// The owning department decides each request under the resource's stated conditions.
    case conditional = 2
    /// Catalogued so that others know it exists, but never shared: requests are refused.
    case notShared = 3

    /// `unconditional`, `conditional` or `not_shared`.
    public var name: String {
        switch self {
        case .unconditional: "unconditional"
        case .conditional: "conditional"
        case .notShared: "not_shared"
        }
    }
}

/// The type of a field of a data resource.
public enum FieldType: UInt8, Sendable, CanonicalByteEnum {
    /// The field decoding errors name.
    public static let canonicalField = "field_type"

    case string = 1, integer, decimal, date, boolean, binary

    /// The lowercase name (`string`, `integer`, …).
    public var name: String { String(describing: self) }
}

/// How sensitive a field is; personal fields are what the subject trail is about.
public enum Sensitivity: UInt8, Sendable, CanonicalByteEnum {
    /// The field decoding errors name.
    public static let canonicalField = "sensitivity"

    /// May be published.
    case open = 1
    /// For government use.
    case `internal`
    /// Sensitive (commercial, security).
    case sensitive
    /// Personal information of a citizen or company (PIPL).
    case personal

    /// `open`, `internal`, `sensitive` or `personal`.
    public var name: String { String(describing: self) }
}

/// One field of a data resource's schema.
public struct ResourceField: Hashable, Sendable, CanonicalCodable {
    /// The field's name, as the provider's system calls it (1–64 bytes of `[a-z0-9_]`).
    public var name: String
    /// Its type.
    public var type: FieldType
    /// Its sensitivity.
    public var sensitivity: Sensitivity
    /// What it holds, for people (may be Chinese).
    public var description: String

    /// Creates a field.
    public init(name: String, type: FieldType, sensitivity: Sensitivity, description: String = "") {
        self.name = name
        self.type = type
        self.sensitivity = sensitivity
        self.description = description
    }

    /// name, type, sensitivity, description.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: name)
        encoder.encode(type)
        encoder.encode(sensitivity)
        encoder.encode(string: description)
    }

    /// Reads a field; the name must be a field name.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        name = try decoder.decodeString("field.name", maxBytes: Limits.nameBytesMax)
        type = try decoder.decode(FieldType.self)
        sensitivity = try decoder.decode(Sensitivity.self)
        description = try decoder.decodeString("field.description", maxBytes: CatalogContract.descriptionBytesMax)
        guard CatalogContract.isName(name) else { throw .invalidValue(field: "field.name", reason: "use 1-64 of a-z, 0-9 and _") }
    }
}

/// What a department publishes about a data resource (a catalog entry, 目录), without the record-keeping the
/// contract adds.
public struct ResourceDraft: Hashable, Sendable, CanonicalCodable {
    /// The resource's id: 1–64 bytes of `[a-z0-9._-]`, e.g. `civil-affairs.marriage-records`.
    public var id: String
    /// Its title, for people.
    public var title: String
    /// What it holds and what it is for.
    public var description: String
    /// The schema: 1–64 fields with distinct names.
    public var fields: [ResourceField]
    /// How often the provider updates it (`realtime`, `daily`, `monthly`, …).
    public var updateFrequency: String
    /// How it may be shared.
    public var shareType: ShareType
    /// For conditional resources, the conditions a request must meet (required); otherwise empty.
    public var conditions: String
    /// The base URL of the provider's exchange gateway that serves it.
    public var gateway: String

    /// Creates a draft.
    public init(id: String, title: String, description: String, fields: [ResourceField], updateFrequency: String,
                shareType: ShareType, conditions: String = "", gateway: String) {
        self.id = id
        self.title = title
        self.description = description
        self.fields = fields
        self.updateFrequency = updateFrequency
        self.shareType = shareType
        self.conditions = conditions
        self.gateway = gateway
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: id)
        encoder.encode(string: title)
        encoder.encode(string: description)
        encoder.encode(sequence: fields)
        encoder.encode(string: updateFrequency)
        encoder.encode(shareType)
        encoder.encode(string: conditions)
        encoder.encode(string: gateway)
    }

    /// Reads a draft and checks it.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        id = try decoder.decodeString("resource.id", maxBytes: Limits.nameBytesMax)
        title = try decoder.decodeString("resource.title", maxBytes: CatalogContract.titleBytesMax)
        description = try decoder.decodeString("resource.description", maxBytes: CatalogContract.descriptionBytesMax)
        fields = try decoder.decodeSequence(ResourceField.self, "resource.fields", max: CatalogContract.fieldsMax)
        updateFrequency = try decoder.decodeString("resource.update_frequency", maxBytes: Limits.nameBytesMax)
        shareType = try decoder.decode(ShareType.self)
        conditions = try decoder.decodeString("resource.conditions", maxBytes: CatalogContract.descriptionBytesMax)
        gateway = try decoder.decodeString("resource.gateway", maxBytes: CatalogContract.titleBytesMax)
        if let problem { throw .invalidValue(field: "resource", reason: problem) }
    }

    /// Why the draft cannot be published, or `nil`.
    public var problem: String? {
        guard CatalogContract.isIdentifier(id) else { return "the id must be 1-64 of a-z, 0-9, '.', '_' and '-'" }
        guard !title.isEmpty else { return "the title is empty" }
        guard !fields.isEmpty else { return "a resource has at least one field" }
        guard Set(fields.map(\.name)).count == fields.count else { return "two fields have the same name" }
        guard shareType != .conditional || !conditions.isEmpty else { return "a conditional resource states its conditions" }
        guard shareType == .conditional || conditions.isEmpty else { return "only conditional resources have conditions" }
        return nil
    }
}

/// A catalog entry as the chain keeps it: the published draft, its owner and its version.
public struct DataResource: Hashable, Sendable, CanonicalCodable {
    /// What was published.
    public var draft: ResourceDraft
    /// The owning department (the publisher's organization), answerable for the data (谁提供谁负责).
    public var organization: String
    /// 1 for the first publication, +1 for each republication.
    public var version: UInt32
    /// Who published this version.
    public var publishedBy: Address
    /// The height and time of this version.
    public var height: Height
    /// The block time of this version.
    public var time: Timestamp
    /// Whether the owner withdrew the resource: no new requests; existing grants stay until they end.
    public var withdrawn: Bool

    /// Creates an entry.
    public init(draft: ResourceDraft, organization: String, version: UInt32, publishedBy: Address, height: Height,
                time: Timestamp, withdrawn: Bool = false) {
        self.draft = draft
        self.organization = organization
        self.version = version
        self.publishedBy = publishedBy
        self.height = height
        self.time = time
        self.withdrawn = withdrawn
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(draft)
        encoder.encode(string: organization)
        encoder.encode(version)
        encoder.encode(publishedBy)
        encoder.encode(height)
        encoder.encode(time)
        encoder.encode(withdrawn)
    }

    /// Reads an entry.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        draft = try decoder.decode(ResourceDraft.self)
        organization = try decoder.decodeString("resource.organization", maxBytes: Limits.nameBytesMax)
        version = try decoder.decodeUInt32("resource.version")
        publishedBy = try decoder.decode(Address.self)
        height = try decoder.decode(Height.self)
        time = try decoder.decode(Timestamp.self)
        withdrawn = try decoder.decodeBool("resource.withdrawn")
    }

    /// The state key of the current version, in the catalog's namespace: `resource/<id>`.
    public static func key(_ id: String) -> [UInt8] { Array("resource/\(id)".utf8) }
    /// The state key of version `version`: `resource-version/<id>/<version, 4 bytes big-endian>`.
    public static func versionKey(_ id: String, _ version: UInt32) -> [UInt8] {
        Array("resource-version/\(id)/".utf8) + withUnsafeBytes(of: version.bigEndian, Array.init)
    }
}
