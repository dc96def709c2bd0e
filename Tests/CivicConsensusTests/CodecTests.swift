import CivicCodec
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing
@testable import CivicConsensus

/// Canonical encodings of consensus types: round trips, re-encoding, refusal of malformed input.
@Suite struct CodecTests {
    static let block = TestValidators.block("payload")

    static func signedVote(_ index: Int, _ hash: Hash256?) -> SignedVote {
        let vote = Vote(kind: .prevote, height: Height(3), round: Round(1), blockHash: hash)
        let signature = try! TestValidators.key(index).signature(for: vote.signBytes(chainID: TestValidators.chainID))
        return SignedVote(vote: vote, validatorIndex: UInt32(index), signature: signature)
    }

    static func roundTrip<Value: CanonicalCodable & Equatable>(_ value: Value) throws {
        let bytes = value.canonicalBytes
        let decoded = try Value(canonicalBytes: bytes)
        #expect(decoded == value)
        #expect(decoded.canonicalBytes == bytes)
        #expect(throws: CodecError.self) { _ = try Value(canonicalBytes: bytes + [0]) }
        #expect(throws: CodecError.self) { _ = try Value(canonicalBytes: Array(bytes.dropLast())) }
    }

    @Test func messagesRoundTrip() throws {
        let proposal = Proposal(height: Height(3), round: Round(2), polRound: Round(1), blockHash: Self.block.hash,
                                proposerIndex: 1)
        let signature = try TestValidators.key(1).signature(for: proposal.signBytes(chainID: TestValidators.chainID))
        let signed = SignedProposal(proposal: proposal, signature: signature)
        try Self.roundTrip(ConsensusMessage.proposal(signed, Self.block))
        try Self.roundTrip(ConsensusMessage.vote(Self.signedVote(2, nil)))
        let certificate = CommitCertificate(height: Height(3), round: Round(1), blockHash: Self.block.hash,
                                            signatures: [CommitSignature(validatorIndex: 0, signature: signature)])
        try Self.roundTrip(ConsensusMessage.decision(Self.block, certificate))
        #expect(throws: CodecError.self) { _ = try ConsensusMessage(canonicalBytes: [9]) }
    }

    @Test func proposalSignBytesAreDomainTagged() {
        let proposal = Proposal(height: Height(1), round: Round(0), polRound: nil, blockHash: Self.block.hash,
                                proposerIndex: 0)
        let bytes = proposal.signBytes(chainID: "city")
        #expect(bytes.starts(with: Array("CivicLedger/proposal/v1".utf8)))
        #expect(bytes != proposal.signBytes(chainID: "other-city"))
    }

    @Test func aProofOfLockRoundNotBelowTheRoundIsRefused() {
        var bytes = Proposal(height: Height(1), round: Round(2), polRound: Round(1), blockHash: Self.block.hash,
                             proposerIndex: 0).canonicalBytes
        // round (bytes 8...11) = 1 makes polRound 1 == round.
        bytes[11] = 1
        #expect(throws: CodecError.self) { _ = try Proposal(canonicalBytes: bytes) }
    }

    @Test func signerStateAndValidValueRoundTrip() throws {
        let vote = Self.signedVote(0, Self.block.hash)
        try Self.roundTrip(SignerState(height: Height(3), round: Round(1), step: .prevote, prevote: vote,
                                       lockedRound: Round(0), lockedBlockHash: Self.block.hash))
        try Self.roundTrip(SignerState.initial)
        try Self.roundTrip(ValidValueRecord(height: Height(3), round: Round(1), block: Self.block,
                                            prevotes: [0, 2].map { Self.signedVote($0, Self.block.hash) }))
        var future = SignerState.initial.canonicalBytes
        future[0] = 2
        #expect(throws: CodecError.unsupportedVersion(type: "SignerState", version: 2)) {
            _ = try SignerState(canonicalBytes: future)
        }
    }
}
