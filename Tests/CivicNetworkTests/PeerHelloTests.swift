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
        let chain = try TestChain(suite: suite)
        let logs = LogCapture()
        let honestKey = PrivateKey.generate(suite: suite)
        let memberKey = PrivateKey.generate(suite: suite)
        let members: Set<PublicKey> = [honestKey.publicKey, memberKey.publicKey]
        let honest = PeerNetwork(configuration: try chain.node("honest", identity: honestKey, members: members,
                                                               logs: logs))
        try await honest.start()

        // A client with a valid transport certificate that announces a member's key but signs with another key.
        let rogueConfiguration = try chain.node("rogue", identity: memberKey, members: members, logs: LogCapture())
        let tls = try TLSContexts(configuration: rogueConfiguration)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let rogue = RogueHelloHandler(chainID: chain.chainID, announced: memberKey.publicKey,
                                                  signer: PrivateKey.generate(suite: suite),
                                                  ownCertificate: rogueConfiguration.transportCertificate)
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

        #expect(await eventually { !logs.refusals(code: "peer.bad_hello_signature").isEmpty })
        #expect(logs.refusals(code: "peer.bad_hello_signature").first?.message.contains("does not verify") == true)
        try await channel.closeFuture.get()
        #expect(honest.connectedPeers.isEmpty)
        await honest.shutdown()
    }
}

/// Speaks the link protocol but signs its hello with `signer` while announcing `announced`.
final class RogueHelloHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundOut = ByteBuffer

    let chainID: String
    let announced: PublicKey
    let signer: PrivateKey
    let ownCertificate: X509Certificate
    var peerCertificate: [UInt8]?
    private var ourNonce = [UInt8](repeating: 9, count: NetworkLimits.nonceBytes)

    init(chainID: String, announced: PublicKey, signer: PrivateKey, ownCertificate: X509Certificate) {
        self.chainID = chainID
        self.announced = announced
        self.signer = signer
        self.ownCertificate = ownCertificate
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { send(ourNonce, context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let theirNonce = unwrapInboundIn(data)
        guard theirNonce.count == NetworkLimits.nonceBytes, let peerCertificate else { return }
        let signed = PeerHello.signedBytes(
            chainID: chainID, signerCertificate: ownCertificate.derRepresentation,
            verifierCertificate: peerCertificate, signerNonce: ourNonce, verifierNonce: theirNonce,
            suite: signer.suite)
        guard let signature = try? signer.signature(for: signed) else { return }
        send(PeerHello(chainID: chainID, identityKey: announced, signature: signature).canonicalBytes, context: context)
    }

    private func send(_ frame: [UInt8], context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(FrameDecoder.encode(frame, allocator: context.channel.allocator)),
                              promise: nil)
    }
}
