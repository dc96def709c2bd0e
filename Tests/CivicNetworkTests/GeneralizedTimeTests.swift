import CivicLedger
@testable import CivicNetwork
import Testing

/// genTime text from block time, without a calendar library.
@Suite struct GeneralizedTimeTests {
    @Test func knownInstants() {
        #expect(GeneralizedTime.text(Timestamp(milliseconds: 0)) == "19700101000000Z")
        #expect(GeneralizedTime.text(Timestamp(milliseconds: 1_714_564_800_250)) == "20240501120000.25Z")
        #expect(GeneralizedTime.text(Timestamp(milliseconds: 951_825_600_001)) == "20000229120000.001Z")
        #expect(GeneralizedTime.text(Timestamp(milliseconds: 4_102_444_799_999)) == "20991231235959.999Z")
        #expect(GeneralizedTime.timestamp("20240501120000.25Z") == Timestamp(milliseconds: 1_714_564_800_250))
        #expect(GeneralizedTime.timestamp("20240501120000Z") == Timestamp(milliseconds: 1_714_564_800_000))
    }

    @Test func malformedTextIsRefused() {
        for text in ["", "2024050112000Z", "20240501120000", "20241301120000Z", "20240501126000Z",
                     "20240501120000.Z", "20240501120000.1234Z", "2024050112000aZ", "19691231235959Z"] {
            #expect(GeneralizedTime.timestamp(text) == nil, "\(text)")
        }
    }

    /// Text and back is the identity, over a seeded spread of instants up to the year 9999.
    @Test func roundTrip() {
        var state: UInt64 = 0xC1C1_1ED6_E500_0001
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let time = Timestamp(milliseconds: (state >> 11) % 253_402_300_800_000)
            #expect(GeneralizedTime.timestamp(GeneralizedTime.text(time)) == time, "\(time)")
        }
    }
}
