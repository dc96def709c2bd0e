import CivicTesting
import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// Inclusion and non-inclusion proofs of the state tree: they verify, resist tampering and encode canonically.
@Suite struct StateProofTests {
    /// A random tree of `count` keys `present-i` with the model it was built from.
    static func randomTree(count: Int, suite: CryptoSuite, random: inout SeededGenerator) -> (StateTree, StateModel) {
        let writes = (0..<count).map {
            StateWrite(key: Array("present-\($0)".utf8), value: random.bytes(lengths: 0...9))
        }
        var model = StateModel()
        model.apply(writes)
        return (StateTree(suite: suite).applying(writes), model)
    }

    @Test(arguments: CryptoSuite.allCases) func proofsVerifyAndResistTampering(suite: CryptoSuite) {
        for seed in TestSupport.seeds {
            var random = SeededGenerator(seed: seed)
            for size in [0, 1, 2, 3, 10, 150] {
                let (tree, model) = Self.randomTree(count: size, suite: suite, random: &random)
                let keys = model.entries.map(\.key) + (0..<40).map { Array("absent-\($0)".utf8) }
                for key in keys {
                    let value = model.value(forKey: key)
                    let context = "seed \(seed), size \(size), key \(String(decoding: key, as: UTF8.self))"
                    let proof = tree.proof(forKey: key)
                    #expect(proof.verify(key: key, value: value, root: tree.root, suite: suite), "\(context)")
                    Self.checkTampering(proof, key: key, value: value, tree: tree, random: &random, context: context)
                }
            }
        }
    }

    /// Every change to a valid proof, its key, its value or the root must make verification fail, except a key
    /// change that lands on another absent key with the very same proof.
    static func checkTampering(
        _ proof: StateProof, key: [UInt8], value: [UInt8]?, tree: StateTree, random: inout SeededGenerator,
        context: String
    ) {
        let (root, suite) = (tree.root, tree.suite)
        #expect(!proof.verify(key: key, value: value, root: TestSupport.flipping(root, bit: .random(in: 0..<256,
            using: &random)), suite: suite), "\(context): root")
        #expect(!proof.verify(key: key, value: value == nil ? [0] : nil, root: root, suite: suite), "\(context): claim")
        if let value {
            #expect(!proof.verify(key: key, value: value + [0], root: root, suite: suite), "\(context): value")
        }
        let flippedKey = TestSupport.flipping(key, bit: .random(in: 0..<(key.count * 8), using: &random))
        let flippedKeyProvable = value == nil && !tree.contains(key: flippedKey)
            && tree.proof(forKey: flippedKey) == proof
        #expect(proof.verify(key: flippedKey, value: value, root: root, suite: suite) == flippedKeyProvable,
                "\(context): key")
        for level in proof.siblings.indices {
            var tampered = proof
            tampered.siblings[level] = proof.siblings[level] == .zero
                ? Hash256(bytes: random.bytes(count: 32)) : TestSupport.flipping(proof.siblings[level], bit: .random(
                    in: 0..<256, using: &random))
            #expect(!tampered.verify(key: key, value: value, root: root, suite: suite), "\(context): sibling \(level)")
            tampered.siblings[level] = .zero
            if proof.siblings[level] != .zero {
                #expect(!tampered.verify(key: key, value: value, root: root, suite: suite), "\(context): emptied")
            }
        }
        var longer = proof
        longer.siblings.append(Hash256(bytes: random.bytes(count: 32)))
        #expect(!longer.verify(key: key, value: value, root: root, suite: suite), "\(context): longer")
        if !proof.siblings.isEmpty {
            var shorter = proof
            shorter.siblings.removeLast()
            #expect(!shorter.verify(key: key, value: value, root: root, suite: suite), "\(context): shorter")
        }
        var swapped = proof
        switch proof.terminal {
        case .empty:
            swapped.terminal = .leaf(keyPath: StateTree.keyPath(forKey: key, suite: suite), valueHash: .zero)
        case .leaf(let keyPath, let valueHash):
            swapped.terminal = .empty
            var flippedPath = proof
            flippedPath.terminal = .leaf(keyPath: TestSupport.flipping(keyPath, bit: .random(in: 0..<256,
                using: &random)), valueHash: valueHash)
            #expect(!flippedPath.verify(key: key, value: value, root: root, suite: suite), "\(context): leaf path")
            var flippedValue = proof
            flippedValue.terminal = .leaf(keyPath: keyPath, valueHash: TestSupport.flipping(valueHash, bit: .random(
                in: 0..<256, using: &random)))
            #expect(!flippedValue.verify(key: key, value: value, root: root, suite: suite), "\(context): leaf value")
        }
        #expect(!swapped.verify(key: key, value: value, root: root, suite: suite), "\(context): terminal")
    }

    @Test func proofsHaveTheExpectedTerminals() {
        let tree = StateTree(suite: .intl).applying([StateWrite(key: [1], value: [10])])
        #expect(tree.proof(forKey: [1]) == StateProof(siblings: [], terminal: .leaf(
            keyPath: StateTree.keyPath(forKey: [1], suite: .intl), valueHash: CryptoSuite.intl.hash([UInt8]([10])))))
        let absent = tree.proof(forKey: [2])
        #expect(absent.siblings.isEmpty)
        #expect(absent.verify(key: [2], value: nil, root: tree.root, suite: .intl))
        #expect(!absent.verify(key: [1], value: nil, root: tree.root, suite: .intl))
        #expect(StateTree(suite: .sm).proof(forKey: [1]) == StateProof(siblings: [], terminal: .empty))
        #expect(StateProof(siblings: [], terminal: .empty).verify(key: [1], value: nil, root: .zero, suite: .sm))
        // Padding a proof with empty siblings keeps the hash (node(zero, zero) = zero) but breaks the shape rule.
        let padded = StateProof(siblings: [.zero, .zero], terminal: .empty)
        #expect(!padded.verify(key: [1], value: nil, root: .zero, suite: .sm))
    }

    /// A root built by hand (not by a `StateTree`) that places a leaf on the wrong side: hashing alone would
    /// accept the non-inclusion proof, the prefix rule (step 2 of the verification rule) must refuse it.
    @Test(arguments: CryptoSuite.allCases) func nonInclusionLeafMustShareThePathPrefix(suite: CryptoSuite) {
        let key: [UInt8] = Array("forged".utf8)
        let path = StateTree.keyPath(forKey: key, suite: suite)
        // A leaf whose key path differs from the key's path in bit 0, placed on the key's side.
        let strangerPath = TestSupport.flipping(path, bit: 0)
        let strangerValue = suite.hash([UInt8]([1]))
        let strangerLeaf = suite.hash(parts: [[0x00], strangerPath.bytes, strangerValue.bytes])
        let sibling = suite.hash([UInt8]([2]))
        let root = path.bit(0)
            ? suite.hash(parts: [[0x01], sibling.bytes, strangerLeaf.bytes])
            : suite.hash(parts: [[0x01], strangerLeaf.bytes, sibling.bytes])
        let forged = StateProof(siblings: [sibling], terminal: .leaf(keyPath: strangerPath, valueHash: strangerValue))
        #expect(!forged.verify(key: key, value: nil, root: root, suite: suite))
        // The same shape with a leaf that does share bit 0 is accepted: the refusal above is the prefix rule's.
        let neighbourPath = TestSupport.flipping(path, bit: 255)
        let neighbourLeaf = suite.hash(parts: [[0x00], neighbourPath.bytes, strangerValue.bytes])
        let honestRoot = path.bit(0)
            ? suite.hash(parts: [[0x01], sibling.bytes, neighbourLeaf.bytes])
            : suite.hash(parts: [[0x01], neighbourLeaf.bytes, sibling.bytes])
        let honest = StateProof(siblings: [sibling], terminal: .leaf(keyPath: neighbourPath, valueHash: strangerValue))
        #expect(honest.verify(key: key, value: nil, root: honestRoot, suite: suite))
    }

    @Test(arguments: CryptoSuite.allCases) func codecRoundTripsEveryProof(suite: CryptoSuite) throws {
        var random = SeededGenerator(seed: 2026)
        let (tree, model) = Self.randomTree(count: 300, suite: suite, random: &random)
        for key in model.entries.map(\.key) + (0..<50).map({ Array("absent-\($0)".utf8) }) {
            let proof = tree.proof(forKey: key)
            let bytes = proof.canonicalBytes
            let decoded = try StateProof(canonicalBytes: bytes)
            #expect(decoded == proof)
            #expect(decoded.canonicalBytes == bytes)
            let present = proof.siblings.filter { $0 != .zero }.count
            let terminalBytes = proof.terminal == .empty ? 1 : 65
            #expect(bytes.count == 1 + (proof.siblings.count + 7) / 8 + 1 + 32 * present + terminalBytes)
        }
    }

    /// A proof of depth 9 (two bitmap bytes) with siblings at depths 0 and 8, and a leaf terminal.
    static let sampleProof = StateProof(
        siblings: [Hash256(bytes: Array(repeating: 0xaa, count: 32))] + Array(repeating: .zero, count: 7)
            + [Hash256(bytes: Array(repeating: 0xbb, count: 32))],
        terminal: .leaf(keyPath: Hash256(bytes: Array(repeating: 1, count: 32)),
                        valueHash: Hash256(bytes: Array(repeating: 2, count: 32)))
    )

    @Test func sampleProofHasTheDocumentedLayout() throws {
        let bytes = Self.sampleProof.canonicalBytes
        #expect(Array(bytes.prefix(4)) == [9, 0b1000_0000, 0b1000_0000, 2])
        #expect(bytes.count == 4 + 64 + 1 + 64)
        #expect(bytes[68] == 1)
        #expect(try StateProof(canonicalBytes: bytes) == Self.sampleProof)
    }

    @Test func nonCanonicalBytesAreRefused() {
        let bytes = Self.sampleProof.canonicalBytes
        func refuses(_ candidate: [UInt8], _ comment: Comment) {
            #expect(throws: CodecError.self, comment) { try StateProof(canonicalBytes: candidate) }
        }
        var moreBits = bytes
        moreBits[1] |= 0b0100_0000
        refuses(moreBits, "bitmap has more bits than siblings")
        var fewerBits = bytes
        fewerBits[1] = 0
        refuses(fewerBits, "bitmap has fewer bits than siblings")
        var padding = bytes
        padding[2] |= 0b0000_0001
        refuses(padding, "padding bit set")
        var emptyDeepest = StateProof.sampleProof
        emptyDeepest.siblings[8] = .zero
        refuses(emptyDeepest.canonicalBytes, "deepest sibling empty")
        var zeroPresent = bytes
        zeroPresent.replaceSubrange(36..<68, with: [UInt8](repeating: 0, count: 32))
        refuses(zeroPresent, "a present sibling is zero")
        var badTag = bytes
        badTag[68] = 2
        refuses(badTag, "unknown terminal tag")
        refuses([0x81, 0x02], "depth 257")
        refuses(bytes + [0], "trailing byte")
        refuses(Array(bytes.dropLast()), "truncated")
        #expect(throws: Never.self) { try StateProof(canonicalBytes: [0, 0, 0]) }
    }
}

extension StateProof {
    /// Shortcut for the tests.
    fileprivate static var sampleProof: StateProof { StateProofTests.sampleProof }
}
