import ArgumentParser
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic bench contracts`: calls per second of a Swift WebAssembly contract against the same
/// operation as a native contract, and the interpreter's gas rate.
struct ContractBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contracts",
        abstract: "Compare a Swift WebAssembly contract's calls per second with the native kv.put (target: at most 5x slower).",
        discussion: """
            Builds ContractSDK/Examples/bench (one state write and one event per call, like kv.put) with the \
            toolchain, deploys it in an in-memory state, and executes the same number of signed calls through the \
            transaction executor, natively and in WebAssembly, in blocks. Prints the median of the rounds, the ratio \
            and the bound it is compared with, and the interpreter's gas per second.
            """)

    @Option(help: "Suite: sm or intl.")
    var suite: String = "intl"

    @Option(help: "Calls per round and path.")
    var calls: Int = 2_000

    @Option(help: "Rounds (the median is reported).")
    var rounds: Int = 5

    @Option(help: "The ContractSDK directory (default: found as `civic contract build` finds it).")
    var sdk: String?

    @Option(help: "The example that implements the workload: bench (Swift) or c-bench (C, to separate the runtime's cost from the SDK's).")
    var example: String = "bench"

    // `--json` belongs to the parent `civic bench`, which parses it first.
    @Option(help: "Output: text or json.")
    var output: String = "text"

    /// The slowdown a WebAssembly call may have against the native one.
    static let ratioBound = 5.0

    /// The figures of one run.
    struct Report: Codable {
        var suite: String
        var calls: Int
        var rounds: Int
        var example: String
        var moduleBytes: Int
        var nativeCallsPerSecond: Double
        var wasmCallsPerSecond: Double
        var ratio: Double
        var ratioBound: Double
        var gasPerCall: UInt64
        var gasPerSecond: Double
        var withinBound: Bool
    }

    func run() throws {
        guard let suite = CryptoSuite(name: suite) else { throw ValidationError("--suite must be sm or intl.") }
        let code = try Self.buildModule(example: example, sdk: sdk)
        let bench = Workload(suite: suite, code: code, calls: calls)
        var native: [Double] = []
        var wasm: [Double] = []
        var gas: [Double] = []
        var gasPerCall: UInt64 = 0
        for _ in 0..<max(1, rounds) {
            native.append(bench.run(bench.nativeCalls).seconds)
            let measured = bench.run(bench.wasmCalls)
            wasm.append(measured.seconds)
            gasPerCall = measured.gas / UInt64(max(1, calls))
            gas.append(Double(measured.gas) / measured.seconds)
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let nativeRate = Double(calls) / median(native)
        let wasmRate = Double(calls) / median(wasm)
        let report = Report(suite: suite.name, calls: calls, rounds: max(1, rounds), example: example, moduleBytes: code.count,
                            nativeCallsPerSecond: nativeRate, wasmCallsPerSecond: wasmRate, ratio: nativeRate / wasmRate,
                            ratioBound: Self.ratioBound, gasPerCall: gasPerCall, gasPerSecond: median(gas),
                            withinBound: nativeRate / wasmRate <= Self.ratioBound)
        if output == "json" { return CLI.printJSON(report) }
        print("suite:           \(report.suite), \(calls) calls per path, median of \(report.rounds) rounds")
        print("native kv.put:   \(Int(nativeRate)) calls/s")
        print("wasm bench.put:  \(Int(wasmRate)) calls/s (Examples/\(example), \(code.count)-byte module)")
        print(String(format: "ratio:           %.2fx slower (bound: at most %.0fx) %@", report.ratio, Self.ratioBound,
                     report.withinBound ? "within" : "OVER"))
        print("gas:             \(gasPerCall) per call, \(Int(report.gasPerSecond)) gas/s")
    }

    /// Builds the example `example` with the contract toolchain.
    static func buildModule(example: String, sdk explicit: String?) throws -> [UInt8] {
        guard ["bench", "c-bench"].contains(example) else { throw ValidationError("--example must be bench or c-bench.") }
        let sdk = try ContractBuilder.sdkDirectory(explicit: explicit, packageDirectory: FileManager.default.currentDirectoryPath)
        let package = (sdk as NSString).appendingPathComponent("Examples/" + example)
        let work = NSTemporaryDirectory() + "civic-bench-contract-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: package, toPath: work)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let manifest = try ContractManifest.load(directory: work)
        let builder = ContractBuilder(toolchain: try ContractToolchain.locate(), packageDirectory: work, manifest: manifest)
        return try builder.build(sdkDirectory: sdk, output: work + "/bench.wasm")
    }

    /// The state, callers and pre-signed calls of the comparison.
    struct Workload {
        let executor = TransactionExecutor()
        let base: MemoryState
        let suite: CryptoSuite
        let nativeCalls: [(Transaction, Hash256)]
        let wasmCalls: [(Transaction, Hash256)]

        init(suite: CryptoSuite, code: [UInt8], calls: Int) {
            self.suite = suite
            let validator = PrivateKey.generate(suite: suite)
            let client = PrivateKey.generate(suite: suite)
            let genesis = Genesis(
                chainID: "civic-bench", suite: suite, time: Timestamp(milliseconds: 1_000),
                validators: ValidatorSet([Validator(name: "v", organization: "bench", publicKey: validator.publicKey, power: 1)]),
                identities: [GenesisIdentity(name: "client", organization: "bench", role: .member, publicKey: client.publicKey)],
                parameters: ChainParameters())
            var entries = GenesisState.writes(for: genesis).compactMap { write in write.value.map { (write.key, $0) } }
            let record = DeployedContract(name: "bench", version: 1, codeHash: suite.hash(code), frozen: false,
                                          deployedAt: .genesis, upgradedAt: .genesis, proposalID: 0)
            entries.append((DeployedContract.stateKey("bench"), record.canonicalBytes))
            entries += CodeContract.stateEntries(for: code, suite: suite, uploader: Address(publicKey: client.publicKey),
                                                 at: .genesis).map { ($0.key, $0.value) }
            base = MemoryState(entries)
            let sign = { (call: ContractCall, nonce: Int) -> (Transaction, Hash256) in
                let body = TransactionBody(chainID: genesis.chainID, signer: client.publicKey, nonce: UInt64(nonce),
                                           expiresAt: Timestamp(milliseconds: 3_600_000), call: call)
                let transaction = try! Transaction(signing: body, with: client)
                return (transaction, transaction.hash(suite: suite))
            }
            nativeCalls = (0..<calls).map { index in
                let key = Array("key-\(index)".utf8)
                return sign(ContractCall(contract: "kv", method: "put",
                                         arguments: KeyValueContract.Put(key: key, value: Array("value".utf8)).canonicalBytes), index)
            }
            wasmCalls = (0..<calls).map { index in
                let key = Array("key-\(index)".utf8)
                var arguments = withUnsafeBytes(of: UInt32(key.count).littleEndian) { Array($0) } + key
                arguments += Array("value".utf8)
                return sign(ContractCall(contract: "bench", method: "put", arguments: arguments), calls + index)
            }
        }

        /// Executes `calls` in blocks of 500; returns the seconds and the gas used.
        func run(_ calls: [(Transaction, Hash256)]) -> (seconds: Double, gas: UInt64) {
            var gas: UInt64 = 0
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                var overlay = StateOverlay(base: base)
                for (index, (transaction, hash)) in calls.enumerated() {
                    let block = BlockContext(chainID: "civic-bench", suite: suite, height: Height(UInt64(index / 500 + 1)),
                                             time: Timestamp(milliseconds: 2_000))
                    let (receipt, used) = executor.executeMeasured(transaction, hash: hash, block: block, state: &overlay)
                    precondition(receipt.status.isSuccess, "a bench call failed: \(receipt.status)")
                    gas += used
                }
            }
            return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, gas)
        }
    }

    /// Committed state in memory, with keys in order for iteration.
    final class MemoryState: StateReader, @unchecked Sendable {
        private let values: [[UInt8]: [UInt8]]
        private let sortedKeys: [[UInt8]]

        init(_ entries: [([UInt8], [UInt8])]) {
            values = Dictionary(entries, uniquingKeysWith: { $1 })
            sortedKeys = values.keys.sorted { $0.lexicographicallyPrecedes($1) }
        }

        func value(forKey key: [UInt8]) -> [UInt8]? { values[key] }

        func nextKey(after key: [UInt8], prefix: [UInt8]) -> [UInt8]? {
            sortedKeys.first { key.lexicographicallyPrecedes($0) && $0.starts(with: prefix) }
        }
    }
}
