@testable import CivicCLI
import CivicClient
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import Foundation
import NIOCore
import Testing

/// Four real validator processes on loopback, started by `civic devnet up`: kill -9, catch-up, loss
/// of quorum without a fork, recovery, a peer from an unknown CA refused at the handshake.
@Suite("Devnet of real node processes", .serialized, .timeLimit(.minutes(10)))
struct DevnetTests {
    /// A devnet in a temporary folder, with helpers over its manifest.
    struct Network {
        let directory: String
        let layout: DevnetLayout
        let manifest: DevnetLayout.Manifest
        let genesis: Genesis
        let admin: TransactionBuilder

        /// Starts a devnet of `nodes` validators; `demo` also loads the demo city (staff, catalog, certificate types).
        init(suite: String, nodes: Int = 4, demo: Bool = false) throws {
            directory = try CivicProcess.temporaryDirectory("devnet")
            try CivicProcess.civic(["devnet", "up", "--nodes", "\(nodes)", "--suite", suite, "--dir", "net"]
                                    + (demo ? [] : ["--no-demo"])
                                    + ["--api-port", "\(try freePort())", "--log-level", "notice"], in: directory)
            layout = DevnetLayout(directory: directory + "/net")
            manifest = try #require(try layout.load())
            genesis = try GenesisFile.load(path: layout.genesis)
            admin = TransactionBuilder(chainID: genesis.chainID, key: try CLI.loadKey(layout.demo.key("admin")))
        }

        func client(_ index: Int) -> NodeClient {
            NodeClient(baseURL: "http://127.0.0.1:\(manifest.nodes[index].apiPort)", timeout: .seconds(10))
        }

        func height(_ index: Int) async -> UInt64? { try? await client(index).chainInfo().height }

        /// Commits one key-value write through node `index` and returns its height.
        func commit(_ number: Int, via index: Int) async throws -> UInt64? {
            let transaction = try admin.sign(TransactionBuilder.keyValuePut(key: Array("k\(number)".utf8), value: [1]))
            let response = try await client(index).submit(transaction, wait: true, timeoutMilliseconds: 15_000)
            return response.status == "committed" ? response.height : nil
        }

        /// Waits until nodes `indices` have all committed `height`.
        func waitForHeight(_ height: UInt64, on indices: [Int], seconds: Int = 30) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                var reached = true
                for index in indices where (await self.height(index) ?? 0) < height { reached = false }
                if reached { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        /// Starts node `index` again, in the background, as `devnet up` does.
        func restart(_ index: Int) throws -> Process {
            let entry = manifest.nodes[index]
            return try LocalProcess.start(layout.startArguments(entry, in: manifest, logLevel: "notice"),
                                          logPath: layout.log(entry.name), append: true, executable: CivicProcess.binary)
        }

        /// Block hashes of every height below `height` agree on the given nodes.
        func expectNoFork(upTo height: UInt64, on indices: [Int], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            guard height > 0 else { return }
            for raw in 1...height {
                var hashes = Set<String>()
                for index in indices { hashes.insert(try await client(index).block("\(raw)").header.hash) }
                #expect(hashes.count == 1, "nodes disagree at height \(raw)", sourceLocation: sourceLocation)
            }
        }

        func down() {
            _ = try? CivicProcess.run(CivicProcess.binary, ["devnet", "down", "--dir", "net"], in: directory)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @Test("kill -9 one validator: the chain goes on; restarted, it catches up; two stopped: it halts without forking; one back: it resumes")
    func faultsAndRecovery() async throws {
        let network = try Network(suite: "intl")
        defer { network.down() }
        let all = [0, 1, 2, 3]
        var height = try #require(try await network.commit(0, via: 0))
        #expect(await network.waitForHeight(height, on: all))

        // kill -9 node-4: the other three still make a quorum.
        let victim = try #require(network.manifest.nodes[3].pid)
        kill(victim, SIGKILL)
        for number in 1...5 { height = try #require(try await network.commit(number, via: number % 3)) }
        #expect(await network.waitForHeight(height, on: [0, 1, 2]))

        // Restarted, it fetches the blocks it missed and verifies them.
        let restarted = try network.restart(3)
        defer { restarted.terminate() }
        #expect(await network.waitForHeight(height, on: all, seconds: 60), "the restarted node did not catch up")
        height = try #require(try await network.commit(6, via: 3))
        try await network.expectNoFork(upTo: height, on: all)

        // Two of four stopped: no quorum, nothing commits, nothing forks.
        _ = await LocalProcess.stop(pid: try #require(network.manifest.nodes[2].pid))
        await LocalProcess.stop(restarted)
        let stalled = try network.admin.sign(TransactionBuilder.keyValuePut(key: Array("stalled".utf8), value: [1]))
        let pending = try await network.client(0).submit(stalled, wait: true, timeoutMilliseconds: 3_000)
        #expect(pending.status != "committed")
        let frozen = await network.height(0)
        try await Task.sleep(for: .seconds(1))
        let heights = [await network.height(0), await network.height(1)]
        #expect(heights == [frozen, frozen])

        // One back: quorum again, the waiting transaction commits.
        let third = try network.restart(2)
        defer { third.terminate() }
        let deadline = ContinuousClock.now + .seconds(60)
        var committed = false
        while !committed && ContinuousClock.now < deadline {
            committed = (try? await network.client(0).transaction(stalled.hash(suite: network.genesis.suite))) != nil
            if !committed { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(committed, "the chain did not resume with three of four validators")
        let final = try #require(await network.height(0))
        #expect(await network.waitForHeight(final, on: [0, 1, 2]))
        try await network.expectNoFork(upTo: final, on: [0, 1, 2])
        await LocalProcess.stop(third)
    }

    @Test("a node whose certificate an unknown CA issued is refused at the handshake, and the log says why")
    func unknownCertificateAuthorityIsRefused() async throws {
        let network = try Network(suite: "sm")
        defer { network.down() }
        let first = try #require(try await network.commit(0, via: 1))
        #expect(first >= 1)
        let validity = ValidityWindow(starting: Timestamp(milliseconds: TransactionBuilder.wallClock().milliseconds - 60_000), days: 30)
        let rogue = try OrganizationCA.create(organization: "Rogue Bureau", suite: .sm, validity: validity)
        let transportKey = PrivateKey.generate(suite: .intl)
        let certificate = try rogue.issueTransportCertificate(nodeName: "rogue", chainID: network.genesis.chainID,
                                                              transportKey: transportKey.publicKey, validity: validity)
        let folder = network.directory + "/rogue"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try certificate.pemRepresentation.write(toFile: folder + "/tls.crt", atomically: true, encoding: .utf8)
        try transportKey.pemRepresentation.write(toFile: folder + "/tls.key", atomically: true, encoding: .utf8)
        try PrivateKey.generate(suite: .sm).pemRepresentation.write(toFile: folder + "/node.pem", atomically: true, encoding: .utf8)
        let target = network.manifest.nodes[0]
        let process = try LocalProcess.start([
            "node", "start", "--genesis", network.layout.genesis, "--key", folder + "/node.pem", "--data", folder + "/data",
            "--listen", "127.0.0.1:\(try freePort())", "--p2p-listen", "127.0.0.1:\(try freePort())",
            "--peer", "127.0.0.1:\(target.p2pPort)", "--tls-cert", folder + "/tls.crt", "--tls-key", folder + "/tls.key",
        ], logPath: folder + "/node.log", executable: CivicProcess.binary)
        defer { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(30)
        var log = ""
        while ContinuousClock.now < deadline {
            log = (try? String(contentsOfFile: network.layout.log(target.name), encoding: .utf8)) ?? ""
            if log.contains("unknown_ca") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(log.contains("unknown_ca"), "node-1's log does not name the refusal:\n\(log.suffix(2_000))")
        #expect(log.contains("Rogue Bureau"), "the refusal does not name the certificate's issuer")
        // The chain is unaffected.
        #expect(try await network.commit(1, via: 0) != nil)
        await LocalProcess.stop(process)
    }
}
