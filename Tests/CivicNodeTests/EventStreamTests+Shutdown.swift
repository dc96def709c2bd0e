import CivicAPI
import CivicClient
import CivicCrypto
import CivicFormats
@testable import CivicNode
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

extension EventStreamTests {
    @Test("A graceful shutdown ends the open streams instead of waiting for their clients")
    func gracefulShutdown() async throws {
        let fixture = Fixture(suite: .sm)
        let node = try fixture.makeNode()
        let port = Mutex<Int?>(nil)
        let app = Application(router: CivicAPI.router(node: node, metrics: nil),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "civic.test"))
        let server = Task { try await group.run() }
        try await Self.eventually { port.withLock { $0 } != nil }
        let client = NodeClient(baseURL: "http://127.0.0.1:\(try #require(port.withLock { $0 }))")
        let follower = Task { try await Self.take(1, from: client.events(from: 1)) }
        try await Self.eventually { node.commitSignal.waitingCount > 0 }
        let clock = ContinuousClock()
        let started = clock.now
        await group.triggerGracefulShutdown()
        try await server.value
        #expect(started.duration(to: clock.now) < .seconds(5))
        follower.cancel()
    }
}
