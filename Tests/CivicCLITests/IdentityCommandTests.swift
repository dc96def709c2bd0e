@testable import CivicCLI
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation
import Testing

/// `civic identity enroll` end to end with real processes: a CA from `civic org`, a node whose genesis trusts it, a
/// certificate enrolled, then used, then refused when enrolled again.
@Suite struct IdentityCommandTests {
    @Test(arguments: ["sm", "intl"])
    func enrollThenSign(suite: String) async throws {
        let directory = try CivicProcess.temporaryDirectory("identity-\(suite)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chainSuite = try #require(CryptoSuite(name: suite))
        try CivicProcess.civic(["org", "create", "--name", "Tax Bureau", "--suite", suite, "--dir", "ca"], in: directory)
        for name in ["validator", "admin", "clerk", "other"] {
            try CivicProcess.civic(["keygen", "--suite", suite, "--out", "\(name).pem"], in: directory)
        }
        let authority = try X509Certificate(pemRepresentation: try CLI.readText(directory + "/ca/ca.crt"))
        var genesis = try GenesisCommand.make(
            chainID: "city-chain", suite: chainSuite,
            validators: [("node-1", "Tax Bureau", try CLI.loadKey(directory + "/validator.pem").publicKey)],
            admins: [("admin", "Tax Bureau", try CLI.loadKey(directory + "/admin.pem").publicKey)],
            parameters: ChainParameters(blockTransactionsMax: 100, blockIntervalMilliseconds: 50))
        genesis.organizations = [GenesisOrganization(name: "Tax Bureau", caCertificates: [authority.derRepresentation])]
        try GenesisFile.write(genesis, to: directory + "/genesis.json")
        try CivicProcess.civic(["org", "issue", "--ca-dir", "ca", "--name", "Li Wei", "--role", "member", "--key",
                                "clerk.pem", "--chain-id", "city-chain", "--out-dir", "ids"], in: directory)

        let node = NodeProcess(directory: directory, port: try freePort())
        try await node.start()
        defer { node.stop() }
        let url = ["--node", node.url]

        // Before enrolling, the key is unknown.
        let unknown = try CivicProcess.civic(["tx", "kv-put", "k", "v", "--key", "clerk.pem"] + url, in: directory,
                                             expect: 4)
        #expect(unknown.contains("identity.unknown_caller"))
        // The certificate's key is checked locally before anything is sent.
        try CivicProcess.civic(["identity", "enroll", "--cert", "ids/li-wei.crt", "--key", "other.pem"] + url,
                               in: directory, expect: 1)

        let enrolled = try CivicProcess.civic(["identity", "enroll", "--cert", "ids/li-wei.crt", "--key", "clerk.pem"]
                                              + url, in: directory)
        #expect(enrolled.contains("status:      committed"))
        #expect(enrolled.contains("event:       identity.enrolled"))
        #expect(enrolled.contains("role=member"))
        #expect(enrolled.contains("organization=Tax Bureau"))
        #expect(enrolled.contains("not after:"))
        let put = try CivicProcess.civic(["tx", "kv-put", "k", "v", "--key", "clerk.pem"] + url, in: directory)
        #expect(put.contains("status:      committed"))

        // The same certificate again: refused by the node with its code (exit 4).
        let again = try CivicProcess.civic(["identity", "enroll", "--cert", "ids/li-wei.crt", "--key", "clerk.pem"]
                                           + url, in: directory, expect: 4)
        #expect(again.contains("identity.already_enrolled"))
    }
}
