// A token-like asset: `civic_init` mints the supply to the deployer; `transfer` moves units between
// addresses with a balance check; `balance` answers a query. Every transfer emits an event.
//
// State: "supply" → u64; "balance/" + 20-byte address → u64 (absent = 0).
// Arguments: transfer = 20-byte recipient ‖ u64 amount; balance = 20-byte address (or empty: the caller).
import CivicContract

let initialSupply: UInt64 = 1_000_000

func balanceKey(_ address: [UInt8]) -> [UInt8] { Bytes.concat("balance/", address) }

func balance(of address: [UInt8]) -> UInt64 {
    State.get(balanceKey(address)).flatMap { Bytes.uint64($0) } ?? 0
}

func setBalance(_ amount: UInt64, of address: [UInt8]) {
    if amount == 0 { State.delete(balanceKey(address)) } else { State.set(balanceKey(address), Bytes.uint64(amount)) }
}

/// Runs once at deployment: the whole supply belongs to the deployer.
@_expose(wasm, "civic_init")
@_cdecl("civic_init")
public func initialize() {
    State.set("supply", Bytes.uint64(initialSupply))
    setBalance(initialSupply, of: Caller.address)
    emit("mint", [(key: "to", value: Bytes.hex(Caller.address)), (key: "amount", value: "\(initialSupply)")])
}

/// Runs at an upgrade with the previous version (u32 LE) as input; version 1 kept no "version" key.
@_expose(wasm, "civic_migrate")
@_cdecl("civic_migrate")
public func migrate() {
    var input = Input.reader()
    guard let previous = input.readUInt32() else { fail("invalid_input", "migrate expects the previous version") }
    var version = ByteWriter()
    version.append(previous + 1)
    State.set("version", version.bytes)
}

/// Moves `amount` from the signer to `recipient`.
@_expose(wasm, "transfer")
@_cdecl("transfer")
public func transfer() {
    var input = Input.reader()
    guard let recipient = input.read(count: 20), let amount = input.readUInt64(), input.isAtEnd else {
        fail("invalid_input", "transfer expects a 20-byte address and a u64 amount")
    }
    require(amount > 0, "invalid_amount", "the amount must be positive")
    let sender = Caller.address
    let available = balance(of: sender)
    require(available >= amount, "insufficient_balance", "the balance is \(available), the transfer \(amount)")
    if sender != recipient {
        setBalance(available - amount, of: sender)
        let (credited, overflow) = balance(of: recipient).addingReportingOverflow(amount)
        require(!overflow, "overflow", "the recipient's balance would overflow")
        setBalance(credited, of: recipient)
    }
    emit("transfer", [(key: "from", value: Bytes.hex(sender)), (key: "to", value: Bytes.hex(recipient)),
                      (key: "amount", value: "\(amount)")])
}

/// The balance (u64 LE) of the given 20-byte address, or of the signer when the input is empty.
@_expose(wasm, "balance")
@_cdecl("balance")
public func balanceQuery() {
    let input = Input.bytes()
    require(input.isEmpty || input.count == 20, "invalid_input", "balance expects a 20-byte address or nothing")
    returnData(Bytes.uint64(balance(of: input.isEmpty ? Caller.address : input)))
}

/// The total supply (u64 LE).
@_expose(wasm, "supply")
@_cdecl("supply")
public func supply() {
    returnData(State.get("supply") ?? Bytes.uint64(0))
}
