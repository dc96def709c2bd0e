@testable import CivicAPI
import CivicApps
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The HTTP adapter against a small Hummingbird server standing in for a legacy system.
@Suite("HTTP endpoint adapter")
struct HTTPEndpointAdapterTests {
    /// The legacy system's rows, with a number, a boolean, a null and a column nobody publishes.
    static let rowsJSON = """
        [{"id_number": "A+1&x=y", "name": "张三", "children": 2, "verified": true, "note": null, "internal": "s1"},
         {"id_number": "B2", "name": "李四", "children": 0, "verified": false, "internal": "s2"},
         {"id_number": "C3", "name": "王五", "children": 1, "verified": true, "internal": "s3"}]
        """

    static var rows: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(rowsJSON.utf8))) as? [[String: Any]] ?? []
    }

    /// What the legacy system was asked.
    final class Seen: Sendable {
        let requests = Mutex<[String]>([])
        func append(_ text: String) { requests.withLock { $0.append(text) } }
        var all: [String] { requests.withLock { $0 } }
    }

    static func answer(_ rows: [[String: Any]]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: rows)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// GET filters by query items; POST by the JSON body; `/nested` answers a nested value; `/many` ignores the limit.
    static func legacySystem(seen: Seen) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/people") { request, _ in
            let query = request.uri.queryParameters
            seen.append(request.uri.description)
            let limit = Int(query.get("limit") ?? "") ?? 100
            let matching = rows.filter { row in
                ["id_number", "name"].allSatisfy { key in query.get(key).map { "\(row[key]!)" == $0 } ?? true }
            }
            return answer(Array(matching.prefix(limit)))
        }
        router.post("/people") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 65_536)
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            let filter = object["filter"] as? [String: String] ?? [:]
            seen.append(String(buffer: body))
            return answer(rows.filter { row in filter.allSatisfy { "\(row[$0.key]!)" == $0.value } })
        }
        router.get("/nested") { _, _ in answer([["name": ["first": "x"]]]) }
        router.get("/many") { _, _ in answer(rows + rows) }
        router.get("/broken") { _, _ in Response(status: .internalServerError) }
        return router
    }

    @Test("GET and POST, values as text, only asked fields, limit kept, bad answers refused")
    func endpoint() async throws {
        let seen = Seen()
        let app = Application(router: Self.legacySystem(seen: seen))
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let schema: Set<String> = ["id_number", "name", "children", "verified", "note"]
            let query = AdapterQuery(fields: ["name", "children", "verified", "note"],
                                     filter: [FieldCondition(field: "id_number", value: "A+1&x=y")], limit: 10, schema: schema)
            let expected: [DataRow] = [["name": "张三", "children": "2", "verified": "true", "note": nil]]
            #expect(try await HTTPEndpointAdapter(url: base + "/people").rows(for: query) == expected)
            #expect(try await HTTPEndpointAdapter(url: base + "/people", method: .post).rows(for: query) == expected)
            let requests = seen.all
            #expect(requests.first?.contains("id_number=A%2B1%26x%3Dy") == true, "\(requests)")
            #expect(requests.last?.contains(#""filter":{"id_number":"A+1&x=y"}"#) == true, "\(requests)")

            let many = try await HTTPEndpointAdapter(url: base + "/many").rows(
                for: AdapterQuery(fields: ["id_number"], filter: [], limit: 4, schema: schema))
            #expect(many.count == 4, "the adapter keeps the limit whatever the system sends")
            #expect(many.allSatisfy { $0.keys.sorted() == ["id_number"] })
            for path in ["/nested", "/broken"] {
                await #expect(throws: AdapterError.self) {
                    try await HTTPEndpointAdapter(url: base + path).rows(
                        for: AdapterQuery(fields: ["name"], filter: [], limit: 1, schema: schema))
                }
            }
            await #expect(throws: AdapterError.self) {
                try await HTTPEndpointAdapter(url: base + "/people").rows(
                    for: AdapterQuery(fields: ["internal"], filter: [], limit: 1, schema: schema))
            }
        }
    }
}
