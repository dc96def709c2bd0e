// The host functions of Docs/0012 (module `civic`), with exactly the documented Wasm types:
// pointers and lengths are i32 (`UnsafeRawPointer?`/`Int32` on wasm32), heights and times i64.
// `@_extern(c)` matters: without it the import gets Swift's calling convention, whose extra
// context parameters change the Wasm type (`(i32, i32, i32, i32) -> i32` for `state_get`).
// Contract code uses the typed wrappers of this module instead.

@_extern(wasm, module: "civic", name: "input_length")
@_extern(c)
func civic_input_length() -> Int32
@_extern(wasm, module: "civic", name: "input_read")
@_extern(c)
func civic_input_read(_ destination: UnsafeMutableRawPointer?)
@_extern(wasm, module: "civic", name: "result_read")
@_extern(c)
func civic_result_read(_ destination: UnsafeMutableRawPointer?)
@_extern(wasm, module: "civic", name: "return_data")
@_extern(c)
func civic_return_data(_ pointer: UnsafeRawPointer?, _ length: Int32)
@_extern(wasm, module: "civic", name: "fail")
@_extern(c)
func civic_fail(_ codePointer: UnsafeRawPointer?, _ codeLength: Int32,
                _ messagePointer: UnsafeRawPointer?, _ messageLength: Int32)
@_extern(wasm, module: "civic", name: "state_get")
@_extern(c)
func civic_state_get(_ keyPointer: UnsafeRawPointer?, _ keyLength: Int32) -> Int32
@_extern(wasm, module: "civic", name: "state_set")
@_extern(c)
func civic_state_set(_ keyPointer: UnsafeRawPointer?, _ keyLength: Int32,
                     _ valuePointer: UnsafeRawPointer?, _ valueLength: Int32)
@_extern(wasm, module: "civic", name: "state_delete")
@_extern(c)
func civic_state_delete(_ keyPointer: UnsafeRawPointer?, _ keyLength: Int32)
@_extern(wasm, module: "civic", name: "state_next")
@_extern(c)
func civic_state_next(_ keyPointer: UnsafeRawPointer?, _ keyLength: Int32) -> Int32
@_extern(wasm, module: "civic", name: "caller_key")
@_extern(c)
func civic_caller_key() -> Int32
@_extern(wasm, module: "civic", name: "caller_address")
@_extern(c)
func civic_caller_address(_ destination: UnsafeMutableRawPointer?)
@_extern(wasm, module: "civic", name: "caller_role")
@_extern(c)
func civic_caller_role() -> Int32
@_extern(wasm, module: "civic", name: "caller_organization")
@_extern(c)
func civic_caller_organization() -> Int32
@_extern(wasm, module: "civic", name: "calling_contract")
@_extern(c)
func civic_calling_contract() -> Int32
@_extern(wasm, module: "civic", name: "block_height")
@_extern(c)
func civic_block_height() -> Int64
@_extern(wasm, module: "civic", name: "block_time")
@_extern(c)
func civic_block_time() -> Int64
@_extern(wasm, module: "civic", name: "emit_event")
@_extern(c)
func civic_emit_event(_ namePointer: UnsafeRawPointer?, _ nameLength: Int32,
                      _ attributesPointer: UnsafeRawPointer?, _ attributesLength: Int32)
@_extern(wasm, module: "civic", name: "hash")
@_extern(c)
func civic_hash(_ pointer: UnsafeRawPointer?, _ length: Int32, _ destination: UnsafeMutableRawPointer?)
@_extern(wasm, module: "civic", name: "verify_signature")
@_extern(c)
func civic_verify_signature(_ keyPointer: UnsafeRawPointer?, _ keyLength: Int32,
                            _ messagePointer: UnsafeRawPointer?, _ messageLength: Int32,
                            _ signaturePointer: UnsafeRawPointer?, _ signatureLength: Int32) -> Int32
@_extern(wasm, module: "civic", name: "call")
@_extern(c)
func civic_call(_ namePointer: UnsafeRawPointer?, _ nameLength: Int32,
                _ methodPointer: UnsafeRawPointer?, _ methodLength: Int32,
                _ argumentsPointer: UnsafeRawPointer?, _ argumentsLength: Int32) -> Int32

/// The ABI version this SDK implements (Docs/0012); the host refuses modules without this export.
@_expose(wasm, "civic_abi_version")
@_cdecl("civic_abi_version")
public func civicABIVersion() -> Int32 { 1 }

/// Reads the result buffer the last host call filled: `length` bytes, or nil for `-1` ("absent").
@inline(never)
func readResult(_ length: Int32) -> [UInt8]? {
    guard length >= 0 else { return nil }
    if length == 0 { return [] }
    return [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, count in
        civic_result_read(UnsafeMutableRawPointer(buffer.baseAddress))
        count = Int(length)
    }
}

/// Calls `body` with a pointer and i32 length of `bytes` (a null pointer for an empty array).
@inline(__always)
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawPointer?, Int32) -> R) -> R {
    bytes.withUnsafeBytes { body($0.baseAddress, Int32($0.count)) }
}

/// Calls `body` with a pointer and i32 length of the UTF-8 bytes of `text`, in place.
@inline(__always)
func withUTF8<R>(_ text: String, _ body: (UnsafeRawPointer?, Int32) -> R) -> R {
    withUTF8Buffer(text) { body($0.baseAddress, Int32($0.count)) }
}

/// Calls `body` with the UTF-8 bytes of `text` where they already are (every String Embedded Swift
/// makes is contiguous UTF-8: small, literal or native), copying only a string that is not. Cheaper
/// than `Array(text.utf8)`, which allocates, and smaller than `String.withUTF8`, whose fallback brings
/// about 5 KB of `Substring` code into every module.
@inline(__always)
func withUTF8Buffer<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
    return Array(text.utf8).withUnsafeBytes(body)
}
