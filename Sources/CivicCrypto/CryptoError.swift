/// Why a key, signature or ciphertext was refused.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a key of the expected suite (wrong length, not on the curve, bad PEM).
    case invalidKey(String)
    /// The signature bytes are malformed (not 64 bytes r||s, or bad DER).
    case invalidSignature(String)
    /// The key belongs to a different suite than the chain's.
    case wrongSuite(expected: CryptoSuite, actual: CryptoSuite)
    /// Decryption failed: wrong key, or the ciphertext or its tag was altered.
    case decryptionFailed
    /// The bytes cannot be a ciphertext of the expected format: too short, an unknown version or suite tag.
    case malformedCiphertext(String)
    /// The underlying library reported an error.
    case library(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .invalidKey: "crypto.invalid_key"
        case .invalidSignature: "crypto.invalid_signature"
        case .wrongSuite: "crypto.wrong_suite"
        case .decryptionFailed: "crypto.decryption_failed"
        case .malformedCiphertext: "crypto.malformed_ciphertext"
        case .library: "crypto.library"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .invalidKey(let why): "The key is not usable: \(why)."
        case .invalidSignature(let why): "The signature is malformed: \(why)."
        case .wrongSuite(let expected, let actual):
            "The key is for the '\(actual)' suite but this chain uses '\(expected)'."
        case .decryptionFailed: "Decryption failed: the key is wrong or the data was altered."
        case .malformedCiphertext(let why): "The ciphertext is malformed: \(why)."
        case .library(let why): "The cryptography library failed: \(why)."
        }
    }
}
