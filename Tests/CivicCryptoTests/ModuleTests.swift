import Testing
@testable import CivicCrypto

@Test func moduleLoads() {
    #expect(Bool(true))
}
