import ArgumentParser
@testable import CivicCLI
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import Testing

/// A Swift contract from source to a frozen contract on a real node process, through the `civic`
/// commands: build, upload and propose, vote, info, query, call, a refused call, freeze.
@Suite("WebAssembly contract lifecycle on a node process", .serialized)
struct ContractLifecycleTests {
    @Test("The token example is built, deployed by vote, queried, called and frozen; bad calls fail with their codes",
          arguments: ["intl", "sm"])
    func tokenFromSourceToFrozen(suite: String) async throws {
        let network = try DevnetTests.Network(suite: suite, nodes: 1)
        defer { network.down() }
        let url = "http://127.0.0.1:\(network.manifest.nodes[0].apiPort)"
        let admin = network.layout.demo.key("admin")
        func civic(_ arguments: [String], expect status: Int32 = 0) throws -> String {
            try CivicProcess.civic(arguments, in: network.directory, expect: status)
        }
        let package = try ContractBuildTests.copyOfExample("token")
        let wasm = network.directory + "/token.wasm"
        try civic(["contract", "build", "--dir", package, "--out", wasm, "--sdk", ContractBuildTests.sdk])

        // Upload in chunks and propose; one organization: its admin's vote decides.
        let proposed = try civic(["contract", "deploy", "--name", "token", "--wasm", wasm, "--key", admin, "--node", url])
        #expect(proposed.contains("uploaded:") && proposed.contains("proposal:    1"), "\(proposed)")
        try civic(["proposal", "vote", "1", "--key", admin, "--node", url])
        let info = try civic(["contract", "info", "token", "--node", url])
        let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: wasm)))
        #expect(info.contains("token v1") && info.contains(network.genesis.suite.hash(code).hex), "\(info)")

        // civic_init minted the supply to the deciding voter (the admin).
        let supply = try civic(["contract", "query", "token", "supply", "--key", admin, "--node", url])
        #expect(supply.contains("returned:    " + Hex.encode(UInt64(1_000_000).littleEndianBytes)), "\(supply)")
        let recipient = Address(publicKey: PrivateKey.generate(suite: network.genesis.suite).publicKey)
        let transfer = recipient.bytes + UInt64(250).littleEndianBytes
        let called = try civic(["contract", "call", "token", "transfer", "--args-hex", Hex.encode(transfer),
                                "--key", admin, "--node", url])
        #expect(called.contains("receipt:     success") && called.contains("event:       transfer"), "\(called)")
        // The receipt records the call's gas, and the CLI prints it.
        #expect(called.contains("gas used:    ") && !called.contains("gas used:    0\n"), "\(called)")
        #expect(supply.contains("gas used:    "), "\(supply)")
        let balance = try civic(["contract", "query", "token", "balance", "--args-hex", Hex.encode(recipient.bytes),
                                 "--key", admin, "--node", url])
        #expect(balance.contains("returned:    " + Hex.encode(UInt64(250).littleEndianBytes)), "\(balance)")

        // A transfer beyond the balance fails with the contract's own code and changes nothing.
        let tooMuch = recipient.bytes + UInt64(2_000_000).littleEndianBytes
        let refused = try civic(["contract", "call", "token", "transfer", "--args-hex", Hex.encode(tooMuch),
                                 "--key", admin, "--node", url], expect: CivicExit.refused.rawValue)
        #expect(refused.contains("token.insufficient_balance"), "\(refused)")
        let unchanged = try civic(["contract", "query", "token", "balance", "--args-hex", Hex.encode(recipient.bytes),
                                   "--key", admin, "--node", url])
        #expect(unchanged.contains("returned:    " + Hex.encode(UInt64(250).littleEndianBytes)))

        // Frozen by vote: calls are refused, the record says so.
        try civic(["contract", "freeze", "--name", "token", "--key", admin, "--node", url])
        try civic(["proposal", "vote", "2", "--key", admin, "--node", url])
        let frozen = try civic(["contract", "call", "token", "transfer", "--args-hex", Hex.encode(transfer),
                                "--key", admin, "--node", url], expect: CivicExit.refused.rawValue)
        #expect(frozen.contains("contract.frozen"), "\(frozen)")
        #expect(try civic(["contract", "info", "token", "--node", url]).contains("(frozen)"))
    }
}

private extension UInt64 {
    var littleEndianBytes: [UInt8] { withUnsafeBytes(of: littleEndian) { Array($0) } }
}

/// The contracts benchmark runs end to end on a tiny workload (its figures are for the release build).
@Suite("civic bench contracts")
struct ContractBenchTests {
    @Test("It builds each workload, runs both paths and reports rates, the ratio and its bound", arguments: ["bench", "c-bench"])
    func smallRun(example: String) throws {
        let directory = try CivicProcess.temporaryDirectory("bench")
        let output = try CivicProcess.civic(["bench", "contracts", "--calls", "20", "--rounds", "1", "--example", example,
                                             "--sdk", ContractBuildTests.sdk, "--output", "json"], in: directory)
        let report = try JSONFormat.decoder.decode(ContractBenchCommand.Report.self, from: Data(output.utf8))
        #expect(report.example == example && report.calls == 20)
        #expect(report.nativeCallsPerSecond > 0 && report.wasmCallsPerSecond > 0 && report.gasPerCall > 0)
        #expect(report.ratioBound == 5 && report.withinBound == (report.ratio <= 5))
    }

    /// Both workloads do the same work (the Swift one may not win by doing less), and the Swift SDK's
    /// share of the gas stays trimmed: a call cost 34,146 gas before the SDK's hot paths were rewritten.
    @Test("Each workload writes the same entry and emits the same event; Swift stays under 8,000 gas",
          arguments: ["bench", "c-bench"])
    func sameEffects(example: String) throws {
        let code = try ContractBenchCommand.buildModule(example: example, sdk: ContractBuildTests.sdk)
        let workload = ContractBenchCommand.Workload(suite: .intl, code: code, calls: 1)
        let (transaction, hash) = workload.wasmCalls[0]
        var overlay = StateOverlay(base: workload.base)
        let block = BlockContext(chainID: "civic-bench", suite: .intl, height: Height(1),
                                 time: Timestamp(milliseconds: 2_000))
        let (receipt, gas) = workload.executor.executeMeasured(transaction, hash: hash, block: block, state: &overlay)
        let owner = Address(publicKey: transaction.body.signer).bytes
        let key = Array("key-0".utf8)
        #expect(receipt.status.isSuccess, "\(receipt.status)")
        #expect(receipt.events == [Event(contract: "bench", name: "written",
                                         attributes: [EventAttribute("owner", Hex.encode(owner)),
                                                      EventAttribute("key", Hex.encode(key))])])
        #expect(overlay.value(forKey: Array("bench/".utf8) + owner + Array("/".utf8) + key) == Array("value".utf8))
        #expect(gas < 8_000, "\(example): \(gas) gas per call")
    }
}
