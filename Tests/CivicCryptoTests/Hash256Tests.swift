import Testing
@testable import CivicCrypto

@Suite struct Hash256Tests {
    let sample: [UInt8] = (0..<32).map { UInt8($0 * 7 + 1) }

    @Test func bytesRoundTrip() {
        let hash = Hash256(bytes: sample)
        #expect(hash.bytes == sample)
        #expect(Hash256(bytes: sample[...]) == hash)
        #expect(Hash256(bytes: AnyCollection(sample)) == hash)
        #expect(sample.withUnsafeBytes { Hash256(unsafeBytes: $0) } == hash)
        #expect(hash.withUnsafeBytes { Array($0) } == sample)
    }

    @Test func hexAndBits() {
        let hash = Hash256(bytes: sample)
        #expect(hash.hex == TestSupport.hex(sample))
        #expect(hash.description == hash.hex)
        for index in 0..<256 {
            #expect(hash.bit(index) == ((sample[index / 8] >> UInt8(7 - index % 8)) & 1 == 1), "bit \(index)")
        }
        #expect(Hash256.zero.hex == String(repeating: "0", count: 64))
    }

    @Test func validatingRejectsOtherLengths() {
        #expect(Hash256(validating: Array(sample.dropLast())) == nil)
        #expect(Hash256(validating: sample + [0]) == nil)
        #expect(Hash256(validating: sample) == Hash256(bytes: sample))
    }

    @Test func orderIsByteWise() {
        var larger = sample
        larger[31] &+= 1
        #expect(Hash256(bytes: sample) < Hash256(bytes: larger))
        var earlier = sample
        earlier[0] = 0
        earlier[31] = 0xFF
        #expect(Hash256(bytes: earlier) < Hash256(bytes: sample))
        #expect(!(Hash256(bytes: sample) < Hash256(bytes: sample)))
    }
}
