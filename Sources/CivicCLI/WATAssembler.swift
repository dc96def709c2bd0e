import Foundation
import WAT

/// A WebAssembly text file that does not assemble: where (as the WAT parser reports it) and why.
struct WATSyntaxError: Error, CustomStringConvertible {
    /// The `.wat` file.
    var path: String
    /// 1-based line, or nil when the parser gave no location.
    var line: Int?
    /// 1-based column, or nil when the parser gave no location.
    var column: Int?
    /// The parser's message, without its location.
    var message: String

    /// `path:line:column: WAT syntax error: message`, the form compilers use and editors jump to.
    var description: String {
        guard let line, let column else { return "\(path): WAT syntax error: \(message)" }
        return "\(path):\(line):\(column): WAT syntax error: \(message)"
    }
}

/// Assembles contracts written in the WebAssembly text format with WasmKit's `WAT` library (the same
/// WasmKit release the runtime runs, Docs/0012), so no external `wat2wasm` is needed.
enum WATAssembler {
    /// The file extension of a WAT contract.
    static let fileExtension = "wat"

    /// Whether `path` names an existing `.wat` file (rather than a package directory).
    static func isSourceFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return (path as NSString).pathExtension == fileExtension
            && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Assembles `text` (read from `path`, which names it in errors) to a binary module. Only MVP plus the
    /// features WasmKit always enables are accepted, as the runtime does: reference types, SIMD, threads,
    /// tail calls and the like fail here rather than at deployment.
    /// - Throws: ``WATSyntaxError`` with the parser's line and column.
    static func assemble(_ text: String, path: String) throws(WATSyntaxError) -> [UInt8] {
        do {
            return try wat2wasm(text, features: [])
        } catch {
            throw syntaxError(error, path: path)
        }
    }

    /// Reads the `.wat` file at `source`, assembles it and writes the module to `output`.
    /// - Throws: ``CLIError`` when a file cannot be read or written, or the text does not assemble.
    static func build(source: String, output: String) throws -> [UInt8] {
        let module: [UInt8]
        do { module = try assemble(try CLI.readText(source), path: source) } catch let error as WATSyntaxError {
            throw CLIError(description: error.description)
        }
        try CLI.write(module, to: output)
        return module
    }

    /// The parser's error with a 1-based line and column. WasmKit 0.4.2's `computeLineAndColumn()` counts
    /// columns from 0 on the first line and from 1 on the others; this evens them out.
    static func syntaxError(_ error: WatParserError, path: String) -> WATSyntaxError {
        guard let location = error.location else {
            return WATSyntaxError(path: path, line: nil, column: nil, message: error.description)
        }
        let (line, column) = location.computeLineAndColumn()
        // The message itself is package-internal: take the description and drop its " at Location(...)" tail.
        var message = error.description
        let suffix = " at \(String(describing: location))"
        if message.hasSuffix(suffix) { message.removeLast(suffix.count) }
        return WATSyntaxError(path: path, line: line, column: line == 1 ? column + 1 : column, message: message)
    }
}
