// Events, hashing, signatures and calls to other contracts (Docs/0012).

/// Emits an event of this contract whose attribute values are text (at most 64 events per
/// transaction); the host takes them as repeated `u32 klen, key, u32 vlen, value`, all UTF-8.
public func emit(_ name: StaticString, _ attributes: [(key: StaticString, value: String)]) {
    var length = 0
    for attribute in attributes { length += 8 + attribute.key.utf8CodeUnitCount + attribute.value.utf8.count }
    withScratch(length) { start in
        var writer = RawByteWriter(start)
        for attribute in attributes {
            writer.appendLengthPrefixed(attribute.key)
            writer.appendLengthPrefixed(attribute.value)
        }
        emitEvent(name, start, length)
    }
}

/// Emits an event whose attribute values are bytes (addresses, hashes): each is written in
/// lower-case hex, as native contracts write theirs, since event attributes are text.
public func emit(_ name: StaticString, _ attributes: [(key: StaticString, value: [UInt8])]) {
    var length = 0
    for attribute in attributes { length += 8 + attribute.key.utf8CodeUnitCount + 2 * attribute.value.count }
    withScratch(length) { start in
        var writer = RawByteWriter(start)
        for attribute in attributes {
            writer.appendLengthPrefixed(attribute.key)
            writer.appendLengthPrefixedHex(attribute.value)
        }
        emitEvent(name, start, length)
    }
}

/// Hands the encoded attributes (`length` bytes at `attributes`) to the host under `name`.
func emitEvent(_ name: StaticString, _ attributes: UnsafeMutableRawPointer, _ length: Int) {
    civic_emit_event(name.utf8Start, Int32(name.utf8CodeUnitCount), attributes, Int32(length))
}

/// The chain suite's hash (SM3 or SHA-256) of `bytes`: 32 bytes.
public func hash(_ bytes: [UInt8]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
        withBytes(bytes) { civic_hash($0, $1, UnsafeMutableRawPointer(buffer.baseAddress)) }
        count = 32
    }
}

/// Whether `signature` (64-byte `r‖s`) is the chain suite's signature of `message` by the raw `key`.
public func verifySignature(key: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool {
    withBytes(key) { keyPointer, keyLength in
        withBytes(message) { messagePointer, messageLength in
            withBytes(signature) {
                civic_verify_signature(keyPointer, keyLength, messagePointer, messageLength, $0, $1) == 1
            }
        }
    }
}

/// Calls to other deployed (Wasm) contracts.
public enum Contract {
    /// A failed call: the callee's receipt code and message; its writes and events were discarded.
    public struct Failure: Error {
        /// The receipt code, such as `token.insufficient_balance` or `contract.unknown_method`.
        public var code: String
        /// The sentence that explains it.
        public var message: String
    }

    /// Calls `method` of the contract `name` with `arguments`: its return data, or its failure.
    public static func call(_ name: String, _ method: String, _ arguments: [UInt8] = []) -> Result<[UInt8], Failure> {
        let status = withUTF8(name) { namePointer, nameLength in
            withUTF8(method) { methodPointer, methodLength in
                withBytes(arguments) { civic_call(namePointer, nameLength, methodPointer, methodLength, $0, $1) }
            }
        }
        // The result buffer holds the callee's return data (status 0) or `code\nmessage` (status 1).
        let result = status == 0 || status == 1 ? readResultOfUnknownLength() : []
        if status == 0 { return .success(result) }
        let newline = result.firstIndex(of: 10) ?? result.endIndex
        let code = Bytes.string(Array(result[..<newline])) ?? ""
        let message = newline < result.endIndex ? Bytes.string(Array(result[(newline + 1)...])) ?? "" : ""
        return .failure(Failure(code: code, message: message))
    }
}

/// The ABI's `call` returns a status, not the result buffer's length, so the length is found by
/// reading the buffer twice, into memory filled with 0x00 and then 0xFF: the copies agree exactly on
/// the bytes the host wrote, and the first index where they differ is the length. Values are at most
/// 64 KiB (Docs/0012), so 64 KiB + 1 bytes suffice.
func readResultOfUnknownLength() -> [UInt8] {
    let capacity = 65_536 + 1
    var zeros = [UInt8](repeating: 0x00, count: capacity)
    var ones = [UInt8](repeating: 0xFF, count: capacity)
    zeros.withUnsafeMutableBytes { civic_result_read($0.baseAddress) }
    ones.withUnsafeMutableBytes { civic_result_read($0.baseAddress) }
    var length = 0
    while length < capacity, zeros[length] == ones[length] { length += 1 }
    zeros.removeLast(capacity - length)
    return zeros
}
