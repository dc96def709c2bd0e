import CivicCodec
import CivicCrypto

/// An identity registered at genesis, so that the chain has administrators from its first block.
public struct GenesisIdentity: Hashable, Sendable, CanonicalCodable {
    /// A person's or service's name.
    public var name: String
    /// Its organization.
    public var organization: String
    /// Its role.
    public var role: Role
    /// Its key.
    public var publicKey: PublicKey

    /// Creates an entry.
    public init(name: String, organization: String, role: Role, publicKey: PublicKey) {
        self.name = name
        self.organization = organization
        self.role = role
        self.publicKey = publicKey
    }

    /// name, organization, role, key.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: name)
        encoder.encode(string: organization)
        encoder.encode(role)
        encoder.encode(publicKey)
    }

    /// Reads an entry.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        name = try decoder.decodeString("identity.name", maxBytes: Limits.nameBytesMax)
        organization = try decoder.decodeString("identity.organization", maxBytes: Limits.nameBytesMax)
        role = try decoder.decode(Role.self)
        publicKey = try decoder.decode(PublicKey.self)
    }
}

/// Chain-wide parameters fixed at genesis (governance will change them by proposal).
/// A member organization at genesis: its name and the CA certificates (DER) that issue its nodes'
/// transport certificates. A peer whose certificate no listed CA issued is refused at the handshake.
public struct GenesisOrganization: Hashable, Sendable, CanonicalCodable {
    /// The organization's name, as validators and identities name it.
    public var name: String
    /// Its CA certificates, DER (more than one during a CA rotation).
    public var caCertificates: [[UInt8]]

    /// Most CA certificates per organization.
    public static let caCertificatesMax = 4
    /// Largest CA certificate, in bytes.
    public static let certificateBytesMax = 8 * 1024

    /// Creates an entry.
    public init(name: String, caCertificates: [[UInt8]]) {
        self.name = name
        self.caCertificates = caCertificates
    }

    /// name, then the certificates as byte strings.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: name)
        encoder.encodeVarint(UInt64(caCertificates.count))
        for certificate in caCertificates { encoder.encode(bytes: certificate) }
    }

    /// Reads an entry within its limits.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        name = try decoder.decodeString("organization.name", maxBytes: Limits.nameBytesMax)
        let count = try decoder.decodeCount("organization.ca_certificates", max: GenesisOrganization.caCertificatesMax)
        caCertificates = []
        for _ in 0..<count {
            caCertificates.append(try decoder.decodeBytes("organization.ca_certificate", max: GenesisOrganization.certificateBytesMax))
        }
    }
}

public struct ChainParameters: Hashable, Sendable, CanonicalCodable {
    /// Most transactions a proposer puts in one block (at most ``Limits/blockTransactionsMax``).
    public var blockTransactionsMax: UInt32
    /// Target time between blocks when transactions are waiting, in milliseconds.
    public var blockIntervalMilliseconds: UInt32

    /// Creates parameters.
    public init(blockTransactionsMax: UInt32 = 5_000, blockIntervalMilliseconds: UInt32 = 200) {
        self.blockTransactionsMax = blockTransactionsMax
        self.blockIntervalMilliseconds = blockIntervalMilliseconds
    }

    /// block transactions max, block interval.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(blockTransactionsMax)
        encoder.encode(blockIntervalMilliseconds)
    }

    /// Reads parameters and checks them against ``Limits``.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        blockTransactionsMax = try decoder.decodeUInt32("parameters.block_transactions_max")
        blockIntervalMilliseconds = try decoder.decodeUInt32("parameters.block_interval_ms")
        guard (1...UInt32(Limits.blockTransactionsMax)).contains(blockTransactionsMax) else {
            throw .invalidValue(field: "parameters.block_transactions_max",
                                reason: "must be between 1 and \(Limits.blockTransactionsMax)")
        }
        guard (10...60_000).contains(blockIntervalMilliseconds) else {
            throw .invalidValue(field: "parameters.block_interval_ms", reason: "must be between 10 and 60000")
        }
    }
}

/// The genesis document: everything a node or an offline verifier must agree on before block 1.
///
/// Its hash is the chain's root of trust: the genesis block's `previousHash`.
public struct Genesis: Hashable, Sendable, CanonicalCodable {
    /// The only encoding version this build writes and reads.
    public static let currentVersion: UInt8 = 1
    /// Domain tag in front of the hashed bytes.
    public static let domain = Array("CivicLedger/genesis/v1".utf8)

    /// The chain's id: lower-case letters, digits and `-`, 1…64 characters.
    public var chainID: String
    /// The crypto suite, fixed for the chain's life.
    public var suite: CryptoSuite
    /// The genesis block's time.
    public var time: Timestamp
    /// The validators that certify blocks.
    public var validators: ValidatorSet
    /// Identities registered before the first block (at least one admin).
    public var identities: [GenesisIdentity]
    /// Chain-wide parameters.
    public var parameters: ChainParameters
    /// The member organizations and their CAs (empty for a chain without a network).
    public var organizations: [GenesisOrganization]

    /// Creates a genesis document.
    public init(chainID: String, suite: CryptoSuite, time: Timestamp, validators: ValidatorSet,
                identities: [GenesisIdentity], parameters: ChainParameters, organizations: [GenesisOrganization] = []) {
        self.organizations = organizations
        self.chainID = chainID
        self.suite = suite
        self.time = time
        self.validators = validators
        self.identities = identities
        self.parameters = parameters
    }

    /// `H("CivicLedger/genesis/v1" || canonical(genesis))` in the chain's suite.
    public var hash: Hash256 {
        suite.hash(domainTaggedBytes(Genesis.domain))
    }

    /// Whether `text` is a valid chain id.
    public static func isValidChainID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= Limits.chainIDBytesMax
            && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }
    }

    /// version, chain id, suite, time, validators, identities, parameters.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(Genesis.currentVersion)
        encoder.encode(string: chainID)
        encoder.encode(suite)
        encoder.encode(time)
        encoder.encode(validators)
        encoder.encode(sequence: identities)
        encoder.encode(parameters)
        encoder.encode(sequence: organizations)
    }

    /// Reads a genesis document and checks its rules: valid chain id, every key in the chain's
    /// suite, at least one admin, no key registered twice.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let version = try decoder.decodeUInt8("genesis.version")
        guard version == Genesis.currentVersion else { throw .unsupportedVersion(type: "genesis", version: version) }
        chainID = try decoder.decodeString("genesis.chain_id", maxBytes: Limits.chainIDBytesMax)
        suite = try decoder.decode(CryptoSuite.self)
        time = try decoder.decode(Timestamp.self)
        validators = try decoder.decode(ValidatorSet.self)
        identities = try decoder.decodeSequence(GenesisIdentity.self, "genesis.identities", max: 1_000)
        parameters = try decoder.decode(ChainParameters.self)
        organizations = try decoder.decodeSequence(GenesisOrganization.self, "genesis.organizations", max: Limits.validatorsMax)
        if let problem = validationProblem() { throw .invalidValue(field: "genesis", reason: problem) }
    }

    /// The first rule this document breaks, or `nil` when it is valid.
    public func validationProblem() -> String? {
        guard Genesis.isValidChainID(chainID) else {
            return "the chain id must be 1-64 characters of a-z, 0-9 and '-'"
        }
        let keys = validators.validators.map(\.publicKey) + identities.map(\.publicKey)
        guard keys.allSatisfy({ $0.suite == suite }) else { return "every key must be of the '\(suite)' suite" }
        guard identities.contains(where: { $0.role == .admin }) else { return "at least one admin identity is needed" }
        guard Set(identities.map(\.publicKey)).count == identities.count else { return "an identity key is listed twice" }
        guard Set(organizations.map(\.name)).count == organizations.count else { return "an organization is listed twice" }
        if !organizations.isEmpty {
            let names = Set(organizations.map(\.name))
            if let stray = validators.validators.first(where: { !names.contains($0.organization) }) {
                return "validator \(stray.name) belongs to \(stray.organization), which is not a listed organization"
            }
        }
        return nil
    }
}
