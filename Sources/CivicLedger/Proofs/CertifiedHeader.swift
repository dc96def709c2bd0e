import CivicCodec
import CivicCrypto

/// A block header with the commit certificate that finalizes it: the anchor of every proof.
public struct CertifiedHeader: Hashable, Sendable, CanonicalCodable {
    /// The header.
    public var header: BlockHeader
    /// Precommits from more than 2/3 of the voting power for the header's hash.
    public var certificate: CommitCertificate

    /// Creates an anchor.
    public init(header: BlockHeader, certificate: CommitCertificate) {
        self.header = header
        self.certificate = certificate
    }

    /// Checks the header against the genesis validators alone: right for heights before the first validator-set
    /// change; ``ValidatorSetHistory/verify(_:)`` picks the set in force at any height.
    /// - Throws: ``ProofError``.
    public func verify(genesis: Genesis) throws(ProofError) {
        try verify(chainID: genesis.chainID, suite: genesis.suite, validators: genesis.validators)
    }

    /// Checks that the header is of chain `chainID`, names `validators` in its `validatorsHash`, and that the
    /// certificate holds signatures of more than 2/3 of their voting power over the header's hash.
    /// - Throws: ``ProofError/wrongChain(expected:actual:)``, ``ProofError/unknownValidatorSet``,
    ///   ``ProofError/certificate(_:)``.
    public func verify(chainID: String, suite: CryptoSuite, validators: ValidatorSet) throws(ProofError) {
        guard header.chainID == chainID else { throw .wrongChain(expected: chainID, actual: header.chainID) }
        guard header.validatorsHash == validators.hash(suite: suite) else { throw .unknownValidatorSet }
        do {
            try certificate.verify(chainID: chainID, height: header.height, blockHash: header.hash(suite: suite),
                                   validators: validators)
        } catch {
            throw .certificate(error)
        }
    }

    /// header, certificate.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(header)
        encoder.encode(certificate)
    }

    /// Reads an anchor.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        header = try decoder.decode(BlockHeader.self)
        certificate = try decoder.decode(CommitCertificate.self)
    }
}
