/// The source file `civic contract new` writes.
enum ContractTemplate {
    /// The file name of the template for `language`.
    static func sourceFile(_ language: ContractManifest.Language) -> String {
        switch language {
        case .swift: "Contract.swift"
        case .c: "contract.c"
        case .wat: "contract.wat"
        }
    }

    /// A small working contract named `name`: `set` stores the input, `get` returns it.
    static func source(name: String, language: ContractManifest.Language) -> String {
        switch language {
        case .swift: swift(name: name)
        case .c: c(name: name)
        case .wat: wat(name: name)
        }
    }

    static func swift(name: String) -> String {
        """
        // The \(name) contract. Methods are public functions exported under their names; they take their
        // arguments from `Input` and answer with `returnData` or `fail`. See ContractSDK/README.md and
        // Docs/0012-contract-abi.md.
        import CivicContract

        /// Runs once at deployment.
        @_expose(wasm, "civic_init")
        @_cdecl("civic_init")
        public func initialize() {
            State.set("owner", Caller.address)
        }

        /// Stores the input as the value; only the deployer may.
        @_expose(wasm, "set")
        @_cdecl("set")
        public func set() {
            require(State.get("owner") == Caller.address, "not_owner", "only the deployer sets the value")
            let value = Input.bytes()
            State.set("value", value)
            emit("value_set", [(key: "by", value: Caller.organization)])
        }

        /// Returns the value (empty when none was set).
        @_expose(wasm, "get")
        @_cdecl("get")
        public func get() {
            returnData(State.get("value") ?? [])
        }

        """
    }

    static func c(name: String) -> String {
        """
        /* The \(name) contract in C: `set` stores the input (at most 1 KiB), `get` returns it. See civic.h. */
        #include "civic.h"

        CIVIC_ABI_VERSION_1

        static uint8_t buffer[1024];

        CIVIC_METHOD(set) {
            int32_t length = civic_input_length();
            if (length > (int32_t)sizeof buffer) civic_fail("too_large", 9, "at most 1024 bytes", 18);
            civic_input_read(buffer);
            civic_state_set("value", 5, buffer, length);
        }

        CIVIC_METHOD(get) {
            int32_t length = civic_state_get("value", 5);
            if (length < 0) length = 0;
            else civic_result_read(buffer);
            civic_return_data(buffer, length);
        }

        """
    }

    /// The C template's contract in WebAssembly text; the imports are Docs/0012's, type for type.
    static func wat(name: String) -> String {
        """
        ;; The \(name) contract in the WebAssembly text format: `set` stores the input (at most 1 KiB), `get`
        ;; returns it. Host functions and their types: Docs/0012-contract-abi.md. Memory: the key "value" at 16,
        ;; the failure's code and message at 32 and 48, the value at 1024.
        (module
          (import "civic" "input_length" (func $input_length (result i32)))
          (import "civic" "input_read" (func $input_read (param i32)))
          (import "civic" "result_read" (func $result_read (param i32)))
          (import "civic" "return_data" (func $return_data (param i32 i32)))
          (import "civic" "fail" (func $fail (param i32 i32 i32 i32)))
          (import "civic" "state_get" (func $state_get (param i32 i32) (result i32)))
          (import "civic" "state_set" (func $state_set (param i32 i32 i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "value")
          (data (i32.const 32) "too_large")
          (data (i32.const 48) "at most 1024 bytes")
          (func (export "civic_abi_version") (result i32) (i32.const 1))
          (func (export "set")
            (local $length i32)
            (local.set $length (call $input_length))
            (if (i32.gt_u (local.get $length) (i32.const 1024))
              (then (call $fail (i32.const 32) (i32.const 9) (i32.const 48) (i32.const 18))))
            (call $input_read (i32.const 1024))
            (call $state_set (i32.const 16) (i32.const 5) (i32.const 1024) (local.get $length)))
          (func (export "get")
            (local $length i32)
            (local.set $length (call $state_get (i32.const 16) (i32.const 5)))
            ;; -1: nothing set yet, so no return data.
            (if (i32.lt_s (local.get $length) (i32.const 0)) (then (return)))
            (call $result_read (i32.const 1024))
            (call $return_data (i32.const 1024) (local.get $length))))

        """
    }
}
