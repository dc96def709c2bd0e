import CivicCodec
import CivicCrypto
import CivicLedger
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing

@testable import CivicNetwork

/// The hello that binds an identity key to a TLS session: encoding, and a peer whose hello signature is wrong.
@Suite(.serialized) struct PeerHelloTests {
    @Test(arguments: CryptoSuite.allCases)
    func helloRoundTripsAndRefusesOtherVersions(suite: CryptoSuite) throws {
        let key = PrivateKey.generate(suite: suite)
        let signed = PeerHello.signedBytes(chainID: "c", signerCertificate: [1], verifierCertificate: [2],
                                           signerNonce: [3], verifierNonce: [4], suite: suite)
        let hello = PeerHello(chainID: "c", identityKey: key.publicKey, signature: try key.signature(for: signed))
        #expect(try PeerHello(canonicalBytes: hello.canonicalBytes) == hello)
        #expect(hello.canonicalBytes.count <= NetworkLimits.helloBytesMax)
        var bytes = hello.canonicalBytes
        bytes[0] = 2
        #expect(throws: CodecError.self) { try PeerHello(canonicalBytes: bytes) }
        // The signer's and the verifier's parts are not interchangeable.
        let swapped = PeerHello.signedBytes(chainID: "c", signerCertificate: [2], verifierCertificate: [1],
                                            signerNonce: [4], verifierNonce: [3], suite: suite)
        #expect(!key.publicKey.isValidSignature(hello.signature, for: swapped))
    }

    @Test(arguments: CryptoSuite.allCases)
    func helloWithAWrongSignatureIsRefused(suite: CryptoSuite) async throws {
        // Announces a member's key but signs with another key.
        try await expectRogueRefused(suite: suite, code: "peer.bad_hello_signature", sentence: "does not verify") {
            member, chainID, signed in
            let signature = try PrivateKey.generate(suite: suite).signature(for: signed(chainID))
            return PeerHello(chainID: chainID, identityKey: member.publicKey, signature: signature).canonicalBytes
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func helloForAnotherChainIsRefused(suite: CryptoSuite) async throws {
        // A valid certificate of this chain, but the hello (correctly signed) names another chain.
        try await expectRogueRefused(suite: suite, code: "peer.wrong_chain", sentence: "'elsewhere'") {
            member, _, signed in
            let signature = try member.signature(for: signed("elsewhere"))
            return PeerHello(chainID: "elsewhere", identityKey: member.publicKey, signature: signature).canonicalBytes
        }
    }

    @Test func unreadableHelloIsRefused() async throws {
        try await expectRogueRefused(suite: .sm, code: "peer.malformed_hello", sentence: "cannot be read") { _, _, _ in
            [1, 2, 3]
        }
    }

    @Test func silentPeerIsRefusedAfterTheHandshakeTimeout() async throws {
        let chain = try TestChain(suite: .intl)
        let logs = LogCapture()
        var configuration = try chain.node("honest", identity: PrivateKey.generate(suite: .intl), members: [],
                                           logs: logs)
        configuration.handshakeTimeoutMilliseconds = 200
        let honest = PeerNetwork(configuration: configuration)
        try await honest.start()
        // Plain TCP that never starts TLS.
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: honest.listeningPort ?? 0).get()
        #expect(await eventually { !logs.refusals(code: "peer.handshake_timeout").isEmpty })
        try await channel.closeFuture.get()
        await honest.shutdown()
    }

    /// Starts an honest node, connects a rogue client with a valid transport certificate whose hello is
    /// `makeHello(member key, chain id, signed bytes for a chain id)`, and expects a refusal with `code`.
    private func expectRogueRefused(
        suite: CryptoSuite, code: String, sentence: String,
        makeHello: @escaping (PrivateKey, String, (String) -> [UInt8]) throws -> [UInt8]
    ) async throws {
        let chain = try TestChain(suite: suite)
        let logs = LogCapture()
        let honestKey = PrivateKey.generate(suite: suite)
        let memberKey = PrivateKey.generate(suite: suite)
        let members: Set<PublicKey> = [honestKey.publicKey, memberKey.publicKey]
        let honest = PeerNetwork(configuration: try chain.node("honest", identity: honestKey, members: members,
                                                               logs: logs))
        try await honest.start()
        let rogueConfiguration = try chain.node("rogue", identity: memberKey, members: members, logs: LogCapture())
        let tls = try TLSContexts(certificate: rogueConfiguration.transportCertificate,
                                  key: rogueConfiguration.transportKey)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let rogue = RogueHelloHandler { ourNonce, theirNonce, peerCertificate in
                        try makeHello(memberKey, chain.chainID) { chainID in
                            PeerHello.signedBytes(
                                chainID: chainID, signerCertificate:
                                    rogueConfiguration.transportCertificate.derRepresentation,
                                verifierCertificate: peerCertificate, signerNonce: ourNonce,
                                verifierNonce: theirNonce, suite: suite)
                        }
                    }
                    let callback: NIOSSLCustomVerificationCallback = { certificates, promise in
                        rogue.peerCertificate = try? certificates.first?.toDERBytes()
                        promise.succeed(.certificateVerified)
                    }
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(NIOSSLClientHandler(context: tls.client, serverHostname: nil,
                                                                  customVerificationCallback: callback))
                    try operations.addHandler(ByteToMessageHandler(FrameDecoder(frameBytesMax: 1 << 16)))
                    try operations.addHandler(rogue)
                }
            }
            .connect(host: "127.0.0.1", port: honest.listeningPort ?? 0).get()
        #expect(await eventually { !logs.refusals(code: code).isEmpty })
        let message = logs.refusals(code: code).first?.message ?? ""
        #expect(message.contains(sentence), "\(message)")
        try await channel.closeFuture.get()
        #expect(honest.connectedPeers.isEmpty)
        await honest.shutdown()
    }
}

/// Speaks the link protocol up to the hello, which `makeHello(our nonce, their nonce, peer certificate)` writes.
final class RogueHelloHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundOut = ByteBuffer

    let makeHello: ([UInt8], [UInt8], [UInt8]) throws -> [UInt8]
    var peerCertificate: [UInt8]?
    private let ourNonce = [UInt8](repeating: 9, count: NetworkLimits.nonceBytes)

    init(makeHello: @escaping ([UInt8], [UInt8], [UInt8]) throws -> [UInt8]) {
        self.makeHello = makeHello
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { send(ourNonce, context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let theirNonce = unwrapInboundIn(data)
        guard theirNonce.count == NetworkLimits.nonceBytes, let peerCertificate,
              let hello = try? makeHello(ourNonce, theirNonce, peerCertificate)
        else { return }
        send(hello, context: context)
    }

    private func send(_ frame: [UInt8], context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(FrameDecoder.encode(frame, allocator: context.channel.allocator)),
                              promise: nil)
    }
}
