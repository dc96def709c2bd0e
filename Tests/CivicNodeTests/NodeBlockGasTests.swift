import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
@testable import CivicNode
import Testing
import WAT

/// The block's gas at the node: the proposer leaves calls the block cannot finish for the next block, and
/// admission's dry run stops at its gas cap.
@Suite("Node block gas")
struct NodeBlockGasTests {
    /// ``WasmTestModules/burner``.
    static let burner = WasmTestModules.burner

    /// A one-validator node with `burner` deployed through governance (upload, propose, vote).
    static func node(_ fixture: Fixture, store: any LedgerStore = MemoryLedgerStore()) throws -> Node {
        let node = try fixture.makeNode(store: store)
        let code = try wat2wasm(burner)
        let suite = fixture.suite
        let uploads = try CodeContract.Chunk.split(code, suite: suite).map { chunk in
            try fixture.sign(ContractCall(contract: "code", method: "upload", arguments: chunk.canonicalBytes), by: fixture.adminKey)
        }
        #expect(try commit(uploads, on: node).allSatisfy { $0.status == .success })
        let deadline = Timestamp(milliseconds: fixture.clock.now().milliseconds + 3_600_000)
        let change = GovernanceChange.deployContract(name: "burner", codeHash: suite.hash(code), initArguments: [])
        #expect(try commit([try fixture.sign(TransactionBuilder.propose(change, deadline: deadline), by: fixture.adminKey)],
                           on: node).map(\.status) == [.success])
        #expect(try commit([try fixture.sign(TransactionBuilder.vote(proposal: 1, approve: true), by: fixture.adminKey)],
                           on: node).map(\.status) == [.success])
        #expect(DeployedContract.load("burner", read: { (try? node.reader.stateProof(key: $0, snapshot: node.snapshot))?.value }) != nil)
        return node
    }

    static func burn(_ rounds: UInt32, key: String, method: String = "burn", _ fixture: Fixture) throws -> Transaction {
        try fixture.sign(ContractCall(contract: "burner", method: method,
                                      arguments: WasmTestModules.burnArguments(rounds: rounds, key: key)),
                         by: fixture.memberKey)
    }

    static func receipt(_ hash: Hash256, on node: Node) throws -> (height: Height, receipt: Receipt) {
        let location = try #require(try node.reader.location(of: hash))
        return (location.height, try node.reader.receipts(at: location.height)[Int(location.index)])
    }

    @Test("The proposer leaves calls past the block's gas in the mempool; the next block runs them")
    func proposerTrims() throws {
        let fixture = Fixture(suite: .intl)
        let node = try Self.node(fixture)
        // The gas of one round, measured from one-round and two-round calls committed together.
        let probes = try commit([try Self.burn(1, key: "p1", fixture), try Self.burn(2, key: "p2", fixture)], on: node)
        let round = probes[1].gasUsed - probes[0].gasUsed
        let rounds = UInt32((Limits.transactionGasMax - (probes[0].gasUsed - round)) / round)
        let heavy = try (0..<6).map { try Self.burn(rounds, key: "k\($0)", fixture) }
        // Each needs far more than admission's cap: admitted without a verdict.
        let hashes = try heavy.map { try node.submit($0.canonicalBytes) }
        let start = node.snapshot.head.height
        try node.produceBlock()
        #expect(node.snapshot.head.height == start.next)
        #expect(node.snapshot.head.transactionCount == 4, "four full calls fill the block's gas")
        #expect(node.pendingCount == 2, "the two the block could not finish wait in the mempool")
        for hash in hashes.prefix(4) {
            let (height, receipt) = try Self.receipt(hash, on: node)
            #expect(height == start.next && receipt.status == .success)
            #expect(receipt.gasUsed > Limits.transactionGasMax - round)
        }
        #expect(try hashes.suffix(2).allSatisfy { try node.reader.location(of: $0) == nil })
        try node.produceBlock()
        #expect(node.pendingCount == 0)
        for hash in hashes.suffix(2) {
            let (height, receipt) = try Self.receipt(hash, on: node)
            #expect(height == start.next.next && receipt.status == .success)
        }
        let reader = node.reader
        #expect(try (0..<6).allSatisfy { index in
            try reader.stateProof(key: Array("burner/k\(index)".utf8), snapshot: node.snapshot).value == Array("done".utf8)
        })
    }

    @Test("Admission refuses a call that fails within its gas cap and admits one that would fail only past it")
    func admissionCap() throws {
        let fixture = Fixture(suite: .intl)
        let store = MemoryLedgerStore()
        let node = try Self.node(fixture, store: store)
        let probe = try commit([try Self.burn(1, key: "p", fixture)], on: node)[0]
        let rounds = UInt32(Limits.admissionGasMax / probe.gasUsed)
        // Fails within the cap: refused with the receipt's code, nothing queued or changed.
        try expectRefusal(node, store: store, try Self.burn(rounds / 2, key: "k", method: "burn_fail", fixture).canonicalBytes,
                          code: "burner.tired")
        // Fails only past the cap: admitted, and the block records the failure.
        let late = try Self.burn(rounds + 2, key: "k", method: "burn_fail", fixture)
        let hash = try node.submit(late.canonicalBytes)
        #expect(node.pendingCount == 1)
        try node.produceBlock()
        let (_, receipt) = try Self.receipt(hash, on: node)
        #expect(receipt.status == .failure(code: "burner.tired", message: "tired"))
        #expect(receipt.gasUsed > Limits.admissionGasMax)
    }
}
