import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Testing

/// The validator set as a function of height: governance votes a validator in and out of a running
/// cluster, and the nodes change their consensus at the applies-from height.
@Suite("Validator set changes by governance", .serialized)
struct ValidatorSetChangeTests {
    /// Submits `call` signed by `key` to node `index` and waits for it to commit successfully.
    private func commit(_ call: ContractCall, by key: PrivateKey, cluster: Cluster, at index: Int = 0,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> Height {
        let node = try #require(cluster.node(index))
        let transaction = try TransactionBuilder(chainID: cluster.genesis.chainID, key: key).sign(call)
        let (_, outcome) = try await node.submitAndWait(transaction.canonicalBytes, timeout: .seconds(30))
        guard case .committed(let height, _, let receipt) = outcome else {
            Issue.record("not committed: \(outcome)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        #expect(receipt.status.isSuccess, "\(receipt.status)", sourceLocation: sourceLocation)
        return height
    }

    /// Proposes `change` as org-1's admin and has org-2 and org-3 approve it (3 of 4: MAJORITY);
    /// returns the height of the block that executed it.
    private func pass(_ change: GovernanceChange, id: UInt64, cluster: Cluster) async throws -> Height {
        let deadline = Timestamp(milliseconds: SystemClock().now().milliseconds + 3_600_000)
        _ = try await commit(TransactionBuilder.propose(change, deadline: deadline), by: cluster.adminKeys[0], cluster: cluster)
        var executed = Height.genesis
        for admin in cluster.adminKeys.prefix(3) {
            executed = try await commit(TransactionBuilder.vote(proposal: id, approve: true), by: admin, cluster: cluster)
        }
        return executed
    }

    /// Commits one key–value transaction through node `index` and returns the block's certificate signers.
    private func signers(afterCommitting number: Int, cluster: Cluster, at index: Int = 0) async throws -> (Height, [UInt32]) {
        let node = try #require(cluster.node(index))
        let (_, outcome) = try await node.submitAndWait(try cluster.transaction(number).canonicalBytes, timeout: .seconds(30))
        guard case .committed(let height, _, _) = outcome else {
            Issue.record("not committed: \(outcome)")
            throw CancellationError()
        }
        let certificate = try #require(try node.reader.block(at: height).certificate)
        return (height, certificate.signatures.map(\.validatorIndex))
    }

    @Test("A fifth organization's validator is voted in, catches up and signs; a validator voted out leaves and the chain goes on",
          arguments: [CryptoSuite.intl, .sm])
    func joinAndLeave(suite: CryptoSuite) async throws {
        let cluster = Cluster(suite: suite, spareNodes: 1, adminPerOrganization: true)
        for index in 0..<5 { try cluster.start(index) }
        defer { Task { await cluster.stopAll() } }
        let joining = try #require(cluster.node(4))
        #expect(joining.validatorIndex == nil)

        let adminOfFive = PrivateKey.generate(suite: suite)
        _ = try await pass(.addOrganization(name: "org-5", caCertificates: [], adminName: "admin-5",
                                            adminKey: adminOfFive.publicKey), id: 1, cluster: cluster)
        let fifth = Validator(name: "validator-5", organization: "org-5", publicKey: cluster.keys[4].publicKey, power: 1)
        let executed = try await pass(.addValidator(fifth), id: 2, cluster: cluster)
        let appliesFrom = Height(executed.rawValue + GovernanceContract.validatorSetDelay)

        // Blocks up to the applies-from height are certified by the four; after it, by the five,
        // and the joined node's signature shows in certificates.
        var sawFifth = false
        let deadline = ContinuousClock.now + .seconds(20)
        for number in 0..<10_000 where !sawFifth && ContinuousClock.now < deadline {
            let (height, signers) = try await signers(afterCommitting: number, cluster: cluster)
            if height < appliesFrom { #expect(signers.allSatisfy { $0 < 4 }) }
            sawFifth = signers.contains(4)
        }
        #expect(sawFifth, "the fifth validator never signed a commit certificate")
        #expect(joining.validatorIndex == 4)
        #expect(joining.snapshot.validators.count == 5)

        // Vote validator-4 out; once its removal applies, stop it: the other four go on.
        let removed = try await pass(.removeValidator(name: "validator-4"), id: 3, cluster: cluster)
        let removalApplies = Height(removed.rawValue + GovernanceContract.validatorSetDelay)
        while try #require(cluster.node(0)).snapshot.head.height < removalApplies {
            _ = try await signers(afterCommitting: 100 + Int(cluster.node(0)!.snapshot.head.height.rawValue), cluster: cluster)
        }
        try await cluster.waitForHeight(removalApplies)
        #expect(cluster.node(3)?.validatorIndex == nil)
        #expect(joining.validatorIndex == 3, "validator-5 moves to index 3 when validator-4 leaves")
        await cluster.stop(3)
        for number in 200..<204 {
            let (height, signers) = try await signers(afterCommitting: number, cluster: cluster)
            #expect(height > removalApplies)
            #expect(signers.allSatisfy { $0 < 4 })
        }
        try cluster.expectAgreement()
        await cluster.stopAll()
    }

    @Test("A proposal that would leave fewer than four validators is refused and changes nothing")
    func floorHolds() async throws {
        let cluster = Cluster(suite: .intl, adminPerOrganization: true)
        for index in 0..<4 { try cluster.start(index) }
        defer { Task { await cluster.stopAll() } }
        let node = try #require(cluster.node(0))
        let deadline = Timestamp(milliseconds: SystemClock().now().milliseconds + 3_600_000)
        let transaction = try TransactionBuilder(chainID: cluster.genesis.chainID, key: cluster.adminKeys[0])
            .sign(TransactionBuilder.propose(.removeValidator(name: "validator-4"), deadline: deadline))
        // Admission's dry run refuses it at once; had it reached a block, its receipt would fail alike.
        do {
            let (_, outcome) = try await node.submitAndWait(transaction.canonicalBytes, timeout: .seconds(30))
            guard case .committed(_, _, let receipt) = outcome, case .failure(let code, _) = receipt.status else {
                Issue.record("the proposal was not refused: \(outcome)")
                return
            }
            #expect(code == "governance.too_few_validators")
        } catch {
            #expect(error.code == "governance.too_few_validators")
        }
        #expect(node.snapshot.validators == cluster.genesis.validators)
        await cluster.stopAll()
    }
}
