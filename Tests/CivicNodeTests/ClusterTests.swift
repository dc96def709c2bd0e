import CivicClient
import CivicCodec
import CivicConsensus
import CivicContracts
import CivicNetwork
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Logging
import Synchronization
import Testing

/// Validators in one process, linked by a ``LoopbackHub``: BFT with real nodes, stores and the
/// node's own consensus loop; faults by stopping nodes and cutting links.
final class Cluster: Sendable {
    let suite: CryptoSuite
    let keys: [PrivateKey]
    let clientKey: PrivateKey
    /// One admin key per organization `org-1`…`org-N` (only the first unless the cluster was made
    /// with `adminPerOrganization`).
    let adminKeys: [PrivateKey]
    let genesis: Genesis
    let hub = LoopbackHub()
    let stores: [MemoryLedgerStore]
    let carryTransactions: Bool
    private let running = Mutex<[Int: (node: Node, task: Task<Void, any Error>)]>([:])

    /// - Parameters:
    ///   - spareNodes: keys (and stores) of nodes outside the genesis validators, which follow the
    ///     chain until governance makes them validators; their indices come after the validators'.
    ///   - adminPerOrganization: every organization gets an admin (so MAJORITY means a majority of
    ///     the validators' organizations), instead of `org-1` alone.
    init(suite: CryptoSuite, validators: Int = 4, spareNodes: Int = 0, adminPerOrganization: Bool = false,
         carryTransactions: Bool = false) {
        self.suite = suite
        self.carryTransactions = carryTransactions
        keys = (0..<(validators + spareNodes)).map { _ in PrivateKey.generate(suite: suite) }
        clientKey = PrivateKey.generate(suite: suite)
        adminKeys = (0..<(adminPerOrganization ? validators : 1)).map { _ in PrivateKey.generate(suite: suite) }
        let now = SystemClock().now()
        genesis = Genesis(
            chainID: "civic-cluster", suite: suite, time: Timestamp(milliseconds: now.milliseconds - 60_000),
            validators: ValidatorSet(keys.prefix(validators).enumerated().map { index, key in
                Validator(name: "validator-\(index + 1)", organization: "org-\(index + 1)", publicKey: key.publicKey, power: 1)
            }),
            identities: adminKeys.enumerated().map { index, key in
                GenesisIdentity(name: "admin-\(index + 1)", organization: "org-\(index + 1)", role: .admin, publicKey: key.publicKey)
            } + [
                GenesisIdentity(name: "clerk", organization: "org-1", role: .member, publicKey: clientKey.publicKey),
            ] + keys.prefix(validators).enumerated().map { index, key in
                GenesisIdentity(name: "validator-\(index + 1)", organization: "org-\(index + 1)", role: .validator, publicKey: key.publicKey)
            },
            parameters: ChainParameters(blockTransactionsMax: 500, blockIntervalMilliseconds: 20))
        stores = keys.map { _ in MemoryLedgerStore() }
    }

    /// Starts validator `index` on its store (again, after a stop: its signer record is kept in
    /// memory by the store's node only, so restarts here use a fresh core at the stored height).
    @discardableResult
    func start(_ index: Int) throws -> Node {
        let link = hub.attach(keys[index].publicKey)
        let node = try Node(configuration: .init(genesis: genesis, validatorKey: keys[index], peers: link,
                                                 proposalsCarryTransactions: carryTransactions),
                            store: stores[index], logger: Logger(label: "cluster.\(index)"))
        let task = Task { try await node.run() }
        running.withLock { $0[index] = (node, task) }
        return node
    }

    /// Stops validator `index` (its store keeps what it committed).
    func stop(_ index: Int) async {
        guard let entry = running.withLock({ $0.removeValue(forKey: index) }) else { return }
        hub.detach(keys[index].publicKey)
        entry.node.stop()
        _ = await entry.task.result
    }

    func stopAll() async {
        for index in keys.indices { await stop(index) }
    }

    func node(_ index: Int) -> Node? { running.withLock { $0[index]?.node } }

    var runningIndices: [Int] { running.withLock { Array($0.keys).sorted() } }

    func transaction(_ number: Int) throws -> Transaction {
        let body = TransactionBody(chainID: genesis.chainID, signer: clientKey.publicKey, nonce: UInt64(number),
                                   expiresAt: Timestamp(milliseconds: SystemClock().now().milliseconds + 600_000),
                                   call: TransactionBuilder.keyValuePut(key: Array("k\(number)".utf8), value: [UInt8(number & 0xff)]))
        return try Transaction(signing: body, with: clientKey)
    }

    /// Waits until every running node has committed at least `height`, or fails after `seconds`.
    func waitForHeight(_ height: Height, seconds: Int = 20, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let heights = runningIndices.compactMap { node($0)?.snapshot.head.height }
            if heights.allSatisfy({ $0 >= height }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let heights = runningIndices.map { "\($0): \(node($0)?.snapshot.head.height.rawValue ?? 0)" }
        Issue.record("nodes did not reach height \(height) in \(seconds) s: \(heights)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// The validator set that certifies `height`, from the governance entries in `store`'s state.
    func validators(at height: Height, in store: MemoryLedgerStore) throws -> ValidatorSet {
        try GovernanceContract.validatorSet(at: height) { key throws(StoreError) in try store.stateValue(forKey: key) }?.validators
            ?? genesis.validators
    }

    /// Every store holds the same block hash at every height both have, and every certificate verifies.
    func expectAgreement(sourceLocation: SourceLocation = #_sourceLocation) throws {
        var hashes: [Height: Hash256] = [:]
        for store in stores {
            guard let latest = try store.latestHeight(), latest > .genesis else { continue }
            for raw in 1...latest.rawValue {
                let height = Height(raw)
                let block = try Block(canonicalBytes: try #require(try store.blockBytes(at: height)))
                let hash = block.header.hash(suite: suite)
                let certificate = try CommitCertificate(canonicalBytes: try #require(try store.certificateBytes(at: height)))
                let validators = try validators(at: height, in: store)
                #expect(block.header.validatorsHash == validators.hash(suite: suite), sourceLocation: sourceLocation)
                try certificate.verify(chainID: genesis.chainID, height: height, blockHash: hash, validators: validators)
                if let seen = hashes[height] {
                    #expect(seen == hash, "two blocks at height \(height)", sourceLocation: sourceLocation)
                } else {
                    hashes[height] = hash
                }
            }
        }
    }
}

@Suite("BFT cluster in one process", .serialized)
struct ClusterTests {
    @Test("Four validators commit submitted transactions and agree block by block", arguments: [CryptoSuite.intl, .sm])
    func fourValidatorsCommit(suite: CryptoSuite) async throws {
        let cluster = Cluster(suite: suite)
        for index in 0..<4 { try cluster.start(index) }
        defer { Task { await cluster.stopAll() } }
        let entry = try #require(cluster.node(1))
        var hashes: [Hash256] = []
        for number in 0..<40 { hashes.append(try entry.submit(try cluster.transaction(number).canonicalBytes)) }
        for hash in hashes {
            guard case .committed = await entry.waitForCommit(hash, timeout: .seconds(20)) else {
                Issue.record("transaction \(hash.hex.prefix(12)) was not committed")
                return
            }
        }
        let height = entry.snapshot.head.height
        try await cluster.waitForHeight(height)
        try cluster.expectAgreement()
        // Every validator signed some certificate: all four take part.
        let signers = Set(try (1...height.rawValue).flatMap { raw in
            try entry.reader.block(at: Height(raw)).certificate?.signatures.map(\.validatorIndex) ?? []
        })
        #expect(signers.count >= 3)
        await cluster.stopAll()
    }

    @Test("With one validator stopped the chain goes on; restarted, it catches up")
    func oneDownThenCatchUp() async throws {
        let cluster = Cluster(suite: .intl)
        for index in 0..<4 { try cluster.start(index) }
        await cluster.stop(3)
        let entry = try #require(cluster.node(0))
        for number in 0..<30 {
            let (_, outcome) = try await entry.submitAndWait(try cluster.transaction(number).canonicalBytes, timeout: .seconds(20))
            guard case .committed = outcome else {
                Issue.record("transaction \(number) was not committed with three of four validators: \(outcome)")
                await cluster.stopAll()
                return
            }
        }
        let height = entry.snapshot.head.height
        #expect(try cluster.stores[3].latestHeight() ?? .genesis < height)
        try cluster.start(3)
        try await cluster.waitForHeight(height)
        try cluster.expectAgreement()
        await cluster.stopAll()
    }

    @Test("With two of four validators cut off nothing commits and nothing forks; healed, the chain resumes")
    func haltWithoutQuorumThenResume() async throws {
        let cluster = Cluster(suite: .intl)
        for index in 0..<4 { try cluster.start(index) }
        let entry = try #require(cluster.node(0))
        let (_, first) = try await entry.submitAndWait(try cluster.transaction(0).canonicalBytes, timeout: .seconds(20))
        guard case .committed = first else {
            Issue.record("the first transaction was not committed: \(first)")
            await cluster.stopAll()
            return
        }
        guard case .committed(let height, _, _) = first else { return }
        try await cluster.waitForHeight(height)
        cluster.hub.setIsolated(cluster.keys[2].publicKey, true)
        cluster.hub.setIsolated(cluster.keys[3].publicKey, true)
        let heights = cluster.runningIndices.map { cluster.node($0)!.snapshot.head.height }
        let stuck = try entry.submit(try cluster.transaction(1).canonicalBytes)
        #expect(await entry.waitForCommit(stuck, timeout: .seconds(3)) == .timedOut)
        #expect(cluster.runningIndices.map { cluster.node($0)!.snapshot.head.height } == heights)
        cluster.hub.setIsolated(cluster.keys[2].publicKey, false)
        cluster.hub.setIsolated(cluster.keys[3].publicKey, false)
        guard case .committed = await entry.waitForCommit(stuck, timeout: .seconds(30)) else {
            Issue.record("the chain did not resume after the partition healed")
            await cluster.stopAll()
            return
        }
        try cluster.expectAgreement()
        await cluster.stopAll()
    }

    @Test("Validators that miss the gossip fetch the bodies a proposal names from its proposer")
    func missingBodiesAreFetched() async throws {
        let cluster = Cluster(suite: .intl)
        for index in 1..<4 { cluster.hub.setDropsGossip(to: cluster.keys[index].publicKey, true) }
        for index in 0..<4 { try cluster.start(index) }
        // Only node 0 receives the transactions; every other node learns of them from proposals.
        let entry = try #require(cluster.node(0))
        var last: Hash256?
        for number in 0..<30 { last = try entry.submit(try cluster.transaction(number).canonicalBytes) }
        guard case .committed(let height, _, _) = await entry.waitForCommit(try #require(last), timeout: .seconds(30)) else {
            Issue.record("not committed without gossip")
            await cluster.stopAll()
            return
        }
        try await cluster.waitForHeight(height)
        try cluster.expectAgreement()
        #expect(cluster.node(1)?.pendingCount == 0)
        await cluster.stopAll()
    }

    @Test("Proposals that carry transaction bodies decide the same way")
    func proposalsWithBodies() async throws {
        let cluster = Cluster(suite: .intl, carryTransactions: true)
        for index in 0..<4 { try cluster.start(index) }
        let entry = try #require(cluster.node(2))
        for number in 0..<20 {
            _ = try entry.submit(try cluster.transaction(number).canonicalBytes)
        }
        let (_, outcome) = try await entry.submitAndWait(try cluster.transaction(20).canonicalBytes, timeout: .seconds(20))
        guard case .committed(let height, _, _) = outcome else {
            Issue.record("not committed: \(outcome)")
            await cluster.stopAll()
            return
        }
        try await cluster.waitForHeight(height)
        try cluster.expectAgreement()
        await cluster.stopAll()
    }
}

@Suite("Equivocation in a running cluster")
struct ClusterEquivocationTests {
    @Test("A validator that prevotes two blocks at one round is reported by the others and recorded on chain, naming it")
    func equivocationIsRecorded() async throws {
        let cluster = Cluster(suite: .sm)
        for index in 0..<3 { try cluster.start(index) }
        // Validator #3 is Byzantine: at the first proposal it sees, it prevotes the block and a forged one.
        let byzantine = cluster.hub.attach(cluster.keys[3].publicKey)
        let key = cluster.keys[3]
        let chainID = cluster.genesis.chainID
        let attack = Task { () throws -> Proposal? in
            for await frame in byzantine.inbound {
                guard case .proposal(let signed, _, _)? = try? NodeMessage(canonicalBytes: frame.bytes) else { continue }
                let proposal = signed.proposal
                for hash in [proposal.blockHash, Hash256(bytes: Array(repeating: 0xEE, count: 32))] {
                    let vote = Vote(kind: .prevote, height: proposal.height, round: proposal.round, blockHash: hash)
                    let signature = try key.signature(for: vote.signBytes(chainID: chainID))
                    byzantine.broadcast(NodeMessage.vote(SignedVote(vote: vote, validatorIndex: 3, signature: signature)).canonicalBytes)
                }
                return proposal
            }
            return nil
        }
        let entry = try #require(cluster.node(0))
        let (_, outcome) = try await entry.submitAndWait(try cluster.transaction(0).canonicalBytes, timeout: .seconds(20))
        guard case .committed = outcome else {
            Issue.record("not committed: \(outcome)")
            await cluster.stopAll()
            return
        }
        let attacked = try #require(try await attack.value)
        let offence = Offence(validatorIndex: 3, height: attacked.height, round: attacked.round, kind: .prevote)
        let stateKey = AccountabilityContract.stateKey(AccountabilityContract.Key.record(offence))
        var record: MisbehaviorRecord?
        let deadline = ContinuousClock.now + .seconds(20)
        while record == nil && ContinuousClock.now < deadline {
            if let value = try? entry.reader.stateProof(key: stateKey, snapshot: entry.snapshot).value {
                record = try MisbehaviorRecord(canonicalBytes: value)
            } else {
                // Reports ride in the next block; give the chain a reason to make one.
                _ = try? entry.submit(try cluster.transaction(Int.random(in: 1_000...1_000_000)).canonicalBytes)
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let found = try #require(record, "no misbehavior record for validator #3")
        #expect(found.validatorName == "validator-4" && found.organization == "org-4")
        #expect(found.equivocation.validatorIndex == 3)
        #expect(cluster.keys[0..<3].map { Address(publicKey: $0.publicKey) }.contains(found.reporter))
        try cluster.expectAgreement()
        await cluster.stopAll()
    }
}
