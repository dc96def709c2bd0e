import CivicTesting
import Testing
import CivicCodec

/// A record using every primitive the codec offers, for property tests of the codec on its own.
struct SampleRecord: Hashable, CanonicalCodable {
    enum Shape: Hashable {
        case none
        case point(UInt32)
        case label(String)
    }

    var flag: Bool
    var small: UInt8
    var medium: UInt16
    var word: UInt32
    var wide: UInt64
    var count: UInt64
    var name: String
    var blob: [UInt8]
    var fixed: [UInt8]
    var maybe: UInt32?
    var list: [UInt64]
    var shape: Shape

    func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(flag)
        encoder.encode(small)
        encoder.encode(medium)
        encoder.encode(word)
        encoder.encode(wide)
        encoder.encodeVarint(count)
        encoder.encode(string: name)
        encoder.encode(bytes: blob)
        encoder.encode(fixed: fixed)
        encoder.encode(optional: maybe)
        encoder.encode(sequence: list)
        switch shape {
        case .none: encoder.encodeVarint(0)
        case .point(let value): encoder.encodeVarint(1); encoder.encode(value)
        case .label(let text): encoder.encodeVarint(2); encoder.encode(string: text)
        }
    }

    init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        flag = try decoder.decodeBool("flag")
        small = try decoder.decodeUInt8("small")
        medium = try decoder.decodeUInt16("medium")
        word = try decoder.decodeUInt32("word")
        wide = try decoder.decodeUInt64("wide")
        count = try decoder.decodeVarint("count")
        name = try decoder.decodeString("name", maxBytes: 16)
        blob = try decoder.decodeBytes("blob", max: 16)
        fixed = try decoder.decodeFixed("fixed", count: 3)
        maybe = try decoder.decodeOptional(UInt32.self, "maybe")
        list = try decoder.decodeSequence(UInt64.self, "list", max: 4)
        switch try decoder.decodeVarint("shape") {
        case 0: shape = .none
        case 1: shape = .point(try decoder.decodeUInt32("point"))
        case 2: shape = .label(try decoder.decodeString("label", maxBytes: 8))
        case let tag: throw .unknownTag(field: "shape", tag: tag)
        }
    }

    init(random: inout SplitMix64) {
        let alphabet = ["a", "z", "é", "中", "😀", "-", "0"]
        func text(_ maxBytes: Int, _ random: inout SplitMix64) -> String {
            var out = ""
            for _ in 0..<(random.next() % 6) {
                let piece = alphabet[Int(random.next() % UInt64(alphabet.count))]
                if out.utf8.count + piece.utf8.count <= maxBytes { out += piece }
            }
            return out
        }
        flag = random.next() & 1 == 1
        small = UInt8(truncatingIfNeeded: random.next())
        medium = UInt16(truncatingIfNeeded: random.next())
        word = UInt32(truncatingIfNeeded: random.next())
        wide = random.interestingUInt64()
        count = random.interestingUInt64()
        name = text(16, &random)
        blob = random.bytes(count: Int(random.next() % 17))
        fixed = random.bytes(count: 3)
        maybe = random.next() & 1 == 1 ? UInt32(truncatingIfNeeded: random.next()) : nil
        list = (0..<(random.next() % 5)).map { _ in random.interestingUInt64() }
        switch random.next() % 3 {
        case 0: shape = .none
        case 1: shape = .point(UInt32(truncatingIfNeeded: random.next()))
        default: shape = .label(text(8, &random))
        }
    }
}

@Suite struct CodecPropertyTests {
    @Test func randomValuesRoundTrip() throws {
        for seed in propertySeeds {
            var random = SplitMix64(seed: seed)
            for iteration in 0..<3_000 {
                let value = SampleRecord(random: &random)
                let bytes = value.canonicalBytes
                let decoded = try? SampleRecord(canonicalBytes: bytes)
                #expect(decoded == value, "seed \(seed) iteration \(iteration)")
                if decoded != value { return }
            }
        }
    }

    @Test func randomVarintsRoundTripInShortestForm() throws {
        for seed in propertySeeds {
            var random = SplitMix64(seed: seed)
            for _ in 0..<10_000 {
                let value = random.interestingUInt64()
                var encoder = CanonicalEncoder()
                encoder.encodeVarint(value)
                let expectedLength = value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
                #expect(encoder.bytes.count == expectedLength, "seed \(seed) value \(value)")
                var decoder = CanonicalDecoder(encoder.bytes)
                #expect(try decoder.decodeVarint("v") == value, "seed \(seed)")
            }
        }
    }

    /// Canonicality: whenever random bytes decode, they are exactly what the encoder writes.
    @Test func acceptedRandomBytesReEncodeIdentically() {
        for seed in propertySeeds {
            var random = SplitMix64(seed: seed)
            var accepted = 0
            for _ in 0..<30_000 {
                // Mostly a valid encoding with a few random changes, so that decoding often succeeds.
                var bytes = SampleRecord(random: &random).canonicalBytes
                for _ in 0..<(1 + random.next() % 3) {
                    let position = Int(random.next() % UInt64(bytes.count + 1))
                    switch random.next() % 3 {
                    case 0 where position < bytes.count: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                    default: if position < bytes.count { bytes.remove(at: position) }
                    }
                }
                guard let decoded = try? SampleRecord(canonicalBytes: bytes) else { continue }
                accepted += 1
                #expect(decoded.canonicalBytes == bytes, "seed \(seed) bytes \(Hex.encode(bytes))")
            }
            #expect(accepted > 1_000, "seed \(seed): too few inputs decoded for the property to mean much")
        }
    }

    /// Pure random bytes against the primitives: every accepted varint, string and sequence is canonical.
    @Test func acceptedRandomPrimitivesReEncodeIdentically() {
        for seed in propertySeeds {
            var random = SplitMix64(seed: seed)
            for _ in 0..<20_000 {
                let length = Int(random.next() % 12)
                var bytes = random.bytes(count: length)
                if length > 0, random.next() & 1 == 0 { bytes[length - 1] &= 0x7f }  // end varints often
                var decoder = CanonicalDecoder(bytes)
                if let value = try? decoder.decodeVarint("v"), decoder.remaining == 0 {
                    var encoder = CanonicalEncoder()
                    encoder.encodeVarint(value)
                    #expect(encoder.bytes == bytes, "seed \(seed) bytes \(Hex.encode(bytes))")
                }
                var strings = CanonicalDecoder(bytes)
                if let text = try? strings.decodeString("s", maxBytes: 16), strings.remaining == 0 {
                    var encoder = CanonicalEncoder()
                    encoder.encode(string: text)
                    #expect(encoder.bytes == bytes, "seed \(seed) bytes \(Hex.encode(bytes))")
                }
            }
        }
    }

    /// A single changed byte either is refused or decodes to a different value that encodes to the changed bytes.
    @Test func singleByteMutationsAreRefusedOrCanonical() {
        for seed in propertySeeds {
            var random = SplitMix64(seed: seed)
            for _ in 0..<300 {
                let value = SampleRecord(random: &random)
                let bytes = value.canonicalBytes
                for position in bytes.indices {
                    var mutated = bytes
                    mutated[position] ^= UInt8(truncatingIfNeeded: random.next() % 255 + 1)
                    guard let decoded = try? SampleRecord(canonicalBytes: mutated) else { continue }
                    #expect(decoded != value, "seed \(seed) position \(position)")
                    #expect(decoded.canonicalBytes == mutated, "seed \(seed) position \(position)")
                }
            }
        }
    }
}
