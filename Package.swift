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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // OpenSSL libcrypto 3.0 (SM2, SM3, SM4, PEM, X.509) as a system library.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // SQLite 3, the embedded default store.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

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
            dependencies: ["CivicCrypto", "CivicCodec", "CivicLedger"],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "CivicTesting",
            dependencies: ["CivicCrypto", "CivicCodec", "CivicLedger", "CivicConsensus"],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "CivicCryptoTests", dependencies: ["CivicCrypto"], resources: [.copy("Vectors")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "CivicCodecTests", dependencies: ["CivicCodec"], swiftSettings: swiftSettings),
        .testTarget(name: "CivicLedgerTests", dependencies: ["CivicLedger"], swiftSettings: swiftSettings),
        .testTarget(name: "CivicConsensusTests", dependencies: ["CivicConsensus", "CivicTesting"], swiftSettings: swiftSettings),
    ]
)
