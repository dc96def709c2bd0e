import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// Each refusal of contract `governance` has its own code and changes nothing.
@Suite struct GovernanceRefusalTests {
    typealias Chain = GovernanceChain

    /// Runs `body` on `chain` and checks it returned `code` and wrote nothing.
    static func expectRefused(
        _ chain: inout Chain, _ code: String, _ body: (inout Chain) -> String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let before = chain.state.entries
        #expect(body(&chain) == code, sourceLocation: sourceLocation)
        #expect(
            chain.lastWrites.isEmpty && chain.state.entries == before, "a refusal changes nothing",
            sourceLocation: sourceLocation)
    }

    @Test(arguments: CryptoSuite.allCases)
    func aNonAdminMayNeitherProposeNorVote(suite: CryptoSuite) {
        var chain = Chain(suite)
        Self.expectRefused(&chain, "governance.not_admin") {
            $0.propose(Chain.member(suite), .setBlockTransactionsMax(9))
        }
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockTransactionsMax(9)) == "ok")
        Self.expectRefused(&chain, "governance.not_admin") { $0.vote(Chain.member(suite), 1) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func aVoteAfterTheDeadlineIsRefusedAndTheProposalCanBeClosed(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockTransactionsMax(9), lifetime: 5_000) == "ok")
        #expect(chain.vote(Chain.admin(suite, "a"), 1) == "ok")
        Self.expectRefused(&chain, "governance.not_expired") {
            $0.run(Chain.admin(suite, "b"), "close", UInt64(1).canonicalBytes)
        }
        Self.expectRefused(&chain, "governance.expired") { $0.vote(Chain.admin(suite, "b"), 1, advance: 10_000) }
        #expect(chain.run(Chain.member(suite), "close", UInt64(1).canonicalBytes) == "ok")
        #expect(try chain.proposal(1).status == .expired)
        Self.expectRefused(&chain, "governance.closed") { $0.vote(Chain.admin(suite, "c"), 1) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func anOrganizationVotesOnce(suite: CryptoSuite) {
        var chain = Chain(suite)
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockTransactionsMax(9)) == "ok")
        #expect(chain.vote(Chain.admin(suite, "a"), 1) == "ok")
        Self.expectRefused(&chain, "governance.double_vote") { $0.vote(Chain.admin(suite, "a"), 1) }
        Self.expectRefused(&chain, "governance.double_vote") { $0.vote(Chain.secondAdmin(suite), 1, approve: false) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func noChangeMayLeaveFewerThanFourValidators(suite: CryptoSuite) {
        var chain = Chain(suite)
        Self.expectRefused(&chain, "governance.too_few_validators") {
            $0.propose(Chain.admin(suite, "a"), .removeValidator(name: "v3"))
        }
    }

    @Test("the last admin of an organization cannot be removed", arguments: CryptoSuite.allCases)
    func lastAdmin(suite: CryptoSuite) {
        var chain = Chain(suite)
        let address = Address(publicKey: Chain.admin(suite, "b").publicKey)
        Self.expectRefused(&chain, "governance.last_admin") {
            $0.propose(Chain.admin(suite, "a"), .removeAdmin(organization: "b", address: address))
        }
        // Organization `a` has two admins: removing one is fine, the second removal is refused at execution too.
        let first = Address(publicKey: Chain.admin(suite, "a").publicKey)
        let second = Address(publicKey: Chain.secondAdmin(suite).publicKey)
        #expect(chain.propose(Chain.admin(suite, "a"), .removeAdmin(organization: "a", address: first)) == "ok")
        #expect(chain.propose(Chain.admin(suite, "a"), .removeAdmin(organization: "a", address: second)) == "ok")
        for voter in ["a", "b", "c"] { #expect(chain.vote(Chain.admin(suite, voter), 1) == "ok") }
        #expect(chain.vote(Chain.secondAdmin(suite), 2) == "ok")
        #expect(chain.vote(Chain.admin(suite, "b"), 2) == "ok")
        Self.expectRefused(&chain, "governance.last_admin") { $0.vote(Chain.admin(suite, "c"), 2) }
    }

    @Test(arguments: CryptoSuite.allCases)
    func unknownProposalsAndMalformedChangesAndDeadlines(suite: CryptoSuite) {
        var chain = Chain(suite)
        let admin = Chain.admin(suite, "a")
        Self.expectRefused(&chain, "governance.unknown_proposal") { $0.vote(admin, 7) }
        Self.expectRefused(&chain, "governance.unknown_proposal") { $0.run(admin, "close", UInt64(7).canonicalBytes) }
        Self.expectRefused(&chain, "governance.invalid_change") { $0.run(admin, "propose", [99, 1, 2]) }
        Self.expectRefused(&chain, "governance.invalid_change") { $0.run(admin, "propose", []) }
        let emptyName = [UInt8(2), 0] + Timestamp(milliseconds: 99_000).canonicalBytes
        Self.expectRefused(&chain, "governance.invalid_change") { $0.run(admin, "propose", emptyName) }
        Self.expectRefused(&chain, "governance.invalid_deadline") {
            $0.run(
                admin, "propose",
                GovernanceContract.Propose(
                    change: .setBlockTransactionsMax(9),
                    deadline: Timestamp(milliseconds: 1)
                ).canonicalBytes)
        }
        Self.expectRefused(&chain, "governance.invalid_deadline") {
            $0.propose(
                admin, .setBlockTransactionsMax(9), lifetime: GovernanceContract.proposalLifetimeMillisecondsMax + 1)
        }
        Self.expectRefused(&chain, "contract.invalid_arguments") { $0.run(admin, "vote", [1]) }
        Self.expectRefused(&chain, "contract.unknown_method") { $0.run(admin, "execute", []) }
        let newAdmin = ContractFixtures.key(suite, 40).publicKey
        Self.expectRefused(&chain, "governance.organization_exists") {
            $0.propose(admin, .addOrganization(name: "b", caCertificates: [], adminName: "x", adminKey: newAdmin))
        }
        Self.expectRefused(&chain, "governance.invalid_change") {
            $0.propose(
                admin,
                .addOrganization(
                    name: "e", caCertificates: [], adminName: "x",
                    adminKey: Chain.admin(suite, "b").publicKey))
        }
    }
}
