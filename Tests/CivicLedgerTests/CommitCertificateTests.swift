import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// Four validators of power 1 (intl keys): a certificate needs three of them.
@Suite struct CommitCertificateTests {
    static let suite = CryptoSuite.intl
    static let validators = LedgerFixtures.validators(.intl)
    static let blockHash = LedgerFixtures.hash(0xb1)
    static let height = Height(5)

    static func signature(_ index: Int, vote: Vote, chainID: String = LedgerFixtures.chainID) -> CommitSignature {
        let key = LedgerFixtures.validatorKeys(suite)[index]
        return CommitSignature(validatorIndex: UInt32(index), signature: try! key.signature(for: vote.signBytes(chainID: chainID)))
    }

    static func certificate(signers: [Int], round: Round = Round(2)) -> CommitCertificate {
        let vote = Vote(kind: .precommit, height: height, round: round, blockHash: blockHash)
        return CommitCertificate(height: height, round: round, blockHash: blockHash,
                                 signatures: signers.map { signature($0, vote: vote) })
    }

    static func verify(_ certificate: CommitCertificate, height: Height = height, blockHash: Hash256 = blockHash,
                       chainID: String = LedgerFixtures.chainID) throws(CertificateError) {
        try certificate.verify(chainID: chainID, height: height, blockHash: blockHash, validators: validators)
    }

    static let quorums: [[Int]] = [[0, 1, 2], [0, 1, 3], [1, 2, 3], [0, 1, 2, 3]]
    static let unsorted: [[Int]] = [[1, 0, 2], [0, 2, 1], [0, 1, 1, 2], [0, 0, 1, 2], [2, 2, 3]]
    static let tooFew: [[Int]] = [[], [0], [3], [0, 1], [1, 3]]

    @Test(arguments: quorums)
    func quorumOfValidSignaturesVerifies(signers: [Int]) throws {
        try Self.verify(Self.certificate(signers: signers))
    }

    @Test func wrongHeightIsRefused() {
        #expect(throws: CertificateError.wrongHeight(expected: Height(6), actual: Self.height)) {
            try Self.verify(Self.certificate(signers: [0, 1, 2]), height: Height(6))
        }
    }

    @Test func wrongBlockIsRefused() {
        #expect(throws: CertificateError.wrongBlock) {
            try Self.verify(Self.certificate(signers: [0, 1, 2]), blockHash: LedgerFixtures.hash(0xb2))
        }
    }

    @Test(arguments: unsorted)
    func unsortedOrDuplicateIndexesAreRefused(signers: [Int]) {
        #expect(throws: CertificateError.unsortedSignatures) { try Self.verify(Self.certificate(signers: signers)) }
    }

    @Test func unknownIndexIsRefused() {
        var certificate = Self.certificate(signers: [0, 1, 2])
        certificate.signatures.append(CommitSignature(validatorIndex: 4, signature: certificate.signatures[0].signature))
        #expect(throws: CertificateError.unknownValidator(index: 4)) { try Self.verify(certificate) }
    }

    @Test func badSignatureIsRefused() throws {
        var certificate = Self.certificate(signers: [0, 1, 2])
        // Validator 1's slot holds validator 2's signature.
        certificate.signatures[1].signature = certificate.signatures[2].signature
        #expect(throws: CertificateError.badSignature(validator: "validator-1")) { try Self.verify(certificate) }
        // A precommit for another round, another chain, or a prevote is not this certificate's precommit.
        let otherRound = Vote(kind: .precommit, height: Self.height, round: Round(3), blockHash: Self.blockHash)
        let prevote = Vote(kind: .prevote, height: Self.height, round: Round(2), blockHash: Self.blockHash)
        let precommit = Vote(kind: .precommit, height: Self.height, round: Round(2), blockHash: Self.blockHash)
        for wrong in [Self.signature(2, vote: otherRound), Self.signature(2, vote: prevote),
                      Self.signature(2, vote: precommit, chainID: "other-chain")] {
            var tampered = Self.certificate(signers: [0, 1, 2])
            tampered.signatures[2] = wrong
            #expect(throws: CertificateError.badSignature(validator: "validator-2")) { try Self.verify(tampered) }
        }
        #expect(throws: CertificateError.badSignature(validator: "validator-0")) {
            try Self.verify(Self.certificate(signers: [0, 1, 2]), chainID: "other-chain")
        }
    }

    @Test(arguments: tooFew)
    func insufficientPowerIsRefused(signers: [Int]) {
        #expect(throws: CertificateError.insufficientPower(signed: UInt64(signers.count), required: 3)) {
            try Self.verify(Self.certificate(signers: signers))
        }
    }

    @Test func weightedPowerCounts() throws {
        // One validator holding 7 of 10: it alone is a quorum (7 > 20/3); the other three are not.
        let keys = LedgerFixtures.validatorKeys(.intl)
        let set = ValidatorSet(keys.enumerated().map { index, key in
            Validator(name: "v\(index)", organization: "o", publicKey: key.publicKey, power: index == 0 ? 7 : 1)
        })
        let vote = Vote(kind: .precommit, height: Self.height, round: Round(0), blockHash: Self.blockHash)
        let alone = CommitCertificate(height: Self.height, round: Round(0), blockHash: Self.blockHash,
                                      signatures: [Self.signature(0, vote: vote)])
        try alone.verify(chainID: LedgerFixtures.chainID, height: Self.height, blockHash: Self.blockHash, validators: set)
        let rest = CommitCertificate(height: Self.height, round: Round(0), blockHash: Self.blockHash,
                                     signatures: [1, 2, 3].map { Self.signature($0, vote: vote) })
        #expect(throws: CertificateError.insufficientPower(signed: 3, required: 7)) {
            try rest.verify(chainID: LedgerFixtures.chainID, height: Self.height, blockHash: Self.blockHash, validators: set)
        }
    }

    @Test func certificateRoundTripsAndStillVerifies() throws {
        let certificate = Self.certificate(signers: [0, 2, 3])
        let decoded = try CommitCertificate(canonicalBytes: certificate.canonicalBytes)
        #expect(decoded == certificate)
        try Self.verify(decoded)
        #expect(certificate.precommit == Vote(kind: .precommit, height: Self.height, round: Round(2), blockHash: Self.blockHash))
    }

    @Test func errorCodesAreStable() {
        let cases: [(CertificateError, String)] = [
            (.wrongHeight(expected: Height(1), actual: Height(2)), "certificate.wrong_height"),
            (.wrongBlock, "certificate.wrong_block"), (.unsortedSignatures, "certificate.unsorted_signatures"),
            (.unknownValidator(index: 1), "certificate.unknown_validator"),
            (.badSignature(validator: "v"), "certificate.bad_signature"),
            (.insufficientPower(signed: 1, required: 3), "certificate.insufficient_power"),
        ]
        for (error, code) in cases {
            #expect(error.code == code)
            #expect(!error.description.isEmpty)
        }
    }
}
