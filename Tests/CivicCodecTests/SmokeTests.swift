import Testing
@testable import CivicCodec

@Test func varintRoundTrip() throws {
    var encoder = CanonicalEncoder()
    encoder.encodeVarint(300)
    #expect(encoder.bytes == [0xac, 0x02])
}
