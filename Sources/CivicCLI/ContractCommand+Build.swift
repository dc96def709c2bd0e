import Foundation

/// The compilers `civic contract build` runs: `swiftc` from `SWIFTC` or `PATH`, and the `clang` and
/// `wasm-ld` of the same toolchain (beside the real `swiftc`, symbolic links resolved).
struct ContractToolchain {
    var swiftc: String
    var clang: String
    var wasmLinker: String

    /// The Wasm features Docs/0012 allows (WasmKit 0.4.2's set); clang 21's default CPU would add
    /// reference types and non-trapping float conversions.
    static let features = ["-mcpu=mvp", "-msign-ext", "-mmutable-globals", "-mmultivalue"]

    /// The Embedded Swift flags for wasm32 (see ContractSDK/README.md).
    static var swiftFlags: [String] {
        ["-target", "wasm32-unknown-none-wasm", "-enable-experimental-feature", "Embedded",
         "-enable-experimental-feature", "Extern", "-wmo", "-Osize", "-parse-as-library",
         "-Xfrontend", "-disable-stack-protector"] + features.flatMap { ["-Xcc", $0] }
    }

    /// Finds the toolchain.
    /// - Throws: ``CLIError`` when `swiftc`, `clang` or `wasm-ld` is missing.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ContractToolchain {
        let swiftc: String
        if let configured = environment["SWIFTC"], !configured.isEmpty {
            swiftc = configured
        } else if let found = search(executable: "swiftc", path: environment["PATH"] ?? "") {
            swiftc = found
        } else {
            throw CLIError(description: "swiftc not found: put the Swift toolchain on PATH or set SWIFTC.")
        }
        // clang and wasm-ld sit beside the real swiftc (a PATH entry may be a link into the toolchain).
        let directories = [URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().deletingLastPathComponent().path,
                           (swiftc as NSString).deletingLastPathComponent]
        func beside(_ tool: String) throws -> String {
            for directory in directories {
                let candidate = (directory as NSString).appendingPathComponent(tool)
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            throw CLIError(description: "\(tool) not found beside \(swiftc): its toolchain cannot build contracts.")
        }
        let toolchain = ContractToolchain(swiftc: swiftc, clang: try beside("clang"), wasmLinker: try beside("wasm-ld"))
        return toolchain
    }

    static func search(executable: String, path: String) -> String? {
        for directory in path.split(separator: ":") {
            let candidate = (String(directory) as NSString).appendingPathComponent(executable)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments`; its output becomes the error when it fails.
    func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { throw CLIError(description: "Cannot run \(tool): \(error)") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let name = (tool as NSString).lastPathComponent
            throw CLIError(description: "\(name) failed (status \(process.terminationStatus)):\n"
                           + String(decoding: output, as: UTF8.self))
        }
    }
}

/// Compiles one contract package with the recipe of ContractSDK/README.md.
struct ContractBuilder {
    var toolchain: ContractToolchain
    var packageDirectory: String
    var manifest: ContractManifest

    /// The directory that holds the ContractSDK: `explicit`, `CIVIC_CONTRACT_SDK`, or the first
    /// `ContractSDK` found in the package's, the current and the executable's directories or above.
    static func sdkDirectory(explicit: String?, packageDirectory: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        func isSDK(_ path: String) -> Bool {
            FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("Sources/CivicContract/Host.swift"))
        }
        if let given = explicit ?? environment["CIVIC_CONTRACT_SDK"] {
            guard isSDK(given) else { throw CLIError(description: "\(given) is not a ContractSDK directory.") }
            return given
        }
        let current = FileManager.default.currentDirectoryPath
        let starts = [absolute(packageDirectory, in: current), current,
                      (LocalProcess.executablePath as NSString).deletingLastPathComponent]
        for start in starts {
            var directory = start
            while true {
                if (directory as NSString).lastPathComponent == "ContractSDK", isSDK(directory) { return directory }
                let candidate = (directory as NSString).appendingPathComponent("ContractSDK")
                if isSDK(candidate) { return candidate }
                let parent = (directory as NSString).deletingLastPathComponent
                if parent == directory || parent.isEmpty { break }
                directory = parent
            }
        }
        throw CLIError(description: "ContractSDK not found: pass --sdk or set CIVIC_CONTRACT_SDK.")
    }

    static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : ((directory as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    /// Builds the module to `output` and returns its bytes.
    /// - Throws: ``CLIError`` when a source is missing or a compiler fails.
    func build(sdkDirectory explicitSDK: String?, output: String) throws -> [UInt8] {
        let sources = manifest.sources.map { (packageDirectory as NSString).appendingPathComponent($0) }
        for source in sources where !FileManager.default.fileExists(atPath: source) {
            throw CLIError(description: "\(source) is listed in \(ContractManifest.fileName) but does not exist.")
        }
        switch manifest.language {
        case .swift:
            let work = (packageDirectory as NSString).appendingPathComponent(".build/contract")
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let sdk = try Self.sdkDirectory(explicit: explicitSDK, packageDirectory: packageDirectory)
            try buildSwift(sources: sources, sdk: sdk, work: work, output: output)
        case .c:
            let sdk = try Self.sdkDirectory(explicit: explicitSDK, packageDirectory: packageDirectory)
            try toolchain.run(toolchain.clang, ["--target=wasm32-unknown-none-wasm", "-Os", "-ffreestanding", "-nostdlib",
                                                "-I", (sdk as NSString).appendingPathComponent("c")]
                              + ContractToolchain.features
                              + ["-Wl,--no-entry", "-Wl,--gc-sections", "-Wl,--strip-all", "-o", output] + sources)
        case .wat:
            return try Self.buildWAT(packageDirectory: packageDirectory, manifest: manifest, output: output)
        }
        return try CLI.readBytes(output)
    }

    /// Assembles a WAT package (no toolchain needed): its one `.wat` source becomes `output`.
    /// - Throws: ``CLIError`` when the package does not list exactly one `.wat` source, or it does not assemble
    ///   (the message carries the line and column).
    static func buildWAT(packageDirectory: String, manifest: ContractManifest, output: String) throws -> [UInt8] {
        guard manifest.sources.count == 1, let source = manifest.sources.first,
              (source as NSString).pathExtension == WATAssembler.fileExtension else {
            throw CLIError(description: "A WAT package lists exactly one .wat source (a module is one file); "
                           + "\(ContractManifest.fileName) lists \(manifest.sources).")
        }
        let path = (packageDirectory as NSString).appendingPathComponent(source)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(description: "\(path) is listed in \(ContractManifest.fileName) but does not exist.")
        }
        return try WATAssembler.build(source: path, output: output)
    }

    func buildSwift(sources: [String], sdk: String, work: String, output: String) throws {
        func inWork(_ name: String) -> String { (work as NSString).appendingPathComponent(name) }
        let sdkSources = try FileManager.default.contentsOfDirectory(atPath: (sdk as NSString).appendingPathComponent("Sources/CivicContract"))
            .filter { $0.hasSuffix(".swift") }.sorted()
            .map { ((sdk as NSString).appendingPathComponent("Sources/CivicContract") as NSString).appendingPathComponent($0) }
        try toolchain.run(toolchain.clang, ["--target=wasm32-unknown-none-wasm", "-Os", "-ffreestanding", "-fno-builtin",
                                            "-nostdlib"] + ContractToolchain.features
                          + ["-c", (sdk as NSString).appendingPathComponent("Support/civic_support.c"),
                             "-o", inWork("civic_support.o")])
        try toolchain.run(toolchain.swiftc, ContractToolchain.swiftFlags
                          + ["-module-name", "CivicContract", "-emit-module", "-emit-module-path",
                             inWork("CivicContract.swiftmodule"), "-c", "-o", inWork("CivicContract.o")] + sdkSources)
        try toolchain.run(toolchain.swiftc, ContractToolchain.swiftFlags
                          + ["-I", work, "-module-name", manifest.name, "-c", "-o", inWork("\(manifest.name).o")] + sources)
        try toolchain.run(toolchain.wasmLinker, ["--no-entry", "--gc-sections", "--strip-all", inWork("\(manifest.name).o"),
                                                 inWork("CivicContract.o"), inWork("civic_support.o"), "-o", output])
    }
}
