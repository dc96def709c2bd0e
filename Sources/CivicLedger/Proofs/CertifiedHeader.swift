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

    /// Checks the header against `genesis`: same chain, certified by the genesis validators.
    /// - Throws: ``ProofError``.
    public func verify(genesis: Genesis) throws(ProofError) {
        guard header.chainID == genesis.chainID else { throw .wrongChain(expected: genesis.chainID, actual: header.chainID) }
        guard header.validatorsHash == genesis.validators.hash(suite: genesis.suite) else { throw .unknownValidatorSet }
        do {
            try certificate.verify(chainID: genesis.chainID, height: header.height,
                                   blockHash: header.hash(suite: genesis.suite), validators: genesis.validators)
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
