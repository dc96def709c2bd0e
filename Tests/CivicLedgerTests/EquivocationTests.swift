import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

@Suite struct EquivocationTests {
    static func signed(_ suite: CryptoSuite, by index: UInt32, _ hash: Hash256?, kind: VoteKind = .prevote,
                       chainID: String = LedgerFixtures.chainID) throws -> SignedVote {
        let vote = Vote(kind: kind, height: Height(3), round: Round(1), blockHash: hash)
        let signature = try LedgerFixtures.validatorKeys(suite)[Int(index)].signature(for: vote.signBytes(chainID: chainID))
        return SignedVote(vote: vote, validatorIndex: index, signature: signature)
    }

    /// The bytes `Evidence` (its name in CivicConsensus before it moved here) encoded: the move kept them.
    @Test func goldenBytesAreThoseOfTheFormerEvidence() throws {
        let block = Vote(kind: .prevote, height: Height(7), round: Round(2), blockHash: LedgerFixtures.hash(0x11))
        let empty = Vote(kind: .prevote, height: Height(7), round: Round(2), blockHash: nil)
        let forBlock = SignedVote(vote: block, validatorIndex: 3,
                                  signature: try Signature(rawRepresentation: [UInt8](repeating: 0xaa, count: 64)))
        let forNothing = SignedVote(vote: empty, validatorIndex: 3,
                                    signature: try Signature(rawRepresentation: [UInt8](repeating: 0xbb, count: 64)))
        let equivocation = Equivocation(forBlock, forNothing)
        let golden = "01" + "0000000000000007" + "00000002" + "00" + "00000003" + String(repeating: "bb", count: 64)
            + "01" + "0000000000000007" + "00000002" + "01" + String(repeating: "11", count: 32) + "00000003"
            + String(repeating: "aa", count: 64)
        #expect(Hex.encode(equivocation.canonicalBytes) == golden)
        #expect(equivocation.first == forNothing)
        let decoded = try Equivocation(canonicalBytes: try #require(Hex.decode(golden)))
        #expect(decoded == equivocation)
        #expect(decoded.canonicalBytes == equivocation.canonicalBytes)
    }

    @Test(arguments: CryptoSuite.allCases)
    func orderedRoundTripsAndChecked(suite: CryptoSuite) throws {
        let validators = LedgerFixtures.validators(suite)
        let first = try Self.signed(suite, by: 2, LedgerFixtures.hash(1))
        let second = try Self.signed(suite, by: 2, nil)
        let equivocation = Equivocation(first, second)
        #expect(Equivocation(second, first) == equivocation)
        #expect(equivocation.validatorIndex == 2 && equivocation.kind == .prevote)
        #expect(equivocation.height == Height(3) && equivocation.round == Round(1))
        let bytes = equivocation.canonicalBytes
        #expect(try Equivocation(canonicalBytes: bytes) == equivocation)
        #expect(throws: CodecError.self) { _ = try Equivocation(canonicalBytes: bytes + [0]) }
        #expect(throws: CodecError.self) { _ = try Equivocation(canonicalBytes: Array(bytes.dropLast())) }
        #expect(equivocation.isValid(chainID: LedgerFixtures.chainID, validators: validators))
        #expect(equivocation.isValid(chainID: LedgerFixtures.chainID, publicKey: validators.validators[2].publicKey))
        #expect(!equivocation.isValid(chainID: "another-chain", validators: validators))
        #expect(!equivocation.isValid(chainID: LedgerFixtures.chainID, publicKey: validators.validators[1].publicKey))
        #expect(!equivocation.isValid(chainID: LedgerFixtures.chainID, validators: ValidatorSet(Array(validators.validators.prefix(2)))))
    }

    @Test func votesThatDoNotConflictOrAreOutOfOrderAreRefused() throws {
        let first = try Self.signed(.intl, by: 1, LedgerFixtures.hash(1))
        let second = try Self.signed(.intl, by: 1, LedgerFixtures.hash(2))
        let equivocation = Equivocation(first, second)
        let refusals: [[SignedVote]] = [
            [equivocation.second, equivocation.first],
            [first, first],
            [first, try Self.signed(.intl, by: 2, LedgerFixtures.hash(2))],
            [first, try Self.signed(.intl, by: 1, LedgerFixtures.hash(2), kind: .precommit)],
        ]
        for votes in refusals {
            var encoder = CanonicalEncoder()
            votes.forEach { encoder.encode($0) }
            let error = #expect(throws: CodecError.self) { _ = try Equivocation(canonicalBytes: encoder.bytes) }
            guard case .invalidValue(let field, _)? = error else {
                Issue.record("expected an invalid value, got \(String(describing: error))")
                continue
            }
            #expect(field == Equivocation.codecField)
        }
        #expect(!Equivocation.conflict(first, first))
        #expect(Equivocation.conflict(first, second))
    }
}
