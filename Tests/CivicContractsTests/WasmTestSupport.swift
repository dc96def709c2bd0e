import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import WAT

/// WebAssembly text of the test contracts (Docs/0012) and a chain with them deployed, bypassing governance.
enum WasmFixtures {
    /// Every host function import the demo contract uses.
    static let imports = """
      (import "civic" "input_length" (func $input_length (result i32)))
      (import "civic" "input_read" (func $input_read (param i32)))
      (import "civic" "result_length" (func $result_length (result i32)))
      (import "civic" "result_read" (func $result_read (param i32)))
      (import "civic" "return_data" (func $return_data (param i32 i32)))
      (import "civic" "fail" (func $fail (param i32 i32 i32 i32)))
      (import "civic" "state_get" (func $state_get (param i32 i32) (result i32)))
      (import "civic" "state_set" (func $state_set (param i32 i32 i32 i32)))
      (import "civic" "state_delete" (func $state_delete (param i32 i32)))
      (import "civic" "state_next" (func $state_next (param i32 i32) (result i32)))
      (import "civic" "caller_key" (func $caller_key (result i32)))
      (import "civic" "caller_address" (func $caller_address (param i32)))
      (import "civic" "caller_role" (func $caller_role (result i32)))
      (import "civic" "caller_organization" (func $caller_organization (result i32)))
      (import "civic" "calling_contract" (func $calling_contract (result i32)))
      (import "civic" "block_height" (func $block_height (result i64)))
      (import "civic" "block_time" (func $block_time (result i64)))
      (import "civic" "emit_event" (func $emit_event (param i32 i32 i32 i32)))
      (import "civic" "hash" (func $hash (param i32 i32 i32)))
      (import "civic" "verify_signature" (func $verify (param i32 i32 i32 i32 i32 i32) (result i32)))
      (import "civic" "call" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))
    """

    /// The demo contract: one method per host function family, and one per misbehaviour.
    /// Constants: "oops" at 512, "bad thing" at 516, "noted" at 525, "again" at 530, "../kv/x" at 540.
    static let demo = """
    (module
    \(imports)
      (memory (export "memory") 2)
      (data (i32.const 512) "oopsbad thingnotedagain")
      (data (i32.const 540) "../kv/x")
      (func (export "civic_abi_version") (result i32) (i32.const 1))
      (func $load (result i32) (call $input_read (i32.const 1024)) (call $input_length))
      ;; input: key length (u8), key, value
      (func (export "put") (local $n i32) (local $k i32)
        (local.set $n (call $load))
        (local.set $k (i32.load8_u (i32.const 1024)))
        (call $state_set (i32.const 1025) (local.get $k) (i32.add (i32.const 1025) (local.get $k))
          (i32.sub (i32.sub (local.get $n) (local.get $k)) (i32.const 1))))
      (func (export "del") (call $state_delete (i32.const 1024) (call $load)))
      ;; returns 1 ++ value, or 0 when absent
      (func (export "get") (local $n i32)
        (local.set $n (call $state_get (i32.const 1024) (call $load)))
        (if (i32.lt_s (local.get $n) (i32.const 0))
          (then (i32.store8 (i32.const 4095) (i32.const 0)) (call $return_data (i32.const 4095) (i32.const 1)) (return)))
        (i32.store8 (i32.const 4095) (i32.const 1))
        (call $result_read (i32.const 4096))
        (call $return_data (i32.const 4095) (i32.add (local.get $n) (i32.const 1))))
      ;; copies n bytes (bulk memory operators are refused)
      (func $copy (param $d i32) (param $s i32) (param $n i32)
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $n)))
            (i32.store8 (local.get $d) (i32.load8_u (local.get $s)))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $next))))
      ;; returns every key of the namespace in order, each as length (u8) ++ key
      (func $list (export "list") (local $len i32) (local $out i32) (local $n i32)
        (local.set $out (i32.const 16384))
        (block $done
          (loop $next
            (local.set $n (call $state_next (i32.const 8192) (local.get $len)))
            (br_if $done (i32.lt_s (local.get $n) (i32.const 0)))
            (call $result_read (i32.const 8192))
            (local.set $len (local.get $n))
            (i32.store8 (local.get $out) (local.get $n))
            (call $copy (i32.add (local.get $out) (i32.const 1)) (i32.const 8192) (local.get $n))
            (local.set $out (i32.add (local.get $out) (i32.add (local.get $n) (i32.const 1))))
            (br $next)))
        (call $return_data (i32.const 16384) (i32.sub (local.get $out) (i32.const 16384))))
      ;; writes "noted" = "again", deletes "oops", then lists
      (func (export "mix")
        (call $state_set (i32.const 525) (i32.const 5) (i32.const 530) (i32.const 5))
        (call $state_delete (i32.const 512) (i32.const 4))
        (call $list))
      ;; role (u32), height (u64), time (u64), address (20), organization
      (func (export "info") (local $n i32)
        (i32.store (i32.const 0) (call $caller_role))
        (i64.store (i32.const 4) (call $block_height))
        (i64.store (i32.const 12) (call $block_time))
        (call $caller_address (i32.const 20))
        (local.set $n (call $caller_organization))
        (call $result_read (i32.const 40))
        (call $return_data (i32.const 0) (i32.add (i32.const 40) (local.get $n))))
      (func (export "key") (local $n i32)
        (local.set $n (call $caller_key))
        (call $result_read (i32.const 0))
        (call $return_data (i32.const 0) (local.get $n)))
      (func (export "hash")
        (call $hash (i32.const 1024) (call $load) (i32.const 0))
        (call $return_data (i32.const 0) (i32.const 32)))
      ;; input: key length (u8), key, signature (64), message
      (func (export "verify") (local $n i32) (local $k i32) (local $sig i32) (local $msg i32)
        (local.set $n (call $load))
        (local.set $k (i32.load8_u (i32.const 1024)))
        (local.set $sig (i32.add (i32.const 1025) (local.get $k)))
        (local.set $msg (i32.add (local.get $sig) (i32.const 64)))
        (i32.store8 (i32.const 0)
          (call $verify (i32.const 1025) (local.get $k) (local.get $msg)
            (i32.sub (i32.add (i32.const 1024) (local.get $n)) (local.get $msg)) (local.get $sig) (i32.const 64)))
        (call $return_data (i32.const 0) (i32.const 1)))
      ;; input: the attributes of event "noted"
      (func (export "note") (call $emit_event (i32.const 525) (i32.const 5) (i32.const 1024) (call $load)))
      ;; input: name length (u8), name, method length (u8), method, arguments; returns status (u8) ++ result
      (func (export "nest") (local $n i32) (local $nl i32) (local $m i32) (local $ml i32) (local $a i32) (local $s i32)
        (local.set $n (call $load))
        (local.set $nl (i32.load8_u (i32.const 1024)))
        (local.set $m (i32.add (i32.const 1025) (local.get $nl)))
        (local.set $ml (i32.load8_u (local.get $m)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (local.set $a (i32.add (local.get $m) (local.get $ml)))
        (local.set $s (call $call (i32.const 1025) (local.get $nl) (local.get $m) (local.get $ml) (local.get $a)
          (i32.sub (i32.add (i32.const 1024) (local.get $n)) (local.get $a))))
        (i32.store8 (i32.const 4095) (local.get $s))
        (call $result_read (i32.const 4096))
        (call $return_data (i32.const 4095) (i32.add (call $result_length) (i32.const 1))))
      ;; the calling contract's name, or nothing
      (func (export "who") (local $n i32)
        (local.set $n (call $calling_contract))
        (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return)))
        (call $result_read (i32.const 0))
        (call $return_data (i32.const 0) (local.get $n)))
      (func (export "boom")
        (call $state_set (i32.const 512) (i32.const 4) (i32.const 516) (i32.const 9))
        (call $fail (i32.const 512) (i32.const 4) (i32.const 516) (i32.const 9)))
      ;; input: this contract's name; calls its own "again" with the same input, forever
      (func (export "again") (local $n i32)
        (local.set $n (call $load))
        (drop (call $call (i32.const 1024) (local.get $n) (i32.const 530) (i32.const 5) (i32.const 1024) (local.get $n))))
      (func (export "spin") (loop $forever (br $forever)))
      (func (export "grow") (drop (memory.grow (i32.const 300))))
      (func $deep (export "deep") (call $deep))
      (func (export "crash") unreachable)
      (func (export "divide") (drop (i32.div_s (i32.const 1) (i32.const 0))))
      (func (export "oob") (call $return_data (i32.const -16) (i32.const 100)))
      (func (export "escape") (call $state_set (i32.const 540) (i32.const 7) (i32.const 516) (i32.const 3)))
      (func (export "not_a_method") (param i32))
      (func (export "civic_init") (call $state_set (i32.const 525) (i32.const 5) (i32.const 530) (i32.const 5)))
    )
    """

    /// Compiles WebAssembly text.
    static func wasm(_ text: String) -> [UInt8] {
        do { return try wat2wasm(text) } catch { fatalError("the test module does not compile: \(error)") }
    }

    /// A minimal valid module around `body` (which may add imports, functions and exports).
    static func minimal(_ body: String = "", memory: String = "(memory (export \"memory\") 1)",
                        version: Int = 1) -> [UInt8] {
        wasm("""
        (module
          \(body)
          \(memory)
          (func (export "civic_abi_version") (result i32) (i32.const \(version))))
        """)
    }

    /// Genesis state with `contracts` (name → code) deployed.
    static func state(_ suite: CryptoSuite = .intl, contracts: [String: [UInt8]], frozen: Set<String> = [])
        -> DictionaryState {
        var writes = GenesisState.writes(for: ContractFixtures.genesis(suite))
        for (name, code) in contracts {
            let hash = suite.hash(code)
            let record = DeployedContract(name: name, version: 1, codeHash: hash, frozen: frozen.contains(name),
                                          deployedAt: .genesis, upgradedAt: .genesis, proposalID: 0)
            writes.append((key: DeployedContract.stateKey(name), value: record.canonicalBytes))
            for entry in CodeContract.stateEntries(for: code, suite: suite, uploader: Address(publicKey: ContractFixtures.admin(suite).publicKey), at: .genesis) {
                writes.append((key: entry.key, value: entry.value))
            }
        }
        return DictionaryState(writes)
    }
}

/// Runs transactions against deployed Wasm contracts.
struct WasmChain: Sendable {
    let suite: CryptoSuite
    let executor = TransactionExecutor()
    var state: DictionaryState
    var nonce: UInt64 = 0

    init(_ suite: CryptoSuite = .intl, contracts: [String: [UInt8]] = ["demo": WasmFixtures.wasm(WasmFixtures.demo)],
         frozen: Set<String> = []) {
        self.suite = suite
        state = WasmFixtures.state(suite, contracts: contracts, frozen: frozen)
    }

    /// Executes one call and commits its writes; returns the receipt, the writes and the gas.
    @discardableResult
    mutating func run(_ contract: String, _ method: String, _ arguments: [UInt8] = [],
                      signer: PrivateKey? = nil, height: UInt64 = 7, time: UInt64 = 20_000)
        -> (receipt: Receipt, writes: [(key: [UInt8], value: [UInt8]?)], gas: UInt64) {
        nonce += 1
        let transaction = ContractFixtures.transaction(signer ?? ContractFixtures.member(suite), contract, method,
                                                       arguments, nonce: nonce)
        var overlay = StateOverlay(base: state)
        let (receipt, gas) = executor.executeMeasured(transaction, hash: transaction.hash(suite: suite), block:
            ContractFixtures.block(suite, height: height, time: time), state: &overlay)
        let writes = overlay.sortedWrites
        state.apply(writes)
        return (receipt, writes, gas)
    }

    /// The value under `key` in contract `contract`'s namespace.
    func value(_ contract: String, _ key: String) -> [UInt8]? { state.value(forKey: Array("\(contract)/\(key)".utf8)) }
}

extension Receipt {
    /// The failure code, or `nil` on success.
    var failureCode: String? {
        if case .failure(let code, _) = status { return code }
        return nil
    }
}

/// `put`'s arguments.
func putArguments(_ key: String, _ value: String) -> [UInt8] { [UInt8(key.utf8.count)] + Array(key.utf8) + Array(value.utf8) }

/// `nest`'s arguments.
func nestArguments(_ name: String, _ method: String, _ arguments: [UInt8] = []) -> [UInt8] {
    [UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(method.utf8.count)] + Array(method.utf8) + arguments
}
