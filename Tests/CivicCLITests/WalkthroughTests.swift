import CivicClient
import Foundation
import Testing

/// The README's five-minute walk-through, with real processes: keys from `openssl` and `civic`,
/// a genesis, a node, an identity, evidence for a file, and an offline check of its receipt.
@Suite("README walk-through with real processes")
struct WalkthroughTests {
    @Test("openssl SM2 key signs evidence the node accepts; the receipt verifies offline; any flipped byte fails",
          arguments: ["sm", "intl"])
    func walkthrough(suite: String) async throws {
        let directory = try CivicProcess.temporaryDirectory("walkthrough-\(suite)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let opensslKey = suite == "sm" ? ["-algorithm", "SM2"] : ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        try CivicProcess.openssl(["genpkey"] + opensslKey + ["-out", "validator.pem"], in: directory)
        try CivicProcess.openssl(["genpkey"] + opensslKey + ["-out", "clerk.pem"], in: directory)
        try CivicProcess.civic(["keygen", "--suite", suite, "--out", "admin.pem"], in: directory)
        // A key civic wrote is a PKCS#8 key openssl reads.
        let text = try CivicProcess.openssl(["pkey", "-in", "admin.pem", "-noout", "-text"], in: directory)
        #expect(text.contains(suite == "sm" ? "SM2" : "P-256") || text.contains("prime256v1"))
        try CivicProcess.civic(["genesis", "--chain-id", "walkthrough", "--suite", suite,
                                "--validator", "validator-1:Big Data Bureau:validator.pem",
                                "--admin", "admin:Big Data Bureau:admin.pem", "--block-interval-ms", "50"], in: directory)
        let node = NodeProcess(directory: directory, port: try freePort())
        try await node.start()
        defer { node.stop() }
        let url = ["--node", node.url]
        try CivicProcess.civic(["tx", "identity-register", "--key", "admin.pem", "--public-key", "clerk.pem",
                                "--name", "court-clerk", "--organization", "Court", "--role", "client"] + url, in: directory)
        try Data("Lease contract, case 2026-123\n".utf8).write(to: URL(fileURLWithPath: directory + "/contract.txt"))
        let put = try CivicProcess.civic(["tx", "evidence-put", "contract.txt", "--key", "clerk.pem", "--label", "case 2026-123",
                                          "--proof-directory", "proofs"] + url, in: directory)
        #expect(put.contains("status:      committed"))
        let verified = try CivicProcess.civic(["verify", "proofs/contract.txt.civicproof", "--genesis", "genesis.json"], in: directory)
        #expect(verified.contains("VALID"))
        #expect(verified.contains("validator-set transitions checked: 0"))
        // Recording the same document again is refused with its own code (exit 4: refused by the node).
        let again = try CivicProcess.civic(["tx", "evidence-put", "contract.txt", "--key", "clerk.pem"] + url, in: directory, expect: 4)
        #expect(again.contains("evidence.duplicate"))
        let query = try CivicProcess.civic(["query", "evidence", "contract.txt", "--proof-out", "state.civicproof"] + url, in: directory)
        #expect(query.contains("present:    true"))
        try CivicProcess.civic(["verify", "state.civicproof", "--genesis", "genesis.json"], in: directory)
        // No validator has equivocated: the accountability record is empty, for all and for validator #0.
        for filter in [[], ["--validator", "0"]] {
            let misbehavior = try CivicProcess.civic(["query", "misbehavior"] + filter + url, in: directory)
            #expect(misbehavior.contains("records: 0"))
        }

        // Flip every byte of the receipt proof in turn: each copy must fail verification (exit 3).
        let proof = try Data(contentsOf: URL(fileURLWithPath: directory + "/proofs/contract.txt.civicproof"))
        var rejected = 0
        let positions = Array(stride(from: 0, to: proof.count, by: max(1, proof.count / 97)))
        for position in positions {
            var flipped = proof
            flipped[position] ^= 0x20
            try flipped.write(to: URL(fileURLWithPath: directory + "/flipped.civicproof"))
            let result = try CivicProcess.run(CivicProcess.binary, ["verify", "flipped.civicproof", "--genesis", "genesis.json"],
                                              in: directory)
            if result.status == 3 { rejected += 1 }
        }
        #expect(rejected == positions.count, "every flipped copy must be rejected")
    }

    @Test("exit codes: unreachable node is 5, usage error is 64")
    func exitCodes() throws {
        let directory = try CivicProcess.temporaryDirectory("exit-codes")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let unreachable = try CivicProcess.civic(["status", "--node", "http://127.0.0.1:\(try freePort())"], in: directory, expect: 5)
        #expect(unreachable.contains("Cannot reach the node"))
        try CivicProcess.civic(["keygen", "--suite", "rsa", "--out", "x.pem"], in: directory, expect: 64)
    }
}
