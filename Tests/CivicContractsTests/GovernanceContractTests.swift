import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// Contract `governance`: registries from genesis, proposals and votes, every kind of change.
@Suite struct GovernanceContractTests {
    typealias Chain = GovernanceChain

    @Test(arguments: CryptoSuite.allCases)
    func genesisSeedsOrganizationsPoliciesParametersAndValidators(suite: CryptoSuite) throws {
        let chain = Chain(suite)
        #expect(chain.organizationNames == ["a", "b", "c", "d"])
        let a = try #require(try chain.organization("a"))
        #expect(
            a.admins == [Chain.admin(suite, "a"), Chain.secondAdmin(suite)].map { Address(publicKey: $0.publicKey) })
        #expect(a.caCertificates == [Array("ca-a".utf8)])
        for resource in GovernedResource.allCases {
            #expect(
                try GovernancePolicy(canonicalBytes: try #require(chain.value(GovernanceContract.Key.policy(resource))))
                    == .majority)
        }
        #expect(
            try ChainParameters(canonicalBytes: try #require(chain.value(GovernanceContract.Key.parameters)))
                == ChainParameters())
        let entry = try #require(chain.validatorSet(at: 1))
        #expect(
            entry.appliesFrom == Height(1) && entry.validators == Chain.genesis(suite).validators
                && entry.proposalID == 0)
        #expect(chain.validatorSet(at: 0) == nil)
    }

    @Test("genesis without organizations makes one per organization of an admin")
    func genesisWithoutOrganizations() throws {
        let chain = DictionaryState(GenesisState.writes(for: ContractFixtures.genesis()))
        let names = try GovernanceContract.decodeNames(
            try #require(chain.value(forKey: GovernanceContract.stateKey(GovernanceContract.Key.organizationNames))))
        #expect(names == ["city-hall"])
    }

    @Test(arguments: CryptoSuite.allCases)
    func anOrganizationIsAddedByMajorityInTheTransactionOfTheDecidingVote(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        let newAdmin = ContractFixtures.key(suite, 40)
        let change = GovernanceChange.addOrganization(
            name: "e", caCertificates: [[1, 2, 3]], adminName: "admin-e",
            adminKey: newAdmin.publicKey)
        #expect(chain.propose(Chain.admin(suite, "a"), change) == "ok")
        #expect(chain.proposalCount == 1)
        #expect(chain.vote(Chain.admin(suite, "a"), 1) == "ok")
        #expect(chain.vote(Chain.admin(suite, "b"), 1) == "ok")
        #expect(try chain.organization("e") == nil, "two of four is no majority")
        #expect(try chain.proposal(1).status == .open)
        #expect(chain.vote(Chain.admin(suite, "c"), 1) == "ok")
        let executedAt = chain.height
        #expect(chain.organizationNames == ["a", "b", "c", "d", "e"])
        let e = try #require(try chain.organization("e"))
        #expect(e.admins == [Address(publicKey: newAdmin.publicKey)] && e.caCertificates == [[1, 2, 3]])
        #expect(e.addedAt == Height(executedAt))
        let identity = try #require(try chain.identity(newAdmin.publicKey))
        #expect(identity.role == .admin && identity.organization == "e" && identity.active)
        let proposal = try chain.proposal(1)
        #expect(proposal.status == .executed && proposal.closedAt == Height(executedAt))
        #expect(
            proposal.proposer == Address(publicKey: Chain.admin(suite, "a").publicKey)
                && proposal.proposerOrganization == "a")
        #expect(proposal.votes.map(\.organization) == ["a", "b", "c"])
        #expect(proposal.votes.map(\.height) == [3, 4, 5].map { Height($0) })
        #expect(proposal.votes.allSatisfy { $0.approve })
        #expect(chain.vote(Chain.admin(suite, "d"), 1) == "governance.closed")
        // The new organization's admin can take part at once; a majority is now 3 of 5.
        #expect(chain.propose(newAdmin, .setBlockIntervalMilliseconds(500)) == "ok")
        #expect(chain.vote(newAdmin, 2) == "ok")
    }

    @Test(arguments: CryptoSuite.allCases)
    func anOrganizationWithoutValidatorsIsRemovedAndItsAdminsDeactivated(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        #expect(
            chain.propose(Chain.admin(suite, "a"), .removeOrganization(name: "d"))
                == "governance.organization_has_validators")
        let newAdmin = ContractFixtures.key(suite, 40)
        #expect(
            chain.pass(
                .addOrganization(name: "e", caCertificates: [], adminName: "admin-e", adminKey: newAdmin.publicKey))
                == ["ok", "ok", "ok", "ok"])
        #expect(chain.pass(.removeOrganization(name: "e")) == ["ok", "ok", "ok", "ok"])
        #expect(chain.organizationNames == ["a", "b", "c", "d"])
        #expect(try chain.organization("e") == nil)
        #expect(try chain.identity(newAdmin.publicKey)?.active == false)
        #expect(
            chain.propose(Chain.admin(suite, "a"), .removeOrganization(name: "zz")) == "governance.unknown_organization"
        )
    }

    @Test(arguments: CryptoSuite.allCases)
    func adminsAreAddedAndRemovedButNeverTheLast(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        let extra = ContractFixtures.key(suite, 41)
        #expect(
            chain.pass(.addAdmin(organization: "b", name: "admin-b2", key: extra.publicKey)) == [
                "ok", "ok", "ok", "ok",
            ])
        #expect(try chain.organization("b")?.admins.count == 2)
        #expect(try chain.identity(extra.publicKey)?.role == .admin)
        let first = Address(publicKey: Chain.admin(suite, "b").publicKey)
        #expect(chain.pass(.removeAdmin(organization: "b", address: first)) == ["ok", "ok", "ok", "ok"])
        #expect(try chain.organization("b")?.admins == [Address(publicKey: extra.publicKey)])
        #expect(try chain.identity(Chain.admin(suite, "b").publicKey)?.active == false)
        // The removed admin's organization votes through its remaining admin.
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockTransactionsMax(100)) == "ok")
        #expect(chain.vote(extra, chain.proposalCount) == "ok")
    }

    @Test(arguments: CryptoSuite.allCases)
    func validatorChangesApplyTwoBlocksLaterAndKeepAccountabilityInStep(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        let newKey = ContractFixtures.key(suite, 5)
        let added = Validator(name: "v4", organization: "b", publicKey: newKey.publicKey, power: 2)
        #expect(chain.pass(.addValidator(added)) == ["ok", "ok", "ok", "ok"])
        let executedAt = chain.height
        #expect(chain.validatorSet(at: executedAt + 1)?.validators.count == 4, "the old set certifies the next block")
        let entry = try #require(chain.validatorSet(at: executedAt + 2))
        #expect(entry.appliesFrom == Height(executedAt + 2) && entry.proposalID == 1)
        #expect(entry.validators.validators.map(\.name) == ["v0", "v1", "v2", "v3", "v4"])
        #expect(try chain.accountabilityValidator(4) == added)

        #expect(chain.pass(.setValidatorPower(name: "v0", power: 7)) == ["ok", "ok", "ok", "ok"])
        #expect(chain.validatorSet(at: chain.height + 2)?.validators.validators[0].power == 7)
        #expect(try chain.accountabilityValidator(0)?.power == 7)

        #expect(chain.pass(.removeValidator(name: "v1")) == ["ok", "ok", "ok", "ok"])
        let names = chain.validatorSet(at: chain.height + 2)?.validators.validators.map(\.name)
        #expect(names == ["v0", "v2", "v3", "v4"])
        #expect(try chain.accountabilityValidator(1)?.name == "v2")
        #expect(try chain.accountabilityValidator(3)?.name == "v4")
        #expect(try chain.accountabilityValidator(4) == nil)

        #expect(chain.propose(Chain.admin(suite, "a"), .removeValidator(name: "v2")) == "governance.too_few_validators")
        #expect(
            chain.propose(Chain.admin(suite, "a"), .removeValidator(name: "nobody")) == "governance.unknown_validator")
        #expect(chain.propose(Chain.admin(suite, "a"), .addValidator(added)) == "governance.validator_exists")
        let stray = Validator(
            name: "v9", organization: "nowhere", publicKey: ContractFixtures.key(suite, 9).publicKey, power: 1)
        #expect(chain.propose(Chain.admin(suite, "a"), .addValidator(stray)) == "governance.unknown_organization")
        let other: CryptoSuite = suite == .sm ? .intl : .sm
        let wrongSuite = Validator(
            name: "v8", organization: "a", publicKey: ContractFixtures.key(other, 8).publicKey, power: 1)
        #expect(chain.propose(Chain.admin(suite, "a"), .addValidator(wrongSuite)) == "governance.invalid_change")
    }

    @Test("a chain created with fewer than four validators may grow but not shrink", arguments: CryptoSuite.allCases)
    func smallChainsKeepTheirSize(suite: CryptoSuite) throws {
        var chain = Chain(suite, validators: 1)
        #expect(chain.propose(Chain.admin(suite, "a"), .removeValidator(name: "v0")) == "governance.too_few_validators")
        #expect(chain.lastWrites.isEmpty)
        let added = Validator(
            name: "v1", organization: "b", publicKey: ContractFixtures.key(suite, 2).publicKey, power: 1)
        #expect(chain.pass(.addValidator(added)) == ["ok", "ok", "ok", "ok"])
        #expect(chain.pass(.removeValidator(name: "v1")) == ["ok", "ok", "ok", "ok"])
        #expect(chain.validatorSet(at: chain.height + 2)?.validators.count == 1)
    }

    @Test(arguments: CryptoSuite.allCases)
    func blockParametersChangeWithinTheirLimits(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        #expect(chain.pass(.setBlockIntervalMilliseconds(1_000)) == ["ok", "ok", "ok", "ok"])
        #expect(chain.pass(.setBlockTransactionsMax(250)) == ["ok", "ok", "ok", "ok"])
        let parameters = try ChainParameters(
            canonicalBytes: try #require(chain.value(GovernanceContract.Key.parameters)))
        #expect(parameters == ChainParameters(blockTransactionsMax: 250, blockIntervalMilliseconds: 1_000))
        let count = chain.proposalCount
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockIntervalMilliseconds(5)) == "governance.invalid_change")
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockTransactionsMax(0)) == "governance.invalid_change")
        #expect(chain.lastWrites.isEmpty && chain.proposalCount == count)
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificatesAreRevokedOnceAndListed(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        let fingerprint = Hash256(bytes: [UInt8](repeating: 0x42, count: 32))
        #expect(
            chain.pass(.revokeCertificate(algorithm: .sha256, fingerprint: fingerprint)) == ["ok", "ok", "ok", "ok"])
        let revocation = try CertificateRevocation(
            canonicalBytes: try #require(
                chain.value(GovernanceContract.Key.revoked(.sha256, fingerprint))))
        #expect(revocation.proposalID == 1 && revocation.revokedAt == Height(chain.height))
        #expect(
            try CertificateRevocation(canonicalBytes: try #require(chain.value(GovernanceContract.Key.revokedLog(0))))
                == revocation)
        #expect(chain.value(GovernanceContract.Key.revoked(.sm3, fingerprint)) == nil)
        #expect(
            chain.propose(Chain.admin(suite, "a"), .revokeCertificate(algorithm: .sha256, fingerprint: fingerprint))
                == "governance.already_revoked")
    }

    @Test("a policy change is governed by the policy it replaces", arguments: CryptoSuite.allCases)
    func policiesChangeUnderThemselves(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        #expect(chain.pass(.setPolicy(.chainConfig, GovernancePolicy(.all))) == ["ok", "ok", "ok", "ok"])
        #expect(try chain.proposal(1).status == .executed)
        // Now every organization must approve a parameter change, including a change of that policy.
        #expect(chain.pass(.setBlockIntervalMilliseconds(300)) == ["ok", "ok", "ok", "ok"])
        #expect(try chain.proposal(2).status == .open)
        #expect(chain.vote(Chain.admin(suite, "d"), 2) == "ok")
        #expect(try chain.proposal(2).status == .executed)
        #expect(
            chain.pass(.setPolicy(.chainConfig, GovernancePolicy(.any)), voters: ["a", "b", "c"]).allSatisfy {
                $0 == "ok"
            })
        #expect(try chain.proposal(3).status == .open)
        // Membership stays MAJORITY; ANY for revocations lets one organization decide.
        #expect(chain.pass(.setPolicy(.certificateRevocation, GovernancePolicy(.any))) == ["ok", "ok", "ok", "ok"])
        let fingerprint = Hash256(bytes: [UInt8](repeating: 7, count: 32))
        #expect(
            chain.pass(.revokeCertificate(algorithm: .sm3, fingerprint: fingerprint), voters: ["b"]) == ["ok", "ok"])
        #expect(try chain.proposal(chain.proposalCount).status == .executed)
    }

    @Test("a role-restricted policy counts the votes of that role", arguments: CryptoSuite.allCases)
    func roleRestrictedPolicy(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        #expect(
            chain.pass(.setPolicy(.chainConfig, GovernancePolicy(.any, role: .member))) == ["ok", "ok", "ok", "ok"])
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockIntervalMilliseconds(400)) == "ok")
        #expect(chain.vote(Chain.admin(suite, "b"), 2) == "governance.not_admin")
        #expect(chain.vote(Chain.member(suite), 2) == "ok")
        #expect(try chain.proposal(2).status == .executed)
    }

    @Test("rejections that make the policy unreachable reject the proposal", arguments: CryptoSuite.allCases)
    func rejection(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockIntervalMilliseconds(400)) == "ok")
        #expect(chain.vote(Chain.admin(suite, "b"), 1, approve: false) == "ok")
        #expect(try chain.proposal(1).status == .open, "3 of 4 can still approve")
        #expect(chain.vote(Chain.admin(suite, "c"), 1, approve: false) == "ok")
        let proposal = try chain.proposal(1)
        #expect(proposal.status == .rejected && proposal.closedAt == Height(chain.height))
        #expect(proposal.votes.map(\.approve) == [false, false])
        #expect(chain.vote(Chain.admin(suite, "a"), 1) == "governance.closed")
        #expect(
            try ChainParameters(canonicalBytes: try #require(chain.value(GovernanceContract.Key.parameters)))
                == ChainParameters())
    }
    @Test("votes of an organization removed since do not count; the member count is the current one",
          arguments: CryptoSuite.allCases)
    func removedOrganizationsVotesDoNotCount(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        let adminE = ContractFixtures.key(suite, 40)
        let addE = GovernanceChange.addOrganization(
            name: "e", caCertificates: [], adminName: "admin-e", adminKey: adminE.publicKey)
        #expect(chain.pass(addE) == ["ok", "ok", "ok", "ok"])
        // Proposal 2 needs 3 of 5; `e` and `a` approve.
        #expect(chain.propose(Chain.admin(suite, "a"), .setBlockIntervalMilliseconds(700)) == "ok")
        #expect(chain.vote(adminE, 2) == "ok")
        #expect(chain.vote(Chain.admin(suite, "a"), 2) == "ok")
        #expect(chain.pass(.removeOrganization(name: "e")) == ["ok", "ok", "ok", "ok"])
        #expect(chain.organizationNames == ["a", "b", "c", "d"])
        // Of 4 members only `a` approved: `b` makes 2 of 3, still open; `c` meets MAJORITY.
        #expect(chain.vote(Chain.admin(suite, "b"), 2) == "ok")
        #expect(try chain.proposal(2).status == .open)
        #expect(chain.vote(adminE, 2) == "identity.inactive")
        #expect(chain.vote(Chain.admin(suite, "c"), 2) == "ok")
        #expect(try chain.proposal(2).status == .executed)
        #expect(try chain.proposal(2).votes.map(\.organization) == ["e", "a", "b", "c"])
    }

    @Test("an existing identity of the organization becomes an admin; one of another organization cannot",
          arguments: CryptoSuite.allCases)
    func addAdminOfExistingIdentities(suite: CryptoSuite) throws {
        var chain = Chain(suite)
        let clerk = Chain.member(suite).publicKey
        #expect(
            chain.propose(Chain.admin(suite, "a"), .addAdmin(organization: "b", name: "x", key: clerk))
                == "governance.invalid_change")
        #expect(chain.pass(.addAdmin(organization: "a", name: "clerk-a", key: clerk)) == ["ok", "ok", "ok", "ok"])
        let identity = try #require(try chain.identity(clerk))
        #expect(identity.role == .admin && identity.name == "clerk-a" && identity.organization == "a")
        #expect(try chain.organization("a")?.admins.count == 3)
        #expect(
            chain.propose(Chain.admin(suite, "a"), .addAdmin(organization: "a", name: "again", key: clerk))
                == "governance.invalid_change")
    }
}
