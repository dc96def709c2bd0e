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
import Logging
import NIOCore
import Prometheus
import Testing

/// The console's operations page: `GET /v1/node` and `GET /v1/node/refusals`.
extension APITests {
    @Test("GET /v1/node reports identity, uptime, peers, signing record, certificates and files")
    func nodeStatus() async throws {
        let fixture = Fixture(suite: .sm)
        let day: UInt64 = 86_400_000
        let now = fixture.clock.now().milliseconds
        var configuration = Node.Configuration(genesis: fixture.genesis, validatorKey: fixture.validatorKey, clock: fixture.clock)
        configuration.certificates = [("tls", now + 5 * day), ("far", now + 90 * day), ("old", now - day)].map {
            MonitoredCertificate(name: $0.0, subject: "CN=node-1,O=City IT", notAfter: Timestamp(milliseconds: $0.1))
        }
        let node = try Node(configuration: configuration, store: MemoryLedgerStore(), logger: Logger(label: "civic.test"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-node-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ledger = directory.appendingPathComponent("ledger.sqlite").path
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: ledger))
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: ledger + "-wal"))
        let peer = PrivateKey.generate(suite: .sm).publicKey
        let description = NodeDescription(
            files: NodeDescription.StoredFile.sqlite(kind: "ledger", path: ledger),
            peerEndpoints: { [(PeerEndpoint(host: "10.0.0.2", port: 7001), peer), (PeerEndpoint(host: "10.0.0.3", port: 7001), nil)] })
        let app = Application(router: CivicAPI.router(node: node, metrics: nil, description: description))
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        fixture.clock.advance(byMilliseconds: 5_000)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/node", method: .get) { response in
                #expect(response.status == .ok)
                let status = try Self.decode(NodeStatusResponse.self, response)
                #expect(status.chainId == "civic-test" && status.suite == "sm")
                #expect(status.genesisHash == fixture.genesis.hash.hex)
                #expect(status.node.validatorIndex == 0)
                #expect(status.node.name == "validator-1" && status.node.organization == "city-it")
                #expect(status.node.publicKey == Hex.encode(fixture.validatorKey.publicKey.rawRepresentation))
                #expect(status.startedAtMs == now)
                #expect(status.uptimeMs == 5_000)
                #expect(status.height == 2 && status.headHash == node.snapshot.headHash.hex)
                #expect(status.mempoolTransactions == 0)
                #expect(status.peers == [.init(index: 0, name: "validator-1", organization: "city-it",
                                               publicKey: status.node.publicKey, isSelf: true, connected: false, endpoint: nil)])
                #expect(status.unidentifiedEndpoints == ["10.0.0.3:7001"])
                #expect(status.validatorHealth == .init(blocks: 2, fromHeight: 1, toHeight: 2, validators: [
                    .init(index: 0, name: "validator-1", signed: 2, lastSignedHeight: 2),
                ]))
                #expect(status.certificates.map(\.name) == ["tls", "far", "old"])
                #expect(status.certificates.map(\.status) == ["expiring", "ok", "expired"])
                #expect(status.certificates[0].secondsLeft == Int64(5 * day - 5_000) / 1000)
                #expect(status.certificates[2].secondsLeft < 0)
                #expect(status.storage.files.map(\.path) == [ledger, ledger + "-wal"], "the missing -shm is left out")
                #expect(status.storage.files.map(\.bytes) == [4096, 100])
                #expect(status.storage.totalBytes == 4196)
                #expect(status.eventStream.subscribersMax == EventStreamSettings().subscribersMax)
            }
        }
    }

    @Test("GET /v1/node/refusals lists the newest refusals with counts by code; bad parameters are refused")
    func nodeRefusals() async throws {
        let fixture = Fixture(suite: .intl)
        let (app, node) = try makeApp(fixture)
        let wrongChain = try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [2]), by: fixture.clientKey,
                                          chainID: "other-chain")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: [1, 2, 3])) { response in
                try Self.expectError(response, .badRequest, code: "transaction.malformed")
            }
            fixture.clock.advance(byMilliseconds: 10)
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                         body: ByteBuffer(bytes: wrongChain.canonicalBytes)) { response in
                    try Self.expectError(response, .badRequest, code: "transaction.wrong_chain")
                }
            }
            try await client.execute(uri: "/v1/node/refusals", method: .get) { response in
                #expect(response.status == .ok)
                let list = try Self.decode(RefusalListResponse.self, response)
                #expect(list.refusals.map(\.code) == ["transaction.wrong_chain", "transaction.wrong_chain", "transaction.malformed"])
                #expect(list.refusals.allSatisfy { $0.source == "admission" && !$0.message.isEmpty })
                #expect(list.refusals.map(\.timeMs) == [Fixture.start.milliseconds + 10, Fixture.start.milliseconds + 10,
                                                        Fixture.start.milliseconds])
                #expect(list.countsSinceStart == [.init(code: "transaction.malformed", count: 1),
                                                  .init(code: "transaction.wrong_chain", count: 2)])
                #expect(list.capacity == RefusalLog.capacityDefault)
            }
            try await client.execute(uri: "/v1/node/refusals?code=transaction.malformed&limit=5", method: .get) { response in
                let list = try Self.decode(RefusalListResponse.self, response)
                #expect(list.refusals.map(\.code) == ["transaction.malformed"])
                #expect(list.countsSinceStart.count == 2, "counts cover every code, whatever the filter")
            }
            try await client.execute(uri: "/v1/node/refusals?limit=1", method: .get) { response in
                let list = try Self.decode(RefusalListResponse.self, response)
                #expect(list.refusals.count == 1)
            }
            for bad in ["limit=0", "limit=501", "limit=x", "code=", "code=\(String(repeating: "a", count: 129))"] {
                try await client.execute(uri: "/v1/node/refusals?\(bad)", method: .get) { response in
                    try Self.expectError(response, .badRequest, code: "request.invalid")
                }
            }
        }
        #expect(node.refusals.counts["transaction.wrong_chain"] == 2)
    }
}
