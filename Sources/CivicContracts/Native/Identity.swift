import CivicCodec
import CivicCrypto
import CivicLedger

/// An identity registered on the chain: who holds a key, for which organization, in which role.
public struct Identity: Hashable, Sendable, CanonicalCodable {
    /// The identity's key.
    public var publicKey: PublicKey
    /// A person's or service's name.
    public var name: String
    /// Its organization (department, court, bank…).
    public var organization: String
    /// What it may do.
    public var role: Role
    /// Whether it may still sign transactions.
    public var active: Bool
    /// The height it was registered at (0 for genesis).
    public var registeredAt: Height

    /// Creates an identity.
    public init(publicKey: PublicKey, name: String, organization: String, role: Role, active: Bool, registeredAt: Height) {
        self.publicKey = publicKey
        self.name = name
        self.organization = organization
        self.role = role
        self.active = active
        self.registeredAt = registeredAt
    }

    /// The identity's address.
    public var address: Address { Address(publicKey: publicKey) }

    /// key, name, organization, role, active, registered-at.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(publicKey)
        encoder.encode(string: name)
        encoder.encode(string: organization)
        encoder.encode(role)
        encoder.encode(active)
        encoder.encode(registeredAt)
    }

    /// Reads an identity.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        publicKey = try decoder.decode(PublicKey.self)
        name = try decoder.decodeString("identity.name", maxBytes: Limits.nameBytesMax)
        organization = try decoder.decodeString("identity.organization", maxBytes: Limits.nameBytesMax)
        role = try decoder.decode(Role.self)
        active = try decoder.decodeBool("identity.active")
        registeredAt = try decoder.decode(Height.self)
    }

    /// The full state key of the identity at `address`: `identity/` followed by the 20 address bytes.
    public static func stateKey(_ address: Address) -> [UInt8] { Array("identity/".utf8) + address.bytes }
}
