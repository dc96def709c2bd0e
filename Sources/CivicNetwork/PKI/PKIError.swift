/// Why a CA or a certificate could not be made or loaded (an operating error, not a peer's refusal).
public enum PKIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument or a file is not usable: a key of the wrong suite, an empty name, a bad PEM, a CA that is not
    /// a CA.
    case invalidInput(String)
    /// OpenSSL failed while building or signing a certificate.
    case library(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .invalidInput: "pki.invalid_input"
        case .library: "pki.library"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .invalidInput(let why): "The certificate material is not usable: \(why)."
        case .library(let why): "OpenSSL failed while handling a certificate: \(why)."
        }
    }
}
