import Foundation
import Testing

/// `civic contract new/build` with the real toolchain, and the modules it makes checked against
/// Docs/0012: `memory` and `civic_abi_version` exported, methods `() -> ()`, imports only `civic`
/// functions with exactly the documented types.
@Suite("civic contract new and build")
struct ContractBuildTests {
    typealias FunctionType = WasmModuleReader.FunctionType

    /// The host functions of Docs/0012 with their types.
    static let hostFunctions: [String: FunctionType] = {
        let i32 = WasmModuleReader.ValueType.i32
        let i64 = WasmModuleReader.ValueType.i64
        func type(_ parameters: Int, _ results: [WasmModuleReader.ValueType] = []) -> FunctionType {
            FunctionType(parameters: Array(repeating: i32, count: parameters), results: results)
        }
        return [
            "input_length": type(0, [i32]), "input_read": type(1), "result_read": type(1), "return_data": type(2),
            "fail": type(4), "state_get": type(2, [i32]), "state_set": type(4), "state_delete": type(2),
            "state_next": type(2, [i32]), "caller_key": type(0, [i32]), "caller_address": type(1),
            "caller_role": type(0, [i32]), "caller_organization": type(0, [i32]), "calling_contract": type(0, [i32]),
            "block_height": type(0, [i64]), "block_time": type(0, [i64]), "emit_event": type(4), "hash": type(3),
            "verify_signature": type(6, [i32]), "call": type(6, [i32]),
        ]
    }()

    /// The repository's ContractSDK directory.
    static let sdk: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ContractSDK").path

    /// Builds the package in `directory` with `civic contract build` and reads the module.
    static func build(_ directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> WasmModuleReader {
        let out = try CivicProcess.temporaryDirectory("contract") + "/module.wasm"
        try CivicProcess.civic(["contract", "build", "--dir", directory, "--out", out, "--sdk", sdk], in: directory,
                               sourceLocation: sourceLocation)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(bytes.count <= 512 * 1024, "over the 512 KiB code limit", sourceLocation: sourceLocation)
        return try WasmModuleReader(bytes)
    }

    /// Checks the module shape Docs/0012 requires and that exactly `methods` (and `hooks`) are exported.
    static func expectValidContract(_ module: WasmModuleReader, methods: Set<String>, hooks: Set<String> = [],
                                    sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(module.exports.contains { $0.name == "memory" && $0.kind == 2 }, sourceLocation: sourceLocation)
        #expect(module.memories.count == 1, sourceLocation: sourceLocation)
        if let maximum = module.memories.first?.maximum { #expect(maximum <= 256, sourceLocation: sourceLocation) }
        #expect(module.exportedFunctionType("civic_abi_version") == FunctionType(parameters: [], results: [.i32]),
                sourceLocation: sourceLocation)
        #expect(module.exports.allSatisfy { $0.kind == 0 || ($0.kind == 2 && $0.name == "memory") },
                "exports a table or a global", sourceLocation: sourceLocation)
        let functions = Set(module.exports.filter { $0.kind == 0 }.map(\.name))
        #expect(functions == methods.union(hooks).union(["civic_abi_version"]), sourceLocation: sourceLocation)
        for name in methods.union(hooks) {
            #expect(module.exportedFunctionType(name) == FunctionType(parameters: [], results: []),
                    "\(name) is not () -> ()", sourceLocation: sourceLocation)
        }
        for entry in module.imports {
            #expect(entry.module == "civic" && entry.kind == 0, "imports \(entry.module).\(entry.name)",
                    sourceLocation: sourceLocation)
            #expect(entry.type != nil && entry.type == hostFunctions[entry.name],
                    "civic.\(entry.name) has type \(entry.type?.description ?? "?")", sourceLocation: sourceLocation)
        }
    }

    /// A copy of an example package in a temporary directory (so the build leaves the tree untouched).
    static func copyOfExample(_ name: String) throws -> String {
        let copy = try CivicProcess.temporaryDirectory("example") + "/" + name
        try FileManager.default.copyItem(atPath: sdk + "/Examples/" + name, toPath: copy)
        return copy
    }

    @Test func registryExampleBuildsToAValidContract() throws {
        let module = try Self.build(try Self.copyOfExample("registry"))
        Self.expectValidContract(module, methods: ["add_admin", "remove_admin", "register", "lookup", "remove", "list"],
                                 hooks: ["civic_init"])
    }

    @Test func tokenExampleBuildsToAValidContract() throws {
        let module = try Self.build(try Self.copyOfExample("token"))
        Self.expectValidContract(module, methods: ["transfer", "balance", "supply"], hooks: ["civic_init", "civic_migrate"])
    }

    @Test func cCounterExampleBuildsToAValidContract() throws {
        let module = try Self.build(try Self.copyOfExample("c-counter"))
        Self.expectValidContract(module, methods: ["increment", "get"])
    }

    /// A contract that calls every SDK function imports all 20 host functions, each with its documented type.
    @Test func sdkImportsEveryHostFunctionWithTheDocumentedType() throws {
        let directory = try CivicProcess.temporaryDirectory("probe")
        try CivicProcess.civic(["contract", "new", "probe", "--dir", directory], in: directory)
        try Self.probeSource.write(toFile: directory + "/Contract.swift", atomically: true, encoding: .utf8)
        let module = try Self.build(directory)
        Self.expectValidContract(module, methods: ["probe"])
        #expect(Set(module.imports.map(\.name)) == Set(Self.hostFunctions.keys))
    }

    @Test(arguments: ["swift", "c"])
    func newPackageBuilds(language: String) throws {
        let parent = try CivicProcess.temporaryDirectory("new")
        let output = try CivicProcess.civic(["contract", "new", "notes", "--language", language], in: parent)
        #expect(output.contains("created notes/Contract.json"))
        let module = try Self.build(parent + "/notes")
        Self.expectValidContract(module, methods: ["set", "get"], hooks: language == "swift" ? ["civic_init"] : [])
    }

    @Test func newRefusesBadNamesAndExistingPackages() throws {
        let parent = try CivicProcess.temporaryDirectory("new-refused")
        try CivicProcess.civic(["contract", "new", "Bad-Name"], in: parent, expect: 64)
        try CivicProcess.civic(["contract", "new", "twice"], in: parent)
        let output = try CivicProcess.civic(["contract", "new", "twice"], in: parent, expect: 1)
        #expect(output.contains("exists already"))
    }

    @Test func buildReportsCompilerErrorsAndMissingManifests() throws {
        let parent = try CivicProcess.temporaryDirectory("build-refused")
        let missing = try CivicProcess.civic(["contract", "build", "--sdk", Self.sdk], in: parent, expect: 1)
        #expect(missing.contains("Contract.json does not exist"))
        try CivicProcess.civic(["contract", "new", "broken", "--dir", "."], in: parent)
        try "import CivicContract\nlet x: Int = \"no\"\n".write(toFile: parent + "/Contract.swift", atomically: true, encoding: .utf8)
        let output = try CivicProcess.civic(["contract", "build", "--sdk", Self.sdk], in: parent, expect: 1)
        #expect(output.contains("swiftc failed"))
        #expect(output.contains("error:"))
    }

    @Test func buildPrintsSizeAndCodeHashes() throws {
        let directory = try Self.copyOfExample("c-counter")
        let output = try CivicProcess.civic(["contract", "build", "--json", "--sdk", Self.sdk], in: directory)
        let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/counter.wasm"))
        #expect(summary?["bytes"] as? Int == bytes.count)
        #expect((summary?["code_hash_sm3"] as? String)?.count == 64)
        #expect((summary?["code_hash_sha256"] as? String)?.count == 64)
    }

    /// Touches every SDK entry point, so the module imports every host function.
    static let probeSource = """
        import CivicContract

        @_expose(wasm, "probe")
        @_cdecl("probe")
        public func probe() {
            var writer = ByteWriter()
            writer.append(Input.bytes())
            writer.append(UInt64(Block.height) &+ UInt64(bitPattern: Block.time))
            writer.appendLengthPrefixed(Caller.organization)
            writer.append(Caller.address + Caller.key + hash(Caller.address))
            writer.append(UInt32(Caller.role.rawValue))
            writer.appendLengthPrefixed(Caller.callingContract ?? "")
            if verifySignature(key: Caller.key, message: [1], signature: []) { State.delete("x") }
            State.set("x", writer.bytes)
            for key in State.keys(prefix: "x") { writer.append(key) }
            switch Contract.call("other", "method", State.get("x") ?? []) {
            case .success(let data): returnData(data)
            case .failure(let failure): fail("callee_failed", failure.code + ": " + failure.message)
            }
            emit("probed", [(key: "bytes", value: writer.bytes)])
        }

        """
}
