@testable import CivicCLI
import CivicClient
import NIOCore
import Foundation
import Testing

/// Runs the real `civic` executable (and `openssl`) as child processes.
enum CivicProcess {
    /// The `civic` binary: `CIVIC_BINARY`, or the one beside the test bundle.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["CIVIC_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle.appendingPathComponent("civic").path,
                          bundle.deletingLastPathComponent().appendingPathComponent("civic").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// The outcome of a finished process.
    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `executable` with `arguments` in `directory` and waits for it.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs `civic` and expects exit status `expected`.
    @discardableResult
    static func civic(_ arguments: [String], in directory: String, expect expected: Int32 = 0,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(binary, arguments, in: directory)
        #expect(result.status == expected, "civic \(arguments.joined(separator: " ")) -> \(result.status)\n\(result.output)",
                sourceLocation: sourceLocation)
        return result.output
    }

    /// Runs `openssl` and expects success.
    @discardableResult
    static func openssl(_ arguments: [String], in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run("/usr/bin/openssl", arguments, in: directory)
        #expect(result.status == 0, "openssl \(arguments.joined(separator: " ")) failed:\n\(result.output)", sourceLocation: sourceLocation)
        return result.output
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("civic-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A `civic node start` process on a free loopback port.
final class NodeProcess {
    let directory: String
    let port: Int
    /// More `civic node start` options (for example `--tsa-cert`).
    let extraArguments: [String]
    private(set) var process: Process?

    var url: String { "http://127.0.0.1:\(port)" }

    init(directory: String, port: Int, extraArguments: [String] = []) {
        self.directory = directory
        self.port = port
        self.extraArguments = extraArguments
    }

    /// Starts the node and waits until `/health` answers.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CivicProcess.binary)
        process.arguments = ["node", "start", "--genesis", "genesis.json", "--key", "validator.pem", "--data", "data",
                             "--listen", "127.0.0.1:\(port)", "--log-level", "warning"] + extraArguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let log = FileHandle(forWritingAtPath: directory + "/node.log") ?? {
            FileManager.default.createFile(atPath: directory + "/node.log", contents: nil)
            return FileHandle(forWritingAtPath: directory + "/node.log")!
        }()
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        for _ in 0..<200 {
            if await healthy() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the node did not start; log:\n\((try? String(contentsOfFile: directory + "/node.log", encoding: .utf8)) ?? "")")
        throw CancellationError()
    }

    /// Whether `/health` answers 200.
    func healthy() async -> Bool {
        guard let (status, _) = try? await NodeClient(baseURL: url, timeout: .seconds(1)).raw("/health") else { return false }
        return status == 200
    }

    /// Kills the node with SIGKILL (no chance to clean up) and waits for it.
    func kill9() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the node with SIGTERM and waits for it.
    func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    deinit { kill9() }
}

/// A port the kernel just handed out for 127.0.0.1.
func freePort() throws -> Int { try LocalProcess.freePort() }
