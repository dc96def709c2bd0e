import CivicTesting
import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// RFC 9162 inclusion proofs: they verify for every leaf and fail for any tampering.
@Suite struct MerkleProofTests {
    /// Checks every proof of a random tree of `size` leaves, and that tampering with any part fails.
    static func checkTree(size: Int, suite: CryptoSuite, random: inout SeededGenerator, tamper: Bool) {
        let context = "seed \(random.seed), size \(size), suite \(suite)"
        // Distinct leaves (the index leads), so that swapping two equal siblings cannot verify by symmetry.
        let leaves = (0..<size).map { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)]
            + random.bytes(lengths: 0...22) }
        let levels = MerkleTree.Levels(leaves: leaves, suite: suite)
        let root = levels.root
        let treeSize = UInt64(size)
        #expect(root == MerkleTree.root(leaves: leaves, suite: suite), "\(context)")
        for (index, proof) in levels.allAuditPaths().enumerated() {
            let leaf = leaves[index]
            #expect(proof.leafIndex == UInt64(index))
            #expect(proof.verify(leaf: leaf, treeSize: treeSize, root: root, suite: suite), "\(context), \(index)")
            guard tamper else { continue }
            let leafBit = Int.random(in: 0..<(leaf.count * 8), using: &random)
            #expect(!proof.verify(leaf: TestSupport.flipping(leaf, bit: leafBit), treeSize: treeSize, root: root,
                                  suite: suite), "\(context), leaf \(index)")
            let rootBit = Int.random(in: 0..<256, using: &random)
            #expect(!proof.verify(leaf: leaf, treeSize: treeSize, root: TestSupport.flipping(root, bit: rootBit),
                                  suite: suite), "\(context), root \(index)")
            for position in proof.path.indices {
                var tampered = proof
                tampered.path[position] = TestSupport.flipping(proof.path[position], bit: Int.random(
                    in: 0..<256, using: &random))
                #expect(!tampered.verify(leaf: leaf, treeSize: treeSize, root: root, suite: suite),
                        "\(context), path \(position) of \(index)")
            }
            // The leaves are distinct, so the same path under any other index must fail: neighbours, the ends,
            // one past the end, a flipped low bit and a flipped random bit of the 64-bit index.
            let flippedLow = UInt64(index) ^ (1 << UInt64.random(in: 0..<4, using: &random))
            let flippedAny = UInt64(index) ^ (1 << UInt64.random(in: 0..<64, using: &random))
            for otherIndex in [0, UInt64(index) &- 1, UInt64(index) + 1, treeSize - 1, treeSize, flippedLow, flippedAny]
            where otherIndex != UInt64(index) {
                let moved = MerkleProof(leafIndex: otherIndex, path: proof.path)
                #expect(!moved.verify(leaf: leaf, treeSize: treeSize, root: root, suite: suite),
                        "\(context), index \(index) -> \(otherIndex)")
            }
            // RFC 9162 binds the tree size only through the sides on which siblings are met, so a different size
            // must fail exactly when it changes those sides along this leaf's path.
            let sides = Self.siblingSides(index: index, size: size)
            for wrongSize in [size + 1, size * 2, size - 1, 0, Int.random(in: 0..<(2 * size), using: &random)]
            where wrongSize != size {
                let expected = wrongSize > index && Self.siblingSides(index: index, size: wrongSize) == sides
                #expect(proof.verify(leaf: leaf, treeSize: UInt64(wrongSize), root: root, suite: suite) == expected,
                        "\(context), treeSize \(wrongSize) for \(index)")
            }
            var extended = proof
            extended.path.append(root)
            #expect(!extended.verify(leaf: leaf, treeSize: treeSize, root: root, suite: suite), "\(context)")
            if !proof.path.isEmpty {
                var shortened = proof
                shortened.path.removeLast()
                #expect(!shortened.verify(leaf: leaf, treeSize: treeSize, root: root, suite: suite), "\(context)")
            }
        }
    }

    /// For each sibling on the audit path of leaf `index` in a tree of `size` leaves, from the leaf up:
    /// whether that sibling is on the left. An independent model of the tree shape RFC 9162 verification walks.
    static func siblingSides(index: Int, size: Int) -> [Bool] {
        var sides: [Bool] = []
        var (position, count) = (index, size)
        while count > 1 {
            if position ^ 1 < count { sides.append(position & 1 == 1) }
            position >>= 1
            count = (count + 1) / 2
        }
        return sides
    }

    @Test(arguments: CryptoSuite.allCases) func everyProofOfSmallTreesVerifiesAndResistsTampering(suite: CryptoSuite) {
        for seed in TestSupport.seeds {
            var random = SeededGenerator(seed: seed)
            for size in 1...70 { Self.checkTree(size: size, suite: suite, random: &random, tamper: true) }
        }
    }

    @Test(arguments: CryptoSuite.allCases, [255, 256, 257, 1000, 1025, 4097])
    func everyProofOfLargeTreesVerifies(suite: CryptoSuite, size: Int) {
        var random = SeededGenerator(seed: UInt64(size))
        Self.checkTree(size: size, suite: suite, random: &random, tamper: size < 300)
    }

    @Test func indexAtOrBeyondTreeSizeFails() {
        let leaves: [[UInt8]] = [[1], [2], [3]]
        let root = MerkleTree.root(leaves: leaves, suite: .intl)
        let proof = MerkleTree.auditPath(index: 2, leaves: leaves, suite: .intl)
        #expect(proof.verify(leaf: [3], treeSize: 3, root: root, suite: .intl))
        #expect(!MerkleProof(leafIndex: 3, path: proof.path).verify(leaf: [3], treeSize: 3, root: root, suite: .intl))
        #expect(!proof.verify(leaf: [3], treeSize: 2, root: root, suite: .intl))
        #expect(!MerkleProof(leafIndex: .max, path: proof.path).verify(leaf: [3], treeSize: .max, root: root,
                                                                       suite: .intl))
    }

    /// RFC 9162 verification binds the tree size only through the shape of the path: the last leaf of 5 fails
    /// under any other size here, while leaf 0 of 8 also verifies as leaf 0 of 5, 6 or 7 (its siblings sit on
    /// the same sides). This is why the size must come from a trusted header and never from the proof.
    @Test func treeSizeIsBoundThroughThePathShape() {
        let leaves = MerkleTreeTests.referenceLeaves
        let fiveRoot = MerkleTree.root(leaves: Array(leaves.prefix(5)), suite: .intl)
        let lastOfFive = MerkleTree.auditPath(index: 4, leaves: Array(leaves.prefix(5)), suite: .intl)
        #expect(lastOfFive.verify(leaf: leaves[4], treeSize: 5, root: fiveRoot, suite: .intl))
        for wrongSize: UInt64 in [4, 6, 7, 8, 9, 16] {
            #expect(!lastOfFive.verify(leaf: leaves[4], treeSize: wrongSize, root: fiveRoot, suite: .intl))
        }
        let eightRoot = MerkleTree.root(leaves: leaves, suite: .intl)
        let firstOfEight = MerkleTree.auditPath(index: 0, leaves: leaves, suite: .intl)
        for size: UInt64 in 1...9 {
            #expect(firstOfEight.verify(leaf: leaves[0], treeSize: size, root: eightRoot, suite: .intl)
                == (5...8).contains(size), "size \(size)")
        }
    }

    @Test func singleLeafTreeHasEmptyPath() {
        let proof = MerkleTree.auditPath(index: 0, leaves: [[9]], suite: .sm)
        #expect(proof.path.isEmpty)
        #expect(proof.verify(leaf: [9], treeSize: 1, root: MerkleTree.leafHash([9], suite: .sm), suite: .sm))
        #expect(!proof.verify(leaf: [9], treeSize: 2, root: MerkleTree.leafHash([9], suite: .sm), suite: .sm))
    }

    @Test func tenThousandLeavesGiveAllProofsInOnePass() {
        var random = SeededGenerator(seed: 10_000)
        let leaves = (0..<10_000).map { _ in random.bytes(count: 100) }
        let clock = ContinuousClock()
        var proofs: [MerkleProof] = []
        var root = Hash256.zero
        let elapsed = clock.measure {
            let levels = MerkleTree.Levels(leaves: leaves, suite: .intl)
            root = levels.root
            proofs = levels.allAuditPaths()
        }
        print("MerkleTree: root and 10,000 proofs in \(elapsed)")
        #expect(proofs.count == 10_000)
        #expect(proofs.allSatisfy { $0.path.count <= 14 })
        #expect(proofs.map(\.path.count).max() == 14)
        for index in 0..<10_000 {
            #expect(proofs[index].verify(leaf: leaves[index], treeSize: 10_000, root: root, suite: .intl))
        }
    }

    @Test func codecRoundTripsAndRefusesOverlongPaths() throws {
        var random = SeededGenerator(seed: 6962)
        let leaves = (0..<37).map { _ in random.bytes(count: 8) }
        for proof in MerkleTree.auditPaths(leaves: leaves, suite: .sm) {
            let bytes = proof.canonicalBytes
            #expect(bytes.count == 8 + 1 + 32 * proof.path.count)
            #expect(try MerkleProof(canonicalBytes: bytes) == proof)
        }
        let overlong = MerkleProof(leafIndex: 0, path: Array(repeating: .zero, count: Limits.merklePathMax + 1))
        #expect(throws: CodecError.self) { try MerkleProof(canonicalBytes: overlong.canonicalBytes) }
        let proof = MerkleTree.auditPath(index: 5, leaves: leaves, suite: .sm)
        #expect(throws: CodecError.self) { try MerkleProof(canonicalBytes: proof.canonicalBytes.dropLast()) }
        #expect(throws: CodecError.self) { try MerkleProof(canonicalBytes: proof.canonicalBytes + [0]) }
    }
}
