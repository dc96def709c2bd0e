import CivicCrypto
import CivicLedger
import CivicNetwork
import Logging
import NIOConcurrencyHelpers
import Testing

/// Real loopback sockets: trust updates (organization removed, certificate revoked, organization added),
/// membership revalidation, and transport certificate rotation without dropping links.
@Suite(.serialized) struct PeerNetworkTrustTests {
    @Test(arguments: CryptoSuite.allCases)
    func removingAnOrganizationClosesItsLinksOnly(suite: CryptoSuite) async throws {
        let fixture = try TwoOrganizations(suite: suite)
        let keys = fixture.keys(3)
        let members = Set(keys.map(\.publicKey))
        let (logsA, logsB, logsC) = (LogCapture(), LogCapture(), LogCapture())
        let a = PeerNetwork(configuration: try fixture.node("a", identity: keys[0], members: members, logs: logsA,
                                                            issuer: fixture.chain.authority, trust: fixture.both))
        try await a.start()
        let b = PeerNetwork(configuration: try fixture.node("b", identity: keys[1], members: members, logs: logsB,
                                                            issuer: fixture.second, trust: fixture.both,
                                                            peers: [a.endpoint]))
        let c = PeerNetwork(configuration: try fixture.node("c", identity: keys[2], members: members, logs: logsC,
                                                            issuer: fixture.chain.authority, trust: fixture.both,
                                                            peers: [a.endpoint]))
        try await b.start()
        try await c.start()
        #expect(await eventually { a.connectedPeers.count == 2 })

        try a.updateTrust(fixture.chain.verifier)
        #expect(await eventually { a.connectedPeers == [keys[2].publicKey] && b.connectedPeers.isEmpty })
        #expect(await eventually { logsA.closedLinks(code: "certificate.unknown_ca").count == 1 })
        // b redials at once and is refused at the handshake now.
        #expect(await eventually { !logsA.refused(code: "certificate.unknown_ca").isEmpty })
        #expect(b.connectedPeers.isEmpty)
        #expect(a.connectedPeers == [keys[2].publicKey])
        #expect(c.connectedPeers == [keys[0].publicKey])
        #expect(c.statistics.linksEstablished == 1)
        #expect(a.trust.verifier.authorities == [fixture.chain.authority.certificate])
        for network in [a, b, c] { await network.shutdown() }
    }

    @Test(arguments: CryptoSuite.allCases)
    func revokingACertificateClosesItsLinkAndRefusesItsRedial(suite: CryptoSuite) async throws {
        let fixture = try TwoOrganizations(suite: suite)
        let keys = fixture.keys(3)
        let members = Set(keys.map(\.publicKey))
        let (logsA, logsB, logsC) = (LogCapture(), LogCapture(), LogCapture())
        let a = PeerNetwork(configuration: try fixture.chain.node("a", identity: keys[0], members: members,
                                                                  logs: logsA))
        try await a.start()
        let bConfiguration = try fixture.chain.node("b", identity: keys[1], members: members, peers: [a.endpoint],
                                                    logs: logsB)
        let b = PeerNetwork(configuration: bConfiguration)
        let c = PeerNetwork(configuration: try fixture.chain.node("c", identity: keys[2], members: members,
                                                                  peers: [a.endpoint], logs: logsC))
        try await b.start()
        try await c.start()
        #expect(await eventually { a.connectedPeers.count == 2 })

        let fingerprint = CertificateFingerprint(bConfiguration.transportCertificate, suite: suite)
        try a.updateTrust(fixture.chain.verifier, revoked: [fingerprint])
        #expect(await eventually { a.connectedPeers == [keys[2].publicKey] && b.connectedPeers.isEmpty })
        #expect(await eventually { logsA.closedLinks(code: "certificate.revoked").count == 1 })
        let closed = try #require(logsA.closedLinks(code: "certificate.revoked").first)
        #expect(closed.message.contains(fingerprint.digest.hex), "\(closed.message)")
        #expect(await eventually { !logsA.refused(code: "certificate.revoked").isEmpty })
        #expect(b.connectedPeers.isEmpty)
        #expect(c.connectedPeers == [keys[0].publicKey])
        #expect(c.statistics.linksEstablished == 1)
        #expect(a.trust.revoked == [fingerprint])
        for network in [a, b, c] { await network.shutdown() }
    }

    @Test(arguments: CryptoSuite.allCases)
    func addingAnOrganizationLetsItsNodesConnect(suite: CryptoSuite) async throws {
        let fixture = try TwoOrganizations(suite: suite)
        let keys = fixture.keys(2)
        let members = Set(keys.map(\.publicKey))
        let (logsA, logsD) = (LogCapture(), LogCapture())
        let a = PeerNetwork(configuration: try fixture.chain.node("a", identity: keys[0], members: members,
                                                                  logs: logsA))
        try await a.start()
        let d = PeerNetwork(configuration: try fixture.node("d", identity: keys[1], members: members, logs: logsD,
                                                            issuer: fixture.second, trust: fixture.both,
                                                            peers: [a.endpoint]))
        try await d.start()
        #expect(await eventually { !logsA.refused(code: "certificate.unknown_ca").isEmpty })
        #expect(a.connectedPeers.isEmpty)

        try a.updateTrust(fixture.both)
        #expect(await eventually { a.connectedPeers == [keys[1].publicKey] && d.connectedPeers == [keys[0].publicKey] })
        let inbox = Inbox(a)
        d.send([7, 7], to: keys[0].publicKey)
        #expect(await eventually { inbox.frames.map(\.bytes) == [[7, 7]] })
        await a.shutdown()
        await d.shutdown()
    }

    @Test func trustForAnotherChainOrSuiteIsRejectedAndChangesNothing() async throws {
        let fixture = try TwoOrganizations(suite: .sm)
        let key = PrivateKey.generate(suite: .sm)
        let a = PeerNetwork(configuration: try fixture.chain.node("a", identity: key, members: [key.publicKey],
                                                                  logs: LogCapture()))
        let otherChain = try CertificateVerifier(chainID: "other-chain", suite: .sm,
                                                 authorities: [fixture.chain.authority.certificate])
        let intlCA = try OrganizationCA.create(organization: "Port Authority", suite: .intl,
                                               validity: NetworkTestSupport.currentWindow())
        let otherSuite = try CertificateVerifier(chainID: fixture.chain.chainID, suite: .intl,
                                                 authorities: [intlCA.certificate])
        for verifier in [otherChain, otherSuite] {
            let error = #expect(throws: NetworkError.self) { try a.updateTrust(verifier, revoked: []) }
            #expect(error?.code == "network.invalid_trust")
        }
        #expect(a.trust.verifier.authorities == [fixture.chain.authority.certificate])
        #expect(a.trust.revoked.isEmpty)
    }

    @Test func trustThatRefusesThisNodesOwnCertificateIsLoggedAsAnError() throws {
        let fixture = try TwoOrganizations(suite: .intl)
        let key = PrivateKey.generate(suite: .intl)
        let logs = LogCapture()
        let a = PeerNetwork(configuration: try fixture.node("a", identity: key, members: [key.publicKey], logs: logs,
                                                            issuer: fixture.second, trust: fixture.both))
        try a.updateTrust(fixture.both)
        #expect(logs.entries.allSatisfy { $0.level < .error })
        try a.updateTrust(fixture.chain.verifier)
        let entry = try #require(logs.entries.first { $0.level == .error })
        #expect(entry.metadata["code"] == "certificate.unknown_ca")
        #expect(entry.message.contains("own transport certificate"))
    }

    @Test(arguments: CryptoSuite.allCases)
    func revalidationClosesLinksOfFormerMembers(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let keys = (0..<3).map { _ in PrivateKey.generate(suite: suite) }
        let members = NIOLockedValueBox(Set(keys.map(\.publicKey)))
        let logsA = LogCapture()
        var aConfiguration = try chain.node("a", identity: keys[0], members: [], logs: logsA)
        aConfiguration.isMember = { key in members.withLockedValue { $0.contains(key) } }
        let a = PeerNetwork(configuration: aConfiguration)
        try await a.start()
        let everyone = Set(keys.map(\.publicKey))
        let b = PeerNetwork(configuration: try chain.node("b", identity: keys[1], members: everyone,
                                                          peers: [a.endpoint], logs: LogCapture()))
        let c = PeerNetwork(configuration: try chain.node("c", identity: keys[2], members: everyone,
                                                          peers: [a.endpoint], logs: LogCapture()))
        try await b.start()
        try await c.start()
        #expect(await eventually { a.connectedPeers.count == 2 })

        _ = members.withLockedValue { $0.remove(keys[1].publicKey) }
        a.revalidateLinks()
        #expect(await eventually { a.connectedPeers == [keys[2].publicKey] })
        #expect(await eventually { logsA.closedLinks(code: "peer.not_member").count == 1 })
        #expect(await eventually { !logsA.refused(code: "peer.not_member").isEmpty })
        #expect(c.statistics.linksEstablished == 1)
        for network in [a, b, c] { await network.shutdown() }
    }
}

/// A chain with two organizations: the chain's own CA (trusted by ``TestChain/verifier``) and a second one.
struct TwoOrganizations {
    let chain: TestChain
    let second: OrganizationCA
    /// Trusts both organizations.
    let both: CertificateVerifier

    init(suite: CryptoSuite) throws {
        chain = try TestChain(suite: suite)
        second = try OrganizationCA.create(organization: "Water Board", suite: suite,
                                           validity: NetworkTestSupport.currentWindow(days: 365))
        both = try CertificateVerifier(chainID: chain.chainID, suite: suite,
                                       authorities: [chain.authority.certificate, second.certificate])
    }

    /// `count` fresh identity keys of the chain's suite.
    func keys(_ count: Int) -> [PrivateKey] { (0..<count).map { _ in PrivateKey.generate(suite: chain.suite) } }

    /// A node whose certificate `issuer` issued and that trusts `trust` at start.
    func node(
        _ name: String, identity: PrivateKey, members: Set<PublicKey>, logs: LogCapture, issuer: OrganizationCA,
        trust: CertificateVerifier, peers: [PeerEndpoint] = []
    ) throws -> PeerNetworkConfiguration {
        var configuration = try chain.node(name, identity: identity, members: members, peers: peers, logs: logs,
                                           issuer: issuer)
        configuration.trust = trust
        return configuration
    }
}

extension LogCapture {
    /// Warnings with `code` that closed an authenticated link (after a trust update or a revalidation).
    func closedLinks(code: String) -> [Entry] {
        refusals(code: code).filter { $0.message.hasPrefix("peer link closed") }
    }

    /// Warnings with `code` that refused a connection before it became a link.
    func refused(code: String) -> [Entry] {
        refusals(code: code).filter { $0.message.hasPrefix("peer refused") }
    }
}
