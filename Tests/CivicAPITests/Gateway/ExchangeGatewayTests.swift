@testable import CivicAPI
import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
@testable import CivicNode
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The exchange gateway against an in-process node and a real SQLite file: serving, sealing, recording, and every
/// refusal with its code, its status, its record where the trail requires one, and nothing else changed.
@Suite("Exchange gateway")
struct ExchangeGatewayTests {
    static let suites: [CryptoSuite] = [.sm, .intl]
    static let json: HTTPFields = [.contentType: "application/json"]

    static func body(_ signed: SignedFetchRequest) throws -> ByteBuffer {
        ByteBuffer(bytes: Array(try JSONFormat.compactEncoder.encode(GatewayFetchBody(signed))))
    }

    @Test("A granted fetch is served sealed to the consumer, with the access committed first", arguments: suites)
    func served(suite: CryptoSuite) async throws {
        let fixture = try GatewayFixture(suite: suite)
        defer { fixture.removeFiles() }
        let gateway = try fixture.makeGateway()
        let app = Application(router: CivicAPI.router(node: fixture.node, metrics: nil, gateway: gateway))
        try await withRunningNode(fixture.node) {
            let grants = try await fixture.setUpCatalog()
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let nodeClient = NodeClient(baseURL: "http://127.0.0.1:\(port)")
                let person = GatewayFixture.people[0]
                let result = try await nodeClient.fetch(
                    resource: GatewayFixture.resource, grant: grants.active, fields: ["name", "marriage_status"],
                    filter: [FieldCondition(field: "id_number", value: person.0)], key: fixture.housingKey,
                    now: fixture.clock.now())
                #expect(result.rows == [["marriage_status": person.2, "name": person.1]])
                #expect(result.plaintext == Array(#"[{"marriage_status":"married","name":"张三"}]"#.utf8))
                #expect(result.fields == ["name", "marriage_status"])

                let record = try #require(try fixture.accessRecord(result.access))
                #expect(record.report.refusal == "")
                #expect(record.report.grant == grants.active)
                #expect(record.report.consumer == Address(publicKey: fixture.housingKey.publicKey))
                #expect(record.report.consumerOrganization == "housing")
                #expect(record.report.fields == ["name", "marriage_status"])
                #expect(record.report.rows == 1)
                #expect(record.report.servedFingerprint == suite.hash(result.plaintext))
                #expect(record.report.subjects == [SubjectFingerprint.make(identifier: person.0, salt: fixture.salt, suite: suite)])
                #expect(record.provider == "civil-affairs")
                #expect(record.reportedBy == gateway.address)
                #expect(record.transactionHash == result.transaction)

                // No filter: every row up to the limit; the subject field is read for the trail but not served.
                let all = try await nodeClient.fetch(resource: GatewayFixture.resource, grant: grants.active, fields: ["name"],
                                                     limit: 2, key: fixture.housingKey, now: fixture.clock.now())
                #expect(all.rows.count == 2)
                #expect(all.rows.allSatisfy { $0.keys.sorted() == ["name"] })
                #expect(try fixture.accessRecord(all.access)?.report.subjects.count == 2)
                // A null stays null; no fields asked means every granted field, never an unpublished column.
                let second = GatewayFixture.people[1]
                let nulls = try await nodeClient.fetch(resource: GatewayFixture.resource, grant: grants.active,
                                                       filter: [FieldCondition(field: "id_number", value: second.0.lowercased())],
                                                       key: fixture.housingKey, now: fixture.clock.now())
                #expect(nulls.rows.isEmpty, "the filter compares exactly (x is not X)")
                let exact = try await nodeClient.fetch(resource: GatewayFixture.resource, grant: grants.active,
                                                       filter: [FieldCondition(field: "id_number", value: second.0)],
                                                       key: fixture.housingKey, now: fixture.clock.now())
                #expect(exact.rows == [["id_number": second.0, "name": second.1, "marriage_status": nil]])
                #expect(!String(decoding: exact.plaintext, as: UTF8.self).contains("secret"))
            }
        }
    }

    @Test("The envelope opens only with the consumer's key and for the request it answers", arguments: suites)
    func envelopeBinding(suite: CryptoSuite) async throws {
        let fixture = try GatewayFixture(suite: suite)
        defer { fixture.removeFiles() }
        let gateway = try fixture.makeGateway()
        try await withRunningNode(fixture.node) {
            let grants = try await fixture.setUpCatalog()
            let request = fixture.request(grant: grants.active, fields: ["name"])
            let response = try await gateway.fetch(try request.signed(with: fixture.housingKey))
            let envelope = Array(try #require(Data(base64Encoded: response.envelope)))
            let plaintext = try SuiteEnvelope.open(envelope, with: fixture.housingKey, associatedData: request.envelopeAssociatedData)
            #expect(suite.hash(plaintext).hex == response.served)
            for key in [fixture.bankKey, fixture.gatewayKey, fixture.civilKey] {
                #expect(throws: CryptoError.decryptionFailed) {
                    try SuiteEnvelope.open(envelope, with: key, associatedData: request.envelopeAssociatedData)
                }
            }
            var other = request
            other.nonce &+= 1
            #expect(throws: CryptoError.decryptionFailed) {
                try SuiteEnvelope.open(envelope, with: fixture.housingKey, associatedData: other.envelopeAssociatedData)
            }
        }
    }

    /// One refusal case: the request's signer and body, and what must come back.
    struct Refusal: Sendable {
        var name: String
        var code: String
        var status: HTTPResponse.Status
        var recorded: Bool
    }

    @Test("Every refusal has its own code and status; grant refusals are recorded, the others change nothing",
          arguments: suites)
    func refusals(suite: CryptoSuite) async throws {
        let fixture = try GatewayFixture(suite: suite)
        defer { fixture.removeFiles() }
        let gateway = try fixture.makeGateway()
        let app = Application(router: CivicAPI.router(node: fixture.node, metrics: nil, gateway: gateway))
        try await withRunningNode(fixture.node) {
            let grants = try await fixture.setUpCatalog()
            let now = fixture.clock.now().milliseconds
            let person = FieldCondition(field: "id_number", value: GatewayFixture.people[0].0)
            var tampered = try fixture.request(grant: grants.active).signed(with: fixture.housingKey)
            tampered.request.limit = 7
            let replayed = try fixture.request(grant: grants.active, fields: ["name"]).signed(with: fixture.housingKey)
            _ = try await gateway.fetch(replayed)

            let cases: [(Refusal, SignedFetchRequest)] = [
                (Refusal(name: "tampered", code: "gateway.bad_signature", status: .unauthorized, recorded: false), tampered),
                (Refusal(name: "other chain", code: "gateway.bad_signature", status: .unauthorized, recorded: false),
                 try fixture.request(grant: grants.active, chainID: "another-city").signed(with: fixture.housingKey)),
                (Refusal(name: "old", code: "gateway.stale_request", status: .unauthorized, recorded: false),
                 try fixture.request(grant: grants.active, issuedAt: Timestamp(milliseconds: now - 301_000)).signed(with: fixture.housingKey)),
                (Refusal(name: "future", code: "gateway.stale_request", status: .unauthorized, recorded: false),
                 try fixture.request(grant: grants.active, issuedAt: Timestamp(milliseconds: now + 301_000)).signed(with: fixture.housingKey)),
                (Refusal(name: "replay", code: "gateway.replayed", status: .conflict, recorded: false), replayed),
                (Refusal(name: "outsider", code: "gateway.unknown_consumer", status: .forbidden, recorded: false),
                 try fixture.request(grant: grants.active).signed(with: fixture.outsiderKey)),
                (Refusal(name: "unknown resource", code: "gateway.unknown_resource", status: .notFound, recorded: false),
                 try fixture.request(grant: grants.active, resource: "civil-affairs.nothing").signed(with: fixture.housingKey)),
                (Refusal(name: "no grant", code: "gateway.no_grant", status: .forbidden, recorded: true),
                 try fixture.request(grant: 999).signed(with: fixture.housingKey)),
                (Refusal(name: "revoked", code: "gateway.grant_revoked", status: .forbidden, recorded: true),
                 try fixture.request(grant: grants.revoked).signed(with: fixture.housingKey)),
                (Refusal(name: "expired", code: "gateway.grant_expired", status: .forbidden, recorded: true),
                 try fixture.request(grant: grants.expired, fields: ["name"]).signed(with: fixture.housingKey)),
                (Refusal(name: "another department", code: "gateway.wrong_consumer", status: .forbidden, recorded: true),
                 try fixture.request(grant: grants.active, fields: ["name"], filter: [person]).signed(with: fixture.bankKey)),
                (Refusal(name: "field", code: "gateway.field_not_granted", status: .forbidden, recorded: true),
                 try fixture.request(grant: grants.active, fields: ["name", "registered_on"]).signed(with: fixture.housingKey)),
                (Refusal(name: "filter field", code: "gateway.field_not_granted", status: .forbidden, recorded: true),
                 try fixture.request(grant: grants.active, fields: ["name"],
                                     filter: [FieldCondition(field: "registered_on", value: "2015-05-01")]).signed(with: fixture.housingKey)),
            ]
            try await app.test(.router) { client in
                for (refusal, signed) in cases {
                    try await expect(refusal, signed, client: client, fixture: fixture)
                }
                try await client.execute(uri: "/v1/gateway/fetch", method: .post, headers: Self.json,
                                         body: ByteBuffer(string: #"{"request": "zz"}"#)) { response in
                    #expect(response.status == .badRequest)
                    let body = try JSONFormat.decoder.decode(GatewayRefusalBody.self, from: Data(response.body.readableBytesView))
                    #expect(body.error.code == "gateway.malformed_request")
                }
            }
        }
    }

    /// Posts `signed`, checks the answer, and checks the chain: a recorded refusal adds exactly its access record
    /// (and the counter); any other refusal leaves every state entry as it was.
    func expect(_ refusal: Refusal, _ signed: SignedFetchRequest, client: some TestClientProtocol, fixture: GatewayFixture,
                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try fixture.stateEntries()
        let height = fixture.node.snapshot.head.height
        let body = try await client.execute(uri: "/v1/gateway/fetch", method: .post, headers: Self.json,
                                            body: try Self.body(signed)) { response in
            #expect(response.status == refusal.status, "\(refusal.name): \(String(buffer: response.body))", sourceLocation: sourceLocation)
            return try JSONFormat.decoder.decode(GatewayRefusalBody.self, from: Data(response.body.readableBytesView))
        }
        #expect(body.error.code == refusal.code, "\(refusal.name): \(body.error.message)", sourceLocation: sourceLocation)
        #expect(!body.error.message.isEmpty, sourceLocation: sourceLocation)
        let logged = fixture.node.refusals.newest(limit: 1).first
        #expect(logged?.source == .gateway && logged?.code == refusal.code, "\(refusal.name) is in the node's refusal log",
                sourceLocation: sourceLocation)
        let after = try fixture.stateEntries()
        guard refusal.recorded else {
            #expect(body.access == nil && body.transaction == nil, "\(refusal.name) was recorded", sourceLocation: sourceLocation)
            #expect(after == before, "\(refusal.name) changed the state", sourceLocation: sourceLocation)
            #expect(fixture.node.snapshot.head.height == height, "\(refusal.name) made a block", sourceLocation: sourceLocation)
            return
        }
        let access = try #require(body.access, "\(refusal.name) was not recorded", sourceLocation: sourceLocation)
        let record = try #require(try fixture.accessRecord(access), sourceLocation: sourceLocation)
        #expect(record.report.refusal == refusal.code, sourceLocation: sourceLocation)
        #expect(record.report.grant == signed.request.grant, sourceLocation: sourceLocation)
        #expect(record.report.consumer == Address(publicKey: signed.signer), sourceLocation: sourceLocation)
        #expect(record.report.servedFingerprint == .zero && record.report.rows == 0 && record.report.subjects.isEmpty,
                sourceLocation: sourceLocation)
        #expect(record.transactionHash.hex == body.transaction, sourceLocation: sourceLocation)
        let changed = Set(after.keys.filter { after[$0] != before[$0] }).union(before.keys.filter { after[$0] == nil })
        #expect(changed == [Array("catalog/".utf8) + AccessRecord.key(access), Array("catalog/next/access".utf8)],
                "\(refusal.name) changed more than its access record", sourceLocation: sourceLocation)
    }

    @Test("A node without a gateway answers gateway.not_configured")
    func notConfigured() async throws {
        let fixture = try GatewayFixture(suite: .intl)
        defer { fixture.removeFiles() }
        let app = Application(router: CivicAPI.router(node: fixture.node, metrics: nil))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/gateway/fetch", method: .post, headers: Self.json,
                                     body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("gateway.not_configured"))
            }
        }
    }

    @Test("Canonical rows: sorted keys, null, escapes, one encoding")
    func canonicalRows() {
        let rows: [DataRow] = [["b": "x\"y\\z\n\u{01}", "a": nil, "é": "/"], [:]]
        #expect(CanonicalRows.encode(rows) == Array(#"[{"a":null,"b":"x\"y\\z\n\u0001","é":"/"},{}]"#.utf8))
        #expect(CanonicalRows.encode([]) == Array("[]".utf8))
    }

    @Test("The SQLite adapter refuses names outside the schema and never interpolates values")
    func sqliteNames() async throws {
        let fixture = try GatewayFixture(suite: .intl)
        defer { fixture.removeFiles() }
        let adapter = SQLiteTableAdapter(path: fixture.sqlitePath, table: GatewayFixture.table)
        let schema: Set<String> = ["id_number", "name"]
        await #expect(throws: AdapterError.self) {
            try await adapter.rows(for: AdapterQuery(fields: ["internal_note"], filter: [], limit: 5, schema: schema))
        }
        await #expect(throws: AdapterError.self) {
            try await adapter.rows(for: AdapterQuery(fields: ["name\" FROM x; --"], filter: [], limit: 5, schema: ["name\" FROM x; --"]))
        }
        let injection = try await adapter.rows(for: AdapterQuery(
            fields: ["name"], filter: [FieldCondition(field: "id_number", value: "' OR '1'='1")], limit: 5, schema: schema))
        #expect(injection.isEmpty)
        let one = try await adapter.rows(for: AdapterQuery(
            fields: ["name"], filter: [FieldCondition(field: "id_number", value: GatewayFixture.people[2].0)], limit: 5, schema: schema))
        #expect(one == [["name": GatewayFixture.people[2].1]])
    }
}
