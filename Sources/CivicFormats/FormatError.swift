import CivicCodec
import CivicCrypto
import Foundation

/// Why a file or JSON document could not be used.
public enum FormatError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadable(String, String)
    /// A field is wrong.
    case invalid(String, String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .unreadable: "format.unreadable"
        case .invalid: "format.invalid"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .unreadable(let path, let why): "Cannot read \(path): \(why)"
        case .invalid(let field, let why): "'\(field)' is invalid: \(why)"
        }
    }

    /// Parses a hex public key of `suite`.
    static func publicKey(_ hex: String, suite: CryptoSuite, field: String) throws(FormatError) -> PublicKey {
        guard let raw = Hex.decode(hex) else { throw .invalid(field, "not hexadecimal") }
        do { return try PublicKey(suite: suite, rawRepresentation: raw) } catch { throw .invalid(field, error.description) }
    }
}

/// The JSON settings used for every file and API body: snake_case keys, sorted, pretty.
public enum JSONFormat {
    /// Encoder with snake_case keys, sorted keys and pretty printing.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encoder for API bodies: snake_case keys, sorted, compact (machines read them; the CLI pretty-prints).
    public static var compactEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decoder with snake_case keys.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
