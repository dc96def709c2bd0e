import Testing
@testable import CivicConsensus

@Test func moduleLoads() {
    #expect(Bool(true))
}
