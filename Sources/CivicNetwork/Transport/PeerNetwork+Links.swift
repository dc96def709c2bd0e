import CivicCrypto
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

extension PeerNetwork {
    /// Builds a connection's pipeline: TLS (with the chain's certificate check), framing, link protocol.
    func installLink(on channel: any Channel, tls: TLSContexts, dialerIndex: Int?, address: String) throws {
        let linkID = state.withLockedValue { state -> UInt64? in
            guard state.phase != .stopped else { return nil }
            state.nextLinkID += 1
            return state.nextLinkID
        }
        guard let linkID else { throw ChannelError.ioOnClosedChannel }
        // The handler binds the hello to the certificate these contexts present, even if the identity is replaced
        // while this connection is open.
        let handler = PeerLinkHandler(network: self, configuration: configuration, linkID: linkID,
                                      dialerIndex: dialerIndex, peerAddress: address,
                                      ownCertificateDER: tls.certificate.derRepresentation)
        // Registered before the TLS handler exists, so a trust update either reaches this connection's handler or
        // happens before its certificate check runs (both run on this event loop).
        let registered = state.withLockedValue { state -> Bool in
            guard state.phase != .stopped else { return false }
            state.openLinks[linkID] = OpenLink(channel: channel,
                                               handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            return true
        }
        guard registered else { throw ChannelError.ioOnClosedChannel }
        channel.closeFuture.whenComplete { [self] _ in
            state.withLockedValue { _ = $0.openLinks.removeValue(forKey: linkID) }
        }
        // Runs on the event loop during the handshake; it must not call back into the TLS handler, so a refusal is
        // logged here and the handshake fails through the promise.
        let callback: NIOSSLCustomVerificationCallback = { [self] certificates, promise in
            switch verifyPeerCertificate(certificates) {
            case .success(let der):
                handler.peerCertificateDER = der
                promise.succeed(.certificateVerified)
            case .failure(let refusal):
                recordRefusal(.certificate(refusal), peerAddress: address)
                promise.succeed(.failed)
            }
        }
        let operations = channel.pipeline.syncOperations
        if dialerIndex == nil {
            try operations.addHandler(NIOSSLServerHandler(context: tls.server, customVerificationCallback: callback))
        } else {
            try operations.addHandler(
                NIOSSLClientHandler(context: tls.client, serverHostname: nil, customVerificationCallback: callback))
        }
        try operations.addHandler(ByteToMessageHandler(FrameDecoder(frameBytesMax: configuration.frameBytesMax)))
        try operations.addHandler(handler)
    }

    /// The peer's leaf certificate (DER) if the current trust accepts it now (CAs, validity, chain, revocation).
    private func verifyPeerCertificate(_ certificates: [NIOSSLCertificate]) -> Result<[UInt8], CertificateRefusal> {
        guard let leaf = certificates.first, let der = try? leaf.toDERBytes() else {
            return .failure(.malformed("the peer presented no readable certificate"))
        }
        do {
            _ = try trust.verify(leafDER: der, at: configuration.now())
            return .success(der)
        } catch {
            return .failure(error)
        }
    }

    /// Dials listed peer `index` unless it is already connecting or its peer already has a link (then the dialer
    /// waits until that link closes).
    func dial(_ index: Int) {
        let attempt = state.withLockedValue { state -> (PeerEndpoint, TLSContexts)? in
            state.dialers[index].scheduled = nil
            guard state.phase == .running, let tls = state.tls, !state.dialers[index].busy else { return nil }
            if let known = state.dialers[index].knownPeer, state.links[known] != nil { return nil }
            state.dialers[index].busy = true
            return (state.dialers[index].endpoint, tls)
        }
        guard let (endpoint, tls) = attempt else { return }
        ClientBootstrap(group: configuration.eventLoopGroup)
            .connectTimeout(.milliseconds(NetworkLimits.connectTimeoutMilliseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try installLink(on: channel, tls: tls, dialerIndex: index, address: endpoint.description)
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .whenFailure { [self] error in
                configuration.logger.debug("dial failed", metadata: [
                    "peer": .string(endpoint.description), "error": .string("\(error)"),
                ])
                dialFinished(index, outcome: .neverAuthenticated)
            }
    }

    /// Schedules dialer `index`'s next attempt after a failed attempt (back-off doubles) or a closed link (back-off
    /// starts again).
    private func dialFinished(_ index: Int, outcome: LinkOutcome) {
        state.withLockedValue { state in
            state.dialers[index].busy = false
            let delay: Int64
            switch outcome {
            case .neverAuthenticated:
                delay = state.dialers[index].backoff.failed()
            case .duplicate(let peer), .lost(let peer):
                state.dialers[index].knownPeer = peer
                delay = state.dialers[index].backoff.linkEnded()
            }
            schedule(index, after: delay, in: &state)
        }
    }

    /// Schedules `dial(index)` after `milliseconds` plus or minus the jitter.
    private func schedule(_ index: Int, after milliseconds: Int64, in state: inout State) {
        guard state.phase == .running, state.dialers[index].scheduled == nil else { return }
        let delay = TimeAmount.milliseconds(DialBackoff.jittered(milliseconds))
        state.dialers[index].scheduled = configuration.eventLoopGroup.next().scheduleTask(in: delay) { [self] in
            dial(index)
        }
    }

    /// Registers an authenticated link, keeping one link per peer: of two, the one dialed by the node with the
    /// smaller identity key; of two from the same dialer, the newer. Returns whether `link` is kept.
    func register(_ link: PeerLink) -> Bool {
        let ours = configuration.identityKey.publicKey.rawRepresentation
        let theirs = link.peer.rawRepresentation
        let smaller = ours.lexicographicallyPrecedes(theirs) ? ours : theirs
        func isPreferred(_ link: PeerLink) -> Bool {
            (link.dialerIndex != nil ? ours : theirs) == smaller
        }
        let (kept, replaced) = state.withLockedValue { state -> (Bool, PeerLink?) in
            guard state.phase == .running else { return (false, nil) }
            if let index = link.dialerIndex { state.dialers[index].knownPeer = link.peer }
            let existing = state.links[link.peer]
            if let existing, isPreferred(existing), !isPreferred(link) { return (false, nil) }
            state.links[link.peer] = link
            state.statistics.linksEstablished += 1
            return (true, existing)
        }
        if let replaced {
            replaced.channel.eventLoop.execute { replaced.handler.value.closeAsDuplicate(replaced.peer) }
        }
        return kept
    }

    /// Forgets a closed link, wakes dialers that waited for its peer, and schedules its own dialer.
    func linkClosed(linkID: UInt64, dialerIndex: Int?, outcome: LinkOutcome) {
        if case .lost(let peer) = outcome {
            let removed = state.withLockedValue { state -> Bool in
                guard state.links[peer]?.id == linkID else { return false }
                state.links[peer] = nil
                for index in state.dialers.indices
                where index != dialerIndex && state.dialers[index].knownPeer == peer && !state.dialers[index].busy {
                    schedule(index, after: NetworkLimits.dialBackoffInitialMilliseconds, in: &state)
                }
                return true
            }
            if removed { configuration.logger.info("peer link down", metadata: ["link": .stringConvertible(linkID)]) }
        }
        if let dialerIndex { dialFinished(dialerIndex, outcome: outcome) }
    }

    /// Hands a frame from an authenticated peer to ``inbound``; counts it if the stream's buffer is full.
    func deliver(_ frame: InboundFrame) {
        if case .dropped = inboundContinuation.yield(frame) {
            state.withLockedValue { $0.statistics.inboundFramesDropped += 1 }
        }
    }

    /// Counts a frame dropped from a full outbound queue.
    func recordOutboundDrop() {
        state.withLockedValue { $0.statistics.outboundFramesDropped += 1 }
    }

    /// Counts and logs a refusal with the peer's address, its code and its sentence; `closingLink` says that an
    /// authenticated link is closed because a revalidation no longer accepts it.
    func recordRefusal(_ refusal: PeerRefusal, peerAddress: String, closingLink: Bool = false) {
        state.withLockedValue { $0.statistics.refusals += 1 }
        let event = closingLink ? "peer link closed" : "peer refused"
        configuration.logger.warning("\(event): \(refusal.description)", metadata: [
            "peer": .string(peerAddress), "code": .string(refusal.code),
        ])
    }
}

/// The server and client TLS 1.3 contexts of this node: its transport certificate and key, peer certificates
/// required, and verification left to the chain's trust (custom verification callback).
struct TLSContexts: Sendable {
    /// The certificate both contexts present.
    let certificate: X509Certificate
    /// For accepted connections.
    let server: NIOSSLContext
    /// For dialed connections.
    let client: NIOSSLContext

    /// Builds both contexts for `certificate` and its P-256 `key`.
    /// - Throws: ``NetworkError/tlsSetupFailed(_:)`` if BoringSSL refuses the key or certificate.
    init(certificate: X509Certificate, key: PrivateKey) throws(NetworkError) {
        do {
            let tlsCertificate = try NIOSSLCertificate(bytes: certificate.derRepresentation, format: .der)
            let tlsKey = try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)
            var server = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(tlsCertificate)], privateKey: .privateKey(tlsKey))
            var client = TLSConfiguration.makeClientConfiguration()
            client.certificateChain = [.certificate(tlsCertificate)]
            client.privateKey = .privateKey(tlsKey)
            server.minimumTLSVersion = .tlsv13
            client.minimumTLSVersion = .tlsv13
            // Peer certificates are required on both sides; the custom callback replaces BoringSSL's chain check.
            server.certificateVerification = .noHostnameVerification
            client.certificateVerification = .noHostnameVerification
            self.certificate = certificate
            self.server = try NIOSSLContext(configuration: server)
            self.client = try NIOSSLContext(configuration: client)
        } catch {
            throw .tlsSetupFailed("\(error)")
        }
    }
}
