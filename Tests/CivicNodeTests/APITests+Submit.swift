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
import Prometheus
import Synchronization
import Testing

/// Submitting transactions over HTTP: single, waiting, batched, and refused.
extension APITests {
    @Test("POST /v1/transactions?wait=true answers with the committed receipt while run() produces blocks", arguments: suites)
    func submitAndWait(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let transaction = try fixture.evidence(by: fixture.memberKey)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.run() }
            try await app.test(.router) { client in
                try await client.execute(uri: "/v1/transactions?wait=true&timeout_ms=20000", method: .post,
                                         headers: Self.octetStream, body: ByteBuffer(bytes: transaction.canonicalBytes)) { response in
                    #expect(response.status == .ok)
                    let body = try Self.decode(SubmitResponse.self, response)
                    #expect(body.status == "committed")
                    #expect(body.hash == transaction.hash(suite: suite).hex)
                    #expect(body.height == 1)
                    #expect(body.index == 0)
                    #expect(body.receipt?.transactionHash == transaction.hash(suite: suite).hex)
                }
            }
            group.cancelAll()
        }
    }

    @Test("wait=true reports a transaction dropped on expiry with 410")
    func submitAndWaitDropped() async throws {
        let fixture = Fixture(suite: .intl)
        let (app, node) = try makeApp(fixture)
        let expiresAt = Timestamp(milliseconds: fixture.clock.now().milliseconds + 1_000)
        let transaction = try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [2]), by: fixture.memberKey,
                                           expiresAt: expiresAt)
        let hash = transaction.hash(suite: .intl)
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await client.execute(uri: "/v1/transactions?wait=true", method: .post, headers: Self.octetStream,
                                             body: ByteBuffer(bytes: transaction.canonicalBytes)) { response in
                        #expect(response.status == .gone)
                        let body = try Self.decode(SubmitResponse.self, response)
                        #expect(body.status == "dropped")
                        #expect(body.error?.code == "transaction.expired")
                    }
                }
                while node.shared.withLock({ $0.waiters[hash] == nil }) { try await Task.sleep(for: .milliseconds(1)) }
                fixture.clock.advance(byMilliseconds: 1_000)
                try node.produceBlock()
                try await group.waitForAll()
            }
        }
    }

    @Test("Refused submissions map to statuses and stable codes")
    func submissionErrors() async throws {
        let fixture = Fixture(suite: .sm)
        let (app, node) = try makeApp(fixture)
        let committed = try fixture.evidence(by: fixture.memberKey)
        try commit([committed], on: node)
        let pending = try fixture.evidence(by: fixture.memberKey)
        try node.submit(pending.canonicalBytes)
        var badSignature = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        badSignature[badSignature.count - 1] ^= 0x01
        let cases: [(String, [UInt8], HTTPResponse.Status, String)] = [
            ("malformed", [1, 2, 3], .badRequest, "transaction.malformed"),
            ("bad signature", badSignature, .badRequest, "transaction.bad_signature"),
            ("wrong chain", try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [1]), by: fixture.memberKey,
                                             chainID: "elsewhere").canonicalBytes, .badRequest, "transaction.wrong_chain"),
            ("wrong suite", try fixture.evidence(by: PrivateKey.generate(suite: .intl)).canonicalBytes, .badRequest,
             "transaction.wrong_suite"),
            ("expired", try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [1]), by: fixture.memberKey,
                                         expiresAt: Fixture.start).canonicalBytes, .badRequest, "transaction.expired"),
            ("replay", committed.canonicalBytes, .conflict, "transaction.replay"),
            ("duplicate", pending.canonicalBytes, .conflict, "transaction.duplicate"),
            ("unknown contract", try fixture.sign(ContractCall(contract: "nope", method: "x", arguments: []),
                                                  by: fixture.memberKey).canonicalBytes, .unprocessableContent, "contract.unknown"),
            ("auditor", try fixture.evidence(by: fixture.auditorKey).canonicalBytes, .forbidden, "permission.denied"),
            ("outsider", try fixture.evidence(by: fixture.outsiderKey).canonicalBytes, .forbidden, "identity.unknown_caller"),
            ("too large", [UInt8](repeating: 0, count: Limits.transactionBytesMax + 1), .contentTooLarge, "transaction.too_large"),
        ]
        try await app.test(.router) { client in
            for (name, bytes, status, code) in cases {
                try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                         body: ByteBuffer(bytes: bytes)) { response in
                    #expect(response.status == status, "\(name)")
                    try Self.expectError(response, status, code: code)
                }
            }
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.json,
                                     body: ByteBuffer(string: "{not json")) { response in
                try Self.expectError(response, .badRequest, code: "request.invalid_json")
            }
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.json,
                                     body: ByteBuffer(string: #"{"transaction": "***"}"#)) { response in
                try Self.expectError(response, .badRequest, code: "request.invalid_base64")
            }
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: [UInt8](repeating: 0, count: CivicAPI.submitBodyBytesMax + 1))) { response in
                try Self.expectError(response, .contentTooLarge, code: "request.too_large")
            }
        }
        #expect(node.pendingCount == 1)
        #expect(node.snapshot.head.height == Height(1))
    }

    @Test("Contract refusals map to 403, 409 and 422; a full mempool to 503; a short wait to 202 timed_out")
    func moreSubmissionStatuses() async throws {
        let fixture = Fixture(suite: .intl)
        let node = try fixture.makeNode(mempoolCapacity: 1)
        let app = Application(router: CivicAPI.router(node: node, metrics: nil))
        let fingerprint = Fixture.randomHash()
        try commit([try fixture.evidence(by: fixture.memberKey, fingerprint: fingerprint)], on: node)
        let cases: [(String, ContractCall, PrivateKey, HTTPResponse.Status, String)] = [
            ("duplicate evidence", TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: .sha256, label: "again"),
             fixture.clientKey, .conflict, "evidence.duplicate"),
            ("identity exists", TransactionBuilder.registerIdentity(fixture.memberKey.publicKey, name: "m", organization: "o",
                                                                    role: .member), fixture.adminKey, .conflict, "identity.exists"),
            ("unknown method", ContractCall(contract: "kv", method: "nope", arguments: []), fixture.memberKey,
             .unprocessableContent, "contract.unknown_method"),
            ("invalid arguments", ContractCall(contract: "kv", method: "put", arguments: [0xff]), fixture.memberKey,
             .unprocessableContent, "contract.invalid_arguments"),
            ("expiry too far", TransactionBuilder.keyValuePut(key: [1], value: [1]), fixture.memberKey, .badRequest,
             "transaction.expiry_too_far"),
        ]
        try await app.test(.router) { client in
            for (name, call, key, status, code) in cases {
                let expiresAt = code == "transaction.expiry_too_far"
                    ? Timestamp(milliseconds: fixture.clock.now().milliseconds + Limits.transactionLifetimeMillisecondsMax + 1) : nil
                let transaction = try fixture.sign(call, by: key, expiresAt: expiresAt)
                try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                         body: ByteBuffer(bytes: transaction.canonicalBytes)) { response in
                    #expect(response.status == status, "\(name)")
                    try Self.expectError(response, status, code: code)
                }
            }
            let first = try fixture.evidence(by: fixture.memberKey)
            try await client.execute(uri: "/v1/transactions?wait=true&timeout_ms=20", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: first.canonicalBytes)) { response in
                #expect(response.status == .accepted)
                let body = try Self.decode(SubmitResponse.self, response)
                #expect(body == SubmitResponse(hash: first.hash(suite: .intl).hex, status: "timed_out"))
            }
            try await client.execute(uri: "/v1/transactions", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: try fixture.evidence(by: fixture.memberKey).canonicalBytes)) { response in
                try Self.expectError(response, .serviceUnavailable, code: "mempool.full")
            }
        }
        #expect(node.pendingCount == 1)
    }

    @Test("POST /v1/transactions/batch admits or refuses each transaction on its own")
    func batch() async throws {
        let suite = CryptoSuite.intl
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let good = try (0..<3).map { _ in try fixture.evidence(by: fixture.memberKey) }
        var encoder = CanonicalEncoder()
        encoder.encode(bytes: good[0].canonicalBytes)
        encoder.encode(bytes: try fixture.evidence(by: fixture.auditorKey).canonicalBytes)
        encoder.encode(bytes: good[1].canonicalBytes)
        encoder.encode(bytes: good[1].canonicalBytes)
        encoder.encode(bytes: good[2].canonicalBytes)
        let batchBytes = encoder.bytes
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/transactions/batch", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: batchBytes)) { response in
                #expect(response.status == .ok)
                let body = try Self.decode(BatchSubmitResponse.self, response)
                #expect(body.accepted == 3 && body.refused == 2)
                #expect(body.results.map(\.hash) == [good[0].hash(suite: suite).hex, nil, good[1].hash(suite: suite).hex, nil,
                                                     good[2].hash(suite: suite).hex])
                #expect(body.results.map { $0.error?.code } == [nil, "permission.denied", nil, "transaction.duplicate", nil])
            }
            // More entries than a batch may hold (each an empty, hence malformed, transaction).
            try await client.execute(uri: "/v1/transactions/batch", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: [UInt8](repeating: 0, count: CivicAPI.batchTransactionsMax + 1))) { response in
                try Self.expectError(response, .contentTooLarge, code: "batch.too_many")
            }
            // A length prefix that runs past the end of the body.
            try await client.execute(uri: "/v1/transactions/batch", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: [0x05, 1, 2])) { response in
                try Self.expectError(response, .badRequest, code: "batch.malformed")
            }
        }
        #expect(node.pendingCount == 3)
    }

    @Test("A refused batch admits none of its transactions")
    func refusedBatchAdmitsNothing() async throws {
        let fixture = Fixture(suite: .intl)
        let (app, node) = try makeApp(fixture)
        let valid = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        var malformed = CanonicalEncoder()
        malformed.encode(bytes: valid)
        let malformedBody = malformed.bytes + [0x05, 1, 2]
        var tooMany = CanonicalEncoder()
        tooMany.encode(bytes: try fixture.evidence(by: fixture.memberKey).canonicalBytes)
        let tooManyBody = tooMany.bytes + [UInt8](repeating: 0, count: CivicAPI.batchTransactionsMax)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/transactions/batch", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: malformedBody)) { response in
                try Self.expectError(response, .badRequest, code: "batch.malformed")
            }
            try await client.execute(uri: "/v1/transactions/batch", method: .post, headers: Self.octetStream,
                                     body: ByteBuffer(bytes: tooManyBody)) { response in
                try Self.expectError(response, .contentTooLarge, code: "batch.too_many")
            }
        }
        // The client was told the batch was refused: none of it may wait for a block.
        #expect(node.pendingCount == 0)
    }
}
