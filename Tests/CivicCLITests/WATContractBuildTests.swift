import CivicCodec
@testable import CivicContracts
import CivicCrypto
import CivicLedger
import Foundation
import Testing

/// `civic contract new --language wat` and `civic contract build` for contracts in the WebAssembly text
/// format, through the real `civic` binary; and the module it makes running in the contract runtime.
@Suite("civic contract build with WebAssembly text")
struct WATContractBuildTests {
    /// A new WAT package in a temporary directory: `PARENT/notes`.
    static func newPackage(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let parent = try CivicProcess.temporaryDirectory("new-wat")
        let output = try CivicProcess.civic(["contract", "new", "notes", "--language", "wat"], in: parent,
                                            sourceLocation: sourceLocation)
        #expect(output.contains("created notes/Contract.json and notes/contract.wat"), sourceLocation: sourceLocation)
        return parent + "/notes"
    }

    @Test func newPackageBuildsToAValidContract() throws {
        let package = try Self.newPackage()
        let manifest = try String(contentsOfFile: package + "/Contract.json", encoding: .utf8)
        #expect(manifest.contains("\"language\" : \"wat\""), "\(manifest)")
        let module = try ContractBuildTests.build(package)
        ContractBuildTests.expectValidContract(module, methods: ["set", "get"])
        #expect(Set(module.imports.map(\.name))
                == ["input_length", "input_read", "result_read", "return_data", "fail", "state_get", "state_set"])
    }

    /// No toolchain and no SDK: the default output goes beside Contract.json, as for Swift and C packages.
    @Test func buildNeedsNoToolchain() throws {
        let package = try Self.newPackage()
        let output = try CivicProcess.civic(["contract", "build", "--json"], in: package)
        let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: package + "/notes.wasm")))
        #expect(summary?["name"] as? String == "notes")
        #expect(summary?["bytes"] as? Int == bytes.count)
        #expect(summary?["code_hash_sha256"] as? String == Hex.encode(CryptoSuite.intl.hash(bytes).bytes))
        _ = try WasmModuleReader(bytes)
    }

    /// The example is a single `.wat` file: given as PATH, its module lands beside it, named after it.
    @Test func echoExampleBuildsFromItsFile() throws {
        let copy = try CivicProcess.temporaryDirectory("echo")
        try FileManager.default.copyItem(atPath: ContractBuildTests.sdk + "/Examples/wat/echo.wat", toPath: copy + "/echo.wat")
        let output = try CivicProcess.civic(["contract", "build", copy + "/echo.wat"], in: copy)
        #expect(output.contains("contract:   echo") && output.contains("module:     \(copy)/echo.wasm"), "\(output)")
        let module = try WasmModuleReader(try [UInt8](Data(contentsOf: URL(fileURLWithPath: copy + "/echo.wasm"))))
        ContractBuildTests.expectValidContract(module, methods: ["echo", "whoami", "fail_always"])
    }

    @Test func brokenTextFailsWithItsLineAndColumn() throws {
        let package = try Self.newPackage()
        var lines = try String(contentsOfFile: package + "/contract.wat", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("(func (export \"set\")") }) + 1
        lines[line - 1] = "  (func (export \"set\") (i32.bogus)"
        try lines.joined(separator: "\n").write(toFile: package + "/contract.wat", atomically: true, encoding: .utf8)
        let output = try CivicProcess.civic(["contract", "build"], in: package, expect: 1)
        // WasmKit's parser points just past the offending token: column 34 follows `(i32.bogus`.
        #expect(output.contains("contract.wat:\(line):34: WAT syntax error: "), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: package + "/notes.wasm"))
        // A single file, with the mistake on its first line.
        try "(module (func $f (unknown.op)))\n".write(toFile: package + "/one.wat", atomically: true, encoding: .utf8)
        let single = try CivicProcess.civic(["contract", "build", "one.wat"], in: package, expect: 1)
        #expect(single.contains("one.wat:1:29: WAT syntax error: "), "\(single)")
    }

    @Test func packageWithoutExactlyOneWATSourceIsRefused() throws {
        let package = try Self.newPackage()
        let manifest = #"{"name": "notes", "abi": 1, "language": "wat", "sources": ["contract.wat", "more.wat"]}"#
        try manifest.write(toFile: package + "/Contract.json", atomically: true, encoding: .utf8)
        let output = try CivicProcess.civic(["contract", "build"], in: package, expect: 1)
        #expect(output.contains("exactly one .wat source"), "\(output)")
    }

    /// The CLI-built template passes the deployment check and does what it says in ``WasmRuntime``.
    @Test func newPackageRunsInTheRuntime() throws {
        let package = try Self.newPackage()
        try CivicProcess.civic(["contract", "build"], in: package)
        let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: package + "/notes.wasm")))
        let runtime = TransactionExecutor().wasm
        #expect(try runtime.inspect(code: code) == WasmModuleInfo(methods: ["get", "set"], hasInit: false, hasMigrate: false))

        let suite = CryptoSuite.intl
        let signer = PrivateKey.generate(suite: suite)
        let identity = Identity(publicKey: signer.publicKey, name: "clerk", organization: "civil-affairs", role: .member,
                                active: true, registeredAt: Height(0))
        var context = CallContext(
            block: BlockContext(chainID: "wat-test", suite: suite, height: Height(7), time: Timestamp(milliseconds: 20_000)),
            transactionHash: suite.hash([1]), caller: signer.publicKey, callerIdentity: identity,
            state: ContractState(contract: "notes", overlay: StateOverlay(base: EmptyState())))
        func call(_ method: String, _ input: [UInt8] = []) -> Result<[UInt8], ContractFailure> {
            runtime.run(.method(method), code: code, input: input, context: &context, gasLimit: 1_000_000).result
        }
        #expect(call("get") == .success([]))
        #expect(call("set", Array("hello".utf8)) == .success([]))
        #expect(context.state.get(Array("value".utf8)) == Array("hello".utf8))
        #expect(call("get") == .success(Array("hello".utf8)))
        guard case .failure(let failure) = call("set", Array(repeating: 7, count: 1025)) else {
            Issue.record("a 1025-byte value was accepted")
            return
        }
        #expect(failure.code == "notes.too_large" && failure.message == "at most 1024 bytes")
        #expect(context.state.get(Array("value".utf8)) == Array("hello".utf8))
    }

    /// State with nothing in it.
    struct EmptyState: StateReader {
        func value(forKey key: [UInt8]) -> [UInt8]? { nil }
        func nextKey(after key: [UInt8], prefix: [UInt8]) -> [UInt8]? { nil }
    }
}
