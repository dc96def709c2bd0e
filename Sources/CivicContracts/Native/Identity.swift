import CivicCodec
import CivicCrypto
import CivicLedger

/// An identity registered on the chain: who holds a key, for which organization, in which role.
///
/// Identities written by genesis or an admin's `identity.register` carry no certificate; those enrolled with
/// `identity.enroll` carry an ``IdentityCertificate`` that every transaction they sign is checked against.
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
    /// The identity certificate it enrolled with, or `nil` for an identity of genesis or of `identity.register`.
    public var certificate: IdentityCertificate?

    /// Creates an identity.
    public init(
        publicKey: PublicKey, name: String, organization: String, role: Role, active: Bool, registeredAt: Height,
        certificate: IdentityCertificate? = nil
    ) {
        self.publicKey = publicKey
        self.name = name
        self.organization = organization
        self.role = role
        self.active = active
        self.registeredAt = registeredAt
        self.certificate = certificate
    }

    /// The identity's address.
    public var address: Address { Address(publicKey: publicKey) }

    /// key, name, organization, role, active, registered-at; then, only for an enrolled identity, the byte 1 and
    /// its ``IdentityCertificate``.
    ///
    /// An identity without a certificate encodes exactly as before certificates existed, so stored records and
    /// genesis state roots are unchanged. The record is always a whole state value (never embedded in another
    /// record), which is what lets the certificate be an optional tail.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(publicKey)
        encoder.encode(string: name)
        encoder.encode(string: organization)
        encoder.encode(role)
        encoder.encode(active)
        encoder.encode(registeredAt)
        if let certificate {
            encoder.encode(UInt8(1))
            encoder.encode(certificate)
        }
    }

    /// Reads an identity; the certificate tail is read when bytes remain after the registered-at height.
    /// - Throws: ``CodecError`` for a tail whose tag is not 1 (a 0 would be a second encoding of "no certificate").
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        publicKey = try decoder.decode(PublicKey.self)
        name = try decoder.decodeString("identity.name", maxBytes: Limits.nameBytesMax)
        organization = try decoder.decodeString("identity.organization", maxBytes: Limits.nameBytesMax)
        role = try decoder.decode(Role.self)
        active = try decoder.decodeBool("identity.active")
        registeredAt = try decoder.decode(Height.self)
        certificate = nil
        if decoder.remaining > 0 {
            let tag = try decoder.decodeUInt8("identity.certificate")
            guard tag == 1 else { throw .unknownTag(field: "identity.certificate", tag: UInt64(tag)) }
            certificate = try decoder.decode(IdentityCertificate.self)
        }
    }

    /// The prefix of every identity's state key.
    public static let stateKeyPrefix = Array("identity/".utf8)

    /// The full state key of the identity at `address`: `identity/` followed by the 20 address bytes.
    public static func stateKey(_ address: Address) -> [UInt8] { stateKeyPrefix + address.bytes }
}
