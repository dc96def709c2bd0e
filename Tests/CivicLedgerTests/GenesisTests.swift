import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// Genesis rules (checked by `validationProblem()` and by decoding) and validator-set decoding.
@Suite struct GenesisTests {
    static func expectRefused(_ genesis: Genesis, containing text: String) {
        let problem = genesis.validationProblem()
        #expect(problem?.contains(text) == true, "problem: \(problem ?? "none")")
        // The same document never decodes: the encoder writes it, the decoder refuses it (an over-long chain id
        // already at its length limit, anything else by the genesis rules).
        let error = #expect(throws: CodecError.self) { try Genesis(canonicalBytes: genesis.canonicalBytes) }
        if genesis.chainID.utf8.count > Limits.chainIDBytesMax {
            #expect(error?.code == "codec.too_large")
        } else {
            #expect(error == .invalidValue(field: "genesis", reason: problem ?? ""))
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func validGenesisRoundTrips(suite: CryptoSuite) throws {
        let genesis = LedgerFixtures.genesis(suite)
        #expect(genesis.validationProblem() == nil)
        let decoded = try Genesis(canonicalBytes: genesis.canonicalBytes)
        #expect(decoded == genesis)
        #expect(decoded.hash == genesis.hash)
        var encoder = CanonicalEncoder()
        encoder.encode(fixed: Array("CivicLedger/genesis/v1".utf8))
        encoder.encode(genesis)
        #expect(genesis.hash == suite.hash(encoder.bytes))
    }

    @Test(arguments: ["", "Civic", "civic_test", "civic test", "cívic", String(repeating: "a", count: 65), "civic/1"])
    func badChainIDIsRefused(chainID: String) {
        var genesis = LedgerFixtures.genesis(.intl)
        genesis.chainID = chainID
        #expect(!Genesis.isValidChainID(chainID))
        Self.expectRefused(genesis, containing: "chain id")
    }

    @Test(arguments: ["a", "0", "-", "civic-test-2026", String(repeating: "z", count: 64)])
    func goodChainIDsAreAccepted(chainID: String) {
        #expect(Genesis.isValidChainID(chainID))
    }

    @Test func mixedSuitesAreRefused() {
        var genesis = LedgerFixtures.genesis(.intl)
        genesis.identities.append(GenesisIdentity(name: "sm-user", organization: "o", role: .member,
                                                  publicKey: LedgerFixtures.key(.sm, 30).publicKey))
        Self.expectRefused(genesis, containing: "suite")
        var validators = LedgerFixtures.genesis(.sm)
        validators.validators = LedgerFixtures.validators(.intl)
        Self.expectRefused(validators, containing: "suite")
        var declared = LedgerFixtures.genesis(.intl)
        declared.suite = .sm
        Self.expectRefused(declared, containing: "suite")
    }

    @Test func genesisWithoutAdminIsRefused() {
        var genesis = LedgerFixtures.genesis(.intl)
        genesis.identities.removeAll { $0.role == .admin }
        Self.expectRefused(genesis, containing: "admin")
        genesis.identities = []
        Self.expectRefused(genesis, containing: "admin")
    }

    @Test func duplicateIdentityKeyIsRefused() {
        var genesis = LedgerFixtures.genesis(.intl)
        genesis.identities.append(GenesisIdentity(name: "again", organization: "o", role: .auditor,
                                                  publicKey: LedgerFixtures.adminKey(.intl).publicKey))
        Self.expectRefused(genesis, containing: "twice")
    }

    @Test func otherVersionsAndBadParametersAreRefused() throws {
        let bytes = LedgerFixtures.genesis(.intl).canonicalBytes
        var version = bytes
        version[0] = 2
        #expect(throws: CodecError.unsupportedVersion(type: "genesis", version: 2)) { try Genesis(canonicalBytes: version) }
        // Parameters are the 8 bytes before the (empty) organization list: block transactions max
        // (u32), block interval (u32).
        #expect(bytes.last == 0, "the fixture lists no organizations")
        for (max, interval, field) in [(UInt32(0), UInt32(200), "parameters.block_transactions_max"),
                                       (10_001, 200, "parameters.block_transactions_max"),
                                       (5, 9, "parameters.block_interval_ms"), (5, 60_001, "parameters.block_interval_ms")] {
            var encoder = CanonicalEncoder()
            encoder.encode(max)
            encoder.encode(interval)
            let changed = Array(bytes.dropLast(9)) + encoder.bytes + [0]
            let error = #expect(throws: CodecError.self) { try Genesis(canonicalBytes: changed) }
            guard case .invalidValue(let name, _)? = error else {
                Issue.record("expected invalidValue, got \(String(describing: error))")
                continue
            }
            #expect(name == field)
        }
    }

    // MARK: Validator sets

    static func encodedSet(_ validators: [Validator]) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(sequence: validators)
        return encoder.bytes
    }

    static func validator(_ number: UInt8, name: String? = nil, power: UInt64 = 1) -> Validator {
        Validator(name: name ?? "v\(number)", organization: "o", publicKey: LedgerFixtures.key(.intl, number).publicKey, power: power)
    }

    @Test func validatorSetRoundTripsAndHashesWithItsDomain() throws {
        let set = LedgerFixtures.validators(.intl)
        #expect(try ValidatorSet(canonicalBytes: set.canonicalBytes) == set)
        #expect(set.hash(suite: .intl) == CryptoSuite.intl.hash(Array("CivicLedger/validators/v1".utf8) + set.canonicalBytes))
        #expect(set.hash(suite: .intl) != set.hash(suite: .sm))
        #expect(set.index(of: LedgerFixtures.key(.intl, 3).publicKey) == 2)
        #expect(set.index(of: LedgerFixtures.key(.intl, 9).publicKey) == nil)
        #expect(set.validator(at: 3)?.name == "validator-3")
        #expect(set.validator(at: 4) == nil)
    }

    @Test func emptyValidatorSetIsRefused() {
        #expect(throws: CodecError.invalidValue(field: "validators", reason: "the set is empty")) {
            try ValidatorSet(canonicalBytes: [0])
        }
    }

    @Test func zeroPowerIsRefused() {
        #expect(throws: CodecError.invalidValue(field: "validators", reason: "a validator has zero voting power")) {
            try ValidatorSet(canonicalBytes: Self.encodedSet([Self.validator(1), Self.validator(2, power: 0)]))
        }
    }

    @Test func duplicateNamesAreRefused() {
        #expect(throws: CodecError.invalidValue(field: "validators", reason: "two validators share a name")) {
            try ValidatorSet(canonicalBytes: Self.encodedSet([Self.validator(1, name: "same"), Self.validator(2, name: "same")]))
        }
    }

    /// Powers whose true sum exceeds 64 bits must be refused, including sums that wrap around to a value no
    /// smaller than the largest power (which a wrapping-sum check lets through, then traps in `init`).
    static let overflowingPowers: [[UInt64]] = [
        [.max, 1],
        [1 << 63, 1 << 63],
        [1 << 63, 1 << 63, 1 << 63],
        [.max, 1, .max],
        [.max, .max, 2],
    ]

    @Test(arguments: overflowingPowers)
    func overflowingTotalPowerIsRefused(powers: [UInt64]) {
        let validators = powers.enumerated().map { Self.validator(UInt8($0.offset + 1), power: $0.element) }
        #expect(throws: CodecError.invalidValue(field: "validators", reason: "total voting power overflows")) {
            try ValidatorSet(canonicalBytes: Self.encodedSet(validators))
        }
    }

    @Test func largestTotalPowerIsAccepted() throws {
        let validators = [Self.validator(1, power: UInt64.max - 1), Self.validator(2, power: 1)]
        let set = try ValidatorSet(canonicalBytes: Self.encodedSet(validators))
        #expect(set.totalPower == UInt64.max)
        #expect(set.quorumPower == UInt64.max / 3 * 2 + 1)  // 2^64 - 1 is a multiple of 3
    }
}

@Suite("Genesis organizations")
struct GenesisOrganizationTests {
    @Test func organizationsRoundTripAndAreChecked() throws {
        var genesis = LedgerFixtures.genesis(.intl)
        let organizations = Set(genesis.validators.validators.map(\.organization)).sorted()
        genesis.organizations = organizations.map { GenesisOrganization(name: $0, caCertificates: [[0x30, 0x03, 0x02, 0x01, 0x01]]) }
        #expect(genesis.validationProblem() == nil)
        let decoded = try Genesis(canonicalBytes: genesis.canonicalBytes)
        #expect(decoded == genesis)
        #expect(decoded.hash != LedgerFixtures.genesis(.intl).hash, "organizations are part of the chain's identity")

        var twice = genesis
        twice.organizations.append(twice.organizations[0])
        #expect(twice.validationProblem()?.contains("listed twice") == true)
        #expect(throws: CodecError.self) { try Genesis(canonicalBytes: twice.canonicalBytes) }

        var stray = genesis
        stray.organizations.removeFirst()
        #expect(stray.validationProblem()?.contains("not a listed organization") == true)
    }
}
