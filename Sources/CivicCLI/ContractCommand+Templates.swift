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

    static func wat(name: String) -> String {
        """
        ;; The \(name) contract in the WebAssembly text format: `get` returns "\(name)".
        (module
          (import "civic" "return_data" (func $return_data (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "\(name)")
          (func (export "civic_abi_version") (result i32) (i32.const 1))
          (func (export "get") (call $return_data (i32.const 16) (i32.const \(name.utf8.count)))))

        """
    }
}
