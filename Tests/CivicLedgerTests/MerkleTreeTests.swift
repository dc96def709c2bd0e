import CivicTesting
import CivicCrypto
import Testing
@testable import CivicLedger

/// RFC 6962 Merkle tree roots: published vectors and an independent recursive reference.
@Suite struct MerkleTreeTests {
    /// The eight leaves of the certificate-transparency reference test set.
    ///
    /// Source: transparency-dev/merkle, `testonly/constants.go` (`LeafInputs`, `NodeHashes`, `RootHashes`),
    /// Copyright 2019 Google LLC, Apache License 2.0; the same vectors as google/certificate-transparency.
    static let referenceLeaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(TestSupport.hex)

    /// SHA-256 roots of the first `n` reference leaves, `n` = 0...8 (same source).
    static let referenceRoots: [String] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    /// SHA-256 node hashes of the complete subtrees of the 8-leaf tree, per level (same source).
    static let referenceNodes: [[String]] = [
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ],
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
        [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
    ]

    /// RFC 6962 §2.1 written as its recursive definition, independently of the level-by-level code.
    static func referenceRoot(_ leaves: ArraySlice<[UInt8]>, suite: CryptoSuite) -> Hash256 {
        switch leaves.count {
        case 0: return suite.hash([UInt8]())
        case 1: return suite.hash(parts: [[0x00], leaves.first!])
        default:
            var split = 1
            while split * 2 < leaves.count { split *= 2 }
            let left = referenceRoot(leaves.prefix(split), suite: suite)
            let right = referenceRoot(leaves.dropFirst(split), suite: suite)
            return suite.hash(parts: [[0x01], left.bytes, right.bytes])
        }
    }

    @Test(arguments: 0...8) func sha256RootsMatchReferenceVectors(size: Int) {
        let leaves = Array(Self.referenceLeaves.prefix(size))
        let expected = Hash256(bytes: TestSupport.hex(Self.referenceRoots[size]))
        #expect(MerkleTree.root(leaves: leaves, suite: .intl) == expected)
        #expect(MerkleTree.Levels(leaves: leaves, suite: .intl).root == expected)
    }

    @Test func sha256LevelsMatchReferenceNodeHashes() {
        let levels = MerkleTree.Levels(leaves: Self.referenceLeaves, suite: .intl).levels
        #expect(levels.map { $0.map(\.hex) } == Self.referenceNodes)
    }

    @Test func auditPathsOfEightLeavesAreTheReferenceSiblings() {
        let levels = MerkleTree.Levels(leaves: Self.referenceLeaves, suite: .intl)
        for index in 0..<8 {
            let expected = (0..<3).map { level in Self.referenceNodes[level][(index >> level) ^ 1] }
            #expect(levels.auditPath(index: UInt64(index)).path.map(\.hex) == expected, "leaf \(index)")
        }
    }

    @Test(arguments: CryptoSuite.allCases) func rootMatchesRecursiveDefinitionForSizesUpTo70(suite: CryptoSuite) {
        for seed in TestSupport.seeds {
            var random = SeededGenerator(seed: seed)
            let leaves = (0..<70).map { _ in random.bytes(lengths: 0...40) }
            for size in 0...70 {
                let prefix = Array(leaves.prefix(size))
                let expected = Self.referenceRoot(prefix[...], suite: suite)
                #expect(MerkleTree.root(leaves: prefix, suite: suite) == expected, "seed \(seed), size \(size)")
                let leafHashes = prefix.map { MerkleTree.leafHash($0, suite: suite) }
                #expect(MerkleTree.root(leafHashes: leafHashes, suite: suite) == expected, "seed \(seed)")
            }
        }
    }

    @Test func suitesGiveDifferentRoots() {
        #expect(MerkleTree.root(leaves: Self.referenceLeaves, suite: .sm)
            != MerkleTree.root(leaves: Self.referenceLeaves, suite: .intl))
        #expect(MerkleTree.emptyRoot(suite: .sm) == CryptoSuite.sm.hash([UInt8]()))
    }

    @Test func leafAndNodeHashesAreDomainSeparated() {
        let left = MerkleTree.leafHash([1], suite: .intl)
        let right = MerkleTree.leafHash([2], suite: .intl)
        let node = MerkleTree.nodeHash(left: left, right: right, suite: .intl)
        #expect(node == CryptoSuite.intl.hash(parts: [[0x01], left.bytes, right.bytes]))
        #expect(MerkleTree.leafHash(left.bytes + right.bytes, suite: .intl) != node)
    }
}
