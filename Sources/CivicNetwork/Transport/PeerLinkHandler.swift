import CivicCodec
import CivicCrypto
import CivicLedger
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// How a link ended, which tells its dialer when to dial again.
enum LinkOutcome: Sendable {
    /// The link closed before the peer was authenticated (refused, failed, timed out).
    case neverAuthenticated
    /// The peer was authenticated but another link to it was kept (one link per peer).
    case duplicate(PublicKey)
    /// An authenticated, registered link closed.
    case lost(PublicKey)
}

/// One TCP+TLS connection's link protocol, after the TLS handshake:
///
/// 1. each side sends a challenge frame: ``NetworkLimits/nonceBytes`` fresh random bytes;
/// 2. on the peer's challenge, each side sends its ``PeerHello``;
/// 3. on the peer's hello, each side checks chain, signature (bound to this session) and membership, then asks the
///    network to register the link (which may keep another link to the same peer instead);
/// 4. afterwards every frame is an application frame, handed to ``PeerNetwork/inbound``.
///
/// Outbound application frames wait in a queue of at most ``PeerNetworkConfiguration/outboundQueueFramesMax`` while
/// the channel is not writable; when it is full the oldest frame is dropped and counted.
final class PeerLinkHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundOut = ByteBuffer

    private enum State {
        case tlsHandshaking
        case awaitingChallenge(ourNonce: [UInt8])
        case awaitingHello(ourNonce: [UInt8], theirNonce: [UInt8])
        case established(PublicKey)
        case closed
    }

    /// The link's number in its network.
    let linkID: UInt64
    /// The dialer that opened the link, or `nil` for an accepted connection.
    let dialerIndex: Int?
    /// The peer's address, for logs.
    let peerAddress: String
    /// The peer's transport certificate (DER), set by the verification callback once it accepted it.
    var peerCertificateDER: [UInt8]?

    private let network: PeerNetwork
    private let configuration: PeerNetworkConfiguration
    private let ownCertificateDER: [UInt8]
    private var state = State.tlsHandshaking
    private var outcome = LinkOutcome.neverAuthenticated
    private var pending: OutboundFrameQueue
    private var context: ChannelHandlerContext?
    private var timeout: Scheduled<Void>?

    /// A handler whose hello binds `ownCertificateDER`, the certificate this connection's TLS context presents.
    init(network: PeerNetwork, configuration: PeerNetworkConfiguration, linkID: UInt64, dialerIndex: Int?,
         peerAddress: String, ownCertificateDER: [UInt8]) {
        self.network = network
        self.configuration = configuration
        self.ownCertificateDER = ownCertificateDER
        self.linkID = linkID
        self.dialerIndex = dialerIndex
        self.peerAddress = peerAddress
        self.pending = OutboundFrameQueue(capacity: configuration.outboundQueueFramesMax)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let milliseconds = configuration.handshakeTimeoutMilliseconds
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(milliseconds)) { [self] in
            if case .established = state { return }
            refuse(.handshakeTimeout(milliseconds: milliseconds))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, case .tlsHandshaking = state {
            var nonce = [UInt8](repeating: 0, count: NetworkLimits.nonceBytes)
            var generator = SystemRandomNumberGenerator()
            for index in nonce.indices { nonce[index] = generator.next() }
            state = .awaitingChallenge(ourNonce: nonce)
            write(nonce, flush: true)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch state {
        case .tlsHandshaking, .closed:
            return
        case .awaitingChallenge(let ourNonce):
            guard frame.count == NetworkLimits.nonceBytes else {
                let expected = NetworkLimits.nonceBytes
                return refuse(.malformedHello("the challenge is \(frame.count) bytes, expected \(expected)"))
            }
            sendHello(ourNonce: ourNonce, theirNonce: frame)
        case .awaitingHello(let ourNonce, let theirNonce):
            receiveHello(frame, ourNonce: ourNonce, theirNonce: theirNonce)
        case .established(let peer):
            network.deliver(InboundFrame(peer: peer, bytes: frame))
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        drain()
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let refusal = error as? PeerRefusal {
            refuse(refusal)
        } else if case .tlsHandshaking = state, case NIOSSLError.handshakeFailed = error {
            // This side's refusals were logged by the verification callback; the peer's refusals arrive as an
            // alert, and the reason is in the peer's log.
            configuration.logger.notice(
                "TLS handshake with peer failed; if the peer refused this node, its log says why",
                metadata: ["peer": .string(peerAddress), "error": .string("\(error)")])
            context.close(promise: nil)
        } else {
            if case .closed = state {} else {
                configuration.logger.debug("peer link failed", metadata: [
                    "peer": .string(peerAddress), "error": .string("\(error)"),
                ])
            }
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        state = .closed
        pending.removeAll()
        network.linkClosed(linkID: linkID, dialerIndex: dialerIndex, outcome: outcome)
        context.fireChannelInactive()
    }

    /// Queues an application frame (called on the channel's event loop).
    func enqueue(_ frame: [UInt8]) {
        guard case .established = state else { return }
        if pending.append(frame) { network.recordOutboundDrop() }
        drain()
    }

    /// Closes the link because another link to the same peer is kept (called on the event loop).
    func closeAsDuplicate(_ peer: PublicKey) {
        outcome = .duplicate(peer)
        state = .closed
        context?.close(promise: nil)
    }

    /// Checks the connection again against the network's current trust at `time` and, once authenticated, the
    /// peer's membership; closes it with the refusal if either fails (called on the event loop).
    func revalidate(at time: Timestamp) {
        if case .closed = state { return }
        var established = false
        if case .established = state { established = true }
        if let peerCertificateDER {
            do {
                _ = try network.trust.verify(leafDER: peerCertificateDER, at: time)
            } catch {
                return refuse(.certificate(error), closingLink: established)
            }
        }
        if case .established(let peer) = state, !configuration.isMember(peer) {
            refuse(.notMember(peer), closingLink: true)
        }
    }

    /// Logs `refusal` with the peer's address, counts it and closes the link; `closingLink` logs it as an
    /// authenticated link closed by a revalidation.
    func refuse(_ refusal: PeerRefusal, closingLink: Bool = false) {
        if case .closed = state { return }
        network.recordRefusal(refusal, peerAddress: peerAddress, closingLink: closingLink)
        state = .closed
        context?.close(promise: nil)
    }

    private func sendHello(ourNonce: [UInt8], theirNonce: [UInt8]) {
        guard let peerCertificateDER else { return refuse(.malformedHello("no verified peer certificate")) }
        let signed = PeerHello.signedBytes(
            chainID: configuration.chainID, signerCertificate: ownCertificateDER,
            verifierCertificate: peerCertificateDER, signerNonce: ourNonce, verifierNonce: theirNonce,
            suite: configuration.trust.suite)
        do {
            let signature = try configuration.identityKey.signature(for: signed)
            let hello = PeerHello(chainID: configuration.chainID, identityKey: configuration.identityKey.publicKey,
                                  signature: signature)
            state = .awaitingHello(ourNonce: ourNonce, theirNonce: theirNonce)
            write(hello.canonicalBytes, flush: true)
        } catch {
            configuration.logger.error("cannot sign the hello", metadata: ["error": .string(error.description)])
            context?.close(promise: nil)
        }
    }

    private func receiveHello(_ frame: [UInt8], ourNonce: [UInt8], theirNonce: [UInt8]) {
        guard frame.count <= NetworkLimits.helloBytesMax else {
            return refuse(.malformedHello("the hello is \(frame.count) bytes, at most \(NetworkLimits.helloBytesMax)"))
        }
        let hello: PeerHello
        do { hello = try PeerHello(canonicalBytes: frame) } catch { return refuse(.malformedHello(error.description)) }
        guard hello.chainID == configuration.chainID else {
            return refuse(.wrongChain(expected: configuration.chainID, found: hello.chainID))
        }
        guard hello.identityKey.suite == configuration.trust.suite else {
            return refuse(.malformedHello("the identity key is '\(hello.identityKey.suite)', the chain is "
                + "'\(configuration.trust.suite)'"))
        }
        guard let peerCertificateDER else { return refuse(.malformedHello("no verified peer certificate")) }
        let signed = PeerHello.signedBytes(
            chainID: configuration.chainID, signerCertificate: peerCertificateDER,
            verifierCertificate: ownCertificateDER, signerNonce: theirNonce, verifierNonce: ourNonce,
            suite: configuration.trust.suite)
        guard hello.identityKey.isValidSignature(hello.signature, for: signed) else {
            return refuse(.badHelloSignature)
        }
        guard hello.identityKey != configuration.identityKey.publicKey else { return refuse(.selfConnection) }
        guard configuration.isMember(hello.identityKey) else { return refuse(.notMember(hello.identityKey)) }
        guard let context else { return }
        timeout?.cancel()
        state = .established(hello.identityKey)
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        if network.register(PeerLink(id: linkID, dialerIndex: dialerIndex, peer: hello.identityKey,
                                     peerCertificateDER: peerCertificateDER, channel: context.channel,
                                     handler: bound)) {
            outcome = .lost(hello.identityKey)
            configuration.logger.info("peer link up", metadata: [
                "peer": .string(peerAddress), "direction": .string(dialerIndex == nil ? "inbound" : "outbound"),
            ])
        } else {
            closeAsDuplicate(hello.identityKey)
        }
    }

    private func drain() {
        guard let context else { return }
        var wrote = false
        while context.channel.isWritable, let frame = pending.popFirst() {
            write(frame, flush: false)
            wrote = true
        }
        if wrote { context.flush() }
    }

    private func write(_ frame: [UInt8], flush: Bool) {
        guard let context else { return }
        let buffer = FrameDecoder.encode(frame, allocator: context.channel.allocator)
        if flush {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        } else {
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
    }
}

/// A registered link as the network sees it: which peer, which direction, and how to reach its handler.
struct PeerLink: Sendable {
    /// The link's number.
    let id: UInt64
    /// The dialer that opened it, or `nil` if the peer dialed this node.
    let dialerIndex: Int?
    /// The authenticated peer.
    let peer: PublicKey
    /// The transport certificate (DER) the peer presented on this link.
    let peerCertificateDER: [UInt8]
    /// The connection.
    let channel: any Channel
    /// The link's handler, usable on the channel's event loop.
    let handler: NIOLoopBound<PeerLinkHandler>
}
