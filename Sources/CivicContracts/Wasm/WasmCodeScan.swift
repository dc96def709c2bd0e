import CivicLedger
import WasmParser

/// The rules of Docs/0012 ("Determinism") that need every instruction of a module, and what a reused instance must
/// put back after each run.
///
/// - A module may compute with floats, but their NaN bits must never become observable: on x86 an operation that
///   makes a NaN gives 0xFFC00000, on ARM 0x7FC00000, and validators may run on either. Bits leave a float only
///   through `f32.store`/`f64.store`, `i32.reinterpret_f32`/`i64.reinterpret_f64` and the sign that
///   `f32.copysign`/`f64.copysign` takes from a NaN, so those six instructions are refused
///   (`contract.nondeterministic`). Arithmetic, comparisons and conversions to integers are exact everywhere.
/// - Gas must bound work. WasmKit charges one unit of fuel per operator, whatever its length, so one
///   `memory.copy`, `memory.fill` or `memory.init` could move 16 MiB for one unit: they are refused
///   (`contract.invalid_instruction`); compilers emit calls to `memcpy`/`memset` instead, which the SDK implements
///   with word-sized loops.
/// - Instances are reused between calls (``WasmInstance``), so no run may change what a reset does not restore:
///   `data.drop`, `elem.drop`, `table.init` and `table.copy` are refused (`contract.invalid_instruction`), as is a
///   start function, which would run outside any call (`contract.invalid_module`; use `civic_init`).
struct WasmCodeScan {
    /// The module's mutable globals, by index (a contract imports no globals), which a reused instance resets.
    var mutableGlobals: [UInt32] = []

    /// Scans `code`, which already parsed as a module.
    /// - Throws: `contract.nondeterministic`, `contract.invalid_instruction`, `contract.invalid_module`.
    static func scan(_ code: [UInt8]) throws(ContractFailure) -> WasmCodeScan {
        var scan = WasmCodeScan()
        var refusal: ContractFailure?
        var parser = Parser(bytes: code, features: [])
        do throws(WasmParserError) {
            while refusal == nil, let payload = try parser.parseNext() {
                switch payload {
                case .startSection:
                    refusal = ContractFailure(code: "contract.invalid_module",
                                              message: "A contract may not have a start function; use civic_init.")
                case .globalSection(let globals):
                    for (index, global) in globals.enumerated() where global.type.mutability == .variable {
                        scan.mutableGlobals.append(UInt32(index))
                    }
                case .codeSection(let bodies):
                    for body in bodies where refusal == nil {
                        var expression = ExpressionParser(code: body)
                        var visitor = RefusedInstructions()
                        while visitor.refusal == nil, let visit = try expression.parse() { visit(visitor: &visitor) }
                        refusal = visitor.refusal
                    }
                default:
                    break
                }
            }
        } catch {
            throw ContractFailure(code: "contract.invalid_module", message: "The module is not valid WebAssembly: \(error).")
        }
        if let refusal { throw refusal }
        return scan
    }
}

/// Notes the first instruction ``WasmCodeScan`` refuses.
private struct RefusedInstructions: AnyInstructionVisitor {
    typealias VisitorError = Never
    var binaryOffset = 0
    var refusal: ContractFailure?

    mutating func visit(_ instruction: Instruction) {
        guard refusal == nil else { return }
        switch instruction {
        case .store(.f32Store, _), .store(.f64Store, _), .conversion(.i32ReinterpretF32),
             .conversion(.i64ReinterpretF64), .binary(.f32Copysign), .binary(.f64Copysign):
            refusal = ContractFailure(
                code: "contract.nondeterministic",
                message: "The module stores, reinterprets or copies the sign of a float at byte \(binaryOffset); NaN bits differ between processors, so contracts may not observe them (Docs/0012).")
        case .memoryCopy, .memoryFill, .memoryInit:
            refusal = ContractFailure(
                code: "contract.invalid_instruction",
                message: "The module uses a bulk memory operator at byte \(binaryOffset), whose gas would not grow with its length; build without bulk memory (Docs/0012).")
        case .dataDrop, .elemDrop, .tableInit, .tableCopy:
            refusal = ContractFailure(
                code: "contract.invalid_instruction",
                message: "The module drops a segment or changes a table at byte \(binaryOffset), which contracts may not do (Docs/0012).")
        default:
            break
        }
    }
}
