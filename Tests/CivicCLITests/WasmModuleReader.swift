/// Reads the parts of a WebAssembly 1.0 binary the contract tests check: function types, imports,
/// exports and memories (the binary format's sections 1, 2, 3, 5 and 7; everything else is skipped).
struct WasmModuleReader {
    /// A Wasm value type, by its binary code.
    enum ValueType: UInt8, CustomStringConvertible {
        case i32 = 0x7F, i64 = 0x7E, f32 = 0x7D, f64 = 0x7C

        var description: String {
            switch self {
            case .i32: "i32"
            case .i64: "i64"
            case .f32: "f32"
            case .f64: "f64"
            }
        }
    }

    /// A function type.
    struct FunctionType: Equatable, CustomStringConvertible {
        var parameters: [ValueType]
        var results: [ValueType]

        var description: String { "(\(parameters.map(\.description).joined(separator: ", "))) -> (\(results.map(\.description).joined(separator: ", ")))" }
    }

    /// An import: a function (with its type) or another kind.
    struct Import: Equatable {
        var module: String
        var name: String
        /// 0 function, 1 table, 2 memory, 3 global.
        var kind: UInt8
        var type: FunctionType?
    }

    /// An export: kind 0 function, 1 table, 2 memory, 3 global; `index` in that index space.
    struct Export: Equatable {
        var name: String
        var kind: UInt8
        var index: Int
    }

    /// Memory limits in pages.
    struct Limits: Equatable {
        var minimum: Int
        var maximum: Int?
    }

    enum Failure: Error { case truncated, badMagic, badType(UInt8), badKind(UInt8) }

    private(set) var types: [FunctionType] = []
    private(set) var imports: [Import] = []
    private(set) var functionTypeIndices: [Int] = []
    private(set) var memories: [Limits] = []
    private(set) var exports: [Export] = []

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.count >= 8, bytes[0..<8].elementsEqual([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]) else {
            throw Failure.badMagic
        }
        offset = 8
        while offset < bytes.count {
            let section = try byte()
            let size = try unsigned()
            let end = offset + size
            guard end <= bytes.count else { throw Failure.truncated }
            switch section {
            case 1: types = try vector { try $0.functionType() }
            case 2: imports = try vector { try $0.importEntry() }
            case 3: functionTypeIndices = try vector { try $0.unsigned() }
            case 5: memories = try vector { try $0.limits() }
            case 7: exports = try vector { Export(name: try $0.name(), kind: try $0.byte(), index: try $0.unsigned()) }
            default: break
            }
            offset = end
        }
    }

    /// The type of function `index` (imports first, then the module's own functions).
    func functionType(at index: Int) -> FunctionType? {
        let imported = imports.filter { $0.kind == 0 }
        if index < imported.count { return imported[index].type }
        let local = index - imported.count
        guard local < functionTypeIndices.count, functionTypeIndices[local] < types.count else { return nil }
        return types[functionTypeIndices[local]]
    }

    /// The type of the exported function `name`, or nil when there is none.
    func exportedFunctionType(_ name: String) -> FunctionType? {
        exports.first { $0.name == name && $0.kind == 0 }.flatMap { functionType(at: $0.index) }
    }

    private mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Failure.truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func unsigned() throws -> Int {
        var result = 0
        var shift = 0
        while true {
            let next = try byte()
            result |= Int(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
            guard shift < 35 else { throw Failure.truncated }
        }
    }

    private mutating func vector<T>(_ element: (inout WasmModuleReader) throws -> T) throws -> [T] {
        let count = try unsigned()
        var elements: [T] = []
        for _ in 0..<count { elements.append(try element(&self)) }
        return elements
    }

    private mutating func name() throws -> String {
        let length = try unsigned()
        guard offset + length <= bytes.count else { throw Failure.truncated }
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    private mutating func valueType() throws -> ValueType {
        let code = try byte()
        guard let type = ValueType(rawValue: code) else { throw Failure.badType(code) }
        return type
    }

    private mutating func functionType() throws -> FunctionType {
        let form = try byte()
        guard form == 0x60 else { throw Failure.badType(form) }
        return FunctionType(parameters: try vector { try $0.valueType() }, results: try vector { try $0.valueType() })
    }

    private mutating func limits() throws -> Limits {
        let flags = try byte()
        let minimum = try unsigned()
        return Limits(minimum: minimum, maximum: flags & 1 == 1 ? try unsigned() : nil)
    }

    private mutating func importEntry() throws -> Import {
        let module = try name()
        let field = try name()
        let kind = try byte()
        switch kind {
        case 0:
            let index = try unsigned()
            return Import(module: module, name: field, kind: kind, type: index < types.count ? types[index] : nil)
        case 1:
            _ = try byte()
            _ = try limits()
        case 2:
            _ = try limits()
        case 3:
            _ = try byte()
            _ = try byte()
        default:
            throw Failure.badKind(kind)
        }
        return Import(module: module, name: field, kind: kind, type: nil)
    }
}
