import Testing

/// The test helper that reads Wasm imports and exports, checked on a module assembled by hand.
@Suite struct WasmModuleReaderTests {
    /// `(module (import "civic" "return_data" (func (param i32 i32))) (memory (export "memory") 1 256)
    ///  (func (export "civic_abi_version") (result i32) (i32.const 1)))`
    static let module: [UInt8] = [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x0A, 0x02, 0x60, 0x00, 0x01, 0x7F, 0x60, 0x02, 0x7F, 0x7F, 0x00,  // types
        0x02, 0x15, 0x01, 0x05, 0x63, 0x69, 0x76, 0x69, 0x63, 0x0B, 0x72, 0x65, 0x74, 0x75, 0x72, 0x6E, 0x5F, 0x64,
        0x61, 0x74, 0x61, 0x00, 0x01,  // import civic.return_data, type 1
        0x03, 0x02, 0x01, 0x00,  // function 1 has type 0
        0x05, 0x05, 0x01, 0x01, 0x01, 0x80, 0x02,  // memory 1..256
        0x07, 0x1E, 0x02, 0x06, 0x6D, 0x65, 0x6D, 0x6F, 0x72, 0x79, 0x02, 0x00, 0x11, 0x63, 0x69, 0x76, 0x69, 0x63,
        0x5F, 0x61, 0x62, 0x69, 0x5F, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6F, 0x6E, 0x00, 0x01,  // exports
        0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0B,  // code
    ]

    @Test func readsImportsExportsAndMemory() throws {
        let reader = try WasmModuleReader(Self.module)
        #expect(reader.imports == [WasmModuleReader.Import(
            module: "civic", name: "return_data", kind: 0,
            type: WasmModuleReader.FunctionType(parameters: [.i32, .i32], results: []))])
        #expect(reader.exports.map(\.name) == ["memory", "civic_abi_version"])
        #expect(reader.exportedFunctionType("civic_abi_version") == WasmModuleReader.FunctionType(parameters: [], results: [.i32]))
        #expect(reader.memories == [WasmModuleReader.Limits(minimum: 1, maximum: 256)])
    }

    @Test func refusesTruncatedModulesAndOtherMagic() {
        #expect(throws: WasmModuleReader.Failure.self) { try WasmModuleReader(Array(Self.module.dropLast(3))) }
        #expect(throws: WasmModuleReader.Failure.self) { try WasmModuleReader([0x7F, 0x45, 0x4C, 0x46, 1, 0, 0, 0]) }
    }
}
