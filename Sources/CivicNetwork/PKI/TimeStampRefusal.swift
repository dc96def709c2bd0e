/// Why a time-stamp token was not accepted.
public enum TimeStampRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not one DER TimeStampToken (a CMS SignedData over a TSTInfo), or its version is not 1.
    case malformed(String)
    /// The token time-stamps another digest, or a digest of another hash function than the suite's.
    case digestMismatch
    /// The signer's certificate does not lead to the trusted CA, was not valid at genTime, or is not a
    /// time-stamping certificate (critical extendedKeyUsage `timeStamping` only).
    case untrustedSigner(String)
    /// The signature over the token, or its binding to the signer's certificate (ESS signingCertificateV2), is
    /// wrong.
    case invalidSignature(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .malformed: "timestamp.malformed"
        case .digestMismatch: "timestamp.digest_mismatch"
        case .untrustedSigner: "timestamp.untrusted_signer"
        case .invalidSignature: "timestamp.invalid_signature"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .malformed(let why): "The time-stamp token cannot be read: \(why)."
        case .digestMismatch: "The time-stamp token is for other data."
        case .untrustedSigner(let why):
            "The time-stamp token's signer is not a trusted time-stamping authority: \(why)."
        case .invalidSignature(let why): "The time-stamp token's signature is not valid: \(why)."
        }
    }
}
