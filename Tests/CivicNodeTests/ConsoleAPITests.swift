import CivicAPI
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

/// The console's API (Docs/0017): its files and headers, sign-in by a signed challenge, bearer sessions, and
/// transactions prepared for the person to sign.
@Suite("Console API")
struct ConsoleAPITests {
    typealias Client = any TestClientProtocol

    static func json(_ value: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: value)) ?? Data())
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    /// Asks for a challenge, signs it with `key` and answers it; returns the response.
    static func signIn(_ client: Client, key: PrivateKey, chainID: String,
                       tamper: Bool = false) async throws -> TestResponse {
        let challenge = try await client.execute(uri: "/v1/console/challenge", method: .post) { response in
            try APITests.decode(ConsoleChallengeResponse.self, response)
        }
        #expect(challenge.chainId == chainID)
        var signature = try key.signature(for: [UInt8]("CivicLedger/console-sign-in/v1".utf8) + Array(chainID.utf8) + [0]
            + Array(challenge.challenge.utf8)).rawRepresentation
        if tamper { signature[5] ^= 1 }
        return try await client.execute(uri: "/v1/console/session", method: .post, headers: APITests.json,
                                        body: json(["public_key": Hex.encode(key.publicKey.rawRepresentation),
                                                    "challenge": challenge.challenge, "signature": Hex.encode(signature)]))
    }

    @Test("The console's files carry a strict content security policy; / leads there; hidden and odd paths are refused")
    func assets() async throws {
        let fixture = Fixture(suite: .sm)
        let node = try fixture.makeNode()
        let app = Application(router: CivicAPI.router(node: node, metrics: nil))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/console/")
            }
            for uri in ["/console", "/console/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    let policy = try #require(response.headers[.contentSecurityPolicy])
                    #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"))
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(String(buffer: response.body).contains("/console/js/app.js"))
                }
            }
            try await client.execute(uri: "/console/js/app.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy] != nil)
            }
            for uri in ["/console/.hidden", "/console/js/.x.js", "/console/js/%2e%2e/index.html", "/console/none.js", "/console/a//b.js"] {
                try await client.execute(uri: uri, method: .get) { response in
                    try APITests.expectError(response, .notFound, code: "console.not_found")
                }
            }
        }
    }

    @Test("Sign-in answers a single-use challenge with the identity's key; sessions are bearer tokens that end",
          arguments: APITests.suites)
    func signInAndSession(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let node = try fixture.makeNode()
        let app = Application(router: CivicAPI.router(node: node, metrics: nil))
        let chainID = node.genesis.chainID
        try commit([try fixture.evidence(by: fixture.adminKey)], on: node) // identities are read from a committed state
        try await app.test(.router) { client in
            let signedIn = try await Self.signIn(client, key: fixture.memberKey, chainID: chainID)
            #expect(signedIn.status == .ok, "\(String(buffer: signedIn.body))")
            let session = try APITests.decode(ConsoleSessionResponse.self, signedIn)
            let token = try #require(session.token)
            #expect(session.name == "clerk" && session.organization == "civil-affairs" && session.role == "member")
            #expect(session.address == Address(publicKey: fixture.memberKey.publicKey).hex)

            try await client.execute(uri: "/v1/console/session", method: .get, headers: Self.bearer(token)) { response in
                let current = try APITests.decode(ConsoleSessionResponse.self, response)
                #expect(current.token == nil && current.name == "clerk")
            }
            try await client.execute(uri: "/v1/console/session", method: .get) { response in
                try APITests.expectError(response, .unauthorized, code: "console.not_signed_in")
            }
            try await client.execute(uri: "/v1/console/session", method: .get, headers: Self.bearer("forged")) { response in
                try APITests.expectError(response, .unauthorized, code: "console.not_signed_in")
            }

            // A tampered signature is refused, an unregistered key is refused, and no identity gets a session.
            try APITests.expectError(try await Self.signIn(client, key: fixture.adminKey, chainID: chainID, tamper: true),
                                     .unauthorized, code: "console.bad_signature")
            try APITests.expectError(try await Self.signIn(client, key: PrivateKey.generate(suite: suite), chainID: chainID),
                                     .forbidden, code: "console.unknown_identity")

            // A challenge is used once, and only on its chain.
            let challenge = try await client.execute(uri: "/v1/console/challenge", method: .post) { response in
                try APITests.decode(ConsoleChallengeResponse.self, response)
            }
            func answer(chain: String) async throws -> TestResponse {
                let signature = try fixture.adminKey.signature(for: [UInt8]("CivicLedger/console-sign-in/v1".utf8)
                    + Array(chain.utf8) + [0] + Array(challenge.challenge.utf8))
                return try await client.execute(uri: "/v1/console/session", method: .post, headers: APITests.json, body: Self.json([
                    "public_key": Hex.encode(fixture.adminKey.publicKey.rawRepresentation), "challenge": challenge.challenge,
                    "signature": Hex.encode(signature.rawRepresentation)]))
            }
            try APITests.expectError(try await answer(chain: "another-chain"), .unauthorized, code: "console.bad_signature")
            try APITests.expectError(try await answer(chain: chainID), .unauthorized, code: "console.unknown_challenge")

            // Malformed answers are typed errors.
            try await client.execute(uri: "/v1/console/session", method: .post, headers: APITests.json,
                                     body: Self.json(["public_key": "00", "challenge": "x", "signature": "00"])) { response in
                try APITests.expectError(response, .badRequest, code: "console.invalid_key")
            }
            try await client.execute(uri: "/v1/console/session", method: .post, headers: APITests.json,
                                     body: ByteBuffer(string: "not json")) { response in
                try APITests.expectError(response, .badRequest, code: "request.invalid_json")
            }

            // Idle sessions end; sign-out ends one at once.
            fixture.clock.advance(byMilliseconds: 31 * 60 * 1000)
            try await client.execute(uri: "/v1/console/session", method: .get, headers: Self.bearer(token)) { response in
                try APITests.expectError(response, .unauthorized, code: "console.not_signed_in")
            }
            let again = try APITests.decode(ConsoleSessionResponse.self, try await Self.signIn(client, key: fixture.memberKey, chainID: chainID))
            let second = try #require(again.token)
            try await client.execute(uri: "/v1/console/session", method: .delete, headers: Self.bearer(second)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/console/session", method: .get, headers: Self.bearer(second)) { response in
                try APITests.expectError(response, .unauthorized, code: "console.not_signed_in")
            }
        }
    }

    @Test("Prepared transactions are the signed-in person's, sign as prepared, and commit; bad actions are typed errors",
          arguments: APITests.suites)
    func prepare(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let node = try fixture.makeNode()
        let app = Application(router: CivicAPI.router(node: node, metrics: nil))
        let fingerprint = Fixture.randomHash()
        try commit([try fixture.evidence(by: fixture.adminKey)], on: node)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/console/prepare", method: .post, headers: APITests.json,
                                     body: Self.json(["action": "evidence.put", "arguments": [:]])) { response in
                try APITests.expectError(response, .unauthorized, code: "console.not_signed_in")
            }
            let session = try APITests.decode(ConsoleSessionResponse.self,
                                              try await Self.signIn(client, key: fixture.memberKey, chainID: node.genesis.chainID))
            let headers = Self.bearer(try #require(session.token))
            let prepared = try await client.execute(uri: "/v1/console/prepare", method: .post, headers: headers, body: Self.json([
                "action": "evidence.put", "arguments": ["fingerprint": fingerprint.hex, "label": "contract scan"]])) { response in
                try APITests.decode(ConsolePreparedResponse.self, response)
            }
            #expect(prepared.action == "evidence.put" && prepared.transactions.count == 1)
            let item = try #require(prepared.transactions.first)
            #expect(item.contract == "evidence" && item.method == "put")
            #expect(item.description?["fingerprint"] == fingerprint.hex && item.description?["label"] == "contract scan")
            let bodyBytes = try #require(Data(base64Encoded: item.body)).map { $0 }
            let signBytes = try #require(Data(base64Encoded: item.signBytes)).map { $0 }
            #expect(signBytes == Transaction.domain + bodyBytes)
            #expect(item.hash == suite.hash(signBytes).hex)
            let body = try TransactionBody(canonicalBytes: bodyBytes)
            #expect(body.signer == fixture.memberKey.publicKey && body.chainID == node.genesis.chainID)
            #expect(body.expiresAt.milliseconds == fixture.clock.now().milliseconds + 600_000)

            // The page appends its signature to the body: that is the transaction the chain accepts.
            let signature = try fixture.memberKey.signature(for: signBytes)
            let transaction = try Transaction(canonicalBytes: bodyBytes + signature.rawRepresentation)
            #expect(transaction.hash(suite: suite).hex == item.hash)
            let receipts = try commit([transaction], on: node)
            #expect(receipts.first?.status == .success)

            // Staff see in words what they are about to sign, for the services' and governance's calls too.
            let described: [([String: Any], [String: String])] = [
                (["action": "governance.vote", "arguments": ["proposal": 7, "approve": false]], ["proposal": "7", "approve": "false"]),
                (["action": "catalog.decide", "arguments": ["request": 3, "decision": "approve", "note": "ok"]],
                 ["request": "3", "note": "ok"]),
                (["action": "catalog.request", "arguments": ["resource": "r", "fields": ["a", "b"], "purpose": "p",
                                                             "service_item": "s", "days": 30]],
                 ["resource": "r", "fields": "a,b", "purpose": "p", "service_item": "s", "days": "30"]),
            ]
            for (request, words) in described {
                let answer = try await client.execute(uri: "/v1/console/prepare", method: .post, headers: headers,
                                                      body: Self.json(request)) { response in
                    try APITests.decode(ConsolePreparedResponse.self, response)
                }
                #expect(answer.transactions.first?.description == words, "\(request)")
            }

            let refusals: [([String: Any], String)] = [
                (["action": "evidence.burn", "arguments": [:]], "console.unknown_action"),
                (["action": "evidence.put", "arguments": ["fingerprint": "12"]], "console.invalid_arguments"),
                (["action": "governance.vote", "arguments": ["proposal": 1, "approve": 1]], "console.invalid_arguments"),
                (["action": "governance.vote", "arguments": ["proposal": -1, "approve": true]], "console.invalid_arguments"),
                (["action": "catalog.request", "arguments": ["resource": "r", "purpose": "p", "service_item": "s", "days": 400]],
                 "console.invalid_arguments"),
                (["action": "governance.propose", "arguments": ["change": ["kind": "seize_power"]]], "console.invalid_arguments"),
                (["arguments": [:]], "console.invalid_arguments"),
            ]
            for (request, code) in refusals {
                try await client.execute(uri: "/v1/console/prepare", method: .post, headers: headers, body: Self.json(request)) { response in
                    try APITests.expectError(response, .badRequest, code: code)
                }
            }
        }
    }
}
