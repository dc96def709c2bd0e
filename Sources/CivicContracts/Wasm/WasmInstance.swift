import CivicLedger
// `Store.resourceLimiter` (the memory limit) is WasmKit SPI; see WasmRuntime.swift.
@_spi(Fuzzing) import WasmKit

/// A contract module instantiated once and run for many calls, one call at a time: instantiating (and WasmKit's
/// lazy translation of each function on its first call) costs far more than a simple call, so ``WasmRuntime``
/// keeps idle instances per code hash.
///
/// Reuse must be invisible, or nodes whose pools differ would disagree. After every run ``reset()`` puts back
/// everything a run can change: the bytes of linear memory and the mutable globals. A run that grew memory cannot
/// be undone (memory does not shrink), so that instance is dropped. What else an instance holds cannot change
/// during a run: ``WasmCodeScan`` refuses the instructions that drop segments or change tables, and a start
/// function. Fuel is set by each run.
///
/// `@unchecked Sendable`: a WasmKit store is not thread-safe; an instance is used by the one thread that checked
/// it out of the runtime's pool, and is only in the pool while idle.
final class WasmInstance: @unchecked Sendable {
    /// The instance's own store: its fuel is the gas of the frame that runs in it.
    let store: Store
    let instance: Instance
    /// The exported linear memory (every contract exports it as `memory`).
    let memory: Memory?
    /// The frame the host functions serve, set for the duration of each run.
    var frame: WasmFrame?
    /// Memory as instantiation left it.
    private let pristineMemory: [UInt8]
    /// Each mutable global with its value after instantiation.
    private let globals: [(global: Global, initial: Value)]

    /// Instantiates `module` in a new store of `engine`, binding the `civic` imports to whatever frame runs.
    /// `globalExports` names the exports under which the module (as ``WasmInstance/exportingGlobals(_:of:)``
    /// rewrote it) shows its mutable globals.
    init(module: Module, engine: Engine, globalExports: [String]) throws(WasmAbort) {
        store = Store(engine: engine)
        store.resourceLimiter = WasmMemoryLimiter()
        store.fuel = Fuel(remaining: 0)
        var imports = Imports()
        let box = FrameBox()
        for hostFunction in WasmHostFunction.allCases {
            let function = Function(store: store, type: hostFunction.type) { _, arguments in
                guard let frame = box.instance?.frame else {
                    throw WasmAbort(.trap("host functions are not available outside a call"))
                }
                return try frame.host(hostFunction, arguments)
            }
            imports.define(module: "civic", name: hostFunction.rawValue, function)
        }
        do {
            let made = try module.instantiate(store: store, imports: imports)
            instance = made
            memory = made.exports[memory: "memory"]
            globals = globalExports.compactMap { name in made.exports[global: name].map { ($0, $0.value) } }
            pristineMemory = memory.map { memory in
                memory.withUnsafeBufferPointer(offset: 0, count: memory.byteCount) { Array($0) }
            } ?? []
            box.instance = self
        } catch let error as WasmKitError {
            throw WasmAbort(ContractFailure(code: "contract.invalid_module", message: "The module is not valid WebAssembly: \(error)."))
        } catch {
            throw WasmAbort.from(error)
        }
    }

    /// Puts memory and globals back as instantiation left them; `false` when memory grew, and the instance must
    /// not be used again.
    func reset() -> Bool {
        frame = nil
        guard let memory else { return globals.isEmpty }
        guard memory.byteCount == pristineMemory.count else { return false }
        memory.withUnsafeMutableBufferPointer(offset: 0, count: pristineMemory.count) { buffer in
            buffer.copyBytes(from: pristineMemory)
        }
        for (global, initial) in globals {
            do { try global.assign(initial) } catch { return false }
        }
        return true
    }

    /// `code` with an export added for each mutable global in `indices` (all defined in the module, which imports
    /// no globals), named `civic.global.<index>`, so ``reset()`` can reach them; and those names.
    /// - Precondition: `code` is a module that parsed, and has an export section (contracts export `memory`).
    static func exportingGlobals(_ indices: [UInt32], of code: [UInt8]) -> (code: [UInt8], names: [String]) {
        guard !indices.isEmpty else { return (code, []) }
        let names = indices.map { "civic.global.\($0)" }
        var output = Array(code[0..<8])
        var offset = 8
        while offset < code.count {
            let id = code[offset]
            var cursor = offset + 1
            let size = Int(LEB128.read(code, at: &cursor))
            let payload = Array(code[cursor..<(cursor + size)])
            offset = cursor + size
            guard id == 7 else {
                output.append(id)
                output += LEB128.encode(UInt64(size))
                output += payload
                continue
            }
            var entries = 0
            let count = LEB128.read(payload, at: &entries)
            var section = LEB128.encode(count + UInt64(indices.count)) + payload[entries...]
            for (index, name) in zip(indices, names) {
                section += LEB128.encode(UInt64(name.utf8.count)) + Array(name.utf8) + [0x03] + LEB128.encode(UInt64(index))
            }
            output.append(id)
            output += LEB128.encode(UInt64(section.count))
            output += section
        }
        return (output, names)
    }
}

/// Lets the host functions, made before the instance exists, reach it.
private final class FrameBox: @unchecked Sendable {
    weak var instance: WasmInstance?
}

/// Unsigned LEB128, as the WebAssembly binary format writes counts and sizes.
enum LEB128 {
    /// Reads a value at `offset` and moves past it.
    /// - Precondition: the bytes hold a whole value (the module parsed).
    static func read(_ bytes: [UInt8], at offset: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// The shortest encoding of `value`.
    static func encode(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }
}
