// The call's own input and output: arguments, return data, failure (Docs/0012, "Host functions").

/// The arguments of the current call (or, in `civic_migrate`, the previous version number).
public enum Input {
    /// The call's arguments, as the transaction or the calling contract sent them.
    public static func bytes() -> [UInt8] {
        let length = civic_input_length()
        if length <= 0 { return [] }
        return [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, count in
            civic_input_read(UnsafeMutableRawPointer(buffer.baseAddress))
            count = Int(length)
        }
    }

    /// The arguments as UTF-8 text; the call fails with `invalid_input` when they are not UTF-8.
    public static func string() -> String {
        guard let text = Bytes.string(bytes()) else { fail("invalid_input", "the arguments are not UTF-8") }
        return text
    }

    /// A reader over the arguments, for contracts that encode them with ``ByteWriter``.
    public static func reader() -> ByteReader { ByteReader(bytes()) }
}

/// Sets the call's return data; the last call wins.
public func returnData(_ bytes: [UInt8]) {
    withBytes(bytes) { civic_return_data($0, $1) }
}

/// Sets the call's return data to UTF-8 text.
public func returnData(_ text: String) {
    withUTF8(text) { civic_return_data($0, $1) }
}

/// Ends the call with a failure: the receipt code is `<contract>.<code>` (`code` matches
/// `[a-z0-9_.]{1,64}`), the message (at most 1 KiB) says why. State changes and events are discarded.
public func fail(_ code: String, _ message: String) -> Never {
    withUTF8(code) { codePointer, codeLength in
        withUTF8(message) { civic_fail(codePointer, codeLength, $0, $1) }
    }
    // The host does not return from `fail`; should it ever, trapping keeps the state untouched.
    fatalError()
}

/// Fails with `code` and `message` unless `condition` holds.
@inline(__always)
public func require(_ condition: Bool, _ code: String, _ message: @autoclosure () -> String) {
    if !condition { fail(code, message()) }
}
