import CivicCodec
import CivicCrypto
import CivicLedger

/// The exact change a governance proposal carries; it executes when the proposal's policy is met.
///
/// Canonical bytes: a tag byte, then the case's fields in order:
/// 1 add organization (name, CA certificates, admin name, admin key), 2 remove organization (name),
/// 3 add admin (organization, name, key), 4 remove admin (organization, address),
/// 5 add validator (``Validator``), 6 remove validator (name), 7 set validator power (name, power u64),
/// 8 set block transactions max (u32), 9 set block interval ms (u32),
/// 10 revoke certificate (algorithm, fingerprint), 11 set policy (resource, ``GovernancePolicy``),
/// 12 deploy contract (name, code hash, init arguments), 13 upgrade contract (name, code hash),
/// 14 set contract frozen (name, frozen),
/// 15 set trusted issuers (certificate type, organizations: a count then names, sorted and distinct).
public enum GovernanceChange: Hashable, Sendable, CanonicalCodable {
    /// Adds a member organization with its CA certificates (DER) and its first admin, who is
    /// registered as an identity with role admin.
    case addOrganization(name: String, caCertificates: [[UInt8]], adminName: String, adminKey: PublicKey)
    /// Removes a member organization (it must run no validator); its admins are deactivated.
    case removeOrganization(name: String)
    /// Adds an admin to an organization, registering the key as an admin identity if it is new.
    case addAdmin(organization: String, name: String, key: PublicKey)
    /// Removes an admin from an organization (never its last) and deactivates the identity.
    case removeAdmin(organization: String, address: Address)
    /// Adds a validator, effective at the execution height + ``GovernanceContract/validatorSetDelay``.
    case addValidator(Validator)
    /// Removes the validator called `name`, with the same delay.
    case removeValidator(name: String)
    /// Sets the voting power of the validator called `name`, with the same delay.
    case setValidatorPower(name: String, power: UInt64)
    /// Sets the most transactions per block.
    case setBlockTransactionsMax(UInt32)
    /// Sets the target block interval, in milliseconds.
    case setBlockIntervalMilliseconds(UInt32)
    /// Adds a certificate, by its fingerprint, to the revocation list.
    case revokeCertificate(algorithm: FingerprintAlgorithm, fingerprint: Hash256)
    /// Replaces the policy of a resource; governed by the policy it replaces.
    case setPolicy(GovernedResource, GovernancePolicy)
    /// Deploys the uploaded WebAssembly module `codeHash` as contract `name` (version 1) and runs its
    /// `civic_init` hook, if any, with `initArguments` as its input.
    case deployContract(name: String, codeHash: Hash256, initArguments: [UInt8])
    /// Replaces contract `name`'s code with the uploaded module `codeHash` (version + 1) and runs the
    /// new code's `civic_migrate` hook, if any, with the previous version as its input.
    case upgradeContract(name: String, codeHash: Hash256)
    /// Freezes (every call refused, state kept) or unfreezes contract `name`.
    case setContractFrozen(name: String, frozen: Bool)
    /// Sets the organizations trusted to issue certificates of type `certificateType` besides the one that
    /// registered it (cross-region recognition, Docs/0016); an empty list trusts the registering issuer only.
    /// Organizations are kept sorted and distinct, at most ``GovernanceContract/trustedIssuersMax``.
    case setTrustedIssuers(certificateType: String, organizations: [String])

    /// The resource whose policy governs this change.
    public var resource: GovernedResource {
        switch self {
        case .addOrganization, .removeOrganization, .addAdmin, .removeAdmin: .membership
        case .addValidator, .removeValidator, .setValidatorPower: .validatorSet
        case .setBlockTransactionsMax, .setBlockIntervalMilliseconds: .chainConfig
        case .revokeCertificate: .certificateRevocation
        case .setPolicy(let resource, _): resource
        case .deployContract, .upgradeContract, .setContractFrozen: .contractDeploy
        case .setTrustedIssuers: .certificateRecognition
        }
    }

    /// A short name of the kind of change, as events and the API show it.
    public var kind: String {
        switch self {
        case .addOrganization: "add_organization"
        case .removeOrganization: "remove_organization"
        case .addAdmin: "add_admin"
        case .removeAdmin: "remove_admin"
        case .addValidator: "add_validator"
        case .removeValidator: "remove_validator"
        case .setValidatorPower: "set_validator_power"
        case .setBlockTransactionsMax: "set_block_transactions_max"
        case .setBlockIntervalMilliseconds: "set_block_interval_ms"
        case .revokeCertificate: "revoke_certificate"
        case .setPolicy: "set_policy"
        case .deployContract: "deploy_contract"
        case .upgradeContract: "upgrade_contract"
        case .setContractFrozen: "set_contract_frozen"
        case .setTrustedIssuers: "set_trusted_issuers"
        }
    }

    /// The change's fields in words, for events and the API.
    public var fields: [(String, String)] {
        switch self {
        case .addOrganization(let name, let certificates, let adminName, let adminKey):
            [
                ("organization", name), ("ca_certificates", String(certificates.count)), ("admin_name", adminName),
                ("admin_address", Address(publicKey: adminKey).hex),
            ]
        case .removeOrganization(let name): [("organization", name)]
        case .addAdmin(let organization, let name, let key):
            [("organization", organization), ("admin_name", name), ("admin_address", Address(publicKey: key).hex)]
        case .removeAdmin(let organization, let address):
            [("organization", organization), ("admin_address", address.hex)]
        case .addValidator(let validator):
            [
                ("validator", validator.name), ("organization", validator.organization),
                ("power", String(validator.power)),
                ("public_key", Hex.encode(validator.publicKey.rawRepresentation)),
            ]
        case .removeValidator(let name): [("validator", name)]
        case .setValidatorPower(let name, let power): [("validator", name), ("power", String(power))]
        case .setBlockTransactionsMax(let value): [("block_transactions_max", String(value))]
        case .setBlockIntervalMilliseconds(let value): [("block_interval_ms", String(value))]
        case .revokeCertificate(let algorithm, let fingerprint):
            [("algorithm", algorithm.name), ("fingerprint", fingerprint.hex)]
        case .setPolicy(let resource, let policy): [("resource", resource.name), ("policy", policy.description)]
        case .deployContract(let name, let codeHash, let initArguments):
            [("contract", name), ("code_hash", codeHash.hex), ("init_arguments", Hex.encode(initArguments))]
        case .upgradeContract(let name, let codeHash): [("contract", name), ("code_hash", codeHash.hex)]
        case .setContractFrozen(let name, let frozen): [("contract", name), ("frozen", String(frozen))]
        case .setTrustedIssuers(let type, let organizations):
            [("certificate_type", type), ("organizations", organizations.joined(separator: ","))]
        }
    }

    /// Tag, then fields.
    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .addOrganization(let name, let certificates, let adminName, let adminKey):
            encoder.encode(UInt8(1))
            encoder.encode(string: name)
            encoder.encodeVarint(UInt64(certificates.count))
            for certificate in certificates { encoder.encode(bytes: certificate) }
            encoder.encode(string: adminName)
            encoder.encode(adminKey)
        case .removeOrganization(let name):
            encoder.encode(UInt8(2))
            encoder.encode(string: name)
        case .addAdmin(let organization, let name, let key):
            encoder.encode(UInt8(3))
            encoder.encode(string: organization)
            encoder.encode(string: name)
            encoder.encode(key)
        case .removeAdmin(let organization, let address):
            encoder.encode(UInt8(4))
            encoder.encode(string: organization)
            encoder.encode(address)
        case .addValidator(let validator):
            encoder.encode(UInt8(5))
            encoder.encode(validator)
        case .removeValidator(let name):
            encoder.encode(UInt8(6))
            encoder.encode(string: name)
        case .setValidatorPower(let name, let power):
            encoder.encode(UInt8(7))
            encoder.encode(string: name)
            encoder.encode(power)
        case .setBlockTransactionsMax(let value):
            encoder.encode(UInt8(8))
            encoder.encode(value)
        case .setBlockIntervalMilliseconds(let value):
            encoder.encode(UInt8(9))
            encoder.encode(value)
        case .revokeCertificate(let algorithm, let fingerprint):
            encoder.encode(UInt8(10))
            encoder.encode(algorithm)
            encoder.encode(fingerprint)
        case .setPolicy(let resource, let policy):
            encoder.encode(UInt8(11))
            encoder.encode(resource)
            encoder.encode(policy)
        case .deployContract(let name, let codeHash, let initArguments):
            encoder.encode(UInt8(12))
            encoder.encode(string: name)
            encoder.encode(codeHash)
            encoder.encode(bytes: initArguments)
        case .upgradeContract(let name, let codeHash):
            encoder.encode(UInt8(13))
            encoder.encode(string: name)
            encoder.encode(codeHash)
        case .setContractFrozen(let name, let frozen):
            encoder.encode(UInt8(14))
            encoder.encode(string: name)
            encoder.encode(frozen)
        case .setTrustedIssuers(let type, let organizations):
            encoder.encode(UInt8(15))
            encoder.encode(string: type)
            encoder.encodeVarint(UInt64(organizations.count))
            for organization in organizations { encoder.encode(string: organization) }
        }
    }

    /// Reads a change: names not empty and within ``Limits/nameBytesMax``, at most
    /// ``GenesisOrganization/caCertificatesMax`` certificates of at most
    /// ``GenesisOrganization/certificateBytesMax`` bytes each.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let tag = try decoder.decodeUInt8("change.kind")
        switch tag {
        case 1:
            let name = try Self.name(&decoder, "change.organization")
            let count = try decoder.decodeCount("change.ca_certificates", max: GenesisOrganization.caCertificatesMax)
            var certificates: [[UInt8]] = []
            for _ in 0..<count {
                certificates.append(
                    try decoder.decodeBytes(
                        "change.ca_certificate",
                        max: GenesisOrganization.certificateBytesMax))
            }
            let adminName = try Self.name(&decoder, "change.admin_name")
            self = .addOrganization(
                name: name, caCertificates: certificates, adminName: adminName,
                adminKey: try decoder.decode(PublicKey.self))
        case 2: self = .removeOrganization(name: try Self.name(&decoder, "change.organization"))
        case 3:
            let organization = try Self.name(&decoder, "change.organization")
            self = .addAdmin(
                organization: organization, name: try Self.name(&decoder, "change.admin_name"),
                key: try decoder.decode(PublicKey.self))
        case 4:
            let organization = try Self.name(&decoder, "change.organization")
            self = .removeAdmin(organization: organization, address: try decoder.decode(Address.self))
        case 5:
            let validator = try decoder.decode(Validator.self)
            guard !validator.name.isEmpty, !validator.organization.isEmpty, validator.power > 0 else {
                throw .invalidValue(
                    field: "change.validator", reason: "a validator needs a name, an organization and positive power")
            }
            self = .addValidator(validator)
        case 6: self = .removeValidator(name: try Self.name(&decoder, "change.validator"))
        case 7:
            let name = try Self.name(&decoder, "change.validator")
            let power = try decoder.decodeUInt64("change.power")
            guard power > 0 else { throw .invalidValue(field: "change.power", reason: "voting power must be positive") }
            self = .setValidatorPower(name: name, power: power)
        case 8: self = .setBlockTransactionsMax(try decoder.decodeUInt32("change.block_transactions_max"))
        case 9: self = .setBlockIntervalMilliseconds(try decoder.decodeUInt32("change.block_interval_ms"))
        case 10:
            let algorithm = try decoder.decode(FingerprintAlgorithm.self)
            self = .revokeCertificate(algorithm: algorithm, fingerprint: try decoder.decode(Hash256.self))
        case 11:
            let resource = try decoder.decode(GovernedResource.self)
            self = .setPolicy(resource, try decoder.decode(GovernancePolicy.self))
        case 12:
            let name = try Self.name(&decoder, "change.contract")
            let codeHash = try decoder.decode(Hash256.self)
            self = .deployContract(name: name, codeHash: codeHash,
                                   initArguments: try decoder.decodeBytes("change.init_arguments", max: Limits.callArgumentsBytesMax / 2))
        case 13:
            let name = try Self.name(&decoder, "change.contract")
            self = .upgradeContract(name: name, codeHash: try decoder.decode(Hash256.self))
        case 14:
            let name = try Self.name(&decoder, "change.contract")
            self = .setContractFrozen(name: name, frozen: try decoder.decodeBool("change.frozen"))
        case 15:
            let type = try Self.name(&decoder, "change.certificate_type")
            let count = try decoder.decodeCount("change.organizations", max: GovernanceContract.trustedIssuersMax)
            var organizations: [String] = []
            for _ in 0..<count { organizations.append(try Self.name(&decoder, "change.organization")) }
            guard zip(organizations, organizations.dropFirst()).allSatisfy({ $0.0 < $0.1 }) else {
                throw .invalidValue(field: "change.organizations", reason: "list organizations sorted and distinct")
            }
            self = .setTrustedIssuers(certificateType: type, organizations: organizations)
        default: throw .unknownTag(field: "change.kind", tag: UInt64(tag))
        }
    }

    private static func name(_ decoder: inout CanonicalDecoder, _ field: String) throws(CodecError) -> String {
        let name = try decoder.decodeString(field, maxBytes: Limits.nameBytesMax)
        guard !name.isEmpty else { throw .invalidValue(field: field, reason: "must not be empty") }
        return name
    }
}
