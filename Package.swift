// swift-tools-version: 6.2
import PackageDescription

/// Language settings shared by every target (the same set Hummingbird uses).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "CivicLedger",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CivicCrypto", targets: ["CivicCrypto"]),
        .library(name: "CivicCodec", targets: ["CivicCodec"]),
        .library(name: "CivicLedger", targets: ["CivicLedger"]),
        .library(name: "CivicClient", targets: ["CivicClient"]),
        .library(name: "CivicTesting", targets: ["CivicTesting"]),
        .executable(name: "civic", targets: ["civic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The WebAssembly runtime of deployed contracts (Docs/0012); pinned: fuel and validation are consensus rules.
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
    ],
    targets: [
        // OpenSSL libcrypto 3.0 (SM2, SM3, SM4, PEM, X.509) as a system library.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // SQLite 3, the embedded default store.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libpq, for the exchange gateway's PostgreSQL adapter (Docs/0016).
        .systemLibrary(name: "CPostgreSQL", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        .target(
            name: "CivicCrypto",
            dependencies: ["COpenSSL", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "CivicCodec", swiftSettings: swiftSettings),
        .target(
            name: "CivicLedger",
            dependencies: ["CivicCrypto", "CivicCodec", "CSQLite"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicConsensus",
            dependencies: ["CivicCrypto", "CivicCodec", "CivicLedger"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicContracts",
            dependencies: [
                "CivicCrypto", "CivicCodec", "CivicLedger",
                .product(name: "WasmKit", package: "WasmKit"), .product(name: "WasmParser", package: "WasmKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicApps",
            dependencies: ["CivicCrypto", "CivicCodec", "CivicLedger", "CivicContracts"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicNetwork",
            dependencies: [
                "COpenSSL", "CivicCrypto", "CivicCodec", "CivicLedger",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "CivicFormats",
            dependencies: ["CivicCrypto", "CivicCodec", "CivicLedger", "CivicContracts", "CivicApps"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicNode",
            dependencies: [
                "CivicCrypto", "CivicCodec", "CivicLedger", "CivicConsensus", "CivicContracts", "CivicApps", "CivicFormats",
                "CivicNetwork",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicAPI",
            dependencies: [
                "CivicNode", "CivicFormats", "CivicLedger", "CivicContracts", "CivicApps", "CivicCrypto", "CivicCodec",
                "CivicNetwork", "CivicClient", "CSQLite", "CPostgreSQL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/console")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicClient",
            dependencies: [
                "CivicFormats", "CivicLedger", "CivicContracts", "CivicApps", "CivicCrypto", "CivicCodec",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CivicCLI",
            dependencies: [
                "CivicClient", "CivicAPI", "CivicNode", "CivicNetwork", "CivicFormats", "CivicLedger", "CivicContracts",
                "CivicApps", "CivicCrypto", "CivicCodec", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "WAT", package: "WasmKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "civic",
            dependencies: ["CivicCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: swiftSettings),
        .target(
            name: "CivicTesting",
            dependencies: ["CivicCrypto", "CivicCodec", "CivicLedger", "CivicConsensus", "CivicContracts"],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "CivicCryptoTests", dependencies: ["CivicCrypto"], resources: [.copy("Vectors")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "CivicCodecTests", dependencies: ["CivicCodec", "CivicTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "CivicLedgerTests", dependencies: ["CivicLedger", "CivicTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CivicContractsTests",
            dependencies: ["CivicContracts", "CivicTesting", .product(name: "WAT", package: "WasmKit")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicAppsTests",
            dependencies: ["CivicApps", "CivicContracts", "CivicLedger", "CivicCrypto", "CivicCodec", "CivicTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicNodeTests",
            dependencies: ["CivicNode", "CivicAPI", "CivicClient", "CivicFormats", "CivicNetwork", "CivicConsensus", "CivicContracts",
                           "CivicTesting", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "WAT", package: "WasmKit")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicAPITests",
            dependencies: ["CivicAPI", "CivicNode", "CivicClient", "CivicApps", "CivicFormats", "CivicContracts", "CivicLedger",
                           "CivicCrypto", "CivicCodec", "CSQLite",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        // ConsoleJS holds Node.js drivers for the console's JavaScript; the tests find them by #filePath.
        .testTarget(
            name: "CivicCLITests",
            dependencies: ["CivicCLI", "CivicClient", "CivicNetwork", "CivicTesting",
                           // The console's browser tests talk WebDriver to chromedriver with it.
                           .product(name: "AsyncHTTPClient", package: "async-http-client")],
            exclude: ["ConsoleJS"], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicNetworkTests",
            dependencies: [
                "CivicNetwork", "CivicCrypto", "CivicCodec", "CivicLedger",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicConsensusTests", dependencies: ["CivicConsensus", "CivicTesting"], exclude: ["testdata"],
            swiftSettings: swiftSettings
        ),
    ]
)
