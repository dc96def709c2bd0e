import CivicClient
import NIOCore
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicTesting
import Foundation
import Synchronization
import Testing

/// kill -9 during a stream of writes: every transaction the API acknowledged as committed is
/// still there, with a valid proof, after the node restarts.
@Suite("Crash recovery with a real node process")
struct CrashRecoveryTests {
    @Test("no acknowledged transaction is lost across kill -9 and restart")
    func killNineLosesNothing() async throws {
        let directory = try CivicProcess.temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writerKey = PrivateKey.generate(suite: .sm)
        try writerKey.pemRepresentation.write(toFile: directory + "/writer.pem", atomically: true, encoding: .utf8)
        try CivicProcess.civic(["keygen", "--suite", "sm", "--out", "validator.pem"], in: directory)
        try CivicProcess.civic(["genesis", "--chain-id", "crash-test", "--suite", "sm",
                                "--validator", "v:Big Data Bureau:validator.pem", "--admin", "writer:Big Data Bureau:writer.pem",
                                "--block-interval-ms", "20"], in: directory)
        let genesis = try GenesisFile.load(path: directory + "/genesis.json")
        let node = NodeProcess(directory: directory, port: try freePort())
        try await node.start()
        defer { node.kill9() }

        let client = NodeClient(baseURL: node.url, timeout: .seconds(5))
        let builder = TransactionBuilder(chainID: genesis.chainID, key: writerKey)
        let acknowledged = Shared<[Hash256]>([])
        let stop = Shared(false)
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        var sequence = 0
                        while !stop.withLock({ $0 }) {
                            sequence += 1
                            let call = TransactionBuilder.keyValuePut(key: Array("w\(writer)-\(sequence)".utf8), value: [UInt8(sequence % 256)])
                            guard let transaction = try? builder.sign(call),
                                  let response = try? await client.submit(transaction, wait: true, timeoutMilliseconds: 3_000),
                                  response.status == "committed", let hash = Hash256(validating: Hex.decode(response.hash) ?? [])
                            else {
                                try? await Task.sleep(for: .milliseconds(20))
                                continue
                            }
                            acknowledged.withLock { $0.append(hash) }
                        }
                    }
                }
            }
        }
        var seed = SplitMix64(seed: 0xC1A1_2026)
        for round in 0..<3 {
            // Kill only once this life of the node has acknowledged some writes (slow machines
            // take longer), then at a seeded moment while writes are in flight.
            let before = acknowledged.withLock { $0.count }
            let deadline = ContinuousClock.now.advanced(by: .seconds(90))
            while acknowledged.withLock({ $0.count }) < before + 10 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(acknowledged.withLock { $0.count } >= before + 10, "round \(round): the node acknowledged writes")
            try await Task.sleep(for: .milliseconds(Int(seed.next() % 300)))
            node.kill9()
            try await node.start()
        }
        try await Task.sleep(for: .milliseconds(500))
        stop.withLock { $0 = true }
        await writers.value

        let hashes = acknowledged.withLock { $0 }
        #expect(hashes.count > 20, "the writers made progress (\(hashes.count) acknowledged)")
        for hash in hashes {
            let bytes = try await client.proofFile(hash)
            #expect(throws: Never.self) { _ = try OfflineVerifier.verify(bytes, genesis: genesis) }
        }
    }
}

/// A value several tasks read and write under a lock.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
