import Testing

@testable import CivicNetwork

/// Dial delays: 100 ms doubling to 5 s, reset after a link, jitter within ±10 %.
@Suite struct DialBackoffTests {
    @Test func doublesUpToTheMaximumAndResetsAfterALink() {
        var backoff = DialBackoff()
        let delays = (0..<9).map { _ in backoff.failed() }
        #expect(delays == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000])
        #expect(backoff.linkEnded() == 100)
        #expect(backoff.failed() == 100)
        #expect(backoff.failed() == 200)
    }

    @Test func jitterStaysWithinTenPercent() {
        #expect(DialBackoff.jittered(1000, random: { $0.lowerBound }) == 900)
        #expect(DialBackoff.jittered(1000, random: { $0.upperBound }) == 1100)
        for _ in 0..<100 {
            #expect((4500...5500).contains(DialBackoff.jittered(5000)))
        }
    }
}
