import CivicCrypto
import CivicLedger
import NIOHTTP1

extension NodeClient {
    /// `GET /v1/evidence/{algorithm}/{fingerprint}/timestamp`: the DER TimeStampResp (RFC 3161) of a recorded
    /// fingerprint, signed by the node's time-stamping key, with genTime the recording block's time.
    /// - Throws: ``ClientError/refused(status:_:)`` with `evidence.not_found`, `evidence.timestamp_unavailable` or
    ///   `evidence.timestamp_algorithm`.
    public func evidenceTimeStamp(algorithm: String, fingerprint: Hash256) async throws(ClientError) -> [UInt8] {
        let (status, body) = try await send(.GET, "/v1/evidence/\(algorithm)/\(fingerprint.hex)/timestamp", body: nil)
        guard status == 200 else { throw refusal(status: status, body: body) }
        return body
    }
}
