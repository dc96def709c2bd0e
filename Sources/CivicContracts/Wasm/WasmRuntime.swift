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
/// Holds one WasmKit engine (fuel metering on, MVP plus the features WasmKit always enables) and a cache of parsed
/// modules by code hash; each run gets its own WasmKit store, so runs on different threads share nothing mutable
/// but the cache, which a lock guards.
public final class WasmRuntime: Sendable {
    /// Fuel given to `civic_abi_version` when deployment checks it.
    public static let abiVersionGasMax: UInt64 = 10_000
    /// The ABI version this runtime implements.
    public static let abiVersion: Int32 = 1
    /// Most modules kept parsed; past it the cache starts over.
    static let cachedModulesMax = 64

    /// The engine of runs: fuel metering, lazy translation (code was validated at deployment). Both engines, and
    /// parsing, enable no optional feature beyond what WasmKit always enables (sign extension, mutable globals,
    /// multi-value, bulk memory): no SIMD, threads, reference types or exceptions.
    let engine: Engine
    /// The engine of deployment checks: eager translation, so every function body is validated.
    let validatingEngine: Engine
    /// The names of the native contracts, which Wasm code may not call (`contract.call_refused`).
    let nativeContractNames: Set<String>
    private let modules = Mutex<[Hash256: Module]>([:])

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
        let store = Store(engine: validatingEngine)
        store.resourceLimiter = WasmMemoryLimiter()
        store.fuel = Fuel(remaining: Self.abiVersionGasMax)
        let frame = WasmFrame(runtime: self, store: store, contract: "", callingContract: nil, depth: 0, input: [],
                              context: nil)
        let version: Int32
        do {
            let instance = try module.instantiate(store: store, imports: frame.imports())
            if let memory = instance.exports[memory: "memory"],
               (memory.type.max ?? 0) > UInt64(CivicLedger.Limits.contractMemoryPagesMax) {
                throw WasmAbort(.memoryLimit("The module declares a memory maximum above \(CivicLedger.Limits.contractMemoryPagesMax) pages."))
            }
            let hook = FunctionType(parameters: [], results: [])
            for name in ["civic_init", "civic_migrate"] where instance.exports[function: name].map({ $0.type != hook }) ?? false {
                throw WasmAbort(ContractFailure(code: "contract.missing_export", message: "'\(name)' must have type () -> ()."))
            }
            info.methods = info.methods.filter { instance.exports[function: $0]?.type == hook }
            guard let function = instance.exports[function: "civic_abi_version"],
                  function.type == FunctionType(parameters: [], results: [.i32]),
                  case .i32(let raw) = try function.invoke([]).first else {
                throw WasmAbort(.unsupportedABI)
            }
            version = Int32(bitPattern: raw)
        } catch let error as WasmKitError {
            throw ContractFailure(code: "contract.invalid_module", message: "The module is not valid WebAssembly: \(error).")
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
        let store = Store(engine: engine)
        store.resourceLimiter = WasmMemoryLimiter()
        store.fuel = Fuel(remaining: gasLimit)
        let name = String(decoding: context.state.prefix.dropLast(), as: UTF8.self)
        let frame = WasmFrame(runtime: self, store: store, contract: name, callingContract: nil, depth: 0,
                              input: input, context: context)
        let result: Result<[UInt8], ContractFailure>
        do {
            let module = try self.module(hash: codeHash, loadCode: loadCode)
            result = .success(try frame.run(module: module, entry: entry))
            if let done = frame.context { context = done }
        } catch {
            result = .failure(WasmAbort.from(error).failure)
        }
        let remaining = store.fuel?.remaining ?? 0
        return WasmOutcome(result: result, gasUsed: gasLimit - min(remaining, gasLimit))
    }

    /// The parsed module of the code whose hash is `hash`, from the cache when the same code ran before.
    func module(hash: Hash256, loadCode: () -> [UInt8]?) throws(WasmAbort) -> Module {
        if let cached = modules.withLock({ $0[hash] }) { return cached }
        guard let code = loadCode() else {
            throw WasmAbort(ContractFailure(code: "contract.code_missing", message: "The contract's code \(hash.hex) is not on chain."))
        }
        let module: Module
        do { module = try WasmModuleCheck.parse(code) } catch { throw WasmAbort(error) }
        modules.withLock { modules in
            if modules.count >= Self.cachedModulesMax { modules.removeAll(keepingCapacity: true) }
            modules[hash] = module
        }
        return module
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
