import CivicApps
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Serves a resource from an HTTP endpoint of the provider's existing system.
///
/// `GET`: `URL?fields=a,b&limit=n&<field>=<value>…` (percent-encoded). `POST`: a JSON body
/// `{"fields": ["a", "b"], "filter": {"field": "value"}, "limit": n}`. Either way the endpoint answers 200 with a
/// JSON array of objects; strings stay as they are, numbers and booleans become their JSON text, `null` and
/// missing fields become `nil`, nested values are refused. Only the fields asked for are kept, and at most
/// `limit` rows, whatever the endpoint sends.
public struct HTTPEndpointAdapter: DataSourceAdapter {
    /// `GET` or `POST`.
    public enum Method: String, Sendable, Codable { case get = "GET", post = "POST" }

    /// Largest answer read, in bytes.
    public static let responseBytesMax = 16 * 1024 * 1024

    /// The endpoint.
    public var url: String
    /// How the query is sent.
    public var method: Method
    /// Extra headers (an API key of the legacy system, for example).
    public var headers: [String: String]
    /// How long one call may take.
    public var timeout: TimeAmount

    /// Creates an adapter.
    public init(url: String, method: Method = .get, headers: [String: String] = [:], timeout: TimeAmount = .seconds(10)) {
        self.url = url
        self.method = method
        self.headers = headers
        self.timeout = timeout
    }

    /// Calls the endpoint and reads its rows.
    public func rows(for query: AdapterQuery) async throws(AdapterError) -> [DataRow] {
        try query.checkNames()
        var request: HTTPClientRequest
        switch method {
        case .get:
            guard var components = URLComponents(string: url) else { throw .configuration("'\(url)' is not a URL") }
            components.queryItems = (components.queryItems ?? []) + [
                URLQueryItem(name: "fields", value: query.fields.joined(separator: ",")),
                URLQueryItem(name: "limit", value: String(query.limit)),
            ] + query.filter.map { URLQueryItem(name: $0.field, value: $0.value) }
            // `+` is a space to many servers; URLComponents leaves it alone in queries.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            guard let full = components.string else { throw .configuration("'\(url)' is not a URL") }
            request = HTTPClientRequest(url: full)
            request.method = .GET
        case .post:
            request = HTTPClientRequest(url: url)
            request.method = .POST
            let body: [String: Any] = [
                "fields": query.fields, "limit": query.limit,
                "filter": Dictionary(query.filter.map { ($0.field, $0.value) }, uniquingKeysWith: { first, _ in first }),
            ]
            guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
                throw .invalidQuery("the filter cannot be written as JSON")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let body: ByteBuffer
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            guard response.status == .ok else { throw AdapterError.source("\(url) answered HTTP \(response.status.code)") }
            body = try await response.body.collect(upTo: Self.responseBytesMax)
        } catch let error as AdapterError {
            throw error
        } catch {
            throw .source("\(url) could not be read: \(error)")
        }
        return try Self.parse(Data(body.readableBytesView), query: query)
    }

    /// The rows of a JSON array of objects, reduced to the fields asked for.
    static func parse(_ data: Data, query: AdapterQuery) throws(AdapterError) -> [DataRow] {
        guard let array = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [Any] else {
            throw .source("the answer is not a JSON array")
        }
        var rows: [DataRow] = []
        for item in array.prefix(query.limit) {
            guard let object = item as? [String: Any] else { throw .source("a row is not a JSON object") }
            var row = DataRow()
            for field in query.fields {
                row.updateValue(try text(object[field], field: field), forKey: field)
            }
            rows.append(row)
        }
        return rows
    }

    private static func text(_ value: Any?, field: String) throws(AdapterError) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let string as String: return string
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber too; tell them apart by their Core Foundation type.
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return number.stringValue
        default: throw .source("field '\(field)' holds a nested value")
        }
    }
}
