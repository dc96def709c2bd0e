import Testing
@testable import CivicLedger

@Test func quorumIsMoreThanTwoThirds() {
    for total: UInt64 in 1...40 {
        let quorum = total / 3 * 2 + (total % 3) * 2 / 3 + 1
        #expect(quorum * 3 > total * 2)
        #expect((quorum - 1) * 3 <= total * 2)
    }
}
