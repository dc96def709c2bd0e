import CivicCodec
import CivicFormats
import CivicLedger
import NIOHTTP1

extension NodeClient {
    /// `GET /v1/contracts/{name}`: a deployed contract's record.
    public func contract(_ name: String) async throws(ClientError) -> ContractView {
        try await getJSON("/v1/contracts/\(name)")
    }

    /// `POST /v1/contracts/query`: runs a signed call against committed state without submitting it.
    public func query(_ transaction: Transaction) async throws(ClientError) -> QueryResponse {
        let (status, body) = try await send(.POST, "/v1/contracts/query", body: transaction.canonicalBytes)
        return try decode(QueryResponse.self, status: status, body: body)
    }
}
