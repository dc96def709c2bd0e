// A registry with roles: the deployer owns it and names registry admins; admins whose chain role is
// admin or member register and remove entries; anyone may look entries up or list them.
//
// State: "owner" → 20-byte address; "admin/" + address → [1]; "entry/" + name → value.
// Arguments: addresses are 20 raw bytes; names and values are `u32 length ‖ bytes` (ByteWriter).
import CivicContract

let entryPrefix = "entry/"

func isOwner(_ address: [UInt8]) -> Bool { State.get("owner") == address }

func isAdmin(_ address: [UInt8]) -> Bool { isOwner(address) || State.get(Bytes.concat("admin/", address)) != nil }

/// Fails unless the signer is the owner.
func requireOwner() {
    require(isOwner(Caller.address), "not_owner", "only the registry's owner can change its admins")
}

/// Fails unless the signer may write entries: a registry admin whose chain role is admin or member.
func requireWriter() {
    require(isAdmin(Caller.address), "not_admin", "only registry admins can write entries")
    let role = Caller.role
    require(role == .admin || role == .member, "role_refused", "clients, auditors, validators and observers only read")
}

func readAddress(_ input: [UInt8]) -> [UInt8] {
    require(input.count == 20, "invalid_input", "expected a 20-byte address")
    return input
}

func readName(_ reader: inout ByteReader) -> String {
    guard let name = reader.readString(), !name.isEmpty, name.utf8.count <= 200 else {
        fail("invalid_input", "expected a name of 1 to 200 bytes")
    }
    return name
}

/// Runs once at deployment: the deployer owns the registry.
@_expose(wasm, "civic_init")
@_cdecl("civic_init")
public func initialize() {
    State.set("owner", Caller.address)
}

/// Owner only: makes the 20-byte address in the input a registry admin.
@_expose(wasm, "add_admin")
@_cdecl("add_admin")
public func addAdmin() {
    requireOwner()
    let address = readAddress(Input.bytes())
    State.set(Bytes.concat("admin/", address), [1])
    emit("admin_added", [(key: "address", value: address)])
}

/// Owner only: removes the 20-byte address in the input from the registry admins.
@_expose(wasm, "remove_admin")
@_cdecl("remove_admin")
public func removeAdmin() {
    requireOwner()
    let address = readAddress(Input.bytes())
    State.delete(Bytes.concat("admin/", address))
    emit("admin_removed", [(key: "address", value: address)])
}

/// Writers: registers (or replaces) `name` → `value`.
@_expose(wasm, "register")
@_cdecl("register")
public func register() {
    requireWriter()
    var input = Input.reader()
    let name = readName(&input)
    guard let value = input.readLengthPrefixed(), input.isAtEnd else { fail("invalid_input", "expected a value") }
    State.set(entryPrefix + name, value)
    emit("registered", [(key: "name", value: name), (key: "by", value: Bytes.hex(Caller.address))])
}

/// Anyone: the value registered under `name`; fails with `not_found` when there is none.
@_expose(wasm, "lookup")
@_cdecl("lookup")
public func lookup() {
    var input = Input.reader()
    let name = readName(&input)
    guard let value = State.get(entryPrefix + name) else { fail("not_found", "no entry named \(name)") }
    returnData(value)
}

/// Writers: removes the entry `name`; fails with `not_found` when there is none.
@_expose(wasm, "remove")
@_cdecl("remove")
public func remove() {
    requireWriter()
    var input = Input.reader()
    let name = readName(&input)
    require(State.get(entryPrefix + name) != nil, "not_found", "no entry named \(name)")
    State.delete(entryPrefix + name)
    emit("removed", [(key: "name", value: name), (key: "by", value: Bytes.hex(Caller.address))])
}

/// Anyone: the names of all entries in byte order, each `u32 length ‖ name`.
@_expose(wasm, "list")
@_cdecl("list")
public func list() {
    var output = ByteWriter()
    let prefix = Array(entryPrefix.utf8)
    for key in State.keys(prefix: prefix) { output.appendLengthPrefixed(Array(key[prefix.count...])) }
    returnData(output.bytes)
}
