import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// Every bad module and every misbehaving call of Docs/0012: each ends with its code, changes no state, and
/// leaves the executor usable.
@Suite struct WasmRefusalTests {
    static let runtime = TransactionExecutor().wasm

    static func refusal(_ code: [UInt8]) -> String? {
        do {
            _ = try runtime.inspect(code: code)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func deploymentRefusesBadModules() {
        #expect(Self.refusal(WasmFixtures.minimal()) == nil)
        #expect(Self.refusal([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 0xFF]) == "contract.invalid_module")
        #expect(Self.refusal(Array("not wasm".utf8)) == "contract.invalid_module")
        // Parses, but a function body does not validate (returns nothing where an i32 is due).
        #expect(Self.refusal(WasmFixtures.minimal("(func (export \"bad\") (result i32) (nop))")) == "contract.invalid_module")
        #expect(Self.refusal([UInt8](repeating: 0, count: Limits.contractCodeBytesMax + 1)) == "contract.code_too_large")
        let wasi = "(import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32 i32) (result i32)))"
        #expect(Self.refusal(WasmFixtures.minimal(wasi)) == "contract.invalid_import")
        let wrongType = "(import \"civic\" \"state_get\" (func (param i32) (result i32)))"
        #expect(Self.refusal(WasmFixtures.minimal(wrongType)) == "contract.invalid_import")
        let unknown = "(import \"civic\" \"clock\" (func (result i64)))"
        #expect(Self.refusal(WasmFixtures.minimal(unknown)) == "contract.invalid_import")
        let global = "(import \"civic\" \"block_height\" (global i64))"
        #expect(Self.refusal(WasmFixtures.minimal(global)) == "contract.invalid_import")
        #expect(Self.refusal(WasmFixtures.minimal(memory: "")) == "contract.missing_export")
        #expect(Self.refusal(WasmFixtures.wasm("(module (memory (export \"memory\") 1))")) == "contract.missing_export")
        #expect(Self.refusal(WasmFixtures.minimal(version: 2)) == "contract.unsupported_abi")
        #expect(Self.refusal(WasmFixtures.minimal(memory: "(memory (export \"memory\") 1 300)")) == "contract.memory_limit")
        #expect(Self.refusal(WasmFixtures.minimal(memory: "(memory (export \"memory\") 300)")) == "contract.memory_limit")
        // civic_abi_version that never returns runs out of its small budget.
        let spinning = WasmFixtures.wasm("""
            (module (memory (export "memory") 1)
              (func (export "civic_abi_version") (result i32) (loop $l (br $l)) (i32.const 1)))
            """)
        #expect(Self.refusal(spinning) == "contract.out_of_gas")
    }

    /// NaN bits differ between processors, so the instructions that would let a contract see them are refused;
    /// float arithmetic and comparisons are not (Docs/0012, "Determinism").
    @Test func deploymentRefusesInstructionsThatObserveNaNBits() {
        let observing = [
            "(f32.store (i32.const 0) (f32.div (f32.const 0) (f32.const 0)))",
            "(f64.store (i32.const 0) (f64.const 1))",
            "(drop (i32.reinterpret_f32 (f32.const 1)))",
            "(drop (i64.reinterpret_f64 (f64.const 1)))",
            "(drop (f32.copysign (f32.const 1) (f32.const 2)))",
            "(drop (f64.copysign (f64.const 1) (f64.const 2)))",
        ]
        for body in observing {
            #expect(Self.refusal(WasmFixtures.minimal("(func (export \"f\") \(body))")) == "contract.nondeterministic", "\(body)")
        }
        let exact = "(func (export \"f\") (result i32) (f64.lt (f64.sqrt (f64.const 2)) (f64.div (f64.const 0) (f64.const 0))))"
            + "(func (export \"g\") (result i32) (i32.trunc_sat_f64_s (f64.mul (f64.const 2.5) (f64.const 4))))"
        #expect(Self.refusal(WasmFixtures.minimal(exact)) == nil)
    }

    /// What a reused instance could not put back is refused: dropping segments, changing tables, a start function;
    /// and the export names the runtime uses for globals.
    @Test func deploymentRefusesStateAResetCannotRestore() {
        let passive = "(data $d \"x\") (func (export \"f\") (data.drop $d))"
        #expect(Self.refusal(WasmFixtures.minimal(passive)) == "contract.invalid_instruction")
        let table = "(table 2 funcref) (elem $e func $t) (func $t) (func (export \"f\") (table.init $e (i32.const 0) (i32.const 0) (i32.const 1)))"
        #expect(Self.refusal(WasmFixtures.minimal(table)) == "contract.invalid_instruction")
        #expect(Self.refusal(WasmFixtures.minimal("(func $s) (start $s)")) == "contract.invalid_module")
        #expect(Self.refusal(WasmFixtures.minimal("(global (export \"civic.global.0\") i32 (i32.const 0))")) == "contract.invalid_module")
    }

    /// WasmKit's fuel is one unit per operator, so operators whose work grows with an operand are refused: one
    /// `memory.fill` could otherwise write 16 MiB for a unit of gas.
    @Test func deploymentRefusesOperatorsWhoseWorkIsNotMetered() {
        for body in ["(memory.fill (i32.const 0) (i32.const 0) (i32.const 65536))",
                     "(memory.copy (i32.const 0) (i32.const 8) (i32.const 8))",
                     "(memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))"] {
            #expect(Self.refusal(WasmFixtures.minimal("(data $d \"x\") (func (export \"f\") \(body))")) == "contract.invalid_instruction", "\(body)")
        }
    }

    /// Runs `method` on the demo contract; expects failure `code`, no writes, gas at most the limit, and a
    /// working executor afterwards.
    static func expectFailure(_ method: String, _ arguments: [UInt8] = [], code: String,
                              sourceLocation: SourceLocation = #_sourceLocation) -> UInt64 {
        var chain = WasmChain()
        let before = chain.state.entries
        let outcome = chain.run("demo", method, arguments)
        #expect(outcome.receipt.failureCode == code, sourceLocation: sourceLocation)
        #expect(outcome.writes.isEmpty, sourceLocation: sourceLocation)
        #expect(outcome.receipt.events.isEmpty, sourceLocation: sourceLocation)
        #expect(chain.state.entries == before, sourceLocation: sourceLocation)
        #expect(outcome.gas <= Limits.transactionGasMax, sourceLocation: sourceLocation)
        let after = chain.run("demo", "put", putArguments("still", "works"))
        #expect(after.receipt.status == .success, sourceLocation: sourceLocation)
        #expect(chain.value("demo", "still") == Array("works".utf8), sourceLocation: sourceLocation)
        return outcome.gas
    }

    @Test func infiniteLoopRunsOutOfGas() {
        let clock = ContinuousClock()
        var gas: UInt64 = 0
        let elapsed = clock.measure { gas = Self.expectFailure("spin", code: "contract.out_of_gas") }
        #expect(gas == Limits.transactionGasMax)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("Wasm: an infinite loop used \(gas) gas in \(elapsed) (\(Int(Double(gas) / seconds)) fuel/s, debug build)")
    }

    @Test func memoryGrowthPastTheLimit() {
        _ = Self.expectFailure("grow", code: "contract.memory_limit")
    }

    @Test func nestedCallsPastTheDepthLimit() {
        _ = Self.expectFailure("again", Array("demo".utf8), code: "contract.call_depth")
    }

    @Test func nestedOutOfGasEndsTheTransactionButOtherCalleeFailuresReturnToTheCaller() {
        let code = WasmFixtures.wasm(WasmFixtures.demo)
        var chain = WasmChain(contracts: ["demo": code, "other": code])
        let spun = chain.run("demo", "nest", nestArguments("other", "spin"))
        #expect(spun.receipt.failureCode == "contract.out_of_gas")
        #expect(spun.gas == Limits.transactionGasMax)
        #expect(spun.writes.isEmpty)
        let grown = chain.run("demo", "nest", nestArguments("other", "grow"))
        #expect(grown.receipt.status == .success)
        #expect(String(decoding: grown.receipt.returnData.dropFirst(), as: UTF8.self).hasPrefix("contract.memory_limit\n"))
    }

    @Test func deepWasmRecursionTraps() {
        _ = Self.expectFailure("deep", code: "contract.trap")
    }

    @Test(arguments: ["crash", "divide"])
    func trapsEndTheCall(method: String) {
        _ = Self.expectFailure(method, code: "contract.trap")
    }

    @Test func outOfBoundsPointer() {
        _ = Self.expectFailure("oob", code: "contract.memory_access")
    }

    @Test func unknownMethods() {
        for method in ["absent", "civic_init", "civic_abi_version", "not_a_method", "Put"] {
            _ = Self.expectFailure(method, code: "contract.unknown_method")
        }
    }

    @Test func failIsPrefixedWithTheContractName() {
        var chain = WasmChain()
        let outcome = chain.run("demo", "boom")
        #expect(outcome.receipt.status == .failure(code: "demo.oops", message: "bad thing"))
        #expect(outcome.writes.isEmpty)
        #expect(outcome.gas > 2_000)
    }

    @Test func keysCannotLeaveTheNamespace() {
        var chain = WasmChain()
        let outcome = chain.run("demo", "escape")
        #expect(outcome.receipt.status == .success)
        #expect(outcome.writes.map(\.key) == [Array("demo/../kv/x".utf8)])
        #expect(chain.state.value(forKey: Array("kv/x".utf8)) == nil)
    }

    @Test func brokenDeployedCodeFailsTheCallOnly() {
        var chain = WasmChain(contracts: ["junk": Array("not wasm".utf8), "demo": WasmFixtures.wasm(WasmFixtures.demo)])
        #expect(chain.run("junk", "run").receipt.failureCode == "contract.invalid_module")
        #expect(chain.run("demo", "put", putArguments("a", "b")).receipt.status == .success)
    }

    @Test func frozenAndUnknownContracts() {
        var chain = WasmChain(contracts: ["demo": WasmFixtures.wasm(WasmFixtures.demo)], frozen: ["demo"])
        #expect(chain.run("demo", "put", putArguments("a", "b")).receipt.failureCode == "contract.frozen")
        #expect(chain.run("nobody", "put").receipt.failureCode == "contract.unknown")
    }

    @Test func unregisteredCallersAreRefused() {
        var chain = WasmChain()
        let outcome = chain.run("demo", "put", putArguments("a", "b"), signer: ContractFixtures.stranger())
        #expect(outcome.receipt.failureCode == "identity.unknown_caller")
        #expect(outcome.gas == 0)
    }
}
