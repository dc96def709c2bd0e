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

/// Equivocations reported to contract `accountability`, as the API shows them.
extension APITests {
    /// Two votes of `kind` at height 5 round 0 by the fixture's validator (index 0), for different blocks.
    static func equivocation(_ fixture: Fixture, kind: VoteKind) throws -> Equivocation {
        let votes = try [Fixture.randomHash(), Fixture.randomHash()].map { hash in
            let vote = Vote(kind: kind, height: Height(5), round: Round(0), blockHash: hash)
            return SignedVote(vote: vote, validatorIndex: 0,
                              signature: try fixture.validatorKey.signature(for: vote.signBytes(chainID: fixture.genesis.chainID)))
        }
        return Equivocation(votes[0], votes[1])
    }

    @Test("GET /v1/misbehavior lists the recorded equivocations newest first, by validator name or index, with proofs",
          arguments: suites)
    func misbehavior(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let prevotes = try Self.equivocation(fixture, kind: .prevote)
        let precommits = try Self.equivocation(fixture, kind: .precommit)
        let first = try fixture.sign(TransactionBuilder.reportEquivocation(prevotes), by: fixture.auditorKey)
        #expect(try commit([first], on: node).map(\.status) == [.success])
        #expect(try commit([try fixture.sign(TransactionBuilder.reportEquivocation(precommits), by: fixture.memberKey)],
                           on: node).map(\.status) == [.success])
        let again = try fixture.sign(TransactionBuilder.reportEquivocation(prevotes), by: fixture.clientKey)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: again.canonicalBytes)) { response in
                try Self.expectError(response, .conflict, code: "accountability.duplicate")
            }
            try await client.execute(uri: "/v1/transactions/\(first.hash(suite: suite).hex)", method: .get) { response in
                let body = try Self.decode(TransactionResponse.self, response)
                #expect(body.transaction.argumentsDecoded?["kind"] == "prevote")
                #expect(body.transaction.argumentsDecoded?["validator_index"] == "0")
                #expect(body.transaction.argumentsDecoded?["height"] == "5")
            }
            for uri in ["/v1/misbehavior", "/v1/misbehavior/validator-1", "/v1/misbehavior/0"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
                    let body = try Self.decode(MisbehaviorResponse.self, response)
                    #expect(body.total == 2)
                    let records = body.records.compactMap(\.decoded)
                    #expect(records.map { $0["kind"] } == ["precommit", "prevote"], "newest first")
                    #expect(records.allSatisfy { $0["validator"] == "validator-1" && $0["organization"] == "city-it" })
                    #expect(records.map { $0["reporter"] } == [fixture.memberKey, fixture.auditorKey].map {
                        Optional(Address(publicKey: $0.publicKey).hex)
                    })
                    #expect(records.map { $0["reported_at"] } == ["2", "1"])
                    #expect(records.last?["equivocation"] == Hex.encode(prevotes.canonicalBytes))
                    #expect(records.last?["public_key"] == Hex.encode(fixture.validatorKey.publicKey.rawRepresentation))
                    #expect(records.last?["first_block_hash"] == prevotes.first.vote.blockHash?.hex)
                    for record in body.records {
                        #expect(record.present && record.height == 2)
                        let report = try OfflineVerifier.verify(Array(try #require(Data(base64Encoded: record.proof))),
                                                                genesis: fixture.genesis)
                        #expect(report.facts["present"] == "true")
                    }
                }
            }
            for uri in ["/v1/misbehavior/nobody", "/v1/misbehavior/1"] {
                try await client.execute(uri: uri, method: .get) { response in
                    try Self.expectError(response, .notFound, code: "validator.not_found")
                }
            }
        }
    }

    @Test("GET /v1/misbehavior answers an empty list on a chain without reports")
    func noMisbehavior() async throws {
        let fixture = Fixture(suite: .intl)
        let (app, node) = try makeApp(fixture)
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/misbehavior/validator-1", method: .get) { response in
                let body = try Self.decode(MisbehaviorResponse.self, response)
                #expect(body == MisbehaviorResponse(total: 0, records: []))
            }
            let validator = AccountabilityContract.stateKey(AccountabilityContract.Key.validator(0))
            try await client.execute(uri: "/v1/state/\(Hex.encode(validator))", method: .get) { response in
                let body = try Self.decode(StateResponse.self, response)
                #expect(body.decoded == ["name": "validator-1", "organization": "city-it", "power": "1",
                                         "public_key": Hex.encode(fixture.validatorKey.publicKey.rawRepresentation)])
            }
        }
    }
}
