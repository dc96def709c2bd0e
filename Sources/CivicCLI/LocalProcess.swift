import CivicClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for commands that start `civic` processes on this machine (bench, and later devnet).
enum LocalProcess {
    /// The path of the running `civic` executable.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw CLIError(description: "Cannot open a socket to find a free port.") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw CLIError(description: "Cannot bind a socket to find a free port.") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `civic` with `arguments`, its output appended to `logPath`.
    /// Starts `executable` (this program by default) with `arguments`, its output going to `logPath`.
    static func start(_ arguments: [String], logPath: String, append: Bool = false,
                      executable: String = LocalProcess.executablePath) throws -> Process {
        if !append || !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw CLIError(description: "Cannot write \(logPath).") }
        if append { log.seekToEndOfFile() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch { throw CLIError(description: "Cannot start \(executable): \(error.localizedDescription)") }
        return process
    }

    /// Stops `process` with SIGTERM (then SIGKILL after `grace`) and waits for it.
    static func stop(_ process: Process, grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now.advanced(by: grace)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Whether nothing listens on loopback `port`.
    static func isFree(_ port: Int) -> Bool {
        guard (1...65_535).contains(port) else { return false }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Whether process `pid` runs a `civic` program (a recycled pid of another program does not count).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0,
              let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let zombie = status.split(separator: " ").dropFirst(2).first == "Z"
        return !zombie && command.contains("civic")
    }

    /// Sends SIGTERM to `pid`, waits up to `grace`, then SIGKILL. Returns whether it was running.
    static func stop(pid: Int32, grace: Duration = .seconds(10)) async -> Bool {
        guard isAlive(pid) else { return false }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now.advanced(by: grace)
        while isAlive(pid) && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if isAlive(pid) { kill(pid, SIGKILL) }
        return true
    }

    /// Polls `url`/health until it answers 200 or `seconds` pass.
    static func waitForHealth(_ url: String, seconds: Int) async -> Bool {
        let client = NodeClient(baseURL: url)
        let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
        while ContinuousClock.now < deadline {
            if let (status, _) = try? await client.raw("/health"), status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Returns when the process receives SIGINT or SIGTERM.
    static func waitForTerminationSignal() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        for await _ in stream { return }
    }
}
