import CivicTesting
import Testing
import CivicCodec

@Suite struct HexTests {
    @Test func encodesLowerCase() {
        #expect(Hex.encode([0x00, 0x01, 0xab, 0xff]) == "0001abff")
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode(0...255).count == 512)
    }

    @Test func decodesEitherCaseAndOptionalPrefix() {
        #expect(Hex.decode("0001abff") == [0x00, 0x01, 0xab, 0xff])
        #expect(Hex.decode("0001ABFF") == [0x00, 0x01, 0xab, 0xff])
        #expect(Hex.decode("0x0a") == [0x0a])
        #expect(Hex.decode("0X0a") == [0x0a])
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["0", "abc", "zz", "0g", "g0", " 00", "00 ", "0x0", "-1", "０１"])
    func refusesNonHex(text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func roundTripsRandomBytes() {
        for seed in propertySeeds {
            var random = SplitMix64(seed: seed)
            for _ in 0..<500 {
                let bytes = random.bytes(count: Int(random.next() % 40))
                let text = Hex.encode(bytes)
                #expect(Hex.decode(text) == bytes, "seed \(seed)")
                #expect(Hex.decode(text.uppercased()) == bytes, "seed \(seed)")
            }
        }
    }
}
