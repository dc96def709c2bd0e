import CivicCrypto
import CivicLedger
import CivicNetwork
import Logging
import Testing

/// Real loopback sockets: three nodes exchanging frames, every refusal, oversize frames, reconnection.
@Suite(.serialized) struct PeerNetworkTests {
    @Test(arguments: CryptoSuite.allCases)
    func threeNodesExchangeFramesInAllDirections(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let logs = LogCapture()
        let keys = (0..<3).map { _ in PrivateKey.generate(suite: suite) }
        let members = Set(keys.map(\.publicKey))
        let a = PeerNetwork(configuration: try chain.node("a", identity: keys[0], members: members, logs: logs))
        try await a.start()
        let b = PeerNetwork(configuration: try chain.node("b", identity: keys[1], members: members,
                                                          peers: [a.endpoint], logs: logs))
        try await b.start()
        // c dials both; b also dials a; a dials nobody, so one link of each pair is dialed from each side.
        let c = PeerNetwork(configuration: try chain.node("c", identity: keys[2], members: members,
                                                          peers: [a.endpoint, b.endpoint], logs: logs))
        try await c.start()
        let networks = [a, b, c]
        let inboxes = networks.map(Inbox.init)
        #expect(await eventually { networks.allSatisfy { $0.connectedPeers.count == 2 } })
        for (index, network) in networks.enumerated() {
            for (other, key) in keys.enumerated() where other != index {
                network.send([UInt8(index), UInt8(other)], to: key.publicKey)
            }
            network.broadcast([UInt8(index), 0xFF])
        }
        #expect(await eventually { inboxes.allSatisfy { $0.frames.count == 4 } })
        for (index, inbox) in inboxes.enumerated() {
            for (other, key) in keys.enumerated() where other != index {
                let fromOther = inbox.frames.filter { $0.peer == key.publicKey }.map(\.bytes)
                #expect(fromOther == [[UInt8(other), UInt8(index)], [UInt8(other), 0xFF]])
            }
        }
        #expect(logs.entries.allSatisfy { $0.level < .warning }, "\(logs.entries.map(\.message))")
        a.send([9], to: PrivateKey.generate(suite: suite).publicKey)
        #expect(a.statistics.framesUnroutable == 1)
        #expect(networks.allSatisfy { $0.statistics.refusals == 0 && $0.statistics.outboundFramesDropped == 0 })
        for network in networks { await network.shutdown() }
    }

    @Test(arguments: CryptoSuite.allCases)
    func twoNodesThatDialEachOtherKeepOneLink(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let logs = LogCapture()
        let keys = (0..<2).map { _ in PrivateKey.generate(suite: suite) }
        let members = Set(keys.map(\.publicKey))
        // Fixed ports are needed so that each can list the other: take two free ones from throwaway listeners.
        let probes = try await (0..<2).asyncMap { _ in
            let probe = PeerNetwork(configuration: try chain.node("probe", identity: keys[0], members: [], logs: logs))
            try await probe.start()
            let port = try #require(probe.listeningPort)
            await probe.shutdown()
            return port
        }
        let endpoints = probes.map { PeerEndpoint(host: "127.0.0.1", port: $0) }
        let a = PeerNetwork(configuration: try chain.node("a", identity: keys[0], members: members,
                                                          peers: [endpoints[1]], port: probes[0], logs: logs))
        let b = PeerNetwork(configuration: try chain.node("b", identity: keys[1], members: members,
                                                          peers: [endpoints[0]], port: probes[1], logs: logs))
        try await a.start()
        try await b.start()
        let inboxes = [Inbox(a), Inbox(b)]
        #expect(await eventually { a.connectedPeers.count == 1 && b.connectedPeers.count == 1 })
        // Let every redial that a dropped duplicate triggers play out; the kept link must stay.
        try await Task.sleep(for: .milliseconds(1500))
        #expect(a.connectedPeers == [keys[1].publicKey])
        #expect(b.connectedPeers == [keys[0].publicKey])
        a.send([1], to: keys[1].publicKey)
        b.send([2], to: keys[0].publicKey)
        #expect(await eventually { inboxes.allSatisfy { $0.frames.count == 1 } })
        try await Task.sleep(for: .milliseconds(200))
        #expect(inboxes[0].frames.map(\.bytes) == [[2]])
        #expect(inboxes[1].frames.map(\.bytes) == [[1]])
        let linksUp = logs.entries.filter { $0.message == "peer link up" }.count
        #expect(linksUp <= 6, "links kept coming up: \(linksUp)")
        await a.shutdown()
        await b.shutdown()
    }

    @Test func nodeWithTheSameIdentityKeyIsRefused() async throws {
        let chain = try TestChain(suite: .sm)
        try await expectRefusal(chain: chain, code: "peer.self_connection", sentence: "this node itself",
                                dialerUsesHonestKey: true) {
            try chain.node("twin", identity: $0, members: $1, peers: [$2], logs: $3)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateFromAnUnknownCAIsRefusedAtTheHandshake(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let stranger = try OrganizationCA.create(organization: "Unlisted Bank", suite: suite,
                                                 validity: NetworkTestSupport.currentWindow())
        try await expectRefusal(chain: chain, code: "certificate.unknown_ca", sentence: "not one of this chain's") {
            try chain.node("intruder", identity: $0, members: $1, peers: [$2], logs: $3, issuer: stranger)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func expiredCertificateIsRefusedAtTheHandshake(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let now = NetworkTestSupport.nowMilliseconds()
        let past = ValidityWindow(starting: Timestamp(milliseconds: now - 20 * 86_400_000), days: 10)
        try await expectRefusal(chain: chain, code: "certificate.expired", sentence: "expired at") {
            try chain.node("stale", identity: $0, members: $1, peers: [$2], logs: $3, validity: past)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateForAnotherChainIsRefusedAtTheHandshake(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        try await expectRefusal(chain: chain, code: "certificate.wrong_chain", sentence: "'other-chain'") {
            try chain.node("lost", identity: $0, members: $1, peers: [$2], logs: $3, certificateChainID: "other-chain")
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func identityKeyThatIsNotAMemberIsRefused(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        try await expectRefusal(chain: chain, code: "peer.not_member", sentence: "not a member",
                                dialerIsMember: false) {
            try chain.node("newcomer", identity: $0, members: $1, peers: [$2], logs: $3)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func oversizeFrameClosesTheLink(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let logs = LogCapture()
        let keys = (0..<2).map { _ in PrivateKey.generate(suite: suite) }
        let members = Set(keys.map(\.publicKey))
        var small = try chain.node("a", identity: keys[0], members: members, logs: logs)
        small.frameBytesMax = 1024
        let a = PeerNetwork(configuration: small)
        try await a.start()
        let b = PeerNetwork(configuration: try chain.node("b", identity: keys[1], members: members,
                                                          peers: [a.endpoint], logs: logs))
        try await b.start()
        let inbox = Inbox(a)
        #expect(await eventually { a.connectedPeers.count == 1 && b.connectedPeers.count == 1 })
        b.send([UInt8](repeating: 7, count: 1024), to: keys[0].publicKey)
        #expect(await eventually { inbox.frames.count == 1 })
        b.send([UInt8](repeating: 7, count: 1025), to: keys[0].publicKey)
        #expect(await eventually { !logs.refusals(code: "peer.frame_too_large").isEmpty })
        #expect(logs.refusals(code: "peer.frame_too_large").first?.message.contains("1025 bytes") == true)
        #expect(inbox.frames.count == 1)
        await a.shutdown()
        await b.shutdown()
    }

    @Test(arguments: CryptoSuite.allCases)
    func peerThatRestartsOnTheSamePortIsRedialed(suite: CryptoSuite) async throws {
        let chain = try TestChain(suite: suite)
        let logs = LogCapture()
        let keys = (0..<2).map { _ in PrivateKey.generate(suite: suite) }
        let members = Set(keys.map(\.publicKey))
        let bConfiguration = try chain.node("b", identity: keys[1], members: members, logs: logs)
        let b = PeerNetwork(configuration: bConfiguration)
        try await b.start()
        let port = try #require(b.listeningPort)
        let a = PeerNetwork(configuration: try chain.node("a", identity: keys[0], members: members,
                                                          peers: [b.endpoint], logs: logs))
        try await a.start()
        #expect(await eventually { a.connectedPeers == [keys[1].publicKey] })
        await b.shutdown()
        #expect(await eventually { a.connectedPeers.isEmpty })

        var restartedConfiguration = bConfiguration
        restartedConfiguration.listenPort = port
        let restarted = PeerNetwork(configuration: restartedConfiguration)
        try await restarted.start()
        let inboxA = Inbox(a)
        let inboxB = Inbox(restarted)
        #expect(await eventually { a.connectedPeers.count == 1 && restarted.connectedPeers.count == 1 })
        a.send([1, 2, 3], to: keys[1].publicKey)
        restarted.send([4, 5, 6], to: keys[0].publicKey)
        #expect(await eventually { inboxA.frames.count == 1 && inboxB.frames.count == 1 })
        #expect(inboxA.frames.first == InboundFrame(peer: keys[1].publicKey, bytes: [4, 5, 6]))
        #expect(inboxB.frames.first == InboundFrame(peer: keys[0].publicKey, bytes: [1, 2, 3]))
        await a.shutdown()
        await restarted.shutdown()
    }

    /// Starts an honest node, lets `makeDialer` build a node that dials it, and expects the honest node to log a
    /// refusal with `code` whose message contains `sentence`, and no link on either side.
    private func expectRefusal(
        chain: TestChain, code: String, sentence: String, dialerIsMember: Bool = true,
        dialerUsesHonestKey: Bool = false,
        makeDialer: (PrivateKey, Set<PublicKey>, PeerEndpoint, LogCapture) throws -> PeerNetworkConfiguration
    ) async throws {
        let honestLogs = LogCapture()
        let dialerLogs = LogCapture()
        let honestKey = PrivateKey.generate(suite: chain.suite)
        let dialerKey = dialerUsesHonestKey ? honestKey : PrivateKey.generate(suite: chain.suite)
        let members: Set<PublicKey> = dialerIsMember
            ? [honestKey.publicKey, dialerKey.publicKey] : [honestKey.publicKey]
        let honest = PeerNetwork(configuration: try chain.node("honest", identity: honestKey,
                                                               members: members, logs: honestLogs))
        try await honest.start()
        let dialer = PeerNetwork(configuration: try makeDialer(dialerKey, members, honest.endpoint, dialerLogs))
        try await dialer.start()
        #expect(await eventually { !honestLogs.refusals(code: code).isEmpty })
        let refusal = try #require(honestLogs.refusals(code: code).first)
        #expect(refusal.message.contains(sentence), "\(refusal.message)")
        #expect(refusal.metadata["peer"] != nil)
        #expect(honest.connectedPeers.isEmpty)
        #expect(honest.statistics.refusals >= 1)
        await dialer.shutdown()
        await honest.shutdown()
    }
}

extension Sequence {
    /// `map` with an async throwing transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
