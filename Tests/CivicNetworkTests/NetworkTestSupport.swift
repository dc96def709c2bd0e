import CivicCrypto
import CivicLedger
import CivicNetwork
import Foundation

/// PKI fixtures and an `openssl` runner shared by the network tests.
enum NetworkTestSupport {
    /// A validity window around now: from one day ago for `days` days.
    static func currentWindow(days: UInt64 = 30) -> ValidityWindow {
        ValidityWindow(starting: Timestamp(milliseconds: nowMilliseconds() - 86_400_000), days: days)
    }

    /// The wall clock in milliseconds since the epoch (test code only).
    static func nowMilliseconds() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1000)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-network-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The result of one `openssl` run.
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `openssl` with `arguments` in `directory`.
    static func openssl(_ arguments: [String], in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                   error: String(decoding: errData, as: UTF8.self))
    }
}
