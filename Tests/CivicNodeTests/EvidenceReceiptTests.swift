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
import HummingbirdTesting
import Hummingbird
import Prometheus
import Testing

/// Evidence batches on a node in process: receipts verify offline with the genesis file alone and fail when the
/// file, the path, the root or the proof is tampered with; the node's RFC 3161 tokens pass `openssl ts -verify`.
@Suite struct EvidenceReceiptTests {
    /// A node with one committed batch of `documents`, and a receipt per document.
    struct Recorded {
        let fixture: Fixture
        let node: Node
        let documents: [[UInt8]]
        let items: [EvidenceContract.Put]
        let receipts: [EvidenceReceiptFile]
        let transaction: Transaction

        init(suite: CryptoSuite, count: Int = 5) throws {
            fixture = Fixture(suite: suite)
            node = try fixture.makeNode()
            // Something before, so the batch is not the first transaction of the first block.
            try commit([try fixture.evidence(by: fixture.clientKey)], on: node)
            let algorithm: FingerprintAlgorithm = suite == .sm ? .sm3 : .sha256
            documents = (0..<count).map { Array("court document \($0) of case (2026) Su 01 Min Chu 123\n".utf8) }
            items = documents.enumerated().map { index, document in
                EvidenceContract.Put(algorithm: algorithm, fingerprint: algorithm.suite.hash(document), label: "exhibit \(index)")
            }
            transaction = try fixture.sign(TransactionBuilder.evidencePutBatch(items), by: fixture.memberKey)
            let other = try fixture.evidence(by: fixture.clientKey)
            let committed = try commit([other, transaction], on: node)
            #expect(committed.map(\.status) == [.success, .success])
            let proof = ProofFile.transaction(try node.reader.transactionProof(transaction.hash(suite: suite))).canonicalBytes
            let levels = EvidenceBatch.levels(of: items, suite: suite)
            let transactionHash = transaction.hash(suite: suite)
            self.receipts = items.enumerated().map { index, item in
                EvidenceReceiptFile(chainID: "civic-test", fileName: "exhibit-\(index).txt", item: item,
                                    position: EvidenceBatchPosition(root: levels.root, index: UInt32(index), count: UInt32(count)),
                                    path: levels.auditPath(index: UInt64(index)),
                                    transactionHash: transactionHash, proof: proof)
            }
        }

        /// Verifies `receipt` (default: receipt `index`) for `document` (default: document `index`).
        func verify(_ index: Int, document: [UInt8]? = nil, receipt: EvidenceReceiptFile? = nil,
                    genesis: Genesis? = nil) throws(EvidenceRefusal) -> EvidenceReport {
            try EvidenceVerifier.verify(document: document ?? documents[index], receipt: (receipt ?? receipts[index]).jsonBytes,
                                        genesis: genesis ?? fixture.genesis)
        }

        /// The refusal code of `verify`, or `nil` if it passed.
        func code(_ index: Int, document: [UInt8]? = nil, receipt: EvidenceReceiptFile? = nil, genesis: Genesis? = nil) -> String? {
            do {
                _ = try verify(index, document: document, receipt: receipt, genesis: genesis)
                return nil
            } catch {
                return error.code
            }
        }
    }

    @Test(arguments: [CryptoSuite.sm, .intl])
    func everyReceiptVerifiesOfflineAndSaysWhenAndByWhom(suite: CryptoSuite) throws {
        let recorded = try Recorded(suite: suite)
        let location = try #require(try recorded.node.reader.location(of: recorded.transaction.hash(suite: suite)))
        for index in recorded.items.indices {
            let report = try recorded.verify(index)
            #expect(report.item == recorded.items[index])
            #expect(report.batch?.index == UInt32(index) && report.batch?.count == UInt32(recorded.items.count))
            #expect(report.submitter == Address(publicKey: recorded.fixture.memberKey.publicKey))
            #expect(report.organization == "civil-affairs")
            #expect(report.transactionHash == recorded.transaction.hash(suite: suite))
            #expect(report.proof.height == location.height.rawValue)
            #expect(report.proof.signedBy == ["validator-1"])
            let record = try EvidenceRecord(canonicalBytes: try #require(try recorded.node.reader.stateProof(
                key: EvidenceRecord.stateKey(algorithm: recorded.items[index].algorithm, fingerprint: recorded.items[index].fingerprint),
                snapshot: recorded.node.snapshot).value))
            #expect(report.proof.blockTimeMs == record.time.milliseconds)
            #expect(record.batch == report.batch)
        }
        // A receipt survives its JSON round trip byte for byte.
        let json = recorded.receipts[0].jsonBytes
        #expect(try EvidenceReceiptFile.decode(json) == recorded.receipts[0])
    }

    @Test(arguments: [CryptoSuite.sm, .intl])
    func tamperedFilesPathsRootsAndProofsAreRefused(suite: CryptoSuite) throws {
        let recorded = try Recorded(suite: suite)
        var document = recorded.documents[2]
        document[3] ^= 1
        #expect(recorded.code(2, document: document) == "evidence.fingerprint_mismatch")
        // Another document of the same batch with this receipt.
        #expect(recorded.code(2, document: recorded.documents[1]) == "evidence.fingerprint_mismatch")

        var path = recorded.receipts[2]
        path.batch!.path[0] = String(repeating: "0", count: 64)
        #expect(recorded.code(2, receipt: path) == "evidence.path_invalid")
        var shorter = recorded.receipts[2]
        shorter.batch!.path.removeLast()
        #expect(recorded.code(2, receipt: shorter) == "evidence.path_invalid")
        var index = recorded.receipts[2]
        index.batch!.index = 3
        #expect(recorded.code(2, receipt: index) == "evidence.path_invalid")
        var label = recorded.receipts[2]
        label.item.label = "exhibit 9"
        #expect(recorded.code(2, receipt: label) == "evidence.path_invalid")

        var root = recorded.receipts[2]
        root.batch!.root = suite.hash(Array("another root".utf8)).hex
        #expect(recorded.code(2, receipt: root) == "evidence.root_not_in_receipt")
        var count = recorded.receipts[2]
        count.batch!.count = 8
        #expect(recorded.code(2, receipt: count) == "evidence.root_not_in_receipt")
        // Another transaction's (valid) proof does not name this root.
        let other = try recorded.node.reader.transactionProof(
            try #require(try recorded.node.reader.block(at: Height(1)).block.transactions.first).hash(suite: suite))
        var foreign = recorded.receipts[2]
        foreign.proof = Data(ProofFile.transaction(other).canonicalBytes).base64EncodedString()
        #expect(recorded.code(2, receipt: foreign) == "evidence.root_not_in_receipt")

        let proof = try #require(Data(base64Encoded: recorded.receipts[2].proof))
        var codes: Set<String> = []
        for offset in stride(from: 0, to: proof.count, by: max(1, proof.count / 97)) {
            var flipped = Array(proof)
            flipped[offset] ^= 0x20
            var receipt = recorded.receipts[2]
            receipt.proof = Data(flipped).base64EncodedString()
            let code = try #require(recorded.code(2, receipt: receipt), "a proof flipped at byte \(offset) was accepted")
            codes.insert(code)
        }
        #expect(codes.allSatisfy { $0.hasPrefix("proof.") || $0.hasPrefix("certificate.") || $0.hasPrefix("evidence.") })
        #expect(codes.contains { $0.hasPrefix("proof.") })

        // The genesis of another chain, and a malformed receipt.
        let elsewhere = Fixture(suite: suite).genesis
        #expect(recorded.code(2, genesis: elsewhere)?.hasPrefix("proof.") == true)
        #expect(throws: EvidenceRefusal.self) {
            try EvidenceVerifier.verify(document: recorded.documents[0], receipt: Array("{}".utf8), genesis: recorded.fixture.genesis)
        }
    }

    @Test(arguments: [CryptoSuite.sm, .intl])
    func lookupShowsTheBatchAndTheTokenPassesOpenSSL(suite: CryptoSuite) async throws {
        let recorded = try Recorded(suite: suite)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-evidence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // openssl checks the chain at the wall clock; our verifier at genTime (the fixture's 2025 block time).
        let validity = ValidityWindow(starting: Timestamp(milliseconds: Fixture.start.milliseconds - 86_400_000), days: 3_650)
        let authority = try OrganizationCA.create(organization: "Intermediate People's Court", suite: suite, validity: validity)
        let key = PrivateKey.generate(suite: suite)
        let certificate = try authority.issueTimeStampingCertificate(name: "validator-1 time-stamping", publicKey: key.publicKey,
                                                                     chainID: "civic-test", validity: validity)
        let tsa = try TimeStampAuthority(certificate: certificate, privateKey: key, policy: "2.25.1")
        try Data(authority.certificate.pemRepresentation.utf8).write(to: directory.appendingPathComponent("ca.pem"))
        try Data(certificate.pemRepresentation.utf8).write(to: directory.appendingPathComponent("tsa.pem"))

        let app = Application(router: CivicAPI.router(node: recorded.node, metrics: PrometheusCollectorRegistry(), timeStamps: tsa))
        let plain = Application(router: CivicAPI.router(node: recorded.node, metrics: PrometheusCollectorRegistry()))
        let item = recorded.items[3]
        let path = "/v1/evidence/\(item.algorithm.name)/\(item.fingerprint.hex)"
        let record = try EvidenceRecord(canonicalBytes: try #require(try recorded.node.reader.stateProof(
            key: EvidenceRecord.stateKey(algorithm: item.algorithm, fingerprint: item.fingerprint), snapshot: recorded.node.snapshot).value))
        let location = try #require(try recorded.node.reader.location(of: record.transactionHash))
        let tokens = try await app.test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                let state = try APITests.decode(StateResponse.self, response)
                #expect(state.decoded?["batch_root"] == recorded.receipts[3].batch?.root)
                #expect(state.decoded?["batch_index"] == "3")
                #expect(state.decoded?["batch_count"] == String(recorded.items.count))
            }
            var tokens: [[UInt8]] = []
            for _ in 0..<2 {
                tokens.append(try await client.execute(uri: path + "/timestamp", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/timestamp-reply")
                    return Array(response.body.readableBytesView)
                })
            }
            let unknown = "/v1/evidence/\(item.algorithm.name)/\(suite.hash(Array("never recorded".utf8)).hex)/timestamp"
            try await client.execute(uri: unknown, method: .get) { response in
                try APITests.expectError(response, .notFound, code: "evidence.not_found")
            }
            let otherAlgorithm = suite == .sm ? "sha256" : "sm3"
            try await client.execute(uri: "/v1/evidence/\(otherAlgorithm)/\(item.fingerprint.hex)/timestamp", method: .get) { response in
                try APITests.expectError(response, .unprocessableContent, code: "evidence.timestamp_algorithm")
            }
            return tokens
        }
        try await plain.test(.router) { client in
            try await client.execute(uri: path + "/timestamp", method: .get) { response in
                try APITests.expectError(response, .notImplemented, code: "evidence.timestamp_unavailable")
            }
        }
        // Two tokens of one fingerprint differ only in their randomized signatures; both verify.
        #expect(tokens.count == 2)
        for (number, token) in tokens.enumerated() {
            try Data(token).write(to: directory.appendingPathComponent("token\(number).tsr"))
            let verified = try Self.openssl(["ts", "-verify", "-digest", item.fingerprint.hex, "-in", "token\(number).tsr",
                                             "-CAfile", "ca.pem", "-untrusted", "tsa.pem"], in: directory)
            #expect(verified.status == 0 && verified.output.contains("Verification: OK"), "\(verified.output)")
            try Self.openssl(["ts", "-reply", "-in", "token\(number).tsr", "-token_out", "-out", "token\(number).tst"], in: directory)
            let info = try TimeStampAuthority.verify(
                token: Array(try Data(contentsOf: directory.appendingPathComponent("token\(number).tst"))),
                digest: item.fingerprint.bytes, trustedCA: authority.certificate)
            #expect(info.genTime == record.time)
            #expect(info.serialNumber == EvidenceBatch.timeStampSerialNumber(height: record.height, transactionIndex: location.index,
                                                                                  itemIndex: 3))
        }
        // Another digest fails.
        let wrong = try Self.openssl(["ts", "-verify", "-digest", recorded.items[2].fingerprint.hex, "-in", "token0.tsr",
                                      "-CAfile", "ca.pem", "-untrusted", "tsa.pem"], in: directory)
        #expect(wrong.status != 0 && !wrong.output.contains("Verification: OK"))
    }

    /// Runs `/usr/bin/openssl` in `directory`.
    @discardableResult
    static func openssl(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
