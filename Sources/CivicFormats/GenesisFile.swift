import CivicCodec
import CivicCrypto
import CivicLedger
import Foundation

/// The genesis file as people read and write it (JSON). It maps one-to-one onto the canonical
/// ``Genesis``; the hash of that canonical form is the chain's root of trust, printed in the
/// file as `genesis_hash` and checked when the file is read.
public struct GenesisFile: Codable, Sendable, Equatable {
    /// A validator entry.
    public struct ValidatorEntry: Codable, Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its organization.
        public var organization: String
        /// Uncompressed public key, hex.
        public var publicKey: String
        /// Voting power.
        public var power: UInt64
    }

    /// An identity entry.
    public struct IdentityEntry: Codable, Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its organization.
        public var organization: String
        /// Its role name (`admin`, `member`, …).
        public var role: String
        /// Uncompressed public key, hex.
        public var publicKey: String
    }

    /// An organization entry.
    public struct OrganizationEntry: Codable, Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its CA certificates, PEM.
        public var caCertificates: [String]
    }

    /// Chain parameters.
    public struct ParametersEntry: Codable, Sendable, Equatable {
        /// Most transactions per block.
        public var blockTransactionsMax: UInt32
        /// Block interval in milliseconds.
        public var blockIntervalMs: UInt32
    }

    /// The chain id.
    public var chainId: String
    /// `sm` or `intl`.
    public var suite: String
    /// Genesis time, milliseconds since the Unix epoch.
    public var genesisTimeMs: UInt64
    /// Validators.
    public var validators: [ValidatorEntry]
    /// Identities registered at genesis.
    public var identities: [IdentityEntry]
    /// Parameters.
    public var parameters: ParametersEntry
    /// Member organizations and their CAs (absent for a chain without a network).
    public var organizations: [OrganizationEntry]?
    /// The hash of the canonical genesis (hex), for people to compare; checked on reading.
    public var genesisHash: String?

    /// The JSON view of `genesis`.
    public init(_ genesis: Genesis) {
        chainId = genesis.chainID
        suite = genesis.suite.name
        genesisTimeMs = genesis.time.milliseconds
        validators = genesis.validators.validators.map {
            ValidatorEntry(name: $0.name, organization: $0.organization, publicKey: Hex.encode($0.publicKey.rawRepresentation), power: $0.power)
        }
        identities = genesis.identities.map {
            IdentityEntry(name: $0.name, organization: $0.organization, role: $0.role.name, publicKey: Hex.encode($0.publicKey.rawRepresentation))
        }
        parameters = ParametersEntry(blockTransactionsMax: genesis.parameters.blockTransactionsMax,
                                     blockIntervalMs: genesis.parameters.blockIntervalMilliseconds)
        organizations = genesis.organizations.isEmpty ? nil : genesis.organizations.map {
            OrganizationEntry(name: $0.name, caCertificates: $0.caCertificates.map { PEMBlock.encode(der: $0, label: "CERTIFICATE") })
        }
        genesisHash = genesis.hash.hex
    }

    /// The canonical genesis this file describes.
    /// - Throws: ``FormatError`` naming the first field that is wrong.
    public func genesis() throws(FormatError) -> Genesis {
        guard let suite = CryptoSuite(name: suite) else { throw .invalid("suite", "must be 'sm' or 'intl', not '\(self.suite)'") }
        var validatorList: [Validator] = []
        for entry in validators {
            let key = try FormatError.publicKey(entry.publicKey, suite: suite, field: "validators.\(entry.name).public_key")
            guard entry.power > 0 else { throw .invalid("validators.\(entry.name).power", "must be positive") }
            validatorList.append(Validator(name: entry.name, organization: entry.organization, publicKey: key, power: entry.power))
        }
        guard !validatorList.isEmpty else { throw .invalid("validators", "at least one validator is needed") }
        guard Set(validatorList.map(\.name)).count == validatorList.count else { throw .invalid("validators", "names must be unique") }
        var identityList: [GenesisIdentity] = []
        for entry in identities {
            guard let role = Role(name: entry.role) else { throw .invalid("identities.\(entry.name).role", "unknown role '\(entry.role)'") }
            let key = try FormatError.publicKey(entry.publicKey, suite: suite, field: "identities.\(entry.name).public_key")
            identityList.append(GenesisIdentity(name: entry.name, organization: entry.organization, role: role, publicKey: key))
        }
        var organizationList: [GenesisOrganization] = []
        for entry in organizations ?? [] {
            var certificates: [[UInt8]] = []
            for (index, pem) in entry.caCertificates.enumerated() {
                guard let der = PEMBlock.decode(pem, label: "CERTIFICATE") else {
                    throw .invalid("organizations.\(entry.name).ca_certificates[\(index)]", "not a PEM certificate")
                }
                certificates.append(der)
            }
            organizationList.append(GenesisOrganization(name: entry.name, caCertificates: certificates))
        }
        let genesis = Genesis(chainID: chainId, suite: suite, time: Timestamp(milliseconds: genesisTimeMs),
                              validators: ValidatorSet(validatorList), identities: identityList,
                              parameters: ChainParameters(blockTransactionsMax: parameters.blockTransactionsMax,
                                                          blockIntervalMilliseconds: parameters.blockIntervalMs),
                              organizations: organizationList)
        if let problem = genesis.validationProblem() { throw .invalid("genesis", problem) }
        do { _ = try Genesis(canonicalBytes: genesis.canonicalBytes) } catch { throw .invalid("genesis", error.description) }
        if let genesisHash, genesisHash.lowercased() != genesis.hash.hex {
            throw .invalid("genesis_hash", "the file's content hashes to \(genesis.hash.hex), not \(genesisHash); the file was changed")
        }
        return genesis
    }

    /// Reads a genesis file.
    /// - Throws: ``FormatError``.
    public static func load(path: String) throws(FormatError) -> Genesis {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path, error.localizedDescription)
        }
        let file: GenesisFile
        do { file = try JSONFormat.decoder.decode(GenesisFile.self, from: data) } catch {
            throw .invalid("genesis file \(path)", "not valid genesis JSON (\(error))")
        }
        return try file.genesis()
    }

    /// Writes `genesis` as pretty JSON to `path`.
    public static func write(_ genesis: Genesis, to path: String) throws {
        try JSONFormat.encoder.encode(GenesisFile(genesis)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
