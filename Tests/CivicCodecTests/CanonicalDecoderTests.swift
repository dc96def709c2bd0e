import Testing
import CivicCodec

/// The decoder's strictness: every non-canonical or malformed input is refused with the right error.
@Suite struct CanonicalDecoderTests {
    static func varint(_ bytes: [UInt8]) throws(CodecError) -> UInt64 {
        var decoder = CanonicalDecoder(bytes)
        let value = try decoder.decodeVarint("v")
        try decoder.finish()
        return value
    }

    @Test func fixedWidthIntegersReadBigEndianAndRefuseShortInput() throws {
        var decoder = CanonicalDecoder([0x01, 0x02, 0x01, 0x02, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 0xee])
        #expect(try decoder.decodeUInt16("a") == 0x0102)
        #expect(try decoder.decodeUInt32("b") == 0x0102_0304)
        #expect(try decoder.decodeUInt64("c") == 0x0102_0304_0506_0708)
        #expect(try decoder.decodeUInt8("d") == 0xee)
        #expect(decoder.remaining == 0)
        #expect(throws: CodecError.truncated(field: "e")) { try decoder.decodeUInt8("e") }
        #expect(throws: CodecError.truncated(field: "u64")) { try UInt64(canonicalBytes: [1, 2, 3, 4, 5, 6, 7]) }
        #expect(throws: CodecError.truncated(field: "u32")) { try UInt32(canonicalBytes: [1, 2, 3]) }
        #expect(throws: CodecError.trailingBytes(count: 1)) { try UInt32(canonicalBytes: [1, 2, 3, 4, 5]) }
    }

    static let paddedVarints: [[UInt8]] = [
        [0x80, 0x00],                        // 0 padded to two bytes
        [0x81, 0x00],                        // 1 padded
        [0xff, 0x80, 0x00],                  // 127 padded to three bytes
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // zero, ten bytes
    ]

    @Test(arguments: paddedVarints)
    func varintRefusesPaddedForms(bytes: [UInt8]) {
        #expect(throws: CodecError.nonCanonicalInteger(field: "v")) { try Self.varint(bytes) }
    }

    static let overflowingVarints: [[UInt8]] = [
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02],        // 2^64: one bit too many
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],        // far beyond 64 bits
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x01],  // an eleventh byte
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],  // eleven bytes
    ]

    @Test(arguments: overflowingVarints)
    func varintRefusesOverflowAndMoreThanTenBytes(bytes: [UInt8]) {
        #expect(throws: CodecError.nonCanonicalInteger(field: "v")) { try Self.varint(bytes) }
    }

    @Test func varintAcceptsTheLargestTenByteForm() throws {
        #expect(try Self.varint([UInt8](repeating: 0xff, count: 9) + [0x01]) == UInt64.max)
        #expect(throws: CodecError.truncated(field: "v")) { try Self.varint([0x80]) }
        #expect(throws: CodecError.truncated(field: "v")) { try Self.varint([]) }
    }

    @Test func boolAndOptionalMarkersOtherThanZeroOrOneAreRefused() throws {
        for byte in UInt8(2)...UInt8(255) {
            var decoder = CanonicalDecoder([byte])
            #expect(throws: CodecError.invalidMarker(field: "flag", byte: byte)) { try decoder.decodeBool("flag") }
            var optional = CanonicalDecoder([byte, 0, 0, 0, 1])
            #expect(throws: CodecError.invalidMarker(field: "opt", byte: byte)) {
                try optional.decodeOptional(UInt32.self, "opt")
            }
        }
        var decoder = CanonicalDecoder([0, 1, 0, 1, 0, 0, 0, 9])
        #expect(try decoder.decodeBool("a") == false)
        #expect(try decoder.decodeBool("b") == true)
        #expect(try decoder.decodeOptional(UInt32.self, "c") == nil)
        #expect(try decoder.decodeOptional(UInt32.self, "d") == 9)
    }

    static let invalidUTF8: [[UInt8]] = [
        [0xff],                        // never valid
        [0xc3],                        // truncated two-byte sequence
        [0xc0, 0x80],                  // overlong NUL
        [0xed, 0xa0, 0x80],            // UTF-16 surrogate
        [0xf4, 0x90, 0x80, 0x80],      // beyond U+10FFFF
        [0x61, 0x80],                  // lone continuation byte
    ]

    @Test(arguments: invalidUTF8)
    func stringsMustBeValidUTF8(raw: [UInt8]) {
        var decoder = CanonicalDecoder([UInt8(raw.count)] + raw)
        #expect(throws: CodecError.invalidUTF8(field: "s")) { try decoder.decodeString("s", maxBytes: 64) }
    }

    @Test func stringsDecode() throws {
        var decoder = CanonicalDecoder([3, 0x68, 0xc3, 0xa9, 0])
        #expect(try decoder.decodeString("s", maxBytes: 3) == "hé")
        #expect(try decoder.decodeString("t", maxBytes: 0) == "")
        try decoder.finish()
    }

    @Test func lengthLimitsAreCheckedBeforeReading() {
        // A length of 2^63 with no bytes behind it: refused as too large, not as truncated, so the
        // limit is checked first and nothing is allocated for it.
        let huge: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        var decoder = CanonicalDecoder(huge)
        #expect(throws: CodecError.tooLarge(field: "b", count: 1 << 63, max: 16)) { try decoder.decodeBytes("b", max: 16) }
        var exact = CanonicalDecoder([3, 1, 2, 3])
        #expect(throws: CodecError.tooLarge(field: "b", count: 3, max: 2)) { try exact.decodeBytes("b", max: 2) }
        var string = CanonicalDecoder([5, 0x61, 0x61, 0x61, 0x61, 0x61])
        #expect(throws: CodecError.tooLarge(field: "s", count: 5, max: 4)) { try string.decodeString("s", maxBytes: 4) }
        var count = CanonicalDecoder([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
        #expect(throws: CodecError.tooLarge(field: "n", count: .max, max: Int.max)) { try count.decodeCount("n", max: .max) }
        var short = CanonicalDecoder([4, 1, 2, 3])
        #expect(throws: CodecError.truncated(field: "b")) { try short.decodeBytes("b", max: 16) }
    }

    @Test func sequenceCountsLargerThanTheRemainingInputAreRefused() throws {
        // A count of 1000 within the limit but with only 3 bytes behind it.
        var decoder = CanonicalDecoder([0xe8, 0x07, 1, 2, 3])
        #expect(throws: CodecError.truncated(field: "seq")) { try decoder.decodeSequence(UInt32.self, "seq", max: 10_000) }
        var over = CanonicalDecoder([3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(throws: CodecError.tooLarge(field: "seq", count: 3, max: 2)) { try over.decodeSequence(UInt32.self, "seq", max: 2) }
        var fine = CanonicalDecoder([2, 0, 0, 0, 1, 0, 0, 0, 2])
        #expect(try fine.decodeSequence(UInt32.self, "seq", max: 2) == [1, 2])
        try fine.finish()
    }

    @Test func trailingBytesAreRefused() throws {
        #expect(throws: CodecError.trailingBytes(count: 2)) { try UInt64(canonicalBytes: [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]) }
        var decoder = CanonicalDecoder([1, 2])
        _ = try decoder.decodeUInt8("a")
        #expect(throws: CodecError.trailingBytes(count: 1)) { try decoder.finish() }
        #expect(try UInt64(canonicalBytes: [0, 0, 0, 0, 0, 0, 0, 1]) == 1)
    }

    @Test func fixedReadsExactlyAndRefusesShortInput() throws {
        var decoder = CanonicalDecoder([1, 2, 3])
        #expect(try decoder.decodeFixed("f", count: 2) == [1, 2])
        #expect(decoder.position == 2)
        #expect(throws: CodecError.truncated(field: "g")) { try decoder.decodeFixed("g", count: 2) }
    }

    @Test func errorCodesAreStable() {
        let errors: [(CodecError, String)] = [
            (.truncated(field: "a"), "codec.truncated"), (.trailingBytes(count: 1), "codec.trailing_bytes"),
            (.nonCanonicalInteger(field: "a"), "codec.non_canonical_integer"),
            (.invalidMarker(field: "a", byte: 2), "codec.invalid_marker"),
            (.unknownTag(field: "a", tag: 9), "codec.unknown_tag"),
            (.tooLarge(field: "a", count: 2, max: 1), "codec.too_large"), (.invalidUTF8(field: "a"), "codec.invalid_utf8"),
            (.unsupportedVersion(type: "t", version: 2), "codec.unsupported_version"),
            (.invalidValue(field: "a", reason: "r"), "codec.invalid_value"),
        ]
        for (error, code) in errors {
            #expect(error.code == code)
            #expect(!error.description.isEmpty)
        }
    }
}
