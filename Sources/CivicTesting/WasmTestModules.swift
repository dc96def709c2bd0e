/// WebAssembly text of test contracts that more than one test target deploys (Docs/0012).
public enum WasmTestModules {
    /// A contract that spends gas fast in wall-clock terms: each round hashes 64 KiB through the host (about 131k
    /// gas, mostly per-byte host costs, so debug builds stay quick). Input: rounds (u32, little-endian), then a key.
    /// `burn` then writes `key` = "done"; `burn_fail` fails with `burner.tired` instead.
    public static let burner = """
    (module
      (import "civic" "input_length" (func $input_length (result i32)))
      (import "civic" "input_read" (func $input_read (param i32)))
      (import "civic" "hash" (func $hash (param i32 i32 i32)))
      (import "civic" "state_set" (func $state_set (param i32 i32 i32 i32)))
      (import "civic" "fail" (func $fail (param i32 i32 i32 i32)))
      (memory (export "memory") 2)
      (data (i32.const 0) "donetired")
      (func (export "civic_abi_version") (result i32) (i32.const 1))
      (func $rounds (local $n i32)
        (call $input_read (i32.const 100))
        (local.set $n (i32.load (i32.const 100)))
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (call $hash (i32.const 0) (i32.const 65536) (i32.const 65536))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next))))
      (func (export "burn")
        (call $rounds)
        (call $state_set (i32.const 104) (i32.sub (call $input_length) (i32.const 4)) (i32.const 0) (i32.const 4)))
      (func (export "burn_fail")
        (call $rounds)
        (call $fail (i32.const 4) (i32.const 5) (i32.const 4) (i32.const 5)))
    )
    """

    /// `burn`'s arguments.
    public static func burnArguments(rounds: UInt32, key: String) -> [UInt8] {
        withUnsafeBytes(of: rounds.littleEndian, Array.init) + Array(key.utf8)
    }
}
