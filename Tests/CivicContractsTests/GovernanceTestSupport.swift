import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// A small chain for governance tests: four organizations `a`…`d`, each with one admin (keys 30…33)
/// and one validator (keys 1…4); organization `a` also has a second admin (key 34) and a member (key 35).
/// Each ``run(_:_:_:)`` executes one transaction in its own block and commits its writes.
struct GovernanceChain {
    static let organizations = ["a", "b", "c", "d"]

    let suite: CryptoSuite
    var state: DictionaryState
    var height: UInt64 = 1
    var time: UInt64 = 10_000
    private var nonce: UInt64 = 0
    /// The writes of the last block.
    var lastWrites: [(key: [UInt8], value: [UInt8]?)] = []
    /// The executor of every block.
    var executor = TransactionExecutor()

    init(_ suite: CryptoSuite, validators: Int = 4) {
        self.suite = suite
        state = DictionaryState(GenesisState.writes(for: Self.genesis(suite, validators: validators)))
    }

    static func admin(_ suite: CryptoSuite, _ organization: String) -> PrivateKey {
        ContractFixtures.key(suite, 30 + UInt8(organizations.firstIndex(of: organization)!))
    }
    static func secondAdmin(_ suite: CryptoSuite) -> PrivateKey { ContractFixtures.key(suite, 34) }
    static func member(_ suite: CryptoSuite) -> PrivateKey { ContractFixtures.key(suite, 35) }
    static func validatorKey(_ suite: CryptoSuite, _ number: UInt8) -> PrivateKey {
        ContractFixtures.key(suite, number)
    }

    static func genesis(_ suite: CryptoSuite, validators count: Int = 4) -> Genesis {
        let validators = (0..<count).map { index in
            Validator(
                name: "v\(index)", organization: organizations[index % 4],
                publicKey: validatorKey(suite, UInt8(index + 1)).publicKey, power: 1)
        }
        var identities = organizations.map { name in
            GenesisIdentity(
                name: "admin-\(name)", organization: name, role: .admin, publicKey: admin(suite, name).publicKey)
        }
        identities.append(
            GenesisIdentity(name: "admin-a2", organization: "a", role: .admin, publicKey: secondAdmin(suite).publicKey))
        identities.append(
            GenesisIdentity(name: "clerk-a", organization: "a", role: .member, publicKey: member(suite).publicKey))
        return Genesis(
            chainID: ContractFixtures.chainID, suite: suite, time: Timestamp(milliseconds: 1_000),
            validators: ValidatorSet(validators), identities: identities, parameters: ChainParameters(),
            organizations: organizations.map { GenesisOrganization(name: $0, caCertificates: [Array("ca-\($0)".utf8)]) }
        )
    }

    /// Executes `contract.method(arguments)` signed by `signer` in a new block; returns the receipt's code.
    @discardableResult
    mutating func run(
        _ signer: PrivateKey, _ method: String, _ arguments: [UInt8], contract: String = "governance",
        advance: UInt64 = 1_000
    ) -> String {
        height += 1
        time += advance
        nonce += 1
        let transaction = ContractFixtures.transaction(
            signer, contract, method, arguments, nonce: nonce,
            expiresAt: time + 60_000)
        let execution = TransactionExecutorTests.execute(
            [transaction], executor: executor, block: ContractFixtures.block(suite, height: height, time: time), base: state)
        lastWrites = execution.writes
        state.apply(execution.writes)
        return TransactionExecutorTests.codes(execution)[0]
    }

    /// Proposes `change` as `signer` with a deadline `lifetime` ms after the block; returns the code.
    @discardableResult
    mutating func propose(_ signer: PrivateKey, _ change: GovernanceChange, lifetime: UInt64 = 100_000) -> String {
        let deadline = Timestamp(milliseconds: time + 1_000 + lifetime)
        return run(signer, "propose", GovernanceContract.Propose(change: change, deadline: deadline).canonicalBytes)
    }

    /// Votes on proposal `id` as `signer`; returns the code.
    @discardableResult
    mutating func vote(_ signer: PrivateKey, _ id: UInt64, approve: Bool = true, advance: UInt64 = 1_000) -> String {
        run(signer, "vote", GovernanceContract.Vote(proposalID: id, approve: approve).canonicalBytes, advance: advance)
    }

    /// Proposes `change` as admin of `a` and has the admins of `voters` approve it, in order.
    /// - Returns: the codes of the proposal and each vote.
    mutating func pass(_ change: GovernanceChange, voters: [String] = ["a", "b", "c"]) -> [String] {
        var codes = [propose(Self.admin(suite, "a"), change)]
        let id = proposalCount
        for voter in voters { codes.append(vote(Self.admin(suite, voter), id)) }
        return codes
    }

    func value(_ relative: [UInt8]) -> [UInt8]? { state.value(forKey: GovernanceContract.stateKey(relative)) }

    var proposalCount: UInt64 {
        value(GovernanceContract.Key.proposalCount).map { try! UInt64(canonicalBytes: $0) } ?? 0
    }

    func proposal(_ id: UInt64) throws -> GovernanceProposal {
        try GovernanceProposal(canonicalBytes: try #require(value(GovernanceContract.Key.proposal(id))))
    }

    func organization(_ name: String) throws -> GovernanceOrganization? {
        try value(GovernanceContract.Key.organization(name)).map { try GovernanceOrganization(canonicalBytes: $0) }
    }

    var organizationNames: [String] {
        try! GovernanceContract.decodeNames(value(GovernanceContract.Key.organizationNames)!)
    }

    func identity(_ key: PublicKey) throws -> Identity? {
        try state.value(forKey: Identity.stateKey(Address(publicKey: key))).map { try Identity(canonicalBytes: $0) }
    }

    func validatorSet(at height: UInt64) -> ValidatorSetEntry? {
        GovernanceContract.validatorSet(at: Height(height)) { state.value(forKey: $0) }
    }

    func accountabilityValidator(_ index: UInt32) throws -> Validator? {
        try state.value(forKey: AccountabilityContract.stateKey(AccountabilityContract.Key.validator(index)))
            .map { try Validator(canonicalBytes: $0) }
    }
}
