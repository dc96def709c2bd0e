import CivicCodec
import CivicLedger

/// A key–value store where every identity writes only in its own space.
///
/// State: `kv/<20-byte owner address>/<key>` → value.
public struct KeyValueContract: SystemContract {
    /// Longest user key, in bytes.
    public static let keyBytesMax = 128

    /// Arguments of `put` (and of `delete`, with an empty value).
    public struct Put: Hashable, Sendable, CanonicalCodable {
        /// The key within the caller's space.
        public var key: [UInt8]
        /// The value (ignored by `delete`).
        public var value: [UInt8]

        /// Creates arguments.
        public init(key: [UInt8], value: [UInt8]) {
            self.key = key
            self.value = value
        }

        /// key, value.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(bytes: key)
            encoder.encode(bytes: value)
        }

        /// Reads arguments; the key must not be empty.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            key = try decoder.decodeBytes("key", max: KeyValueContract.keyBytesMax)
            value = try decoder.decodeBytes("value", max: Limits.stateValueBytesMax)
            guard !key.isEmpty else { throw .invalidValue(field: "key", reason: "the key is empty") }
        }
    }

    /// `kv`.
    public let name = "kv"
    /// `delete`, `put`.
    public let methods = ["delete", "put"]

    /// Creates the contract.
    public init() {}

    /// The state key of `key` in `owner`'s space, relative to the contract's namespace.
    public static func relativeKey(owner: Address, key: [UInt8]) -> [UInt8] { owner.bytes + Array("/".utf8) + key }

    /// The full state key of `key` in `owner`'s space.
    public static func stateKey(owner: Address, key: [UInt8]) -> [UInt8] { Array("kv/".utf8) + relativeKey(owner: owner, key: key) }

    /// Runs `put` or `delete` in the caller's own space; admins, members and clients may write.
    public func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        guard methods.contains(method) else { throw .unknownMethod(name, method) }
        try context.require([.admin, .member, .client], toDo: "write key-value data")
        let request = try decodeArguments(Put.self, arguments, method: method)
        let key = KeyValueContract.relativeKey(owner: context.callerAddress, key: request.key)
        if method == "put" {
            try context.state.put(key, request.value)
        } else {
            guard context.state.get(key) != nil else {
                throw ContractFailure(code: "kv.not_found", message: "There is no value under that key to delete.")
            }
            context.state.delete(key)
        }
        try context.emit(method == "put" ? "kv.written" : "kv.deleted", [
            EventAttribute("owner", context.callerAddress.hex), EventAttribute("key", Hex.encode(request.key)),
        ])
        return []
    }
}
