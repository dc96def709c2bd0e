/// The family of algorithms a chain uses, chosen once at genesis and recorded in it.
///
/// - `sm`: China's national cryptography: SM2 signatures (with SM3 and the GM/T 0009 default
///   user id `1234567812345678`), SM3 hashing, SM4 encryption; through OpenSSL libcrypto 3.0.
/// - `intl`: ECDSA P-256 with SHA-256, SHA-256 hashing, AES-GCM encryption; through swift-crypto.
///
/// The raw value is the byte written into canonical encodings.
public enum CryptoSuite: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// SM2 / SM3 / SM4.
    case sm = 1
    /// ECDSA P-256 / SHA-256 / AES-GCM.
    case intl = 2

    /// The name used in genesis files, the CLI and the API: `sm` or `intl`.
    public var name: String {
        switch self {
        case .sm: "sm"
        case .intl: "intl"
        }
    }

    /// The name of the suite's hash function as people know it.
    public var hashName: String {
        switch self {
        case .sm: "SM3"
        case .intl: "SHA-256"
        }
    }

    /// The name of the suite's signature algorithm as people know it.
    public var signatureName: String {
        switch self {
        case .sm: "SM2-with-SM3"
        case .intl: "ECDSA-P256-SHA256"
        }
    }

    /// The suite called `name`, or `nil`.
    public init?(name: String) {
        guard let suite = CryptoSuite.allCases.first(where: { $0.name == name }) else { return nil }
        self = suite
    }

    /// `name`.
    public var description: String { name }
}
