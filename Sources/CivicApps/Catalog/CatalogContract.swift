import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// The government data catalog (目录链) with requests, grants and the usage trail (Docs/0016).
///
/// Departments publish data resources with a share type; other departments request them for a purpose and a
/// service item; unconditional resources are granted at once, conditional ones by the owner, not-shared ones
/// never. The provider's exchange gateway serves granted data off chain and reports every access, served or
/// refused, with `record_access`. Every change is a transaction, so who did what and when is on chain.
///
/// State (namespace `catalog/`): `resource/<id>` (``DataResource``, current version),
/// `resource-version/<id>/<n>`, `request/<n>` (``ShareRequest``), `access/<n>` (``AccessRecord``),
/// `next/request`, `next/access` (counters).
public struct CatalogContract: SystemContract {
    /// Longest title, purpose, note or gateway URL, in UTF-8 bytes.
    public static let titleBytesMax = 256
    /// Longest description or conditions, in UTF-8 bytes.
    public static let descriptionBytesMax = 2048
    /// Most fields of a resource.
    public static let fieldsMax = 64
    /// Most subjects one access report names.
    public static let subjectsPerAccessMax = 64
    /// Longest grant: 366 days.
    public static let grantMillisecondsMax: UInt64 = 366 * 24 * 3600 * 1000

    /// Arguments of `approve`, `reject` and `revoke`.
    public struct Decision: Hashable, Sendable, CanonicalCodable {
        /// The request's number.
        public var request: UInt64
        /// A note (approval) or reason (rejection, revocation).
        public var note: String

        /// Creates a decision.
        public init(request: UInt64, note: String = "") {
            self.request = request
            self.note = note
        }

        /// request, note.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(request)
            encoder.encode(string: note)
        }

        /// Reads a decision.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            request = try decoder.decodeUInt64("decision.request")
            note = try decoder.decodeString("decision.note", maxBytes: CatalogContract.titleBytesMax)
        }
    }

    /// `catalog`.
    public let name = "catalog"
    /// The methods, sorted.
    public let methods = ["approve", "publish", "record_access", "reject", "request", "revoke", "withdraw"]

    /// Creates the contract.
    public init() {}

    /// Runs `method`.
    public func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        switch method {
        case "publish": try publish(decodeArguments(ResourceDraft.self, arguments, method: method), &context)
        case "withdraw": try withdraw(decodeArguments(CanonicalString.self, arguments, method: method).value, &context)
        case "request": return try request(decodeArguments(RequestDraft.self, arguments, method: method), &context)
        case "approve", "reject", "revoke":
            try decide(method, decodeArguments(Decision.self, arguments, method: method), &context)
        case "record_access": return try recordAccess(decodeArguments(AccessReport.self, arguments, method: method), &context)
        default: throw .unknownMethod(name, method)
        }
        return []
    }

    // MARK: - Catalog

    private func publish(_ draft: ResourceDraft, _ context: inout CallContext) throws(ContractFailure) {
        try context.require([.admin, .member], toDo: "publish a data resource")
        let organization = context.callerIdentity.organization
        var version: UInt32 = 1
        if let existing = Self.resource(draft.id, in: context.state) {
            guard existing.organization == organization else { throw .notOwner(draft.id, existing.organization) }
            version = existing.version + 1
        }
        let entry = DataResource(draft: draft, organization: organization, version: version,
                                 publishedBy: context.callerAddress, height: context.block.height, time: context.block.time)
        try context.state.put(DataResource.key(draft.id), entry.canonicalBytes)
        try context.state.put(DataResource.versionKey(draft.id, version), entry.canonicalBytes)
        try context.emit("catalog.published", [
            EventAttribute("resource", draft.id), EventAttribute("version", String(version)),
            EventAttribute("organization", organization), EventAttribute("share_type", draft.shareType.name),
            EventAttribute("by", context.callerAddress.hex),
        ])
    }

    private func withdraw(_ id: String, _ context: inout CallContext) throws(ContractFailure) {
        try context.require([.admin, .member], toDo: "withdraw a data resource")
        guard var entry = Self.resource(id, in: context.state) else { throw .unknownResource(id) }
        guard entry.organization == context.callerIdentity.organization else { throw .notOwner(id, entry.organization) }
        entry.withdrawn = true
        try context.state.put(DataResource.key(id), entry.canonicalBytes)
        try context.emit("catalog.withdrawn", [
            EventAttribute("resource", id), EventAttribute("organization", entry.organization),
            EventAttribute("by", context.callerAddress.hex),
        ])
    }

    // MARK: - Requests and grants

    private func request(_ draft: RequestDraft, _ context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        try context.require([.admin, .member], toDo: "request a data resource")
        guard let resource = Self.resource(draft.resource, in: context.state) else { throw .unknownResource(draft.resource) }
        guard !resource.withdrawn else {
            throw ContractFailure(code: "catalog.withdrawn", message: "The resource '\(draft.resource)' was withdrawn by \(resource.organization).")
        }
        guard resource.draft.shareType != .notShared else {
            throw ContractFailure(code: "catalog.not_shared",
                                  message: "The resource '\(draft.resource)' is catalogued as not shared (不予共享); \(resource.organization) does not share it.")
        }
        let known = Set(resource.draft.fields.map(\.name))
        if let unknown = draft.fields.first(where: { !known.contains($0) }) {
            throw ContractFailure(code: "catalog.unknown_field", message: "The resource '\(draft.resource)' has no field '\(unknown)'.")
        }
        var resolved = draft
        if resolved.fields.isEmpty { resolved.fields = resource.draft.fields.map(\.name) }
        let id = try Self.next("request", &context.state)
        var request = ShareRequest(id: id, draft: resolved, provider: resource.organization,
                                   consumer: context.callerIdentity.organization, requestedBy: context.callerAddress,
                                   requestedAt: context.block.time, resourceVersion: resource.version)
        try context.emit("catalog.requested", Self.attributes(of: request))
        if resource.draft.shareType == .unconditional {
            grant(&request, by: context.callerAddress, note: "unconditional share", at: context.block.time)
            try context.emit("catalog.granted", Self.attributes(of: request))
        }
        try context.state.put(ShareRequest.key(id), request.canonicalBytes)
        return withUnsafeBytes(of: id.bigEndian, Array.init)
    }

    private func decide(_ method: String, _ decision: Decision, _ context: inout CallContext) throws(ContractFailure) {
        try context.require([.admin, .member], toDo: "\(method) a data request")
        guard let bytes = context.state.get(ShareRequest.key(decision.request)),
              var request = try? ShareRequest(canonicalBytes: bytes) else {
            throw ContractFailure(code: "catalog.unknown_request", message: "There is no data request \(decision.request).")
        }
        guard request.provider == context.callerIdentity.organization else {
            throw .notOwner(request.draft.resource, request.provider)
        }
        let expected: RequestStatus = method == "revoke" ? .granted : .pending
        guard request.status == expected else {
            throw ContractFailure(code: "catalog.wrong_status",
                                  message: "Request \(request.id) is \(request.status.name); only a \(expected.name) request can be \(method == "revoke" ? "revoked" : "decided").")
        }
        switch method {
        case "approve":
            guard let resource = Self.resource(request.draft.resource, in: context.state), !resource.withdrawn else {
                throw ContractFailure(code: "catalog.withdrawn", message: "The resource '\(request.draft.resource)' was withdrawn.")
            }
            grant(&request, by: context.callerAddress, note: decision.note, at: context.block.time)
        case "reject":
            request.status = .rejected
        default:
            request.status = .revoked
        }
        request.decidedBy = context.callerAddress
        request.decidedAt = context.block.time
        request.note = decision.note
        try context.state.put(ShareRequest.key(request.id), request.canonicalBytes)
        let event = ["approve": "catalog.granted", "reject": "catalog.rejected", "revoke": "catalog.revoked"][method]!
        try context.emit(event, Self.attributes(of: request))
    }

    private func grant(_ request: inout ShareRequest, by address: Address, note: String, at time: Timestamp) {
        request.status = .granted
        request.decidedBy = address
        request.decidedAt = time
        request.note = note
        request.expiresAt = Timestamp(milliseconds: time.milliseconds + request.draft.durationMilliseconds)
    }

    // MARK: - Usage trail

    private func recordAccess(_ report: AccessReport, _ context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        try context.require([.admin, .member], toDo: "record a data access")
        guard let resource = Self.resource(report.resource, in: context.state) else { throw .unknownResource(report.resource) }
        guard resource.organization == context.callerIdentity.organization else {
            throw .notOwner(report.resource, resource.organization)
        }
        var request: ShareRequest?
        if report.grant != 0, let bytes = context.state.get(ShareRequest.key(report.grant)) {
            request = try? ShareRequest(canonicalBytes: bytes)
        }
        if report.refusal.isEmpty {
            // The chain checks the gateway's claim: it may only report as served what a grant allows now.
            guard let request, request.draft.resource == report.resource, request.isActive(at: context.block.time),
                  request.consumer == report.consumerOrganization,
                  Set(report.fields).isSubset(of: Set(request.draft.fields)) else {
                throw ContractFailure(code: "catalog.access_not_granted",
                                      message: "No active grant of '\(report.resource)' to \(report.consumerOrganization) covers the fields served.")
            }
        }
        let id = try Self.next("access", &context.state)
        let record = AccessRecord(id: id, report: report, provider: resource.organization, reportedBy: context.callerAddress,
                                  height: context.block.height, time: context.block.time,
                                  transactionHash: context.transactionHash)
        try context.state.put(AccessRecord.key(id), record.canonicalBytes)
        try context.emit("catalog.access", [
            EventAttribute("access", String(id)), EventAttribute("resource", report.resource),
            EventAttribute("grant", String(report.grant)), EventAttribute("provider", resource.organization),
            EventAttribute("consumer_organization", report.consumerOrganization),
            EventAttribute("consumer", report.consumer.hex), EventAttribute("fields", report.fields.joined(separator: ",")),
            EventAttribute("served", report.refusal.isEmpty ? report.servedFingerprint.hex : ""),
            EventAttribute("rows", String(report.rows)),
            EventAttribute("subjects", report.subjects.map(\.hex).joined(separator: ",")),
            EventAttribute("outcome", report.refusal.isEmpty ? "served" : report.refusal),
            EventAttribute("purpose", request?.draft.purpose ?? ""),
            EventAttribute("service_item", request?.draft.serviceItem ?? ""),
        ])
        return withUnsafeBytes(of: id.bigEndian, Array.init)
    }

    // MARK: - Reading

    /// The current version of resource `id`, through the catalog's state.
    static func resource(_ id: String, in state: ContractState) -> DataResource? {
        state.get(DataResource.key(id)).flatMap { try? DataResource(canonicalBytes: $0) }
    }

    /// The next number of counter `name` (from 1), stored back.
    private static func next(_ name: String, _ state: inout ContractState) throws(ContractFailure) -> UInt64 {
        let key = Array("next/\(name)".utf8)
        let last = state.get(key).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
        try state.put(key, (last + 1).canonicalBytes)
        return last + 1
    }

    /// The attributes of every request event.
    private static func attributes(of request: ShareRequest) -> [EventAttribute] {
        [
            EventAttribute("request", String(request.id)), EventAttribute("resource", request.draft.resource),
            EventAttribute("provider", request.provider), EventAttribute("consumer", request.consumer),
            EventAttribute("fields", request.draft.fields.joined(separator: ",")),
            EventAttribute("purpose", request.draft.purpose), EventAttribute("service_item", request.draft.serviceItem),
            EventAttribute("status", request.status.name), EventAttribute("expires_at", String(request.expiresAt.milliseconds)),
            EventAttribute("by", (request.decidedBy ?? request.requestedBy).hex),
        ]
    }

    /// Whether `text` is 1–64 bytes of `[a-z0-9_]` (field names).
    public static func isName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...64).contains(bytes.count) && bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// Whether `text` is 1–64 bytes of `[a-z0-9._-]` (resource and service item ids).
    public static func isIdentifier(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...64).contains(bytes.count) && bytes.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D
        }
    }
}

extension ContractFailure {
    /// No resource has that id.
    static func unknownResource(_ id: String) -> ContractFailure {
        ContractFailure(code: "catalog.unknown_resource", message: "There is no data resource '\(id)' in the catalog.")
    }

    /// The caller's department does not own the resource.
    static func notOwner(_ id: String, _ owner: String) -> ContractFailure {
        ContractFailure(code: "catalog.not_owner", message: "The resource '\(id)' belongs to \(owner); only its staff may do that.")
    }
}
