@testable import CivicCLI
import Foundation
import Testing

/// How `civic contract build` finds swiftc, clang and wasm-ld, and the manifest rules.
@Suite struct ContractToolchainTests {
    @Test func findsClangAndWasmLinkerBesideALinkedSwiftc() throws {
        let real = try #require(ContractToolchain.search(executable: "swiftc",
                                                        path: ProcessInfo.processInfo.environment["PATH"] ?? ""))
        let directory = try CivicProcess.temporaryDirectory("toolchain")
        try FileManager.default.createSymbolicLink(atPath: directory + "/swiftc", withDestinationPath: real)
        let toolchain = try ContractToolchain.locate(environment: ["SWIFTC": directory + "/swiftc", "PATH": ""])
        #expect(toolchain.swiftc == directory + "/swiftc")
        #expect(FileManager.default.isExecutableFile(atPath: toolchain.clang))
        #expect(toolchain.wasmLinker.hasSuffix("/wasm-ld"))
    }

    @Test func missingSwiftcIsAnError() {
        #expect(throws: CLIError.self) { try ContractToolchain.locate(environment: ["PATH": "/nonexistent"]) }
    }

    @Test(arguments: [("token", true), ("c_counter2", true), ("Token", false), ("2fa", false), ("a-b", false),
                      ("", false), (String(repeating: "a", count: 65), false)])
    func contractNames(name: String, valid: Bool) {
        #expect(ContractManifest.isValidName(name) == valid)
    }

    @Test func manifestRoundTrips() throws {
        let manifest = ContractManifest(name: "token", abi: 1, language: .swift, sources: ["Contract.swift"])
        let directory = try CivicProcess.temporaryDirectory("manifest")
        try CLI.write(try manifest.encoded(), to: directory + "/" + ContractManifest.fileName)
        #expect(try ContractManifest.load(directory: directory) == manifest)
    }
}
