import CivicCrypto
import CivicFormats
import Foundation

extension NodeClient {
    /// `GET /v1/certificates/types`.
    public func certificateTypes() async throws(ClientError) -> CertificateTypeListResponse {
        try await getJSON("/v1/certificates/types")
    }

    /// `GET /v1/certificates/{id}`.
    public func certificate(_ id: String) async throws(ClientError) -> ElectronicCertificateView {
        try await getJSON("/v1/certificates/\(Self.pathSegment(id))")
    }

    /// `GET /v1/certificates/{id}/checks`: the newest checks, newest first.
    public func certificateChecks(_ id: String) async throws(ClientError) -> CertificateCheckListResponse {
        try await getJSON("/v1/certificates/\(Self.pathSegment(id))/checks")
    }

    /// `GET /v1/certificates/by-holder/{fingerprint}`.
    public func certificates(holder: Hash256) async throws(ClientError) -> HolderCertificatesResponse {
        try await getJSON("/v1/certificates/by-holder/\(holder.hex)")
    }

    /// `text` percent-encoded as one path segment (RFC 3986 unreserved characters stay).
    static func pathSegment(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "-._~").union(
            CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
