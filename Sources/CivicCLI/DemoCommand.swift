import ArgumentParser
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Logging

/// `civic demo`: a local chain with demo data, for a first look.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a local chain with demo data (keys, genesis, identities, evidence) on the embedded store.",
        discussion: "Creates DIR on first use and reuses it afterwards. Stop with Ctrl-C; start again to continue.")

    @Option(help: "Directory for keys, genesis, ledger and demo documents.")
    var dir: String = ".civic-demo"

    @Option(help: "Crypto suite for a new demo chain: sm or intl.")
    var suite: String = "sm"

    @Option(help: "API port.")
    var port: Int = 8080

    func run() async throws {
        guard let suite = CryptoSuite(name: suite) else { throw ValidationError("--suite must be 'sm' or 'intl'.") }
        let layout = DemoLayout(directory: dir)
        if !FileManager.default.fileExists(atPath: layout.genesis) { try layout.create(suite: suite) }
        let genesis: Genesis
        do { genesis = try GenesisFile.load(path: layout.genesis) } catch { throw CLIError(description: error.description) }
        let validatorKey = try CLI.loadKey(layout.key("validator"))
        let url = "http://127.0.0.1:\(port)"
        try await NodeRunner.run(genesis: genesis, key: validatorKey, dataDirectory: layout.data, host: "127.0.0.1", port: port,
                                 logLevel: .info) { node in
            do {
                if node.snapshot.head.height == .genesis { try await layout.loadDemoData(url: url, chainID: genesis.chainID) }
                layout.printWelcome(url: url, genesis: genesis)
            } catch {
                Logger(label: "civic.demo").error("loading demo data failed: \(error)")
            }
        }
    }
}

/// Where the demo keeps its files, and what it puts on chain.
struct DemoLayout {
    let directory: String

    var genesis: String { directory + "/genesis.json" }
    var data: String { directory + "/data" }
    var documents: String { directory + "/documents" }
    var proofs: String { directory + "/proofs" }
    func key(_ name: String) -> String { directory + "/keys/\(name).pem" }

    /// The departments whose staff the demo registers.
    static let staff: [(name: String, organization: String, role: Role)] = [
        ("civil-affairs-clerk", "Civil Affairs Bureau", .member),
        ("housing-officer", "Housing Bureau", .member),
        ("court-clerk", "Intermediate People's Court", .client),
        ("auditor", "Audit Office", .auditor),
    ]

    /// Creates keys, the genesis file and demo documents.
    func create(suite: CryptoSuite) throws {
        for folder in [directory, directory + "/keys", documents, proofs] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for name in ["validator", "admin"] + DemoLayout.staff.map(\.name) where !FileManager.default.fileExists(atPath: key(name)) {
            try CLI.writePrivate(PrivateKey.generate(suite: suite).pemRepresentation, to: key(name))
        }
        let genesis = try GenesisCommand.make(
            chainID: "civic-demo", suite: suite,
            validators: [("validator-1", "Big Data Bureau", try CLI.loadKey(key("validator")).publicKey)],
            admins: [("chain-admin", "Big Data Bureau", try CLI.loadKey(key("admin")).publicKey)],
            parameters: ChainParameters())
        try GenesisFile.write(genesis, to: self.genesis)
        let samples = [
            ("marriage-record-2026-0001.txt", "Marriage registration record 2026-0001, Civil Affairs Bureau.\n"),
            ("court-evidence-contract.txt", "Signed lease contract submitted as evidence in case (2026) Su 01 Min Chu 123.\n"),
            ("housing-purchase-application.txt", "Housing purchase eligibility application, applicant id fingerprint only.\n"),
        ]
        for (name, text) in samples { try CLI.write(Array(text.utf8), to: documents + "/" + name) }
    }

    /// Registers the staff identities and records the demo documents as evidence, through the API.
    func loadDemoData(url: String, chainID: String) async throws {
        let client = NodeClient(baseURL: url)
        let admin = TransactionBuilder(chainID: chainID, key: try CLI.loadKey(key("admin")))
        for person in DemoLayout.staff {
            let publicKey = try CLI.loadKey(key(person.name)).publicKey
            let call = TransactionBuilder.registerIdentity(publicKey, name: person.name, organization: person.organization, role: person.role)
            _ = try await client.submit(try admin.sign(call), wait: true)
        }
        let clerk = TransactionBuilder(chainID: chainID, key: try CLI.loadKey(key("court-clerk")))
        let algorithm: FingerprintAlgorithm = clerk.key.suite == .sm ? .sm3 : .sha256
        for name in try FileManager.default.contentsOfDirectory(atPath: documents).sorted() {
            let fingerprint = algorithm.suite.hash(try CLI.readBytes(documents + "/" + name))
            let response = try await client.submit(
                try clerk.sign(TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: algorithm, label: name)), wait: true)
            if let hash = Hash256(validating: Hex.decode(response.hash) ?? []) {
                try CLI.write(try await client.proofFile(hash), to: proofs + "/\(name).civicproof")
            }
        }
        let officer = TransactionBuilder(chainID: chainID, key: try CLI.loadKey(key("housing-officer")))
        _ = try await client.submit(try officer.sign(TransactionBuilder.keyValuePut(key: Array("service-item".utf8),
                                                                                    value: Array("housing-purchase-eligibility".utf8))), wait: true)
    }

    func printWelcome(url: String, genesis: Genesis) {
        FileHandle.standardOutput.write(Data("""

            CivicLedger demo chain '\(genesis.chainID)' (suite \(genesis.suite)) is running at \(url)
              chain info:   curl \(url)/v1/chain
              metrics:      curl \(url)/metrics
              API document: curl \(url)/openapi.yaml
              verify a receipt offline:
                swift run civic verify \(proofs)/court-evidence-contract.txt.civicproof --genesis \(self.genesis)
              record a file as evidence:
                swift run civic tx evidence-put README.md --key \(key("court-clerk")) --node \(url)
            Stop with Ctrl-C; `swift run civic demo` continues where it stopped.

            """.utf8))
    }
}
