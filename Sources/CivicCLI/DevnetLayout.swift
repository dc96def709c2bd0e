import CivicClient
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation

/// A local network of validator processes in one folder: one organization per node (with its CA),
/// each node's validator key and TLS transport certificate, the genesis file, and a manifest of
/// ports and process ids.
struct DevnetLayout {
    /// One node of the manifest.
    struct NodeEntry: Codable, Equatable {
        var name: String
        var organization: String
        var apiPort: Int
        var p2pPort: Int
        var pid: Int32?
    }

    /// `devnet.json`: what `up` created and started, read by `down` and `status`.
    struct Manifest: Codable, Equatable {
        var chainId: String
        var suite: String
        var nodes: [NodeEntry]
    }

    let directory: String

    var genesis: String { directory + "/genesis.json" }
    var manifest: String { directory + "/devnet.json" }
    func nodeDirectory(_ name: String) -> String { directory + "/nodes/\(name)" }
    func validatorKey(_ name: String) -> String { nodeDirectory(name) + "/validator.pem" }
    func tlsCertificate(_ name: String) -> String { nodeDirectory(name) + "/tls.crt" }
    func tlsKey(_ name: String) -> String { nodeDirectory(name) + "/tls.key" }
    /// The node's RFC 3161 time-stamping certificate (issued by its organization's CA) and key (Docs/0016).
    func tsaCertificate(_ name: String) -> String { nodeDirectory(name) + "/tsa.crt" }
    /// The demo exchange gateway of node `name` (its department's records, Docs/0016), when it runs one.
    func gatewayDirectory(_ name: String) -> String { nodeDirectory(name) + "/gateway" }
    func tsaKey(_ name: String) -> String { nodeDirectory(name) + "/tsa.key" }
    func data(_ name: String) -> String { nodeDirectory(name) + "/data" }
    func log(_ name: String) -> String { nodeDirectory(name) + "/node.log" }
    func caCertificate(_ organization: String) -> String { directory + "/orgs/\(DevnetLayout.slug(organization))/ca.crt" }
    func caKey(_ organization: String) -> String { directory + "/orgs/\(DevnetLayout.slug(organization))/ca.key" }
    /// The admin key of an organization other than the first (whose admin is the demo's `keys/admin.pem`).
    func adminKey(_ organization: String) -> String { directory + "/orgs/\(DevnetLayout.slug(organization))/admin.pem" }
    /// Demo identities, documents and receipts (`keys/`, `documents/`, `proofs/`).
    var demo: DemoLayout { DemoLayout(directory: directory) }

    /// The departments of the demo city, in the order nodes get them.
    static let organizations = [
        "Big Data Bureau", "Public Security Bureau", "Civil Affairs Bureau", "Housing Bureau", "Tax Bureau",
        "Intermediate People's Court", "City Hospital", "City Commercial Bank", "Market Regulation Bureau", "Audit Office",
    ]

    static func slug(_ name: String) -> String {
        String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// How long the devnet's CA and node certificates are valid.
    static let certificateDays: UInt64 = 365

    /// Creates keys, CAs, certificates, genesis and the manifest for `count` nodes.
    func create(count: Int, suite: CryptoSuite, apiPortBase: Int?, parameters: ChainParameters = ChainParameters()) throws -> Manifest {
        guard (1...DevnetLayout.organizations.count).contains(count) else {
            throw CLIError(description: "A devnet has 1 to \(DevnetLayout.organizations.count) nodes.")
        }
        let chainID = "civic-devnet"
        let validity = ValidityWindow(starting: Timestamp(milliseconds: TransactionBuilder.wallClock().milliseconds - 60_000),
                                      days: DevnetLayout.certificateDays)
        var entries: [NodeEntry] = []
        var validators: [(name: String, organization: String, key: PublicKey)] = []
        var organizations: [GenesisOrganization] = []
        let apiPorts = try DevnetLayout.ports(count: count, base: apiPortBase)
        let p2pPorts = try DevnetLayout.ports(count: count, base: nil)
        for index in 0..<count {
            let organization = DevnetLayout.organizations[index]
            let name = "node-\(index + 1)"
            for folder in [nodeDirectory(name), data(name), directory + "/orgs/\(DevnetLayout.slug(organization))"] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let authority: OrganizationCA
            do { authority = try OrganizationCA.create(organization: organization, suite: suite, validity: validity) } catch {
                throw CLIError(description: "Cannot create the CA of \(organization): \(error.description)")
            }
            try CLI.write(Array(authority.certificate.pemRepresentation.utf8), to: caCertificate(organization))
            try CLI.writePrivate(authority.privateKey.pemRepresentation, to: caKey(organization))
            let validatorKey = PrivateKey.generate(suite: suite)
            try CLI.writePrivate(validatorKey.pemRepresentation, to: self.validatorKey(name))
            let transportKey = PrivateKey.generate(suite: .intl)
            let certificate: X509Certificate
            do {
                certificate = try authority.issueTransportCertificate(nodeName: name, chainID: chainID,
                                                                      transportKey: transportKey.publicKey, validity: validity)
            } catch {
                throw CLIError(description: "Cannot issue the TLS certificate of \(name): \(error.description)")
            }
            try CLI.write(Array(certificate.pemRepresentation.utf8), to: tlsCertificate(name))
            try CLI.writePrivate(transportKey.pemRepresentation, to: tlsKey(name))
            try issueTimeStamping(name, authority: authority, chainID: chainID, suite: suite, validity: validity)
            validators.append((name, organization, validatorKey.publicKey))
            organizations.append(GenesisOrganization(name: organization, caCertificates: [authority.certificate.derRepresentation]))
            entries.append(NodeEntry(name: name, organization: organization, apiPort: apiPorts[index], p2pPort: p2pPorts[index]))
        }
        try demo.createKeysAndDocuments(suite: suite)
        for entry in entries where entry.organization == DemoLayout.gatewayOrganization {
            _ = try demo.createGateway(in: gatewayDirectory(entry.name))
        }
        var genesis = try GenesisCommand.make(
            chainID: chainID, suite: suite, validators: validators,
            admins: try [("chain-admin", DevnetLayout.organizations[0], try CLI.loadKey(demo.key("admin")).publicKey)]
                + organizations.dropFirst().map { organization in
                    // Every organization has an admin, so that governance votes can reach a majority.
                    let key = PrivateKey.generate(suite: suite)
                    try CLI.writePrivate(key.pemRepresentation, to: adminKey(organization.name))
                    return ("admin-\(DevnetLayout.slug(organization.name))", organization.name, key.publicKey)
                },
            parameters: parameters)
        // Validators are identities too, so that a node can sign the reports it must file
        // (equivocation evidence).
        genesis.identities += validators.map {
            GenesisIdentity(name: $0.name, organization: $0.organization, role: .validator, publicKey: $0.key)
        }
        genesis.organizations = organizations
        if let problem = genesis.validationProblem() { throw CLIError(description: "The devnet genesis would be invalid: \(problem).") }
        try GenesisFile.write(genesis, to: self.genesis)
        let manifest = Manifest(chainId: chainID, suite: suite.name, nodes: entries)
        try write(manifest)
        return manifest
    }

    /// Gives node `name` a time-stamping key of the chain's suite and its certificate from `authority`, so the node
    /// signs RFC 3161 tokens for evidence (`civic evidence timestamp`).
    private func issueTimeStamping(_ name: String, authority: OrganizationCA, chainID: String, suite: CryptoSuite,
                                   validity: ValidityWindow) throws {
        let key = PrivateKey.generate(suite: suite)
        do {
            let certificate = try authority.issueTimeStampingCertificate(name: "\(name) time-stamping", publicKey: key.publicKey,
                                                                         chainID: chainID, validity: validity)
            try CLI.write(Array(certificate.pemRepresentation.utf8), to: tsaCertificate(name))
        } catch let error as PKIError {
            throw CLIError(description: "Cannot issue the time-stamping certificate of \(name): \(error.description)")
        }
        try CLI.writePrivate(key.pemRepresentation, to: tsaKey(name))
    }

    func load() throws -> Manifest? {
        guard FileManager.default.fileExists(atPath: manifest) else { return nil }
        do { return try JSONFormat.decoder.decode(Manifest.self, from: Data(CLI.readBytes(manifest))) } catch {
            throw CLIError(description: "\(manifest) is not a devnet manifest: \(error)")
        }
    }

    func write(_ manifest: Manifest) throws {
        try CLI.write(Array(try JSONFormat.encoder.encode(manifest)), to: self.manifest)
    }

    /// The arguments of `civic node start` for `entry`.
    func startArguments(_ entry: NodeEntry, in manifest: Manifest, logLevel: String) -> [String] {
        var arguments = [
            "node", "start", "--genesis", genesis, "--key", validatorKey(entry.name), "--data", data(entry.name),
            "--listen", "127.0.0.1:\(entry.apiPort)", "--p2p-listen", "127.0.0.1:\(entry.p2pPort)",
            "--tls-cert", tlsCertificate(entry.name), "--tls-key", tlsKey(entry.name), "--log-level", logLevel,
        ]
        for peer in manifest.nodes where peer.name != entry.name { arguments += ["--peer", "127.0.0.1:\(peer.p2pPort)"] }
        // Devnets created before time-stamping keys existed start without them.
        if FileManager.default.fileExists(atPath: gatewayDirectory(entry.name) + "/gateway.json") {
            arguments += ["--gateway-config", gatewayDirectory(entry.name) + "/gateway.json"]
        }
        if FileManager.default.fileExists(atPath: tsaCertificate(entry.name)) {
            arguments += ["--tsa-cert", tsaCertificate(entry.name), "--tsa-key", tsaKey(entry.name)]
        }
        return arguments
    }

    /// `count` free loopback ports: `base`, `base + 1`, … when all are free, otherwise any free ones.
    static func ports(count: Int, base: Int?) throws -> [Int] {
        if let base {
            let wanted = Array(base..<base + count)
            if wanted.allSatisfy(LocalProcess.isFree) { return wanted }
        }
        var ports: [Int] = []
        while ports.count < count {
            let port = try LocalProcess.freePort()
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }
}
