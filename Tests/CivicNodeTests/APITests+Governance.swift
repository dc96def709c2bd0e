import CivicAPI
import CivicClient
import CivicCodec
import CivicContracts
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

/// Contract `governance` as the API shows it. The fixture's chain has one member organization
/// (`city-hall`, from its one admin), so MAJORITY is one vote.
extension APITests {
    func propose(_ change: GovernanceChange, _ fixture: Fixture, on node: Node) throws -> [Receipt] {
        let deadline = Timestamp(milliseconds: fixture.clock.now().milliseconds + 3_600_000)
        return try commit(
            [try fixture.sign(TransactionBuilder.propose(change, deadline: deadline), by: fixture.adminKey)],
            on: node)
    }

    @Test(
        "GET /v1/governance/* show proposals with votes, organizations, policies and validator sets, with proofs",
        arguments: suites)
    func governance(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let fingerprint = Fixture.randomHash()
        #expect(
            try propose(.revokeCertificate(algorithm: .sha256, fingerprint: fingerprint), fixture, on: node).map(
                \.status)
                == [.success])
        let vote = try fixture.sign(TransactionBuilder.vote(proposal: 1, approve: true), by: fixture.adminKey)
        #expect(try commit([vote], on: node).map(\.status) == [.success])
        let newValidator = PrivateKey.generate(suite: suite)
        #expect(
            try propose(
                .addValidator(
                    Validator(
                        name: "validator-2", organization: "city-hall",
                        publicKey: newValidator.publicKey, power: 1)), fixture, on: node
            )
            .map(\.status) == [.success])
        #expect(try propose(.setBlockIntervalMilliseconds(500), fixture, on: node).map(\.status) == [.success])
        #expect(
            try commit(
                [try fixture.sign(TransactionBuilder.vote(proposal: 2, approve: true), by: fixture.adminKey)],
                on: node
            ).map(\.status) == [.success])
        let executedAt = node.snapshot.head.height.rawValue
        let again = try fixture.sign(TransactionBuilder.vote(proposal: 1, approve: true), by: fixture.adminKey)
        let outsider = try fixture.sign(TransactionBuilder.vote(proposal: 3, approve: true), by: fixture.memberKey)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                body: ByteBuffer(bytes: again.canonicalBytes)
            ) { response in
                try Self.expectError(response, .conflict, code: "governance.closed")
            }
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                body: ByteBuffer(bytes: outsider.canonicalBytes)
            ) { response in
                try Self.expectError(response, .forbidden, code: "governance.not_admin")
            }
            try await client.execute(uri: "/v1/governance/proposals", method: .get) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let body = try Self.decode(ProposalListResponse.self, response)
                #expect(body.total == 3)
                #expect(body.proposals.map(\.id) == [3, 2, 1], "newest first")
                #expect(body.proposals.map(\.status) == ["open", "executed", "executed"])
                #expect(
                    body.proposals.map(\.change) == ["set_block_interval_ms", "add_validator", "revoke_certificate"])
            }
            try await client.execute(uri: "/v1/governance/proposals/1", method: .get) { response in
                let body = try Self.decode(ProposalView.self, response)
                #expect(body.fields["fingerprint"] == fingerprint.hex && body.resource == "certificate_revocation")
                #expect(body.votes.map(\.organization) == ["city-hall"])
                #expect(body.votes.first?.voter == Address(publicKey: fixture.adminKey.publicKey).hex)
                #expect(body.votes.first?.transactionHash == vote.hash(suite: suite).hex)
                let state = try #require(body.state)
                #expect(state.decoded?["status"] == "executed" && state.decoded?["change"] == "revoke_certificate")
                let report = try OfflineVerifier.verify(
                    Array(try #require(Data(base64Encoded: state.proof))),
                    genesis: fixture.genesis)
                #expect(report.facts["present"] == "true")
            }
            try await client.execute(uri: "/v1/governance/proposals/9", method: .get) { response in
                try Self.expectError(response, .notFound, code: "governance.unknown_proposal")
            }
            try await client.execute(uri: "/v1/governance/proposals/first", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/governance/organizations", method: .get) { response in
                let body = try Self.decode(OrganizationListResponse.self, response)
                #expect(body.organizations.map(\.name) == ["city-hall"])
                #expect(body.organizations.first?.admins == [Address(publicKey: fixture.adminKey.publicKey).hex])
                #expect(body.organizations.allSatisfy { $0.state.present })
            }
            try await client.execute(uri: "/v1/governance/policies", method: .get) { response in
                let body = try Self.decode(PolicyListResponse.self, response)
                #expect(body.policies.map(\.resource) == GovernedResource.allCases.map(\.name))
                #expect(body.policies.allSatisfy { $0.policy == "MAJORITY" && $0.role == nil })
                #expect(body.policies.first?.state.decoded == ["resource": "membership", "policy": "MAJORITY"])
            }
            try await client.execute(uri: "/v1/governance/validators", method: .get) { response in
                let body = try Self.decode(ValidatorSetListResponse.self, response)
                #expect(body.total == 2)
                #expect(body.entries.map(\.applies) == ["pending", "current"])
                #expect(body.entries.map(\.appliesFrom) == [executedAt + 2, 1])
                #expect(body.entries.first?.validators.map(\.name) == ["validator-1", "validator-2"])
                #expect(body.entries.first?.proposalId == 2)
            }
        }
    }
}
