import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

@Suite struct VoteTests {
    @Test(arguments: CryptoSuite.allCases)
    func signedVoteVerifiesOnlyForItsChainAndSigner(suite: CryptoSuite) throws {
        let validators = LedgerFixtures.validators(suite)
        let keys = LedgerFixtures.validatorKeys(suite)
        let vote = Vote(kind: .prevote, height: Height(3), round: Round(1), blockHash: LedgerFixtures.hash(7))
        let signature = try keys[1].signature(for: vote.signBytes(chainID: LedgerFixtures.chainID))
        let signed = SignedVote(vote: vote, validatorIndex: 1, signature: signature)
        #expect(signed.isValid(chainID: LedgerFixtures.chainID, validators: validators))
        #expect(!signed.isValid(chainID: "other-chain", validators: validators))
        #expect(!SignedVote(vote: vote, validatorIndex: 2, signature: signature).isValid(chainID: LedgerFixtures.chainID, validators: validators))
        #expect(!SignedVote(vote: vote, validatorIndex: 9, signature: signature).isValid(chainID: LedgerFixtures.chainID, validators: validators))
        var nilVote = vote
        nilVote.blockHash = nil
        #expect(!SignedVote(vote: nilVote, validatorIndex: 1, signature: signature).isValid(chainID: LedgerFixtures.chainID, validators: validators))
    }

    @Test func signBytesAreDomainChainAndVote() {
        let vote = Vote(kind: .precommit, height: Height(1), round: Round(0), blockHash: nil)
        let bytes = vote.signBytes(chainID: "c")
        #expect(bytes == Array("CivicLedger/vote/v1".utf8) + [1, 0x63] + vote.canonicalBytes)
        // kind | height u64 | round u32 | marker 0
        #expect(vote.canonicalBytes == [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    }

    @Test func unknownKindsAndMarkersAreRefused() {
        for kind in [UInt8(0), 3, 255] {
            let bytes = [kind, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
            #expect(throws: CodecError.unknownTag(field: "vote.kind", tag: UInt64(kind))) { try Vote(canonicalBytes: bytes) }
        }
        #expect(throws: CodecError.invalidMarker(field: "vote.block_hash", byte: 2)) {
            try Vote(canonicalBytes: [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2])
        }
    }
}
