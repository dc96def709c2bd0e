// The workload of `civic bench contracts`: the same operation as the native `kv.put` — one state
// write in the caller's own space and one event — so that the two can be compared call for call.
//
// Arguments of `put`: u32 key length ‖ key ‖ value. State: 20-byte caller address ‖ "/" ‖ key → value.
import CivicContract

/// Writes the value under the key in the caller's space and emits `written`.
@_expose(wasm, "put")
@_cdecl("put")
public func put() {
    var input = Input.reader()
    guard let key = input.readLengthPrefixed(), !key.isEmpty, key.count <= 128 else {
        fail("invalid_input", "put expects a length-prefixed key of 1 to 128 bytes, then the value")
    }
    let value = input.readRemaining()
    let owner = Caller.address
    State.set(Bytes.concat(owner, "/", key), value)
    emit("written", [(key: "owner", value: owner), (key: "key", value: key)])
}
