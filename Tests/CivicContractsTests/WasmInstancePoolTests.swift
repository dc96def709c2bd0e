import CivicContracts
import CivicLedger
import CivicTesting
import Dispatch
import Synchronization
import Testing

/// Instances are reused between calls (Docs/0012, "Instances"); reuse must never show: each call starts from the
/// memory and globals instantiation made, whatever ran before it in that instance.
@Suite struct WasmInstancePoolTests {
    /// Bumps a mutable global (7 at instantiation) and a memory byte (1 at instantiation) and returns both; grows
    /// memory; or bumps the global and traps.
    static let stateful = WasmFixtures.wasm("""
    (module
      (import "civic" "return_data" (func $return_data (param i32 i32)))
      (memory (export "memory") 1)
      (global $g (mut i32) (i32.const 7))
      (data (i32.const 100) "\\01")
      (func (export "civic_abi_version") (result i32) (i32.const 1))
      (func (export "bump")
        (global.set $g (i32.add (global.get $g) (i32.const 1)))
        (i32.store8 (i32.const 100) (i32.add (i32.load8_u (i32.const 100)) (i32.const 1)))
        (i32.store (i32.const 0) (global.get $g))
        (i32.store8 (i32.const 4) (i32.load8_u (i32.const 100)))
        (call $return_data (i32.const 0) (i32.const 5)))
      (func (export "grow")
        (drop (memory.grow (i32.const 1)))
        (i32.store (i32.const 0) (memory.size))
        (call $return_data (i32.const 0) (i32.const 4)))
      (func (export "dirty") (global.set $g (i32.const 99)) (i32.store8 (i32.const 100) (i32.const 50)) unreachable))
    """)

    @Test func everyCallSeesTheStateInstantiationMade() {
        var chain = WasmChain(contracts: ["s": Self.stateful])
        let first = chain.run("s", "bump")
        #expect(first.receipt.returnData == [8, 0, 0, 0, 2])
        for _ in 0..<3 {
            let again = chain.run("s", "bump")
            #expect(again.receipt.returnData == first.receipt.returnData)
            #expect(again.gas == first.gas)
        }
        // A trap after dirtying the global and memory leaves nothing behind either.
        #expect(chain.run("s", "dirty").receipt.failureCode == "contract.trap")
        #expect(chain.run("s", "bump").receipt.returnData == first.receipt.returnData)
    }

    @Test func anInstanceWhoseMemoryGrewIsNotReused() {
        var chain = WasmChain(contracts: ["s": Self.stateful])
        for _ in 0..<3 {
            #expect(chain.run("s", "grow").receipt.returnData == [2, 0, 0, 0])
        }
        #expect(chain.run("s", "bump").receipt.returnData == [8, 0, 0, 0, 2])
    }

    /// A fresh runtime (a node that just started) and a warm one (a node that ran the contract many times) give
    /// the same receipt and gas for every call of the demo contract.
    @Test func warmAndColdRuntimesAgree() {
        let code = WasmFixtures.wasm(WasmFixtures.demo)
        var warm = WasmChain(contracts: ["demo": code, "other": code])
        for _ in 0..<5 { warm.run("demo", "nest", nestArguments("other", "put", putArguments("k", "v"))) }
        for method in ["mix", "info", "hash", "crash", "deep"] {
            var cold = WasmChain(contracts: ["demo": code, "other": code])
            cold.nonce = warm.nonce
            let warmed = warm.run("demo", method, Array("abc".utf8))
            let fresh = cold.run("demo", method, Array("abc".utf8))
            #expect(warmed.receipt == fresh.receipt, "\(method)")
            #expect(warmed.gas == fresh.gas, "\(method)")
        }
    }

    /// Calls on many threads at once each get an instance of their own.
    @Test func concurrentCallsShareNoInstance() {
        let chain = WasmChain(contracts: ["s": Self.stateful])
        let results = Mutex<[[UInt8]]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            var copy = chain
            let data = copy.run("s", "bump").receipt.returnData
            results.withLock { $0.append(data) }
        }
        #expect(results.withLock { $0 }.count == 64)
        #expect(results.withLock { $0 }.allSatisfy { $0 == [8, 0, 0, 0, 2] })
    }
}
