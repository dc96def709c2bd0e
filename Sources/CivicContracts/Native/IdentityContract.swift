import CivicCodec
import CivicCrypto
import CivicLedger

/// The identity registry: admins register keys with a name, organization and role, change
/// roles and deactivate identities; the holder of a key enrolls itself with an identity certificate issued by a
/// member organization's CA (`enroll`, see ``enroll(_:context:)``). Every other contract checks callers against it.
///
/// State: `identity/<20-byte address>` → canonical ``Identity``.
public struct IdentityContract: SystemContract {
    /// Arguments of `register`.
    public struct Register: Hashable, Sendable, CanonicalCodable {
        /// The new identity's key (in the chain's suite).
        public var publicKey: PublicKey
        /// Its name.
        public var name: String
        /// Its organization.
        public var organization: String
        /// Its role.
        public var role: Role

        /// Creates arguments.
        public init(publicKey: PublicKey, name: String, organization: String, role: Role) {
            self.publicKey = publicKey
            self.name = name
            self.organization = organization
            self.role = role
        }

        /// key, name, organization, role.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(publicKey)
            encoder.encode(string: name)
            encoder.encode(string: organization)
            encoder.encode(role)
        }

        /// Reads arguments; names must not be empty.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            publicKey = try decoder.decode(PublicKey.self)
            name = try decoder.decodeString("name", maxBytes: Limits.nameBytesMax)
            organization = try decoder.decodeString("organization", maxBytes: Limits.nameBytesMax)
            role = try decoder.decode(Role.self)
            guard !name.isEmpty, !organization.isEmpty else {
                throw .invalidValue(field: "name", reason: "name and organization must not be empty")
            }
        }
    }

    /// Arguments of `set_role` and `deactivate`.
    public struct Change: Hashable, Sendable, CanonicalCodable {
        /// The identity to change.
        public var address: Address
        /// The new role (ignored by `deactivate`).
        public var role: Role

        /// Creates arguments.
        public init(address: Address, role: Role) {
            self.address = address
            self.role = role
        }

        /// address, role.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(address)
            encoder.encode(role)
        }

        /// Reads arguments.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            address = try decoder.decode(Address.self)
            role = try decoder.decode(Role.self)
        }
    }

    /// `identity`.
    public let name = "identity"
    /// `deactivate`, `enroll`, `register`, `set_role`.
    public let methods = ["deactivate", "enroll", "register", "set_role"]
    /// `enroll`: a key enrolls itself before it is registered.
    public let methodsOpenToUnregistered = ["enroll"]
    /// Checks the certificates that `enroll` presents.
    public let certificates: any CertificateChecker

    /// Creates the contract; `certificates` checks enrollments (the default refuses them all).
    public init(certificates: any CertificateChecker = NoCertificateChecker()) {
        self.certificates = certificates
    }

    /// Runs `register`, `set_role` or `deactivate` (each needs the admin role), or `enroll` (anyone holding the
    /// key of a valid identity certificate; the arguments are the certificate's DER).
    public func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        switch method {
        case "enroll":
            return try enroll(arguments, context: &context)
        case "register":
            try context.require([.admin], toDo: "register identities")
            let request = try decodeArguments(Register.self, arguments, method: method)
            guard request.publicKey.suite == context.block.suite else {
                throw ContractFailure(code: "identity.wrong_suite",
                                      message: "The key is for the '\(request.publicKey.suite)' suite; this chain uses '\(context.block.suite)'.")
            }
            let address = Address(publicKey: request.publicKey)
            guard context.state.get(address.bytes) == nil else {
                throw ContractFailure(code: "identity.exists", message: "An identity with address \(address) is already registered.")
            }
            let identity = Identity(publicKey: request.publicKey, name: request.name, organization: request.organization,
                                    role: request.role, active: true, registeredAt: context.block.height)
            try context.state.put(address.bytes, identity.canonicalBytes)
            try context.emit("identity.registered", [
                EventAttribute("address", address.hex), EventAttribute("name", request.name),
                EventAttribute("organization", request.organization), EventAttribute("role", request.role.name),
            ])
            return address.bytes
        case "set_role", "deactivate":
            try context.require([.admin], toDo: "change identities")
            let request = try decodeArguments(Change.self, arguments, method: method)
            guard let stored = context.state.get(request.address.bytes),
                  var identity = try? Identity(canonicalBytes: stored) else {
                throw ContractFailure(code: "identity.not_found", message: "No identity is registered at address \(request.address).")
            }
            guard request.address != context.callerAddress else {
                throw ContractFailure(code: "identity.self_change", message: "An admin may not change or deactivate their own identity.")
            }
            if method == "deactivate" { identity.active = false } else { identity.role = request.role }
            try context.state.put(request.address.bytes, identity.canonicalBytes)
            try context.emit(method == "deactivate" ? "identity.deactivated" : "identity.role_changed", [
                EventAttribute("address", request.address.hex), EventAttribute("role", identity.role.name),
            ])
            return []
        default:
            throw .unknownMethod(name, method)
        }
    }
}
