// Writing into a buffer sized beforehand. The hot paths (event attributes, state keys) compute the
// length first and fill one buffer, rather than growing arrays byte by byte through `String` and
// `Array` conversions: every Wasm operator a contract runs is gas (Docs/0012, "Gas"), and the
// growing version made a one-write, one-event call cost about 7 times the gas of the same call in
// C (Docs/0005, "WebAssembly contracts").

/// A cursor over memory the caller allocated with room for everything it appends.
struct RawByteWriter {
    private(set) var cursor: UnsafeMutableRawPointer

    /// A writer whose first byte goes to `start`.
    init(_ start: UnsafeMutableRawPointer) { cursor = start }

    /// Appends a 4-byte little-endian integer.
    @inline(__always)
    mutating func append(_ value: UInt32) {
        cursor.storeBytes(of: value.littleEndian, as: UInt32.self)
        cursor += 4
    }

    /// Appends raw bytes.
    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        cursor.copyMemory(from: source, byteCount: bytes.count)
        cursor += bytes.count
    }

    /// Appends `u32 length` then the UTF-8 bytes of `text`.
    mutating func appendLengthPrefixed(_ text: String) {
        withUTF8Buffer(text) { utf8 in
            append(UInt32(utf8.count))
            append(utf8)
        }
    }

    /// Appends the lowercase hexadecimal digits of `bytes` (two per byte): one 2-byte table entry
    /// per byte, since every operator is gas.
    mutating func appendHex(_ bytes: [UInt8]) {
        let table = UnsafeRawPointer(hexDigitPairs.utf8Start).assumingMemoryBound(to: UInt16.self)
        var output = cursor.assumingMemoryBound(to: UInt16.self)
        bytes.withUnsafeBufferPointer { source in
            for byte in source {
                output.pointee = table[Int(byte)]
                output += 1
            }
        }
        cursor = UnsafeMutableRawPointer(output)
    }

    /// Appends `u32 length` then the UTF-8 bytes of `text`.
    @inline(__always)
    mutating func appendLengthPrefixed(_ text: StaticString) {
        append(UInt32(text.utf8CodeUnitCount))
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `u32 length` then the lowercase hexadecimal digits of `bytes`.
    mutating func appendLengthPrefixedHex(_ bytes: [UInt8]) {
        append(UInt32(2 * bytes.count))
        appendHex(bytes)
    }
}

/// The two lowercase hex digits of every byte value, in order ("00", "01", …, "ff"): 512 bytes of
/// data in the module instead of two lookups and shifts per nibble.
let hexDigitPairs: StaticString = """
000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f\
303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f\
606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f\
909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\
c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef\
f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
"""

/// Calls `body` with `count` bytes of scratch memory (on the stack when they are few), for
/// buffers that only live during one host call.
@inline(__always)
func withScratch<R>(_ count: Int, _ body: (UnsafeMutableRawPointer) -> R) -> R {
    withUnsafeTemporaryAllocation(byteCount: max(count, 1), alignment: 4) { body($0.baseAddress!) }
}
