import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// The readers the node uses to apply governance state.
@Suite struct GovernanceReaderTests {
    @Test(arguments: CryptoSuite.allCases)
    func readersSeeWhatProposalsChanged(suite: CryptoSuite) throws {
        var chain = GovernanceChain(suite)
        let read: ([UInt8]) -> [UInt8]? = { [state = chain.state] in state.value(forKey: $0) }
        #expect(GovernanceContract.chainParameters(read: read) == ChainParameters())
        #expect(GovernanceContract.organizations(read: read).map(\.name) == ["a", "b", "c", "d"])
        #expect(GovernanceContract.revocations(read: read).isEmpty)
        let fingerprint = Hash256(bytes: [UInt8](repeating: 9, count: 32))
        #expect(chain.pass(.revokeCertificate(algorithm: .sm3, fingerprint: fingerprint)) == ["ok", "ok", "ok", "ok"])
        #expect(chain.pass(.setBlockIntervalMilliseconds(900)) == ["ok", "ok", "ok", "ok"])
        let after: ([UInt8]) -> [UInt8]? = { [state = chain.state] in state.value(forKey: $0) }
        #expect(GovernanceContract.chainParameters(read: after)?.blockIntervalMilliseconds == 900)
        #expect(GovernanceContract.revocation(.sm3, fingerprint, read: after)?.proposalID == 1)
        #expect(GovernanceContract.revocation(.sha256, fingerprint, read: after) == nil)
        #expect(GovernanceContract.revocations(read: after).map(\.fingerprint) == [fingerprint])
        #expect(GovernanceContract.revocations(from: 1, read: after).isEmpty)
    }
}
