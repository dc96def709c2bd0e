import CivicCrypto
import CivicLedger

/// The fingerprint under which the usage trail names a citizen or company (Docs/0016, "Subjects"): HMAC of the
/// identifier (an ID card number, a unified social credit code) with the chain suite's hash and a salt that the
/// member departments share off chain. The raw identifier never goes on chain, and without the salt nobody can test
/// guesses of identifiers (which have little entropy) against the trail.
public enum SubjectFingerprint {
    /// The suite hash's block size, in bytes (SM3 and SHA-256 both use 64).
    static let blockBytes = 64

    /// The salt a salt file holds: its bytes without one trailing newline (`\n` or `\r\n`), so that a salt written
    /// by an editor and one written by `civic devnet` give the same fingerprints. Gateways and the CLI read salt
    /// files through this.
    public static func salt(fileBytes: [UInt8]) -> [UInt8] {
        var bytes = fileBytes
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }

    /// HMAC-`suite`(salt, identifier), with spaces and tabs removed from the identifier and ASCII letters upper-cased
    /// (ID card numbers end in `X` or `x`).
    public static func make(identifier: String, salt: [UInt8], suite: CryptoSuite) -> Hash256 {
        let bytes = identifier.utf8.filter { $0 != 0x20 && $0 != 0x09 }.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
        return hmac(key: salt, message: bytes, suite: suite)
    }

    /// HMAC (RFC 2104) over the suite's hash function.
    public static func hmac(key: [UInt8], message: [UInt8], suite: CryptoSuite) -> Hash256 {
        var block = key.count > blockBytes ? suite.hash(key).bytes : key
        block += [UInt8](repeating: 0, count: blockBytes - block.count)
        let inner = suite.hash(block.map { $0 ^ 0x36 } + message)
        return suite.hash(block.map { $0 ^ 0x5C } + inner.bytes)
    }
}
