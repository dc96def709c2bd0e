import CivicAPI
import CivicApps
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicNode

/// Contract `catalog` as the API shows it: entries filtered and paged, requests newest first, accesses, all
/// with proofs; unknown records are 404 with their code.
extension APITests {
    @Test("GET /v1/catalog/* show entries, requests and accesses with proofs", arguments: suites)
    func catalog(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        func draft(_ id: String, _ share: ShareType, field: String) -> ResourceDraft {
            ResourceDraft(id: id, title: "Resource \(id)", description: "about \(id)",
                          fields: [ResourceField(name: field, type: .string, sensitivity: .personal)],
                          updateFrequency: "daily", shareType: share,
                          conditions: share == .conditional ? "for checks" : "", gateway: "https://gw.example")
        }
        let published = try commit([
            try fixture.sign(TransactionBuilder.publishResource(draft("civil.b", .conditional, field: "id_number")), by: fixture.memberKey),
            try fixture.sign(TransactionBuilder.publishResource(draft("civil.a", .unconditional, field: "name")), by: fixture.memberKey),
            try fixture.sign(TransactionBuilder.publishResource(draft("civil.c", .notShared, field: "id_number")), by: fixture.memberKey),
        ], on: node)
        #expect(published.map(\.status) == [.success, .success, .success])
        let request = RequestDraft(resource: "civil.b", purpose: "check", serviceItem: "housing.check", durationMilliseconds: 86_400_000)
        let requested = try commit([try fixture.sign(TransactionBuilder.requestResource(request), by: fixture.adminKey)], on: node)
        #expect(requested.map(\.status) == [.success])
        #expect(try commit([try fixture.sign(TransactionBuilder.decideRequest(.approve, id: 1, note: "ok"), by: fixture.memberKey)],
                           on: node).map(\.status) == [.success])
        let report = AccessReport(resource: "civil.b", grant: 1, consumer: Address(publicKey: fixture.adminKey.publicKey),
                                  consumerOrganization: "city-hall", fields: ["id_number"],
                                  servedFingerprint: suite.hash([1, 2, 3]), subjects: [], rows: 1, refusal: "")
        #expect(try commit([try fixture.sign(TransactionBuilder.recordAccess(report), by: fixture.memberKey)], on: node)
            .map(\.status) == [.success])

        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/catalog/resources", method: .get) { response in
                let body = try Self.decode(ResourceListResponse.self, response)
                #expect(body.resources.map(\.id) == ["civil.a", "civil.b", "civil.c"])
                #expect(body.resources.allSatisfy { $0.organization == "civil-affairs" && $0.state.present })
                #expect(body.next == nil)
            }
            try await client.execute(uri: "/v1/catalog/resources?field=id_number&share_type=conditional", method: .get) { response in
                let body = try Self.decode(ResourceListResponse.self, response)
                #expect(body.resources.map(\.id) == ["civil.b"])
            }
            try await client.execute(uri: "/v1/catalog/resources?limit=1", method: .get) { response in
                let body = try Self.decode(ResourceListResponse.self, response)
                #expect(body.resources.map(\.id) == ["civil.a"] && body.next == "civil.a")
            }
            try await client.execute(uri: "/v1/catalog/resources?after=civil.a&limit=1", method: .get) { response in
                let body = try Self.decode(ResourceListResponse.self, response)
                #expect(body.resources.map(\.id) == ["civil.b"])
            }
            // `+` in a query is a space, as browsers' URLSearchParams write it; `%2B` is a plus sign.
            try await client.execute(uri: "/v1/catalog/resources?q=Resource+civil.c", method: .get) { response in
                let body = try Self.decode(ResourceListResponse.self, response)
                #expect(body.resources.map(\.id) == ["civil.c"])
            }
            try await client.execute(uri: "/v1/catalog/resources?q=Resource%2Bcivil.c", method: .get) { response in
                let body = try Self.decode(ResourceListResponse.self, response)
                #expect(body.resources.isEmpty)
            }
            try await client.execute(uri: "/v1/catalog/resources?share_type=secret", method: .get) { response in
                try Self.expectError(response, .badRequest, code: "request.invalid")
            }
            try await client.execute(uri: "/v1/catalog/resources/civil.b", method: .get) { response in
                let body = try Self.decode(ResourceView.self, response)
                #expect(body.version == 1 && body.shareType == "conditional" && body.fields.map(\.sensitivity) == ["personal"])
                #expect(body.state.proof.isEmpty == false)
            }
            try await client.execute(uri: "/v1/catalog/resources/nothing", method: .get) { response in
                try Self.expectError(response, .notFound, code: "catalog.unknown_resource")
            }
            try await client.execute(uri: "/v1/catalog/requests?organization=city-hall&status=granted", method: .get) { response in
                let body = try Self.decode(ShareRequestListResponse.self, response)
                #expect(body.requests.map(\.id) == [1])
                #expect(body.requests.first?.active == true && body.requests.first?.consumer == "city-hall")
            }
            try await client.execute(uri: "/v1/catalog/requests?status=pending", method: .get) { response in
                let body = try Self.decode(ShareRequestListResponse.self, response)
                #expect(body.requests.isEmpty)
            }
            try await client.execute(uri: "/v1/catalog/requests/1", method: .get) { response in
                let body = try Self.decode(ShareRequestView.self, response)
                #expect(body.status == "granted" && body.note == "ok" && body.fields == ["id_number"])
            }
            try await client.execute(uri: "/v1/catalog/requests/9", method: .get) { response in
                try Self.expectError(response, .notFound, code: "catalog.unknown_request")
            }
            try await client.execute(uri: "/v1/catalog/accesses/1", method: .get) { response in
                let body = try Self.decode(AccessView.self, response)
                #expect(body.outcome == "served" && body.grant == 1 && body.consumerOrganization == "city-hall")
                #expect(body.served == suite.hash([1, 2, 3]).hex)
            }
            try await client.execute(uri: "/v1/catalog/accesses/0", method: .get) { response in
                try Self.expectError(response, .badRequest, code: "request.invalid")
            }
        }
    }
}
