import CivicCodec
import CivicCrypto
import CivicLedger

/// A WebAssembly contract deployed on the chain: its registry record under `contract/<name>`, written
/// only by governance (deploy, upgrade, freeze); its code is uploaded beforehand with ``CodeContract``
/// (`code/<code hash>`, read with ``CodeContract/code(_:read:)``).
///
/// Canonical bytes: name, version, code hash, frozen, deployed-at height, upgraded-at height, proposal id.
public struct DeployedContract: Hashable, Sendable, CanonicalCodable {
    /// The name transactions call it by; also its state namespace (`<name>/`).
    public var name: String
    /// 1 at deployment, +1 at each upgrade.
    public var version: UInt32
    /// The chain suite's hash of the code.
    public var codeHash: Hash256
    /// A frozen contract refuses every call (`contract.frozen`); its state stays readable.
    public var frozen: Bool
    /// The height of the deployment.
    public var deployedAt: Height
    /// The height of the latest upgrade (the deployment's until one happens).
    public var upgradedAt: Height
    /// The proposal that made the latest change (0 when deployed without governance, in tests).
    public var proposalID: UInt64

    /// Creates a record.
    public init(name: String, version: UInt32, codeHash: Hash256, frozen: Bool, deployedAt: Height,
                upgradedAt: Height, proposalID: UInt64) {
        self.name = name
        self.version = version
        self.codeHash = codeHash
        self.frozen = frozen
        self.deployedAt = deployedAt
        self.upgradedAt = upgradedAt
        self.proposalID = proposalID
    }

    /// The full state key of the record of contract `name`.
    public static func stateKey(_ name: String) -> [UInt8] { Array("contract/".utf8) + Array(name.utf8) }

    /// The record of contract `name`, or `nil` when no such contract is deployed. `read` returns the
    /// value under a full state key; a record that does not decode reads as absent.
    public static func load(_ name: String, read: ([UInt8]) -> [UInt8]?) -> DeployedContract? {
        read(stateKey(name)).flatMap { try? DeployedContract(canonicalBytes: $0) }
    }

    /// name, version, code hash, frozen, deployed-at, upgraded-at, proposal id.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: name)
        encoder.encode(version)
        encoder.encode(codeHash)
        encoder.encode(frozen)
        encoder.encode(deployedAt)
        encoder.encode(upgradedAt)
        encoder.encode(proposalID)
    }

    /// Reads a record.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        name = try decoder.decodeString("contract.name", maxBytes: Limits.nameBytesMax)
        version = try decoder.decodeUInt32("contract.version")
        codeHash = try decoder.decode(Hash256.self)
        frozen = try decoder.decodeBool("contract.frozen")
        deployedAt = try decoder.decode(Height.self)
        upgradedAt = try decoder.decode(Height.self)
        proposalID = try decoder.decodeUInt64("contract.proposal_id")
    }
}
