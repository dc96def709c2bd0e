import CivicCodec
import CivicCrypto
import CivicLedger
import CivicTesting
import Foundation
import Testing
@testable import CivicConsensus

/// One conformance suite for every ``SignerStateStore``: in memory and file.
@Suite struct SignerStateStoreTests {
    enum Kind: String, CaseIterable, Sendable { case memory, file }

    static func makeStore(_ kind: Kind) -> any SignerStateStore {
        switch kind {
        case .memory:
            return InMemorySignerStateStore()
        case .file:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("civic-signer-\(UInt64.random(in: 0...UInt64.max))")
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return FileSignerStateStore(path: directory.appendingPathComponent("signer.state").path)
        }
    }

    @Test(arguments: Kind.allCases)
    func emptyStoreLoadsNothing(kind: Kind) throws {
        let store = Self.makeStore(kind)
        #expect(try store.load() == nil)
    }

    @Test(arguments: Kind.allCases)
    func saveThenLoadReturnsTheLastRecord(kind: Kind) throws {
        var store = Self.makeStore(kind)
        try store.save([1, 2, 3])
        #expect(try store.load() == [1, 2, 3])
        try store.save(Array(repeating: 7, count: 5000))
        #expect(try store.load() == Array(repeating: 7, count: 5000))
    }

    @Test(arguments: Kind.allCases)
    func aSignerOverTheStoreSurvivesARestart(kind: Kind) throws {
        let store = Self.makeStore(kind)
        try checkRestart(store)
    }

    func checkRestart<Store: SignerStateStore>(_ store: Store) throws {
        var signer = try VoteSigner(key: TestValidators.key(1), validatorIndex: 1, chainID: TestValidators.chainID,
                                    store: store)
        let vote = Vote(kind: .precommit, height: Height(7), round: Round(1), blockHash: TestValidators.block("x").hash)
        let signed = try signer.sign(vote)
        var restarted = try VoteSigner(key: TestValidators.key(1), validatorIndex: 1, chainID: TestValidators.chainID,
                                       store: signer.store)
        #expect(restarted.state == signer.state)
        #expect(try restarted.sign(vote) == signed)
        #expect(restarted.state.lockedRound == Round(1))
    }

    @Test func fileStoreLeavesNoTemporaryFileAndReportsUnwritableDirectories() throws {
        guard case let store as FileSignerStateStore = Self.makeStore(.file) else {
            Issue.record("not a file store")
            return
        }
        var writable = store
        try writable.save([42])
        #expect(!FileManager.default.fileExists(atPath: store.path + ".tmp"))
        #expect(FileManager.default.fileExists(atPath: store.path))
        var missing = FileSignerStateStore(path: "/nonexistent-civic-directory/signer.state")
        #expect(throws: SignerError.self) { try missing.save([1]) }
        #expect(FileSignerStateStore.directory(of: "/a/b/c") == "/a/b")
        #expect(FileSignerStateStore.directory(of: "c") == ".")
    }

    /// A crash while saving leaves a torn temporary file; the record in place is the last complete one.
    @Test func aTornTemporaryFileDoesNotReplaceTheRecord() throws {
        guard case var store as FileSignerStateStore = Self.makeStore(.file) else {
            Issue.record("not a file store")
            return
        }
        try store.save([1, 2, 3])
        FileManager.default.createFile(atPath: store.path + ".tmp", contents: Data([0xde, 0xad]))
        #expect(try store.load() == [1, 2, 3])
        try store.save([4])
        #expect(try store.load() == [4])
    }
}
