@testable import CivicCLI
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation
import Testing

/// `civic org` end to end with real processes: create a CA, issue, check with `openssl`, verify, revoke, export.
@Suite struct OrgCommandTests {
    /// `openssl verify` flags for the suite (SM2 needs the GM/T 0009 signer id, Docs/0008).
    static func verifyFlags(_ suite: String) -> [String] {
        suite == "sm" ? ["-vfyopt", "distid:1234567812345678"] : []
    }

    /// A genesis file for chain `chainID` whose one organization is the CA in `caDirectory`.
    static func writeGenesis(suite: String, chainID: String, caDirectory: String, to path: String) throws {
        let suite = try #require(CryptoSuite(name: suite))
        let authority = try X509Certificate(pemRepresentation: try CLI.readText(caDirectory + "/ca.crt"))
        var genesis = try GenesisCommand.make(
            chainID: chainID, suite: suite,
            validators: [("node-1", "Tax Bureau", PrivateKey.generate(suite: suite).publicKey)],
            admins: [("admin", "Tax Bureau", PrivateKey.generate(suite: suite).publicKey)],
            parameters: ChainParameters())
        genesis.organizations = [GenesisOrganization(name: "Tax Bureau",
                                                     caCertificates: [authority.derRepresentation])]
        try GenesisFile.write(genesis, to: path)
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test(arguments: ["sm", "intl"])
    func createIssueVerifyRevokeExport(suite: String) throws {
        let directory = try CivicProcess.temporaryDirectory("org-\(suite)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flags = Self.verifyFlags(suite)

        let created = try CivicProcess.civic(["org", "create", "--name", "Tax Bureau", "--suite", suite, "--dir", "ca"],
                                             in: directory)
        #expect(created.contains("created the CA 'CN=Tax Bureau CA,O=Tax Bureau'"))
        #expect(try Self.mode(directory + "/ca/ca.key") == 0o600)
        try CivicProcess.openssl(["crl", "-in", "ca/crl.pem", "-CAfile", "ca/ca.crt", "-verify", "-noout"],
                                 in: directory)
        try CivicProcess.civic(["org", "create", "--name", "Tax Bureau", "--suite", suite, "--dir", "ca"],
                               in: directory, expect: 1)

        let issued = try CivicProcess.civic(["org", "issue", "--ca-dir", "ca", "--name", "Li Wei", "--role", "admin",
                                             "--chain-id", "city-chain", "--out-dir", "ids"], in: directory)
        #expect(issued.contains("subject:     CN=Li Wei,OU=admin,O=Tax Bureau"))
        #expect(try Self.mode(directory + "/ids/li-wei.key") == 0o600)
        let verified = try CivicProcess.openssl(["verify"] + flags + ["-CAfile", "ca/ca.crt", "ids/li-wei.crt"],
                                                in: directory)
        #expect(verified.contains("ids/li-wei.crt: OK"))
        let text = try CivicProcess.openssl(["x509", "-in", "ids/li-wei.crt", "-noout", "-subject"], in: directory)
        #expect(text.contains("OU = admin"))

        try CivicProcess.civic(["keygen", "--suite", suite, "--out", "service.pem"], in: directory)
        try CivicProcess.civic(["org", "issue", "--ca-dir", "ca", "--name", "gateway", "--role", "client",
                                "--key", "service.pem", "--chain-id", "city-chain", "--out-dir", "ids"], in: directory)
        #expect(!FileManager.default.fileExists(atPath: directory + "/ids/gateway.key"))
        try CivicProcess.civic(["org", "issue-node", "--ca-dir", "ca", "--name", "node-1", "--chain-id", "city-chain",
                                "--out-dir", "ids"], in: directory)
        try CivicProcess.openssl(["verify"] + flags + ["-CAfile", "ca/ca.crt", "ids/node-1-tls.crt"], in: directory)
        try CivicProcess.civic(["org", "issue", "--ca-dir", "ca", "--name", "x", "--role", "mayor",
                                "--chain-id", "city-chain", "--out-dir", "ids"], in: directory, expect: 64)

        try Self.writeGenesis(suite: suite, chainID: "city-chain", caDirectory: directory + "/ca",
                              to: directory + "/genesis.json")
        let accepted = try CivicProcess.civic(["org", "verify", "ids/li-wei.crt", "--genesis", "genesis.json"],
                                              in: directory)
        #expect(accepted.contains("organization:   Tax Bureau"))
        #expect(accepted.contains("role:           admin"))
        #expect(accepted.contains("name:           Li Wei"))
        let node = try CivicProcess.civic(["org", "verify", "ids/node-1-tls.crt", "--genesis", "genesis.json"],
                                          in: directory, expect: 3)
        #expect(node.contains(suite == "sm" ? "identity.wrong_suite" : "identity.role_missing"))

        let revoked = try CivicProcess.civic(["org", "revoke", "--ca-dir", "ca", "ids/li-wei.crt"], in: directory)
        #expect(revoked.contains("CRL number 2, 1 revoked"))
        let crl = try CivicProcess.openssl(["crl", "-in", "ca/crl.pem", "-CAfile", "ca/ca.crt", "-verify", "-noout"],
                                           in: directory)
        #expect(crl.contains("verify OK"))
        try CivicProcess.civic(["org", "export", "--ca-dir", "ca", "--out", "bundle.pem"], in: directory)
        let refused = try CivicProcess.run(
            "/usr/bin/openssl", ["verify", "-crl_check"] + flags + ["-CAfile", "bundle.pem", "ids/li-wei.crt"],
            in: directory)
        #expect(refused.status != 0 && refused.output.contains("certificate revoked"), "\(refused.output)")
        try CivicProcess.openssl(["verify", "-crl_check"] + flags + ["-CAfile", "bundle.pem", "ids/gateway.crt"],
                                 in: directory)

        let gone = try CivicProcess.civic(["org", "verify", "ids/li-wei.crt", "--genesis", "genesis.json",
                                           "--crl", "ca/crl.pem"], in: directory, expect: 3)
        #expect(gone.contains("refused (identity.revoked)"))
        let json = try CivicProcess.civic(["org", "verify", "ids/gateway.crt", "--genesis", "genesis.json",
                                           "--crl", "ca/crl.pem", "--json"], in: directory)
        #expect(json.contains("\"role\" : \"client\"") || json.contains("\"role\":\"client\""))
        let refusedJSON = try CivicProcess.civic(["org", "verify", "ids/li-wei.crt", "--genesis", "genesis.json",
                                                  "--crl", "ca/crl.pem", "--json"], in: directory, expect: 3)
        #expect(refusedJSON.contains("identity.revoked") && refusedJSON.contains("refused"))
    }

    @Test func certificateForAnotherChainOrCAIsRefused() throws {
        let directory = try CivicProcess.temporaryDirectory("org-refusals")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, folder) in [("Tax Bureau", "ca"), ("Unlisted Bank", "other")] {
            try CivicProcess.civic(["org", "create", "--name", name, "--suite", "intl", "--dir", folder], in: directory)
        }
        try CivicProcess.civic(["org", "issue", "--ca-dir", "ca", "--name", "a", "--role", "member",
                                "--chain-id", "test-chain", "--out-dir", "ids"], in: directory)
        try CivicProcess.civic(["org", "issue", "--ca-dir", "other", "--name", "b", "--role", "member",
                                "--chain-id", "city-chain", "--out-dir", "ids"], in: directory)
        try Self.writeGenesis(suite: "intl", chainID: "city-chain", caDirectory: directory + "/ca",
                              to: directory + "/genesis.json")
        let wrongChain = try CivicProcess.civic(["org", "verify", "ids/a.crt", "--genesis", "genesis.json"],
                                                in: directory, expect: 3)
        #expect(wrongChain.contains("identity.wrong_chain"))
        let unknown = try CivicProcess.civic(["org", "verify", "ids/b.crt", "--genesis", "genesis.json"],
                                             in: directory, expect: 3)
        #expect(unknown.contains("identity.unknown_ca"))
        // A CA revokes only what it issued, and a verifier takes only lists of the chain's CAs.
        try CivicProcess.civic(["org", "revoke", "--ca-dir", "ca", "ids/b.crt"], in: directory, expect: 1)
        try CivicProcess.civic(["org", "verify", "ids/a.crt", "--genesis", "genesis.json", "--crl", "other/crl.pem"],
                               in: directory, expect: 1)
    }

    @Test func issuesWithADevnetOrganizationCA() throws {
        let directory = try CivicProcess.temporaryDirectory("org-devnet")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let layout = DevnetLayout(directory: directory)
        _ = try layout.create(count: 1, suite: .sm, apiPortBase: nil)
        let caDirectory = directory + "/orgs/" + DevnetLayout.slug(DevnetLayout.organizations[0])
        try CivicProcess.civic(["org", "issue", "--ca-dir", caDirectory, "--name", "clerk-1", "--role", "member",
                                "--chain-id", "civic-devnet", "--out-dir", "ids"], in: directory)
        let accepted = try CivicProcess.civic(["org", "verify", "ids/clerk-1.crt", "--genesis", layout.genesis],
                                              in: directory)
        #expect(accepted.contains("organization:   \(DevnetLayout.organizations[0])"))
        #expect(accepted.contains("expiry warning: none"))
        // The devnet's node transport certificate is not an identity.
        let transport = try CivicProcess.civic(["org", "verify", layout.tlsCertificate("node-1"), "--genesis",
                                                layout.genesis], in: directory, expect: 3)
        #expect(transport.contains("identity.wrong_suite"))
    }
}
