import CivicAPI
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

/// The console explorer's lists (blocks, identities, contracts) and `POST /v1/verify`.
extension APITests {
    @Test("GET /v1/blocks lists block summaries newest first and pages with next_before", arguments: suites)
    func blockList(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        try commit([try fixture.evidence(by: fixture.memberKey), try fixture.evidence(by: fixture.memberKey)], on: node)
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/blocks", method: .get) { response in
                #expect(response.status == .ok)
                let page = try Self.decode(BlockListResponse.self, response)
                #expect(page.blocks.map(\.height) == [3, 2, 1, 0])
                #expect(page.nextBefore == nil, "genesis is on the page")
                #expect(page.blocks.map(\.transactionCount) == [1, 1, 2, 0])
                #expect(page.blocks[0].hash == node.snapshot.headHash.hex)
                #expect(page.blocks[0].stateRoot == node.snapshot.head.stateRoot.hex)
                #expect(page.blocks[0].timeMs == node.snapshot.head.time.milliseconds)
                #expect(page.blocks.map(\.round) == [0, 0, 0, nil])
                #expect(page.blocks[0].proposer == .init(index: 0, name: "validator-1"))
                let block = try node.reader.block(at: Height(2)).block
                #expect(page.blocks[1].sizeBytes == block.canonicalBytes.count)
            }
            try await client.execute(uri: "/v1/blocks?limit=2", method: .get) { response in
                let page = try Self.decode(BlockListResponse.self, response)
                #expect(page.blocks.map(\.height) == [3, 2])
                #expect(page.nextBefore == 2)
            }
            try await client.execute(uri: "/v1/blocks?before=2&limit=2", method: .get) { response in
                let page = try Self.decode(BlockListResponse.self, response)
                #expect(page.blocks.map(\.height) == [1, 0])
                #expect(page.nextBefore == nil)
            }
            try await client.execute(uri: "/v1/blocks?before=1000&limit=1", method: .get) { response in
                let page = try Self.decode(BlockListResponse.self, response)
                #expect(page.blocks.map(\.height) == [3], "a before above the head starts at the head")
                #expect(page.nextBefore == 3)
            }
            for bad in ["limit=0", "limit=101", "limit=ten", "before=0", "before=-1", "before=x"] {
                try await client.execute(uri: "/v1/blocks?\(bad)", method: .get) { response in
                    try Self.expectError(response, .badRequest, code: "request.invalid")
                }
            }
        }
    }

    @Test("GET /v1/identities lists registered identities by address, filtered and paged")
    func identityList() async throws {
        let fixture = Fixture(suite: .sm)
        let (app, node) = try makeApp(fixture)
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        let keys = [fixture.adminKey, fixture.memberKey, fixture.clientKey, fixture.auditorKey]
        let addresses = keys.map { Address(publicKey: $0.publicKey).hex }
        try await app.test(.router) { client in
            let all = try await client.execute(uri: "/v1/identities", method: .get) { response in
                #expect(response.status == .ok)
                let page = try Self.decode(IdentityListResponse.self, response)
                #expect(page.height == 1)
                #expect(page.next == nil)
                #expect(Set(addresses).isSubset(of: Set(page.identities.map(\.address))))
                #expect(page.identities.map(\.address) == page.identities.map(\.address).sorted(), "address order")
                let clerk = try #require(page.identities.first { $0.address == addresses[1] })
                #expect(clerk.name == "clerk" && clerk.organization == "civil-affairs" && clerk.role == "member" && clerk.active)
                #expect(clerk.publicKey == Hex.encode(fixture.memberKey.publicKey.rawRepresentation))
                #expect(clerk.certificateNotAfterMs == nil, "registered by genesis, without a certificate")
                return page.identities
            }
            try await client.execute(uri: "/v1/identities?role=member", method: .get) { response in
                let page = try Self.decode(IdentityListResponse.self, response)
                #expect(page.identities.map(\.name) == ["clerk"])
            }
            try await client.execute(uri: "/v1/identities?organization=audit-office", method: .get) { response in
                let page = try Self.decode(IdentityListResponse.self, response)
                #expect(page.identities.map(\.address) == [addresses[3]])
            }
            let next = try await client.execute(uri: "/v1/identities?limit=2", method: .get) { response in
                let page = try Self.decode(IdentityListResponse.self, response)
                #expect(page.identities == Array(all.prefix(2)))
                return try #require(page.next)
            }
            try await client.execute(uri: "/v1/identities?after=\(next)&limit=200", method: .get) { response in
                let page = try Self.decode(IdentityListResponse.self, response)
                #expect(page.identities == Array(all.dropFirst(2)))
            }
            for bad in ["role=mayor", "after=xyz", "limit=0", "limit=201"] {
                try await client.execute(uri: "/v1/identities?\(bad)", method: .get) { response in
                    try Self.expectError(response, .badRequest, code: "request.invalid")
                }
            }
        }
    }

    @Test("GET /v1/contracts lists the native contracts and the deployed ones with their registry records")
    func contractList() async throws {
        let fixture = Fixture(suite: .intl)
        let node = try NodeBlockGasTests.node(fixture)
        let app = Application(router: CivicAPI.router(node: node, metrics: nil))
        let code = try #require(DeployedContract.load("burner") { try? node.reader.stateValue(key: $0, snapshot: node.snapshot) })
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/contracts", method: .get) { response in
                #expect(response.status == .ok)
                let list = try Self.decode(ContractListResponse.self, response)
                #expect(list.height == node.snapshot.head.height.rawValue)
                #expect(!list.truncated)
                let natives = list.contracts.filter { $0.kind == "native" }
                #expect(natives.map(\.name) == ["accountability", "catalog", "certificates", "code", "evidence", "governance", "identity", "kv"])
                #expect(natives.allSatisfy { $0.status == "active" && $0.version == nil })
                let deployed = list.contracts.filter { $0.kind == "wasm" }
                #expect(deployed.map(\.name) == ["burner"])
                #expect(deployed.first?.version == 1)
                #expect(deployed.first?.status == "active")
                #expect(deployed.first?.codeHash == code.codeHash.hex)
                #expect(deployed.first?.deployedAt == code.deployedAt.rawValue)
                #expect(deployed.first?.proposalId == 1)
            }
        }
    }

    @Test("POST /v1/verify: a genuine proof verifies, a flipped byte does not, garbage is refused", arguments: suites)
    func verifyProof(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let transaction = try fixture.evidence(by: fixture.memberKey)
        try commit([transaction], on: node)
        let hash = transaction.hash(suite: suite).hex
        try await app.test(.router) { client in
            let proof = try await client.execute(uri: "/v1/transactions/\(hash)/proof", method: .get) { response in
                Array(response.body.readableBytesView)
            }
            try await client.execute(uri: "/v1/verify", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: proof)) { response in
                #expect(response.status == .ok)
                let result = try Self.decode(VerifyResponse.self, response)
                #expect(result.valid)
                #expect(result.format == "proof_file" && result.kind == "transaction")
                #expect(result.height == 1)
                #expect(result.transactionHash == hash)
                #expect(result.signers == ["validator-1"])
                #expect(result.validatorSetIndex == 0)
                #expect(result.transitionsChecked == 0)
                #expect(result.facts?["status"] == "success")
                #expect(result.error == nil)
            }
            // Flip a byte of the transaction's signature: the file still decodes, the proof no longer holds.
            let signature = transaction.signature.rawRepresentation
            let offset = try #require(Self.offset(of: signature, in: proof))
            var tampered = proof
            tampered[offset + 5] ^= 0x01
            try await client.execute(uri: "/v1/verify", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: tampered)) { response in
                #expect(response.status == .ok, "a proof that does not hold is an answer")
                let result = try Self.decode(VerifyResponse.self, response)
                #expect(!result.valid)
                #expect(result.kind == "transaction" && result.height == 1)
                #expect(result.signers.isEmpty)
                let error = try #require(result.error)
                #expect(error.code.hasPrefix("proof."))
                #expect(!error.message.isEmpty)
            }
            try await client.execute(uri: "/v1/verify", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: [0x00, 0x01, 0x02, 0x03])) { response in
                try Self.expectError(response, .badRequest, code: "verify.malformed")
            }
            try await client.execute(uri: "/v1/verify", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: Array(proof.prefix(40)))) { response in
                try Self.expectError(response, .badRequest, code: "proof.malformed")
            }
            try await client.execute(uri: "/v1/verify", method: .post, headers: Self.json,
                                     body: ByteBuffer(string: #"{"format": "something-else"}"#)) { response in
                try Self.expectError(response, .badRequest, code: "verify.malformed")
            }
        }
    }

    /// Where `needle` first occurs in `haystack`.
    static func offset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
