import CivicCrypto
import CivicLedger
import Synchronization
// `functionType(at:)` (the types of imported functions) and `Store.resourceLimiter` (the memory limit) are
// WasmKit SPI; both are needed to apply Docs/0012 exactly, and the version is pinned.
@_spi(Fuzzing) import WasmKit

/// What deployment learns from a module: its methods and hooks (Docs/0012, "The module").
public struct WasmModuleInfo: Hashable, Sendable {
    /// The methods transactions may call, sorted.
    public var methods: [String]
    /// Whether the module exports `civic_init`, run once at deployment.
    public var hasInit: Bool
    /// Whether the module exports `civic_migrate`, run at an upgrade in the new code.
    public var hasMigrate: Bool

    /// Creates the description of a module.
    public init(methods: [String], hasInit: Bool, hasMigrate: Bool) {
        self.methods = methods
        self.hasInit = hasInit
        self.hasMigrate = hasMigrate
    }
}

/// The export a run starts at.
public enum WasmEntry: Hashable, Sendable {
    /// A method, as a transaction or another contract calls it.
    case method(String)
    /// `civic_init`, at deployment.
    case initialize
    /// `civic_migrate`, at an upgrade; its input is the previous version (u32, little-endian).
    case migrate

    /// The export's name.
    var exportName: String {
        switch self {
        case .method(let name): name
        case .initialize: "civic_init"
        case .migrate: "civic_migrate"
        }
    }
}

/// The outcome of running a WebAssembly contract: its return data or failure, and the gas it used (also on
/// failure, for the receipt).
public struct WasmOutcome: Sendable {
    /// The return data, or the failure that discarded the call's writes and events.
    public var result: Result<[UInt8], ContractFailure>
    /// Fuel plus host costs consumed, at most the gas limit.
    public var gasUsed: UInt64
}

/// Runs deployed WebAssembly contracts as Docs/0012 specifies: validates code for deployment and executes
/// methods and hooks with gas, memory and call-depth limits, deterministically.
///
/// Holds one WasmKit engine (fuel metering on, MVP plus the features WasmKit always enables) and, by code hash, the
/// parsed module with a pool of idle instances (``WasmInstance``): a call checks an instance out, runs in it alone
/// and checks it back in reset, so runs on different threads share nothing mutable but the pool, which a lock
/// guards. Whether an instance is new or reused is invisible to the call, its gas and its result.
public final class WasmRuntime: Sendable {
    /// Fuel given to `civic_abi_version` when deployment checks it.
    public static let abiVersionGasMax: UInt64 = 10_000
    /// The ABI version this runtime implements.
    public static let abiVersion: Int32 = 1
    /// Most modules kept parsed; past it the cache starts over.
    static let cachedModulesMax = 64
    /// Most idle instances kept per module: enough for the threads that execute and check transactions at once.
    static let idleInstancesMax = 4

    /// The engine of runs: fuel metering, lazy translation (code was validated at deployment). Both engines, and
    /// parsing, enable no optional feature beyond what WasmKit always enables (sign extension, mutable globals,
    /// multi-value, bulk memory): no SIMD, threads, reference types or exceptions.
    let engine: Engine
    /// The engine of deployment checks: eager translation, so every function body is validated.
    let validatingEngine: Engine
    /// The names of the native contracts, which Wasm code may not call (`contract.call_refused`).
    let nativeContractNames: Set<String>
    private let modules = Mutex<[Hash256: LoadedModule]>([:])

    /// Creates a runtime; `nativeContractNames` are the contracts compiled into the node, refused as callees.
    public init(nativeContractNames: Set<String>) {
        self.nativeContractNames = nativeContractNames
        engine = Engine(configuration: EngineConfiguration(compilationMode: .lazy, features: [], fuelMetering: true))
        validatingEngine = Engine(configuration: EngineConfiguration(compilationMode: .eager, features: [], fuelMetering: true))
    }

    /// Validates `code` for deployment: size, parsing and validation, imports (only the `civic` functions of
    /// Docs/0012 with their exact types), exports (`memory`, `civic_abi_version`), declared memory, hook types and
    /// method names, then calls `civic_abi_version` with ``abiVersionGasMax`` gas and requires 1.
    /// - Throws: ``ContractFailure`` with `contract.code_too_large`, `contract.invalid_module`,
    ///   `contract.invalid_import`, `contract.missing_export`, `contract.memory_limit`, `contract.unsupported_abi`
    ///   or `contract.trap`.
    public func inspect(code: [UInt8]) throws(ContractFailure) -> WasmModuleInfo {
        let module = try WasmModuleCheck.parse(code)
        var info = try WasmModuleCheck.check(module)
        _ = try WasmCodeScan.scan(code)
        let version: Int32
        do {
            let instance = try WasmInstance(module: module, engine: validatingEngine, globalExports: [])
            instance.store.fuel = Fuel(remaining: Self.abiVersionGasMax)
            instance.frame = WasmFrame(runtime: self, instance: instance, contract: "", callingContract: nil, depth: 0,
                                       input: [], context: nil)
            if let memory = instance.memory,
               (memory.type.max ?? 0) > UInt64(CivicLedger.Limits.contractMemoryPagesMax) {
                throw WasmAbort(.memoryLimit("The module declares a memory maximum above \(CivicLedger.Limits.contractMemoryPagesMax) pages."))
            }
            let exports = instance.instance.exports
            let hook = FunctionType(parameters: [], results: [])
            for name in ["civic_init", "civic_migrate"] where exports[function: name].map({ $0.type != hook }) ?? false {
                throw WasmAbort(ContractFailure(code: "contract.missing_export", message: "'\(name)' must have type () -> ()."))
            }
            info.methods = info.methods.filter { exports[function: $0]?.type == hook }
            guard let function = exports[function: "civic_abi_version"],
                  function.type == FunctionType(parameters: [], results: [.i32]),
                  case .i32(let raw) = try function.invoke([]).first else {
                throw WasmAbort(.unsupportedABI)
            }
            version = Int32(bitPattern: raw)
        } catch {
            throw WasmAbort.from(error).failure
        }
        guard version == Self.abiVersion else { throw WasmAbort(.unsupportedABI).failure }
        return info
    }

    /// Runs `entry` of the contract whose namespace is `context`'s (`<name>/`) with `code`, `input` as the call's
    /// arguments and at most `gasLimit` gas. On success `context` holds the call's writes and events; on failure it
    /// is unchanged. For hooks (`.initialize`, `.migrate`) the lifecycle code builds the context (the contract's
    /// namespace, the transaction's signer) and decides what a failure means for the deployment.
    ///
    /// Deterministic: the same code, input, state and context give the same outcome and gas on every node.
    public func run(_ entry: WasmEntry, code: [UInt8], input: [UInt8], context: inout CallContext,
                    gasLimit: UInt64) -> WasmOutcome {
        run(entry, codeHash: context.block.suite.hash(code), loadCode: { code }, input: input, context: &context,
            gasLimit: gasLimit)
    }

    /// ``run(_:code:input:context:gasLimit:)`` for code whose hash is known (the deployed record's): the parsed
    /// module is taken from the cache, and `loadCode` (reading the code's chunks from state) is asked only when
    /// the module is not there.
    /// - Precondition: `codeHash` is the chain suite's hash of the code `loadCode` returns.
    public func run(_ entry: WasmEntry, codeHash: Hash256, loadCode: () -> [UInt8]?, input: [UInt8],
                    context: inout CallContext, gasLimit: UInt64) -> WasmOutcome {
        let name = String(decoding: context.state.prefix.dropLast(), as: UTF8.self)
        let instance: WasmInstance
        do { instance = try checkOut(hash: codeHash, loadCode: loadCode) } catch {
            return WasmOutcome(result: .failure(error.failure), gasUsed: 0)
        }
        defer { checkIn(instance, hash: codeHash) }
        instance.store.fuel = Fuel(remaining: gasLimit)
        let frame = WasmFrame(runtime: self, instance: instance, contract: name, callingContract: nil, depth: 0,
                              input: input, context: context)
        let result: Result<[UInt8], ContractFailure>
        do {
            result = .success(try frame.run(entry))
            if let done = frame.context { context = done }
        } catch {
            result = .failure(error.failure)
        }
        let remaining = instance.store.fuel?.remaining ?? 0
        return WasmOutcome(result: result, gasUsed: gasLimit - min(remaining, gasLimit))
    }

    /// An idle instance of the code whose hash is `hash`, or a new one: the module is parsed (from `loadCode`) only
    /// the first time the code runs.
    /// - Throws: `contract.code_missing`, or the failure of parsing, scanning or instantiating the code.
    func checkOut(hash: Hash256, loadCode: () -> [UInt8]?) throws(WasmAbort) -> WasmInstance {
        let cached = modules.withLock { modules -> (LoadedModule, WasmInstance?)? in
            guard let loaded = modules[hash] else { return nil }
            return (loaded, modules[hash]?.idle.popLast())
        }
        if let idle = cached?.1 { return idle }
        let loaded: LoadedModule
        if let cached {
            loaded = cached.0
        } else {
            guard let code = loadCode() else {
                throw WasmAbort(ContractFailure(code: "contract.code_missing", message: "The contract's code \(hash.hex) is not on chain."))
            }
            loaded = try LoadedModule(code: code)
            modules.withLock { modules in
                if modules.count >= Self.cachedModulesMax { modules.removeAll(keepingCapacity: true) }
                if modules[hash] == nil { modules[hash] = loaded }
            }
        }
        return try WasmInstance(module: loaded.module, engine: engine, globalExports: loaded.globalExports)
    }

    /// Returns `instance` of the code whose hash is `hash` to the pool, reset; drops it when it cannot be reset or
    /// the pool is full.
    func checkIn(_ instance: WasmInstance, hash: Hash256) {
        guard instance.reset() else { return }
        modules.withLock { modules in
            guard let idle = modules[hash]?.idle, idle.count < Self.idleInstancesMax else { return }
            modules[hash]?.idle.append(instance)
        }
    }
}

/// A module ready to instantiate, with its idle instances.
struct LoadedModule: Sendable {
    /// The module, parsed from code rewritten to export its mutable globals.
    var module: Module
    /// The exports under which the module shows its mutable globals.
    var globalExports: [String]
    /// Instances reset and waiting for a call.
    var idle: [WasmInstance] = []

    /// Scans and parses deployed `code`.
    /// - Throws: the failure deployment would have refused the code with.
    init(code: [UInt8]) throws(WasmAbort) {
        do {
            try WasmModuleCheck.checkSize(code)
            let scan = try WasmCodeScan.scan(code)
            let rewritten = WasmInstance.exportingGlobals(scan.mutableGlobals, of: code)
            module = try WasmModuleCheck.parseStructure(rewritten.code)
            globalExports = rewritten.names
        } catch {
            throw WasmAbort(error)
        }
    }
}

/// Refuses memory past ``Limits/contractMemoryPagesMax`` by ending the call (`contract.memory_limit`), rather
/// than letting `memory.grow` return -1.
final class WasmMemoryLimiter: ResourceLimiter {
    func limitMemoryGrowth(to desired: Int) throws -> Bool {
        guard desired <= CivicLedger.Limits.contractMemoryPagesMax * 65_536 else {
            throw WasmAbort(.memoryLimit("The contract's memory would grow past \(CivicLedger.Limits.contractMemoryPagesMax) pages (16 MiB)."))
        }
        return true
    }

    func limitTableGrowth(to desired: Int) throws -> Bool { desired <= 10_000 }
}
