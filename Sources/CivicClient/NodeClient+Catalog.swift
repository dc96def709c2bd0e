import CivicFormats

extension NodeClient {
    /// What `GET /v1/catalog/resources` filters on; `nil` fields do not filter.
    public struct ResourceFilter: Sendable {
        /// The owning department.
        public var organization: String?
        /// `unconditional`, `conditional` or `not_shared`.
        public var shareType: String?
        /// A field name the resource has.
        public var field: String?
        /// A substring of the id, title or description.
        public var text: String?
        /// Start after this id.
        public var after: String?
        /// At most this many (1–200).
        public var limit: Int?

        /// Creates a filter.
        public init(organization: String? = nil, shareType: String? = nil, field: String? = nil, text: String? = nil,
                    after: String? = nil, limit: Int? = nil) {
            self.organization = organization
            self.shareType = shareType
            self.field = field
            self.text = text
            self.after = after
            self.limit = limit
        }
    }

    /// `GET /v1/catalog/resources`.
    public func resources(_ filter: ResourceFilter = ResourceFilter()) async throws(ClientError) -> ResourceListResponse {
        let items = [("organization", filter.organization), ("share_type", filter.shareType), ("field", filter.field),
                     ("q", filter.text), ("after", filter.after), ("limit", filter.limit.map(String.init))]
            .compactMap { key, value in value.map { (key, $0) } }
        return try await getJSON("/v1/catalog/resources" + Self.queryString(items))
    }

    /// `GET /v1/catalog/resources/{id}`.
    public func resource(_ id: String) async throws(ClientError) -> ResourceView {
        try await getJSON("/v1/catalog/resources/\(Self.encoded(id))")
    }

    /// `GET /v1/catalog/requests`: the newest requests of `organization` (as provider or consumer), newest first.
    public func shareRequests(organization: String? = nil, status: String? = nil, limit: Int? = nil)
        async throws(ClientError) -> ShareRequestListResponse {
        let items = [("organization", organization), ("status", status), ("limit", limit.map(String.init))]
            .compactMap { key, value in value.map { (key, $0) } }
        return try await getJSON("/v1/catalog/requests" + Self.queryString(items))
    }

    /// `GET /v1/catalog/requests/{n}`.
    public func shareRequest(_ id: UInt64) async throws(ClientError) -> ShareRequestView {
        try await getJSON("/v1/catalog/requests/\(id)")
    }

    /// `GET /v1/catalog/accesses/{n}`.
    public func access(_ id: UInt64) async throws(ClientError) -> AccessView {
        try await getJSON("/v1/catalog/accesses/\(id)")
    }
}
