import AsyncHTTPClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to a node's HTTP/JSON API.
public struct NodeClient: Sendable {
    /// The node's base URL, for example `http://127.0.0.1:8080`.
    public let baseURL: String
    /// How long one request may take.
    public var timeout: TimeAmount

    /// Creates a client for the node at `baseURL`.
    public init(baseURL: String, timeout: TimeAmount = .seconds(70)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
    }

    /// `GET /v1/chain`.
    public func chainInfo() async throws(ClientError) -> ChainInfoResponse { try await getJSON("/v1/chain") }

    /// `POST /v1/transactions`, optionally waiting for the commit.
    public func submit(_ transaction: Transaction, wait: Bool, timeoutMilliseconds: Int = 10_000)
        async throws(ClientError) -> SubmitResponse {
        let path = wait ? "/v1/transactions?wait=true&timeout_ms=\(timeoutMilliseconds)" : "/v1/transactions"
        let (status, body) = try await send(.POST, path, body: transaction.canonicalBytes)
        return try decode(SubmitResponse.self, status: status, body: body)
    }

    /// `POST /v1/transactions/batch` with already-encoded transactions.
    public func submitBatch(_ encodedTransactions: [[UInt8]]) async throws(ClientError) -> BatchSubmitResponse {
        var encoder = CanonicalEncoder(capacity: encodedTransactions.reduce(0) { $0 + $1.count + 3 })
        for bytes in encodedTransactions { encoder.encode(bytes: bytes) }
        let (status, body) = try await send(.POST, "/v1/transactions/batch", body: encoder.bytes)
        return try decode(BatchSubmitResponse.self, status: status, body: body)
    }

    /// `GET /v1/transactions/{hash}`.
    public func transaction(_ hash: Hash256) async throws(ClientError) -> TransactionResponse {
        try await getJSON("/v1/transactions/\(hash.hex)")
    }

    /// `GET /v1/transactions/{hash}/proof`: the canonical proof file.
    public func proofFile(_ hash: Hash256) async throws(ClientError) -> [UInt8] {
        let (status, body) = try await send(.GET, "/v1/transactions/\(hash.hex)/proof", body: nil)
        guard status == 200 else { throw refusal(status: status, body: body) }
        return body
    }

    /// `GET /v1/blocks/{id}` (height, hash or `latest`).
    public func block(_ id: String) async throws(ClientError) -> BlockResponse { try await getJSON("/v1/blocks/\(id)") }

    /// `GET /v1/evidence/{algorithm}/{fingerprint}`.
    public func evidence(algorithm: String, fingerprint: Hash256) async throws(ClientError) -> StateResponse {
        try await getJSON("/v1/evidence/\(algorithm)/\(fingerprint.hex)")
    }

    /// `GET /v1/identities/{address}`.
    public func identity(_ address: Address) async throws(ClientError) -> StateResponse {
        try await getJSON("/v1/identities/\(address.hex)")
    }

    /// `GET /v1/kv/{address}/{key}`.
    public func keyValue(owner: Address, key: [UInt8]) async throws(ClientError) -> StateResponse {
        try await getJSON("/v1/kv/\(owner.hex)/\(Hex.encode(key))")
    }

    /// `GET /v1/misbehavior`, or `GET /v1/misbehavior/{validator}` for one validator (name or index).
    public func misbehavior(validator: String? = nil) async throws(ClientError) -> MisbehaviorResponse {
        guard let validator else { return try await getJSON("/v1/misbehavior") }
        return try await getJSON("/v1/misbehavior/\(Self.encoded(validator))")
    }

    /// RFC 3986 unreserved characters.
    static let unreserved = CharacterSet(charactersIn: "-._~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// `text` as a path segment or query value: unreserved characters stay, everything else (including `/`) is
    /// percent-encoded.
    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text }

    /// `?k=v&…` of the items, encoded; empty for none.
    static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\($0)=\(encoded($1))" }.joined(separator: "&")
    }

    /// `GET /v1/state/{key}`.
    public func state(key: [UInt8]) async throws(ClientError) -> StateResponse {
        try await getJSON("/v1/state/\(Hex.encode(key))")
    }

    /// `GET` of any path, returning the status and body (for `/metrics`, `/health`…).
    public func raw(_ path: String) async throws(ClientError) -> (status: Int, body: [UInt8]) {
        try await send(.GET, path, body: nil)
    }

    /// One HTTP client for the process (like `HTTPClient.shared`, never shut down), that fails
    /// fast when a node is not listening instead of retrying until the request's deadline.
    private static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(3)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func getJSON<T: Decodable>(_ path: String) async throws(ClientError) -> T {
        let (status, body) = try await send(.GET, path, body: nil)
        return try decode(T.self, status: status, body: body)
    }

    func decode<T: Decodable>(_ type: T.Type, status: Int, body: [UInt8]) throws(ClientError) -> T {
        guard (200..<300).contains(status) || (status == 410 && T.self == SubmitResponse.self) else {
            throw refusal(status: status, body: body)
        }
        do { return try JSONFormat.decoder.decode(T.self, from: Data(body)) } catch {
            throw .unexpectedResponse("\(T.self): \(error)")
        }
    }

    func refusal(status: Int, body: [UInt8]) -> ClientError {
        if let error = try? JSONFormat.decoder.decode(ErrorBody.self, from: Data(body)) {
            return .refused(status: status, error.error)
        }
        return .refused(status: status, .init(code: "http.\(status)", message: String(decoding: body.prefix(200), as: UTF8.self)))
    }

    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]?,
              contentType: String = "application/octet-stream") async throws(ClientError) -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await NodeClient.httpClient.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: 256 * 1024 * 1024)
            return (Int(response.status.code), Array(buffer.readableBytesView))
        } catch {
            throw .unreachable(url: baseURL, reason: "\(error)")
        }
    }
}
