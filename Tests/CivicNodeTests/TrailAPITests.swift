import CivicAPI
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
@testable import CivicNode
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/trail/...` over real HTTP, with proofs checked offline against the genesis alone.
@Suite("Trail API")
struct TrailAPITests {
    func withServer(_ body: @Sendable (TrailChain, Node, NodeClient) async throws -> Void) async throws {
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let chain = TrailChain()
        let node = try chain.makeNode(store: MemoryLedgerStore())
        try chain.populate(node)
        // The index starts empty: the query itself catches up (the follower service is not running).
        let index = try TrailIndex(path: directory.indexPath)
        defer { index.close() }
        let app = Application(router: CivicAPI.router(node: node, metrics: nil, trail: index),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(chain, node, NodeClient(baseURL: "http://127.0.0.1:\(port)"))
        }
    }

    @Test("The three questions, paged, each row with a proof that verifies offline; altered rows and proofs do not")
    func questionsWithProofs() async throws {
        try await withServer { chain, node, client in
            let resource = try await client.trail(.resource, key: TrailChain.marriage, proofs: true)
            #expect(resource.indexedHeight == node.snapshot.head.height.rawValue && resource.headHeight == resource.indexedHeight)
            #expect(resource.rows.map(\.event) == ["catalog.requested", "catalog.granted", "catalog.access", "catalog.access",
                                                   "catalog.access"])
            for row in resource.rows {
                let bytes = try TrailProofCheck.proofBytes(of: row)
                let report = try TrailProofCheck.verify(row, proofBytes: bytes, genesis: chain.genesis)
                #expect(report.height == row.height && report.facts["contract"] == "catalog")
                // The same document /v1/transactions/{hash}/proof serves.
                #expect(try await client.proofFile(Hash256(bytes: Hex.decode(row.transactionHash) ?? [])) == bytes)
            }
            // A row altered after the node answered no longer matches its proof.
            var altered = resource.rows[4]
            altered.consumerOrganization = "housing"
            #expect(throws: TrailProofError.self) {
                try TrailProofCheck.verify(altered, proofBytes: TrailProofCheck.proofBytes(of: altered), genesis: chain.genesis)
            }
            // A proof with a flipped byte does not verify.
            var tampered = try TrailProofCheck.proofBytes(of: resource.rows[2])
            tampered[tampered.count / 2] ^= 0x01
            do throws(TrailProofError) {
                _ = try TrailProofCheck.verify(resource.rows[2], proofBytes: tampered, genesis: chain.genesis)
                Issue.record("a tampered proof verified")
            } catch {
                if case .proof = error {} else { Issue.record("expected a proof failure, got \(error)") }
            }
            // Another chain's genesis does not certify it.
            let other = TrailChain()
            #expect(throws: TrailProofError.self) {
                try TrailProofCheck.verify(resource.rows[2], proofBytes: TrailProofCheck.proofBytes(of: resource.rows[2]),
                                           genesis: other.genesis)
            }

            let department = try await client.trail(.department, key: "housing")
            #expect(department.rows.count == 4 && department.rows.allSatisfy { $0.proof == nil })
            #expect(department.resources?.map(\.resource) == [TrailChain.marriage])
            #expect(department.resources?.first?.purpose == "housing purchase check")

            let fingerprint = chain.subject("32010219851231567X").hex
            var page = try await client.trail(.subject, key: fingerprint.uppercased(), limit: 1)
            #expect(page.key == fingerprint && page.rows.count == 1 && page.nextCursor != nil)
            var rows = page.rows
            while let cursor = page.nextCursor {
                page = try await client.trail(.subject, key: fingerprint, limit: 1, cursor: cursor)
                rows += page.rows
            }
            #expect(rows.map(\.resource) == [TrailChain.marriage, TrailChain.births])
            #expect(rows.allSatisfy { $0.subjects.contains(fingerprint) })
            let window = try await client.trail(.subject, key: fingerprint, since: rows[1].timeMs)
            #expect(window.rows.map(\.position) == [rows[1].position])
        }
    }

    @Test("Malformed questions are refused with stable codes")
    func refusals() async throws {
        try await withServer { _, _, client in
            for (path, code) in [
                ("/v1/trail/subjects/1234", "trail.invalid_fingerprint"),
                ("/v1/trail/resources/x?limit=0", "trail.invalid_limit"),
                ("/v1/trail/resources/x?since=yesterday", "trail.invalid_since"),
                ("/v1/trail/resources/x?since=5&until=4", "trail.invalid_window"),
                ("/v1/trail/departments/housing?cursor=abc", "trail.invalid_cursor"),
            ] {
                let (status, body) = try await client.raw(path)
                #expect(status == 400, "\(path)")
                let error = try JSONFormat.decoder.decode(ErrorBody.self, from: Data(body))
                #expect(error.error.code == code, "\(path)")
            }
        }
    }
}
