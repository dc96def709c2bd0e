import CivicFormats

extension NodeClient {
    /// `GET /v1/governance/proposals`: the newest proposals, newest first.
    public func proposals() async throws(ClientError) -> ProposalListResponse {
        try await getJSON("/v1/governance/proposals")
    }

    /// `GET /v1/governance/proposals/{id}`.
    public func proposal(_ id: UInt64) async throws(ClientError) -> ProposalView {
        try await getJSON("/v1/governance/proposals/\(id)")
    }

    /// `GET /v1/governance/organizations`.
    public func organizations() async throws(ClientError) -> OrganizationListResponse {
        try await getJSON("/v1/governance/organizations")
    }

    /// `GET /v1/governance/policies`.
    public func policies() async throws(ClientError) -> PolicyListResponse {
        try await getJSON("/v1/governance/policies")
    }

    /// `GET /v1/governance/validators`.
    public func validatorSets() async throws(ClientError) -> ValidatorSetListResponse {
        try await getJSON("/v1/governance/validators")
    }
}
