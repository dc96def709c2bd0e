import Testing
@testable import CivicCrypto

/// The benchmark helper runs and reports a positive rate (the figure itself is printed by `civic bench`).
@Suite struct SignatureThroughputTests {
    @Test(arguments: CryptoSuite.allCases)
    func measuresAPositiveRate(suite: CryptoSuite) {
        let verifications = SignatureThroughput.verificationsPerSecond(suite: suite, seconds: 0.2, threads: 2)
        let signatures = SignatureThroughput.signaturesPerSecond(suite: suite, seconds: 0.2, threads: 1)
        #expect(verifications > 10 && verifications.isFinite)
        #expect(signatures > 10 && signatures.isFinite)
        #expect(SignatureThroughput.processorCount >= 1)
    }
}
