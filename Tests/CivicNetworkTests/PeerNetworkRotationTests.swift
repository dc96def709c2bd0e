import CivicCrypto
import CivicLedger
import CivicNetwork
import Logging
import Testing

/// Real loopback sockets: a node replaces its transport certificate while linked, and bad replacements change
/// nothing.
@Suite(.serialized) struct PeerNetworkRotationTests {
    @Test(arguments: CryptoSuite.allCases)
    func rotationKeepsTheLinkAndNewPeersSeeTheNewCertificate(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let keys = (0..<3).map { _ in PrivateKey.generate(suite: suite) }
        let members = Set(keys.map(\.publicKey))
        let (logsA, logsB, logsC) = (LogCapture(), LogCapture(), LogCapture())
        let aConfiguration = try chain.node("a", identity: keys[0], members: members, logs: logsA)
        let old = aConfiguration.transportCertificate
        let a = PeerNetwork(configuration: aConfiguration)
        try await a.start()
        let b = PeerNetwork(configuration: try chain.node("b", identity: keys[1], members: members,
                                                          peers: [a.endpoint], logs: logsB))
        try await b.start()
        let (inboxA, inboxB) = (Inbox(a), Inbox(b))
        #expect(await eventually { a.connectedPeers.count == 1 && b.connectedPeers.count == 1 })
        a.send([1], to: keys[1].publicKey)
        b.send([2], to: keys[0].publicKey)
        #expect(await eventually { inboxA.frames.count == 1 && inboxB.frames.count == 1 })
        #expect(b.transportCertificate(of: keys[0].publicKey) == old)

        let newKey = PrivateKey.generate(suite: .intl)
        let new = try chain.authority.issueTransportCertificate(
            nodeName: "a", chainID: chain.chainID, transportKey: newKey.publicKey,
            validity: NetworkTestSupport.currentWindow(days: 60))
        try a.replaceTransportIdentity(certificate: new, key: newKey)
        #expect(a.transportCertificate == new)
        a.send([3], to: keys[1].publicKey)
        b.send([4], to: keys[0].publicKey)
        #expect(await eventually { inboxA.frames.count == 2 && inboxB.frames.count == 2 })
        #expect(inboxA.frames.map(\.bytes) == [[2], [4]])
        #expect(inboxB.frames.map(\.bytes) == [[1], [3]])
        // The same link carried them: it was not closed and re-established, and it still shows the old certificate.
        #expect(a.statistics.linksEstablished == 1 && b.statistics.linksEstablished == 1)
        #expect(b.transportCertificate(of: keys[0].publicKey) == old)
        #expect(a.connectedPeers == [keys[1].publicKey])

        // c refuses the old certificate, so it links only if a presents the new one (and binds it in its hello).
        let c = PeerNetwork(configuration: try chain.node("c", identity: keys[2], members: members,
                                                          peers: [a.endpoint], logs: logsC))
        try c.updateTrust(chain.verifier, revoked: [CertificateFingerprint(old, suite: suite)])
        try await c.start()
        #expect(await eventually { c.connectedPeers == [keys[0].publicKey] && a.connectedPeers.count == 2 })
        #expect(c.transportCertificate(of: keys[0].publicKey) == new)
        #expect(logsC.refusals(code: "certificate.revoked").isEmpty)
        let inboxC = Inbox(c)
        a.broadcast([5])
        #expect(await eventually { inboxB.frames.count == 3 && inboxC.frames.count == 1 })
        #expect(b.statistics.linksEstablished == 1)
        for logs in [logsA, logsB, logsC] {
            #expect(logs.entries.allSatisfy { $0.level < .warning }, "\(logs.entries.map(\.message))")
        }
        for network in [a, b, c] { await network.shutdown() }
    }

    @Test(arguments: CryptoSuite.allCases)
    func badReplacementThrowsAndChangesNothing(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let keys = (0..<2).map { _ in PrivateKey.generate(suite: suite) }
        let members = Set(keys.map(\.publicKey))
        let aConfiguration = try chain.node("a", identity: keys[0], members: members, logs: LogCapture())
        let original = aConfiguration.transportCertificate
        let a = PeerNetwork(configuration: aConfiguration)
        try await a.start()

        let stranger = try OrganizationCA.create(organization: "Unlisted Bank", suite: suite,
                                                 validity: NetworkTestSupport.currentWindow())
        let now = NetworkTestSupport.nowMilliseconds()
        let expiredWindow = ValidityWindow(starting: Timestamp(milliseconds: now - 20 * 86_400_000), days: 10)
        func candidate(
            issuer: OrganizationCA? = nil, chainID: String? = nil, validity: ValidityWindow? = nil
        ) throws -> (X509Certificate, PrivateKey) {
            let key = PrivateKey.generate(suite: .intl)
            let certificate = try (issuer ?? chain.authority).issueTransportCertificate(
                nodeName: "a", chainID: chainID ?? chain.chainID, transportKey: key.publicKey,
                validity: validity ?? NetworkTestSupport.currentWindow())
            return (certificate, key)
        }
        let good = try candidate()
        let revoked = try candidate()
        try a.updateTrust(chain.verifier, revoked: [CertificateFingerprint(revoked.0, suite: suite)])
        let cases: [(code: String, candidate: (X509Certificate, PrivateKey))] = [
            ("network.invalid_transport_identity", (good.0, PrivateKey.generate(suite: .intl))),
            ("network.invalid_transport_identity", (good.0, PrivateKey.generate(suite: .sm))),
            ("certificate.expired", try candidate(validity: expiredWindow)),
            ("certificate.wrong_chain", try candidate(chainID: "other-chain")),
            ("certificate.unknown_ca", try candidate(issuer: stranger)),
            ("certificate.revoked", revoked),
        ]
        for (code, (certificate, key)) in cases {
            let error = #expect(throws: NetworkError.self) {
                try a.replaceTransportIdentity(certificate: certificate, key: key)
            }
            switch error {
            case .transportCertificateRefused(let refusal)?:
                #expect(refusal.code == code)
            case let other?:
                #expect(other.code == code)
            case nil:
                break
            }
            #expect(a.transportCertificate == original)
        }

        // A peer that connects afterwards is still presented the original certificate.
        let b = PeerNetwork(configuration: try chain.node("b", identity: keys[1], members: members,
                                                          peers: [a.endpoint], logs: LogCapture()))
        try await b.start()
        #expect(await eventually { b.connectedPeers == [keys[0].publicKey] })
        #expect(b.transportCertificate(of: keys[0].publicKey) == original)
        await a.shutdown()
        await b.shutdown()
    }

    @Test func identityReplacedBeforeStartIsTheOnePresented() async throws {
        let chain = try TestChain(suite: .sm)
        let keys = (0..<2).map { _ in PrivateKey.generate(suite: .sm) }
        let members = Set(keys.map(\.publicKey))
        let a = PeerNetwork(configuration: try chain.node("a", identity: keys[0], members: members,
                                                          logs: LogCapture()))
        let newKey = PrivateKey.generate(suite: .intl)
        let new = try chain.authority.issueTransportCertificate(
            nodeName: "a", chainID: chain.chainID, transportKey: newKey.publicKey,
            validity: NetworkTestSupport.currentWindow())
        try a.replaceTransportIdentity(certificate: new, key: newKey)
        try await a.start()
        let b = PeerNetwork(configuration: try chain.node("b", identity: keys[1], members: members,
                                                          peers: [a.endpoint], logs: LogCapture()))
        try await b.start()
        #expect(await eventually { b.connectedPeers == [keys[0].publicKey] })
        #expect(b.transportCertificate(of: keys[0].publicKey) == new)
        await a.shutdown()
        await b.shutdown()
    }
}
