@testable import CivicCLI
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation
import Testing

/// `civic evidence put | verify | timestamp` with real processes: one node (no devnet), receipts checked offline
/// with the genesis file alone, a duplicate refused with nothing written, and the token checked by `openssl`.
@Suite struct EvidenceCommandTests {
    @Test(arguments: ["sm", "intl"])
    func putVerifyTimeStamp(suite: String) async throws {
        let directory = try CivicProcess.temporaryDirectory("evidence-\(suite)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chainSuite = try #require(CryptoSuite(name: suite))
        for name in ["validator", "clerk"] {
            try CivicProcess.civic(["keygen", "--suite", suite, "--out", "\(name).pem"], in: directory)
        }
        try CivicProcess.civic(["genesis", "--chain-id", "court-chain", "--suite", suite,
                                "--validator", "validator-1:Intermediate People's Court:validator.pem",
                                "--admin", "clerk:Intermediate People's Court:clerk.pem", "--block-interval-ms", "50"],
                               in: directory)
        // The validator's time-stamping certificate, from its organization's CA.
        let validity = ValidityWindow(starting: Timestamp(milliseconds: UInt64(Date().timeIntervalSince1970 * 1000) - 86_400_000),
                                      days: 30)
        let authority = try OrganizationCA.create(organization: "Intermediate People's Court", suite: chainSuite, validity: validity)
        let tsaKey = PrivateKey.generate(suite: chainSuite)
        let tsa = try authority.issueTimeStampingCertificate(name: "validator-1 time-stamping", publicKey: tsaKey.publicKey,
                                                             chainID: "court-chain", validity: validity)
        try CLI.write(Array(authority.certificate.pemRepresentation.utf8), to: directory + "/ca.pem")
        try CLI.write(Array(tsa.pemRepresentation.utf8), to: directory + "/tsa.pem")
        try CLI.writePrivate(tsaKey.pemRepresentation, to: directory + "/tsa.key")
        let documents = ["judgment.txt": "Judgment of case (2026) Su 01 Min Chu 123\n", "exhibit-1.txt": "Lease contract\n",
                         "exhibit-2.txt": "Bank statement, March\n"]
        for (name, text) in documents { try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name)) }

        let node = NodeProcess(directory: directory, port: try freePort(),
                               extraArguments: ["--tsa-cert", "tsa.pem", "--tsa-key", "tsa.key"])
        try await node.start()
        defer { node.stop() }
        let url = ["--node", node.url]

        let put = try CivicProcess.civic(["evidence", "put", "judgment.txt", "exhibit-1.txt", "exhibit-2.txt", "--label",
                                          "(2026) Su 01 Min Chu 123", "--key", "clerk.pem"] + url, in: directory)
        #expect(put.contains("status:      committed"))
        #expect(put.contains("event:       evidence.batch_recorded"))
        #expect(put.contains("receipt:     exhibit-2.txt.evidence.json"))
        #expect(put.contains("(3 items)"))

        // Offline, with the genesis file alone (the node could be gone).
        let verified = try CivicProcess.civic(["evidence", "verify", "exhibit-1.txt", "--genesis", "genesis.json"], in: directory)
        #expect(verified.contains("VALID: exhibit-1.txt was recorded"))
        #expect(verified.contains("of Intermediate People's Court"))
        #expect(verified.contains("batch:       item 1 of 3"))
        #expect(verified.contains("certified:   by validator-1"))
        let json = try CivicProcess.civic(["evidence", "verify", "judgment.txt", "--json"], in: directory)
        #expect(json.contains("\"label\" : \"(2026) Su 01 Min Chu 123\""))

        // Another file with this receipt; a tampered path; a damaged receipt.
        let mismatch = try CivicProcess.civic(["evidence", "verify", "judgment.txt", "--receipt", "exhibit-1.txt.evidence.json"],
                                              in: directory, expect: 3)
        #expect(mismatch.contains("INVALID") && mismatch.contains("[evidence.fingerprint_mismatch]"))
        var receipt = try EvidenceReceiptFile.decode(try CLI.readBytes(directory + "/exhibit-2.txt.evidence.json"))
        receipt.batch?.path[0] = String(repeating: "1", count: 64)
        try CLI.write(receipt.jsonBytes, to: directory + "/tampered.json")
        let path = try CivicProcess.civic(["evidence", "verify", "exhibit-2.txt", "--receipt", "tampered.json"], in: directory,
                                          expect: 3)
        #expect(path.contains("[evidence.path_invalid]"))

        // A duplicate, alone or inside a batch of new files, is refused with its own code and writes nothing.
        let again = try CivicProcess.civic(["evidence", "put", "exhibit-1.txt", "--key", "clerk.pem"] + url, in: directory,
                                           expect: 4)
        #expect(again.contains("evidence.duplicate"))
        try Data("New exhibit\n".utf8).write(to: URL(fileURLWithPath: directory + "/exhibit-3.txt"))
        let mixed = try CivicProcess.civic(["evidence", "put", "exhibit-3.txt", "judgment.txt", "--key", "clerk.pem",
                                            "--out-dir", "mixed"] + url, in: directory, expect: 4)
        #expect(mixed.contains("evidence.duplicate") && mixed.contains("Item 1"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/mixed/exhibit-3.txt.evidence.json"))
        let absent = try CivicProcess.civic(["evidence", "verify", "exhibit-3.txt"] + url, in: directory, expect: 3)
        #expect(absent.contains("[evidence.not_found]"))
        let online = try CivicProcess.civic(["evidence", "verify", "judgment.txt"] + url, in: directory)
        #expect(online.contains("RECORDED: judgment.txt") && online.contains("batch:       item 0 of 3"))

        // The RFC 3161 token, checked by openssl against the organization's CA.
        let stamped = try CivicProcess.civic(["evidence", "timestamp", "exhibit-2.txt", "--out", "exhibit-2.tsr"] + url,
                                             in: directory)
        #expect(stamped.contains("token:       exhibit-2.tsr"))
        let digest = chainSuite.hash(Array(documents["exhibit-2.txt"]!.utf8)).hex
        let openssl = try CivicProcess.openssl(["ts", "-verify", "-digest", digest, "-in", "exhibit-2.tsr", "-CAfile", "ca.pem",
                                                "-untrusted", "tsa.pem"], in: directory)
        #expect(openssl.contains("Verification: OK"))
    }
}
