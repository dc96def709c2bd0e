import CivicAPI
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
@testable import CivicNode
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Synchronization
import Logging
import Testing

/// The HTTP API, in process, against a node on a memory store.
@Suite("HTTP API")
struct APITests {
    static let suites: [CryptoSuite] = [.sm, .intl]

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse,
                                             sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        do { return try JSONFormat.decoder.decode(type, from: Data(response.body.readableBytesView)) } catch {
            Issue.record("body is not \(type): \(String(buffer: response.body))", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// Checks an error response: status, JSON content type, stable code and a sentence.
    static func expectError(_ response: TestResponse, _ status: HTTPResponse.Status, code: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let body = try decode(ErrorBody.self, response, sourceLocation: sourceLocation)
        #expect(body.error.code == code, sourceLocation: sourceLocation)
        #expect(!body.error.message.isEmpty, sourceLocation: sourceLocation)
    }

    static let octetStream: HTTPFields = [.contentType: "application/octet-stream"]
    static let json: HTTPFields = [.contentType: "application/json"]

    func makeApp(_ fixture: Fixture, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry())
        throws -> (some ApplicationProtocol, Node) {
        let node = try fixture.makeNode()
        return (Application(router: CivicAPI.router(node: node, metrics: registry)), node)
    }

    @Test("/health and /v1/chain describe the node", arguments: suites)
    func healthAndChain(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.decode([String: String].self, response)
                #expect(body == ["status": "ok", "height": "1"])
            }
            try await client.execute(uri: "/v1/chain", method: .get) { response in
                #expect(response.status == .ok)
                let info = try Self.decode(ChainInfoResponse.self, response)
                #expect(info.chainId == "civic-test")
                #expect(info.suite == suite.name)
                #expect(info.genesisHash == fixture.genesis.hash.hex)
                #expect(info.height == 1)
                #expect(info.headHash == node.snapshot.headHash.hex)
                #expect(info.stateRoot == node.snapshot.head.stateRoot.hex)
                #expect(info.validators.map(\.publicKey) == [Hex.encode(fixture.validatorKey.publicKey.rawRepresentation)])
                #expect(info.contracts == ["accountability", "catalog", "certificates", "code", "evidence", "governance", "identity", "kv"])
                #expect(info.pendingTransactions == 0)
            }
        }
    }

    @Test("/v1/chain reports the node's certificates and warns within 30, 7 and 1 days of expiry")
    func certificateExpiry() async throws {
        let fixture = Fixture(suite: .sm)
        let now = fixture.clock.now().milliseconds
        let day: UInt64 = 86_400_000
        let certificates = [("tls", now + 5 * day), ("far", now + 90 * day), ("old", now - day), ("soon", now + day / 2)]
        var configuration = Node.Configuration(genesis: fixture.genesis, validatorKey: fixture.validatorKey, clock: fixture.clock)
        configuration.certificates = certificates.map {
            MonitoredCertificate(name: $0.0, subject: "CN=node-1,O=City IT", notAfter: Timestamp(milliseconds: $0.1))
        }
        let node = try Node(configuration: configuration, store: MemoryLedgerStore(), logger: Logger(label: "civic.test"))
        node.checkCertificates()
        let app = Application(router: CivicAPI.router(node: node, metrics: PrometheusCollectorRegistry()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/chain", method: .get) { response in
                let info = try Self.decode(ChainInfoResponse.self, response)
                #expect(info.certificates.map(\.name) == ["tls", "far", "old", "soon"])
                #expect(info.certificates.map(\.warning) == ["expires within 7 days", nil, "expired", "expires within 1 day"])
                #expect(info.certificates[0].notAfterMs == now + 5 * day)
            }
        }
        // One log line per band entered, not one per check.
        #expect(node.engine.certificateWarnings["tls"] == .some(.withinSevenDays))
        #expect(node.engine.certificateWarnings["far"] == nil, "no band entered, nothing logged")
    }

    @Test("POST /v1/transactions takes raw bytes and JSON base64; GET returns it with a verifying proof", arguments: suites)
    func submitAndFetch(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let raw = try fixture.evidence(by: fixture.memberKey)
        let viaJSON = try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [2]), by: fixture.clientKey)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: raw.canonicalBytes)) { response in
                #expect(response.status == .accepted)
                let body = try Self.decode(SubmitResponse.self, response)
                #expect(body == SubmitResponse(hash: raw.hash(suite: suite).hex, status: "pending"))
            }
            let json = #"{"transaction": "\#(Data(viaJSON.canonicalBytes).base64EncodedString())"}"#
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.json,
                                     body: ByteBuffer(string: json)) { response in
                #expect(response.status == .accepted)
                let body = try Self.decode(SubmitResponse.self, response)
                #expect(body.hash == viaJSON.hash(suite: suite).hex)
            }
            #expect(node.pendingCount == 2)
            try node.produceBlock()

            let hash = viaJSON.hash(suite: suite).hex
            let proofBase64 = try await client.execute(uri: "/v1/transactions/\(hash)", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.decode(TransactionResponse.self, response)
                #expect(body.index == 1)
                #expect(body.header.height == 1)
                return body.proof
            }
            let proof = try #require(Data(base64Encoded: proofBase64))
            let report = try OfflineVerifier.verify(Array(proof), genesis: fixture.genesis)
            #expect(report.facts["transaction_hash"] == hash)
            try await client.execute(uri: "/v1/transactions/\(hash)/proof", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/octet-stream")
                let bytes = Array(response.body.readableBytesView)
                #expect(bytes == Array(proof))
                var tampered = bytes
                tampered[tampered.count / 2] ^= 0x01
                #expect(throws: ProofError.self) { try OfflineVerifier.verify(tampered, genesis: fixture.genesis) }
            }
            // Unknown transaction: 404; bad hash: 400.
            try await client.execute(uri: "/v1/transactions/\(Fixture.randomHash().hex)", method: .get) { response in
                try Self.expectError(response, .notFound, code: "query.not_found")
            }
            try await client.execute(uri: "/v1/transactions/\(Fixture.randomHash().hex)/proof", method: .get) { response in
                try Self.expectError(response, .notFound, code: "query.not_found")
            }
            for bad in ["xyz", "abcd", String(repeating: "g", count: 64), String(repeating: "a", count: 66)] {
                try await client.execute(uri: "/v1/transactions/\(bad)", method: .get) { response in
                    try Self.expectError(response, .badRequest, code: "request.invalid")
                }
            }
        }
    }

    @Test("Blocks by height, hash and latest", arguments: suites)
    func blocks(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let transactions = try (0..<2).map { _ in try fixture.evidence(by: fixture.memberKey) }
        try commit(transactions, on: node)
        let headHash = node.snapshot.headHash.hex
        try await app.test(.router) { client in
            for uri in ["/v1/blocks/1", "/v1/blocks/\(headHash)", "/v1/blocks/latest"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let block = try Self.decode(BlockResponse.self, response)
                    #expect(block.header.height == 1)
                    #expect(block.header.hash == headHash)
                    #expect(block.certificate?.blockHash == headHash)
                    #expect(block.transactions.map(\.hash) == transactions.map { $0.hash(suite: suite).hex })
                    #expect(block.receipts.map(\.status) == ["success", "success"])
                }
            }
            try await client.execute(uri: "/v1/blocks/0", method: .get) { response in
                #expect(response.status == .ok)
                let block = try Self.decode(BlockResponse.self, response)
                #expect(block.header.height == 0 && block.certificate == nil)
            }
            try await client.execute(uri: "/v1/blocks/2", method: .get) { response in
                try Self.expectError(response, .notFound, code: "query.not_found")
            }
            try await client.execute(uri: "/v1/blocks/\(Fixture.randomHash().hex)", method: .get) { response in
                try Self.expectError(response, .notFound, code: "query.not_found")
            }
            try await client.execute(uri: "/v1/blocks/not-a-block", method: .get) { response in
                try Self.expectError(response, .badRequest, code: "request.invalid")
            }
        }
    }

    @Test("State, evidence, identity and key-value queries return values with verifying proofs", arguments: suites)
    func stateQueries(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let fingerprint = Fixture.randomHash()
        let algorithm: FingerprintAlgorithm = suite == .sm ? .sm3 : .sha256
        try commit([try fixture.sign(TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: algorithm, label: "deed"),
                                     by: fixture.memberKey),
                    try fixture.sign(TransactionBuilder.keyValuePut(key: [0xab], value: [9, 9]), by: fixture.memberKey)], on: node)
        let member = Address(publicKey: fixture.memberKey.publicKey).hex
        try await app.test(.router) { client in
            func query(_ uri: String, present: Bool, value: String? = nil) async throws -> StateResponse {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
                    let body = try Self.decode(StateResponse.self, response)
                    #expect(body.present == present, "\(uri)")
                    if let value { #expect(body.value == value, "\(uri)") }
                    #expect(body.height == 1)
                    #expect(body.stateRoot == node.snapshot.head.stateRoot.hex)
                    let proof = try #require(Data(base64Encoded: body.proof))
                    let report = try OfflineVerifier.verify(Array(proof), genesis: fixture.genesis)
                    #expect(report.facts["present"] == String(present))
                    return body
                }
            }
            let evidence = try await query("/v1/evidence/\(algorithm.name)/\(fingerprint.hex)", present: true)
            #expect(evidence.decoded?["label"] == "deed")
            _ = try await query("/v1/evidence/\(algorithm.name)/\(Fixture.randomHash().hex)", present: false)
            let identity = try await query("/v1/identities/\(member)", present: true)
            #expect(identity.decoded?["role"] == "member")
            _ = try await query("/v1/identities/\(Address(publicKey: fixture.outsiderKey.publicKey).hex)", present: false)
            _ = try await query("/v1/kv/\(member)/ab", present: true, value: "0909")
            _ = try await query("/v1/kv/\(member)/ac", present: false)
            let key = Hex.encode(KeyValueContract.stateKey(owner: Address(hex: member)!, key: [0xab]))
            _ = try await query("/v1/state/\(key)", present: true, value: "0909")

            for (uri, code) in [("/v1/evidence/md5/\(fingerprint.hex)", "request.invalid"),
                                ("/v1/evidence/sm3/1234", "request.invalid"),
                                ("/v1/identities/nothex", "request.invalid"),
                                ("/v1/kv/\(member)/zz", "request.invalid"),
                                ("/v1/kv/abc/ab", "request.invalid"),
                                ("/v1/state/xyz", "request.invalid"),
                                ("/v1/state/\(String(repeating: "00", count: Limits.stateKeyBytesMax + 1))", "query.invalid")] {
                try await client.execute(uri: uri, method: .get) { response in
                    try Self.expectError(response, .badRequest, code: code)
                }
            }
        }
    }

    @Test("State queries before the first block answer 503 with query.no_certified_block")
    func stateBeforeFirstBlock() async throws {
        let fixture = Fixture(suite: .intl)
        let (app, _) = try makeApp(fixture)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/identities/\(Address(publicKey: fixture.adminKey.publicKey).hex)", method: .get) { response in
                try Self.expectError(response, .serviceUnavailable, code: "query.no_certified_block")
            }
        }
    }

    @Test("A storage failure answers 500 with query.storage, not a wrong answer")
    func storageFailure() async throws {
        let fixture = Fixture(suite: .intl)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store)
        let transaction = try fixture.evidence(by: fixture.memberKey)
        try commit([transaction], on: node)
        let app = Application(router: CivicAPI.router(node: node, metrics: nil))
        store.close()
        try await app.test(.router) { client in
            for uri in ["/v1/blocks/1", "/v1/blocks/latest", "/v1/transactions/\(transaction.hash(suite: .intl).hex)"] {
                try await client.execute(uri: uri, method: .get) { response in
                    try Self.expectError(response, .internalServerError, code: "query.storage")
                }
            }
        }
    }

    @Test("/metrics renders the registry in the Prometheus text format")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "civic_test_requests", unitName: "total", helpText: "Test requests."))
        counter.increment(by: Int64(3))
        let (app, _) = try makeApp(Fixture(suite: .intl), registry: registry)
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE civic_test_requests_total counter"))
                #expect(text.contains("civic_test_requests_total 3"))
            }
        }
    }

    @Test("/openapi.yaml is served and documents every route")
    func openAPI() async throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode()
        let router = CivicAPI.router(node: node, metrics: nil)
        let paths = Set(router.routes.map { $0.path.description })
        #expect(paths.count >= 14)
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("openapi:"))
                let documented = Set(text.split(separator: "\n").compactMap { line -> String? in
                    guard line.hasPrefix("  /"), line.hasSuffix(":") else { return nil }
                    return String(line.dropFirst(2).dropLast())
                })
                #expect(paths.subtracting(documented).isEmpty, "undocumented routes: \(paths.subtracting(documented).sorted())")
                #expect(documented.subtracting(paths).isEmpty, "documented but not served: \(documented.subtracting(paths).sorted())")
            }
        }
    }

    @Test("Unknown paths answer 404")
    func unknownPath() async throws {
        let (app, _) = try makeApp(Fixture(suite: .intl))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
