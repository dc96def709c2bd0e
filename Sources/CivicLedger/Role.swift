import CivicCodec

/// What an identity may do on the chain.
///
/// - `admin`: manages identities of the chain (registers, changes roles, deactivates).
/// - `member`: a department's staff identity: may write data and evidence.
/// - `client`: an application or citizen-facing service: may write evidence and its own data.
/// - `auditor`: reads and verifies; may not write.
/// - `validator`: a node's identity.
/// - `observer`: a light node or read-only party.
public enum Role: UInt8, Sendable, CaseIterable, CustomStringConvertible, CanonicalCodable {
    /// Manages identities.
    case admin = 1
    /// A department's identity.
    case member = 2
    /// An application's identity.
    case client = 3
    /// Read-only auditor.
    case auditor = 4
    /// A validator node.
    case validator = 5
    /// Read-only observer.
    case observer = 6

    /// The lower-case name used in files, the CLI and the API.
    public var name: String {
        switch self {
        case .admin: "admin"
        case .member: "member"
        case .client: "client"
        case .auditor: "auditor"
        case .validator: "validator"
        case .observer: "observer"
        }
    }

    /// The role called `name`, or `nil`.
    public init?(name: String) {
        guard let role = Role.allCases.first(where: { $0.name == name }) else { return nil }
        self = role
    }

    /// Whether this role may submit transactions that change application data.
    public var canWrite: Bool { self == .admin || self == .member || self == .client }

    /// `name`.
    public var description: String { name }

    /// One byte.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }

    /// Reads the role byte.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let byte = try decoder.decodeUInt8("role")
        guard let role = Role(rawValue: byte) else { throw .unknownTag(field: "role", tag: UInt64(byte)) }
        self = role
    }
}
