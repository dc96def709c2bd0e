// Joining byte strings and text into one key or value, in one allocation. State keys are usually
// built from parts (`"balance/"` and an address); `Array("balance/".utf8) + address` converts the
// text through `String.UTF8View` and grows and copies arrays in generic standard-library code,
// about a thousand Wasm operators (gas) per key where this takes a few hundred.

/// Something whose bytes can be copied as they are: byte arrays, and text as its UTF-8.
public protocol ByteConvertible {
    /// How many bytes it has.
    var byteCount: Int { get }
    /// Copies its bytes to `destination` (which has room for ``byteCount`` bytes).
    func copyBytes(to destination: UnsafeMutableRawPointer)
}

extension Array: ByteConvertible where Element == UInt8 {
    /// The array's length.
    public var byteCount: Int { count }
    /// Copies the array's bytes to `destination`.
    public func copyBytes(to destination: UnsafeMutableRawPointer) {
        withUnsafeBytes { var writer = RawByteWriter(destination); writer.append($0) }
    }
}

extension String: ByteConvertible {
    /// The length of the UTF-8 encoding.
    public var byteCount: Int { utf8.count }
    /// Copies the UTF-8 bytes to `destination`.
    public func copyBytes(to destination: UnsafeMutableRawPointer) {
        withUTF8Buffer(self) { var writer = RawByteWriter(destination); writer.append($0) }
    }
}

extension Bytes {
    /// The bytes of `first` then `second`, in one allocation: `Bytes.concat("balance/", address)`.
    /// Text contributes its UTF-8 bytes.
    public static func concat<First: ByteConvertible, Second: ByteConvertible>(
        _ first: First, _ second: Second
    ) -> [UInt8] {
        concatenate(first.byteCount, second.byteCount, 0) { cursor in
            first.copyBytes(to: cursor)
            second.copyBytes(to: cursor + first.byteCount)
        }
    }

    /// The bytes of three parts one after the other, in one allocation: `Bytes.concat(owner, "/", key)`.
    public static func concat<First: ByteConvertible, Second: ByteConvertible, Third: ByteConvertible>(
        _ first: First, _ second: Second, _ third: Third
    ) -> [UInt8] {
        concatenate(first.byteCount, second.byteCount, third.byteCount) { cursor in
            first.copyBytes(to: cursor)
            second.copyBytes(to: cursor + first.byteCount)
            third.copyBytes(to: cursor + first.byteCount + second.byteCount)
        }
    }

    /// An array of `first + second + third` bytes that `fill` writes.
    @inline(__always)
    static func concatenate(_ first: Int, _ second: Int, _ third: Int,
                            _ fill: (UnsafeMutableRawPointer) -> Void) -> [UInt8] {
        let length = first + second + third
        if length == 0 { return [] }
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            fill(UnsafeMutableRawPointer(buffer.baseAddress!))
            initialized = length
        }
    }
}
