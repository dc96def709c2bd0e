import CivicTesting
import CivicCrypto
import Testing
@testable import CivicLedger

/// The state tree against the sorted-array model and the specification's root.
@Suite struct StateTreeTests {
    @Test(arguments: CryptoSuite.allCases) func randomBatchesMatchTheModel(suite: CryptoSuite) {
        for seed in TestSupport.seeds {
            var random = SeededGenerator(seed: seed)
            var tree = StateTree(suite: suite)
            var model = StateModel()
            for round in 0..<30 {
                let writes = random.writes(count: Int.random(in: 1...40, using: &random), keySpace: 60)
                tree = tree.applying(writes)
                model.apply(writes)
                let context = "seed \(seed), round \(round), suite \(suite)"
                #expect(tree.count == model.entries.count, "\(context)")
                #expect(tree.root == model.root(suite: suite), "\(context)")
                for index in 0..<64 {
                    let key = Array("key-\(index)".utf8)
                    let expected = model.value(forKey: key).map { StateTree.valueHash(of: $0, suite: suite) }
                    #expect(tree.valueHash(forKey: key) == expected, "\(context), key-\(index)")
                }
            }
        }
    }

    @Test(arguments: CryptoSuite.allCases) func rootIsIndependentOfOrderAndBatchSplitting(suite: CryptoSuite) {
        for seed in TestSupport.seeds {
            var random = SeededGenerator(seed: seed)
            let writes = (0..<300).map { index in
                StateWrite(key: Array("account-\(index)".utf8), value: random.bytes(lengths: 1...20))
            }
            let oneBatch = StateTree(suite: suite).applying(writes)
            let shuffled = StateTree(suite: suite).applying(writes.shuffled(using: &random))
            var split = StateTree(suite: suite)
            var rest = writes.shuffled(using: &random)[...]
            while !rest.isEmpty {
                let size = Int.random(in: 1...50, using: &random)
                split = split.applying(Array(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            var model = StateModel()
            model.apply(writes)
            #expect(oneBatch.root == model.root(suite: suite), "seed \(seed)")
            #expect(shuffled.root == oneBatch.root, "seed \(seed)")
            #expect(split.root == oneBatch.root, "seed \(seed)")
            #expect(split.count == 300)
        }
    }

    @Test func lastWriteToAKeyInABatchWins() {
        let key: [UInt8] = [7]
        let tree = StateTree(suite: .intl).applying([
            StateWrite(key: key, value: [1]), StateWrite(key: key, value: nil), StateWrite(key: key, value: [3]),
        ])
        #expect(tree.valueHash(forKey: key) == CryptoSuite.intl.hash([UInt8]([3])))
        let deleted = tree.applying([StateWrite(key: key, value: [4]), StateWrite(key: key, value: nil)])
        #expect(deleted.isEmpty)
        #expect(deleted.root == .zero)
    }

    @Test(arguments: CryptoSuite.allCases) func deletingEverythingReturnsToTheEmptyRoot(suite: CryptoSuite) {
        var random = SeededGenerator(seed: 404)
        let keys = (0..<200).map { _ in random.bytes(lengths: 1...32) }
        var tree = StateTree(suite: suite).applying(keys.map { StateWrite(key: $0, value: $0) })
        #expect(tree.count == Set(keys).count)
        for chunk in stride(from: 0, to: keys.count, by: 30) {
            tree = tree.applying(keys[chunk..<min(chunk + 30, keys.count)].map { StateWrite(key: $0, value: nil) })
        }
        #expect(tree.root == .zero)
        #expect(tree.count == 0)
        #expect(tree == StateTree(suite: suite))
    }

    @Test func singleKeyRootFollowsTheHashingRules() {
        for suite in CryptoSuite.allCases {
            let (key, value): ([UInt8], [UInt8]) = (Array("registry/certificate/42".utf8), Array("valid".utf8))
            let tree = StateTree(suite: suite).applying([StateWrite(key: key, value: value)])
            let keyPath = suite.hash(parts: [[0x02], key])
            #expect(StateTree.keyPath(forKey: key, suite: suite) == keyPath)
            #expect(tree.root == suite.hash(parts: [[0x00], keyPath.bytes, suite.hash(value).bytes]))
            #expect(StateTree(suite: suite).root == .zero)
        }
    }

    @Test(arguments: CryptoSuite.allCases) func oldVersionsStayValidAfterApplying(suite: CryptoSuite) {
        var random = SeededGenerator(seed: 77)
        var versions: [(tree: StateTree, model: StateModel, root: Hash256)] = []
        var tree = StateTree(suite: suite)
        var model = StateModel()
        for _ in 0..<25 {
            let writes = random.writes(count: 20, keySpace: 40)
            tree = tree.applying(writes)
            model.apply(writes)
            versions.append((tree, model, tree.root))
        }
        for (index, version) in versions.enumerated() {
            #expect(version.tree.root == version.root, "version \(index)")
            #expect(version.tree.root == version.model.root(suite: suite), "version \(index)")
            #expect(version.tree.count == version.model.entries.count, "version \(index)")
            for entry in version.model.entries {
                #expect(version.tree.valueHash(forKey: entry.key) == suite.hash(entry.value), "version \(index)")
            }
        }
    }

    @Test func unchangedSubtreesAreShared() throws {
        var random = SeededGenerator(seed: 5)
        let base = StateTree(suite: .intl).applying((0..<500).map { _ in
            StateWrite(key: random.bytes(count: 8), value: [1])
        })
        let updated = base.applying([StateWrite(key: Array("one more".utf8), value: [2])])
        guard case .internal(let oldLeft, let oldRight) = try #require(base.rootNode).kind,
              case .internal(let newLeft, let newRight) = try #require(updated.rootNode).kind else {
            Issue.record("a tree of 500 keys has an internal root")
            return
        }
        #expect((oldLeft === newLeft) != (oldRight === newRight), "exactly one side of the root is rebuilt")
        let unchanged = base.applying([StateWrite(key: Array("absent".utf8), value: nil)])
        #expect(unchanged.rootNode === base.rootNode)
        let rewritten = updated.applying([StateWrite(key: Array("one more".utf8), value: [2])])
        #expect(rewritten.rootNode === updated.rootNode)
    }

    @Test(arguments: CryptoSuite.allCases) func bulkBuildEqualsIncrementalApplying(suite: CryptoSuite) {
        for seed in TestSupport.seeds {
            var random = SeededGenerator(seed: seed)
            for size in [0, 1, 2, 3, 17, 500] {
                let entries = (0..<size).map { _ in
                    (key: Array("k\(Int.random(in: 0..<(size * 2 + 1), using: &random))".utf8),
                     value: random.bytes(lengths: 0...16))
                }
                let bulk = StateTree(suite: suite, entries: entries)
                let writes = entries.map { StateWrite(key: $0.key, value: $0.value) }
                let incremental = StateTree(suite: suite).applying(writes)
                #expect(bulk.root == incremental.root, "seed \(seed), size \(size)")
                #expect(bulk.count == incremental.count, "seed \(seed), size \(size)")
                var model = StateModel()
                model.apply(entries.map { StateWrite(key: $0.key, value: $0.value) })
                #expect(bulk.root == model.root(suite: suite), "seed \(seed), size \(size)")
            }
        }
    }

    @Test func oversizedKeysStopTheNode() async {
        await #expect(processExitsWith: .failure) {
            let key = [UInt8](repeating: 1, count: Limits.stateKeyBytesMax + 1)
            _ = StateTree(suite: .intl).applying([StateWrite(key: key, value: [1])])
        }
        let largest = [UInt8](repeating: 1, count: Limits.stateKeyBytesMax)
        #expect(StateTree(suite: .intl).applying([StateWrite(key: largest, value: [1])]).count == 1)
    }

    @Test func suitesGiveDifferentRoots() {
        let writes = [StateWrite(key: [1], value: [2]), StateWrite(key: [3], value: [4])]
        #expect(StateTree(suite: .sm).applying(writes).root != StateTree(suite: .intl).applying(writes).root)
    }
}
