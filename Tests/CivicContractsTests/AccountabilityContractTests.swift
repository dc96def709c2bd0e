import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

@Suite struct AccountabilityContractTests {
    /// The fixtures' genesis with two validators: `v0` (key 1) and `v1` (key 2) of different organizations.
    static func genesis(_ suite: CryptoSuite) -> Genesis {
        var genesis = ContractFixtures.genesis(suite)
        genesis.validators = ValidatorSet([
            Validator(name: "v0", organization: "civil-affairs", publicKey: ContractFixtures.key(suite, 1).publicKey, power: 1),
            Validator(name: "v1", organization: "city-court", publicKey: ContractFixtures.key(suite, 2).publicKey, power: 1),
        ])
        return genesis
    }

    static func base(_ suite: CryptoSuite) -> DictionaryState { DictionaryState(GenesisState.writes(for: genesis(suite))) }

    /// A vote at height 5 round 2 by validator `index`, signed with key `index + 1` (or `key`) on `chainID`.
    static func vote(_ suite: CryptoSuite, by index: UInt32, _ hash: Hash256?, kind: VoteKind = .prevote,
                     key: PrivateKey? = nil, chainID: String = ContractFixtures.chainID) -> SignedVote {
        let vote = Vote(kind: kind, height: Height(5), round: Round(2), blockHash: hash)
        let signer = key ?? ContractFixtures.key(suite, UInt8(index) + 1)
        return SignedVote(vote: vote, validatorIndex: index, signature: try! signer.signature(for: vote.signBytes(chainID: chainID)))
    }

    static func equivocation(_ suite: CryptoSuite, by index: UInt32 = 1, kind: VoteKind = .prevote,
                             key: PrivateKey? = nil, chainID: String = ContractFixtures.chainID) -> Equivocation {
        Equivocation(vote(suite, by: index, hash(1), kind: kind, key: key, chainID: chainID),
                     vote(suite, by: index, nil, kind: kind, key: key, chainID: chainID))
    }

    static func hash(_ byte: UInt8) -> Hash256 { Hash256(bytes: [UInt8](repeating: byte, count: 32)) }

    static func report(_ reporter: PrivateKey, _ arguments: [UInt8], nonce: UInt64 = 0) -> Transaction {
        ContractFixtures.transaction(reporter, "accountability", "report", arguments, nonce: nonce)
    }

    static func execute(_ suite: CryptoSuite, _ transactions: [Transaction], base: DictionaryState? = nil,
                        height: UInt64 = 8, time: UInt64 = 20_000) -> BlockExecution {
        TransactionExecutorTests.execute(transactions, block: ContractFixtures.block(suite, height: height, time: time),
                                         base: base ?? Self.base(suite))
    }

    static func value(_ execution: BlockExecution, _ relative: [UInt8]) -> [UInt8]? {
        execution.writes.first { $0.key == AccountabilityContract.stateKey(relative) }?.value ?? nil
    }

    @Test(arguments: CryptoSuite.allCases)
    func aValidReportIsRecordedNamingTheValidatorAndItsOrganization(suite: CryptoSuite) throws {
        let auditor = ContractFixtures.auditor(suite)
        let equivocation = Self.equivocation(suite)
        let transaction = Self.report(auditor, equivocation.canonicalBytes)
        let execution = Self.execute(suite, [transaction])
        #expect(TransactionExecutorTests.codes(execution) == ["ok"])
        let offence = Offence(validatorIndex: 1, height: Height(5), round: Round(2), kind: .prevote)
        #expect(Offence(equivocation) == offence)
        let record = try MisbehaviorRecord(canonicalBytes: try #require(Self.value(execution, AccountabilityContract.Key.record(offence))))
        let reporter = Address(publicKey: auditor.publicKey)
        #expect(record == MisbehaviorRecord(
            validatorName: "v1", organization: "city-court", publicKey: ContractFixtures.key(suite, 2).publicKey,
            equivocation: equivocation, reporter: reporter, reportedAt: Height(8), reportedTime: Timestamp(milliseconds: 20_000),
            transactionHash: transaction.hash(suite: suite)))
        #expect(record.validatorIndex == 1 && record.offence == offence)
        #expect(record.blockHashes.first == equivocation.first.vote.blockHash)
        #expect(record.blockHashes.second == equivocation.second.vote.blockHash)
        #expect(Set([record.blockHashes.first, record.blockHashes.second]) == [Self.hash(1), nil])
        #expect(execution.receipts[0].events == [Event(contract: "accountability", name: "accountability.equivocation", attributes: [
            EventAttribute("validator_index", "1"), EventAttribute("validator", "v1"), EventAttribute("organization", "city-court"),
            EventAttribute("kind", "prevote"), EventAttribute("height", "5"), EventAttribute("round", "2"),
            EventAttribute("reporter", reporter.hex),
        ])])
        // The record, and its place in the log of all records and in the validator's log.
        #expect(execution.writes.map(\.key) == [
            AccountabilityContract.Key.count(of: nil), AccountabilityContract.Key.entry(0, of: nil),
            AccountabilityContract.Key.record(offence),
            AccountabilityContract.Key.count(of: 1), AccountabilityContract.Key.entry(0, of: 1),
        ].map(AccountabilityContract.stateKey).sorted { $0.lexicographicallyPrecedes($1) })
        #expect(AccountabilityContract.stateKey(AccountabilityContract.Key.record(offence))
            == Array("accountability/record/".utf8) + [0, 0, 0, 1] + [0, 0, 0, 0, 0, 0, 0, 5] + [0, 0, 0, 2] + [1])
    }

    @Test func aSecondReportOfTheSameOffenceIsADuplicate() {
        let equivocation = Self.equivocation(.intl)
        let swapped = Equivocation(equivocation.second, equivocation.first)
        let otherVotes = Equivocation(Self.vote(.intl, by: 1, Self.hash(2)), Self.vote(.intl, by: 1, Self.hash(3)))
        let execution = Self.execute(.intl, [
            Self.report(ContractFixtures.member(), equivocation.canonicalBytes, nonce: 1),
            Self.report(ContractFixtures.client(), swapped.canonicalBytes, nonce: 2),
            Self.report(ContractFixtures.client(), otherVotes.canonicalBytes, nonce: 3),
            Self.report(ContractFixtures.client(), Self.equivocation(.intl, kind: .precommit).canonicalBytes, nonce: 4),
            Self.report(ContractFixtures.client(), Self.equivocation(.intl, by: 0).canonicalBytes, nonce: 5),
        ])
        // Other votes for the same offence are the same offence; a precommit or another validator is another.
        #expect(TransactionExecutorTests.codes(execution)
            == ["ok", "accountability.duplicate", "accountability.duplicate", "ok", "ok"])
        var state = Self.base(.intl)
        state.apply(execution.writes)
        let later = Self.execute(.intl, [Self.report(ContractFixtures.admin(), equivocation.canonicalBytes, nonce: 6)],
                                 base: state, height: 9)
        #expect(TransactionExecutorTests.codes(later) == ["accountability.duplicate"])
        #expect(later.writes.isEmpty)
        guard case .failure(_, let message) = later.receipts[0].status else { return }
        #expect(message.contains("'v1'") && message.contains("height 8"))
    }

    @Test func votesThatDoNotProveAnEquivocationAreInvalidEvidence() {
        let suite = CryptoSuite.intl
        let vote = Self.vote(suite, by: 1, Self.hash(1))
        var twice = CanonicalEncoder()
        twice.encode(vote)
        twice.encode(vote)
        var otherValidator = CanonicalEncoder()
        [vote, Self.vote(suite, by: 0, Self.hash(2))].sorted { $0.canonicalBytes.lexicographicallyPrecedes($1.canonicalBytes) }
            .forEach { otherValidator.encode($0) }
        let equivocation = Self.equivocation(suite)
        var outOfOrder = CanonicalEncoder()
        outOfOrder.encode(equivocation.second)
        outOfOrder.encode(equivocation.first)
        let badlySigned = Self.equivocation(suite, key: ContractFixtures.key(suite, 1))
        let mixed = Equivocation(Self.vote(suite, by: 1, Self.hash(1)), Self.vote(suite, by: 1, nil, key: ContractFixtures.stranger(suite)))
        let execution = Self.execute(suite, [twice.bytes, otherValidator.bytes, outOfOrder.bytes, badlySigned.canonicalBytes,
                                             mixed.canonicalBytes, [], Array(equivocation.canonicalBytes.dropLast()),
                                             equivocation.canonicalBytes + [0]]
            .enumerated().map { Self.report(ContractFixtures.member(), $1, nonce: UInt64($0)) })
        #expect(TransactionExecutorTests.codes(execution) == Array(repeating: "accountability.invalid_evidence", count: 5)
            + Array(repeating: "contract.invalid_arguments", count: 3))
        #expect(execution.writes.isEmpty)
        #expect(execution.receipts.allSatisfy { $0.events.isEmpty })
    }

    @Test func votesSignedForAnotherChainAreInvalidEvidence() {
        let elsewhere = Self.equivocation(.sm, chainID: "another-city")
        let execution = Self.execute(.sm, [Self.report(ContractFixtures.member(.sm), elsewhere.canonicalBytes)])
        #expect(TransactionExecutorTests.codes(execution) == ["accountability.invalid_evidence"])
        #expect(execution.writes.isEmpty)
    }

    @Test func aValidatorIndexOutsideTheSetIsUnknown() {
        let execution = Self.execute(.intl, [Self.report(ContractFixtures.member(), Self.equivocation(.intl, by: 2).canonicalBytes)])
        #expect(TransactionExecutorTests.codes(execution) == ["accountability.unknown_validator"])
        #expect(execution.writes.isEmpty)
    }

    @Test func onlyRegisteredIdentitiesMayReportAndOnlyTheReportMethodExists() {
        let bytes = Self.equivocation(.intl).canonicalBytes
        let execution = Self.execute(.intl, [
            Self.report(ContractFixtures.stranger(), bytes, nonce: 1),
            ContractFixtures.transaction(ContractFixtures.admin(), "accountability", "forgive", bytes, nonce: 2),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["identity.unknown_caller", "contract.unknown_method"])
    }

    @Test func genesisWritesEachValidatorUnderItsIndex() throws {
        let genesis = Self.genesis(.sm)
        let writes = AccountabilityContract.genesisWrites(genesis.validators)
        #expect(writes.map(\.key) == [0, 1].map { AccountabilityContract.stateKey(AccountabilityContract.Key.validator($0)) })
        #expect(try writes.map { try Validator(canonicalBytes: try #require($0.value)) } == genesis.validators.validators)
    }

    @Test func offencesAreListedNewestFirstWithinTheLimit() {
        let reports = [Self.equivocation(.intl, by: 1), Self.equivocation(.intl, by: 0),
                       Self.equivocation(.intl, by: 1, kind: .precommit)]
        let execution = Self.execute(.intl, reports.enumerated().map {
            Self.report(ContractFixtures.member(), $1.canonicalBytes, nonce: UInt64($0))
        })
        var state = Self.base(.intl)
        state.apply(execution.writes)
        let read = { (key: [UInt8]) -> [UInt8]? in state.value(forKey: key) }
        let all = AccountabilityContract.newestOffences(of: nil, limit: 10, read: read)
        #expect(all.total == 3)
        #expect(all.offences == reports.reversed().map(Offence.init))
        let newest = AccountabilityContract.newestOffences(of: nil, limit: 2, read: read)
        #expect(newest.total == 3 && newest.offences == [Offence(reports[2]), Offence(reports[1])])
        let second = AccountabilityContract.newestOffences(of: 1, limit: 10, read: read)
        #expect(second.total == 2 && second.offences == [Offence(reports[2]), Offence(reports[0])])
        let none = AccountabilityContract.newestOffences(of: 1, limit: 10) { key in Self.base(.intl).value(forKey: key) }
        #expect(none.total == 0 && none.offences.isEmpty)
    }
}
