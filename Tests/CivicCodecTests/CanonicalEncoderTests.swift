import Testing
import CivicCodec

/// The bytes the encoder writes for each primitive, checked against hand-written expectations.
@Suite struct CanonicalEncoderTests {
    static func encoded(_ body: (inout CanonicalEncoder) -> Void) -> [UInt8] {
        var encoder = CanonicalEncoder()
        body(&encoder)
        return encoder.bytes
    }

    @Test func fixedWidthIntegersAreBigEndian() {
        #expect(Self.encoded { $0.encode(UInt8(0xab)) } == [0xab])
        #expect(Self.encoded { $0.encode(UInt16(0x0102)) } == [0x01, 0x02])
        #expect(Self.encoded { $0.encode(UInt32(0x0102_0304)) } == [0x01, 0x02, 0x03, 0x04])
        #expect(Self.encoded { $0.encode(UInt64(0x0102_0304_0506_0708)) } == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Self.encoded { $0.encode(UInt64.max) } == [UInt8](repeating: 0xff, count: 8))
        #expect(UInt32(7).canonicalBytes == [0, 0, 0, 7])
        #expect(UInt64(7).canonicalBytes == [0, 0, 0, 0, 0, 0, 0, 7])
    }

    static let varintCases: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7f]),
        (128, [0x80, 0x01]),
        (300, [0xac, 0x02]),
        (16_383, [0xff, 0x7f]),
        (16_384, [0x80, 0x80, 0x01]),
        (1 << 63, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
        (.max, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    ]

    @Test(arguments: varintCases)
    func varintIsShortestLEB128(value: UInt64, expected: [UInt8]) throws {
        let bytes = Self.encoded { $0.encodeVarint(value) }
        #expect(bytes == expected)
        var decoder = CanonicalDecoder(bytes)
        #expect(try decoder.decodeVarint("v") == value)
        try decoder.finish()
    }

    @Test func boolsStringsBytesAndSequences() {
        #expect(Self.encoded { $0.encode(true) } == [1])
        #expect(Self.encoded { $0.encode(false) } == [0])
        #expect(Self.encoded { $0.encode(string: "hé") } == [3, 0x68, 0xc3, 0xa9])
        #expect(Self.encoded { $0.encode(string: "") } == [0])
        #expect(Self.encoded { $0.encode(bytes: [9, 8]) } == [2, 9, 8])
        #expect(Self.encoded { $0.encode(fixed: [9, 8]) } == [9, 8])
        #expect(Self.encoded { $0.encode(sequence: [UInt32(1), UInt32(2)]) } == [2, 0, 0, 0, 1, 0, 0, 0, 2])
        #expect(Self.encoded { $0.encode(optional: UInt32?.none) } == [0])
        #expect(Self.encoded { $0.encode(optional: UInt32?.some(5)) } == [1, 0, 0, 0, 5])
        let long = [UInt8](repeating: 7, count: 200)
        #expect(Self.encoded { $0.encode(bytes: long) } == [0xc8, 0x01] + long)
    }
}
