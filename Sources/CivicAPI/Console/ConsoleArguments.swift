import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// A JSON value, read strictly: `true` is never a number and `1` never a boolean.
enum ConsoleJSON: Codable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ConsoleJSON])
    case object([String: ConsoleJSON])

    /// Reads whichever kind of value the decoder holds.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([ConsoleJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: ConsoleJSON].self)) }
    }

    /// Writes the value back as JSON.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// The JSON object of an action's arguments, read field by field with errors that name the field
/// (``ConsoleError/invalidArguments(_:)``).
struct ConsoleArguments: Sendable {
    private let fields: [String: ConsoleJSON]

    /// Reads `data` as a JSON object.
    /// - Throws: ``ConsoleError/invalidArguments(_:)`` unless it is one.
    init(json data: Data) throws(ConsoleError) {
        guard case .object(let fields)? = try? JSONDecoder().decode(ConsoleJSON.self, from: data) else {
            throw .invalidArguments("The arguments must be a JSON object.")
        }
        self.fields = fields
    }

    /// Wraps an object already read.
    init(_ fields: [String: ConsoleJSON]) { self.fields = fields }

    /// A required string, or the default when given and the field is missing.
    func string(_ field: String, default fallback: String? = nil) throws(ConsoleError) -> String {
        switch fields[field] {
        case .string(let text)?: return text
        case nil, .null?:
            if let fallback { return fallback }
            throw .invalidArguments("'\(field)' is required.")
        default: throw .invalidArguments("'\(field)' must be a string.")
        }
    }

    /// A required unsigned integer (a JSON number, or a string of digits for values above 2^53).
    func uint64(_ field: String, default fallback: UInt64? = nil) throws(ConsoleError) -> UInt64 {
        switch fields[field] {
        case .string(let text)?:
            if let number = UInt64(text) { return number }
        case .number(let number)?:
            if number >= 0, number == number.rounded(), number < 9_007_199_254_740_992 { return UInt64(number) }
        case nil, .null?:
            if let fallback { return fallback }
            throw .invalidArguments("'\(field)' is required.")
        default: break
        }
        throw .invalidArguments("'\(field)' must be a whole number of at least 0.")
    }

    /// A required boolean.
    func bool(_ field: String) throws(ConsoleError) -> Bool {
        guard case .bool(let value)? = fields[field] else { throw .invalidArguments("'\(field)' must be true or false.") }
        return value
    }

    /// A list of strings (empty when missing).
    func strings(_ field: String) throws(ConsoleError) -> [String] {
        switch fields[field] {
        case nil, .null?: return []
        case .array(let values)?:
            var strings: [String] = []
            for value in values {
                guard case .string(let text) = value else { throw .invalidArguments("'\(field)' must be a list of strings.") }
                strings.append(text)
            }
            return strings
        default: throw .invalidArguments("'\(field)' must be a list of strings.")
        }
    }

    /// A 32-byte hash as 64 hexadecimal digits.
    func hash(_ field: String) throws(ConsoleError) -> Hash256 {
        guard let bytes = Hex.decode(try string(field)), let hash = Hash256(validating: bytes) else {
            throw .invalidArguments("'\(field)' must be 64 hexadecimal digits.")
        }
        return hash
    }

    /// Bytes given as hexadecimal (empty when missing).
    func hexBytes(_ field: String) throws(ConsoleError) -> [UInt8] {
        guard let bytes = Hex.decode(try string(field, default: "")) else {
            throw .invalidArguments("'\(field)' must be hexadecimal.")
        }
        return bytes
    }

    /// Bytes given as base64.
    func base64Bytes(_ field: String) throws(ConsoleError) -> [UInt8] {
        guard let data = Data(base64Encoded: try string(field)) else { throw .invalidArguments("'\(field)' must be base64.") }
        return Array(data)
    }

    /// An address as 40 hexadecimal digits.
    func address(_ field: String) throws(ConsoleError) -> Address {
        guard let address = Address(hex: try string(field)) else {
            throw .invalidArguments("'\(field)' must be an address of 40 hexadecimal digits.")
        }
        return address
    }

    /// A nested object.
    func object(_ field: String) throws(ConsoleError) -> ConsoleArguments {
        guard case .object(let nested)? = fields[field] else { throw .invalidArguments("'\(field)' must be an object.") }
        return ConsoleArguments(nested)
    }

    /// A nested object decoded as `T` from its snake_case JSON form (drafts that have a file form, such as a
    /// catalog entry's).
    func decode<T: Decodable>(_ type: T.Type, _ field: String) throws(ConsoleError) -> T {
        guard case .object? = fields[field], let value = fields[field] else {
            throw .invalidArguments("'\(field)' must be an object.")
        }
        do {
            return try JSONFormat.decoder.decode(T.self, from: try JSONEncoder().encode(value))
        } catch {
            throw .invalidArguments("'\(field)' is not valid: \(error)")
        }
    }
}
