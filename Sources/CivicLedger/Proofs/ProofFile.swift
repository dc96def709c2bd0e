import CivicCodec
import CivicCrypto

/// The file `civic verify` reads: a magic prefix, a version, and one proof.
///
/// Version 2 proofs end with their validator-set transitions (a count, then each transition); version 1 files,
/// written before validator sets could change, have none and are still read.
public enum ProofFile: Hashable, Sendable, CanonicalCodable {
    /// The first bytes of every proof file: `CIVICPROOF`.
    public static let magic = Array("CIVICPROOF".utf8)
    /// The version this build writes.
    public static let currentVersion: UInt8 = 2
    /// The versions this build reads: 1 (no transitions) and 2.
    public static let readableVersions: ClosedRange<UInt8> = 1...2

    /// A committed transaction and its receipt.
    case transaction(TransactionProof)
    /// A state entry or its absence.
    case state(StateEntryProof)

    /// The certified header the proof rests on.
    public var anchor: CertifiedHeader {
        switch self {
        case .transaction(let proof): proof.anchor
        case .state(let proof): proof.anchor
        }
    }

    /// Checks the proof against `genesis`.
    /// - Returns: the validator sets established, for naming the signers.
    /// - Throws: ``ProofError``.
    @discardableResult
    public func verify(genesis: Genesis) throws(ProofError) -> ValidatorSetHistory {
        switch self {
        case .transaction(let proof): try proof.verify(genesis: genesis)
        case .state(let proof): try proof.verify(genesis: genesis)
        }
    }

    /// Decodes a proof file's bytes.
    /// - Throws: ``ProofError/malformed(_:)``.
    public static func decode(_ bytes: [UInt8]) throws(ProofError) -> ProofFile {
        do { return try ProofFile(canonicalBytes: bytes) } catch { throw .malformed(error.description) }
    }

    /// magic, version, tag, proof.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(fixed: ProofFile.magic)
        encoder.encode(ProofFile.currentVersion)
        switch self {
        case .transaction(let proof):
            encoder.encodeVarint(1)
            encoder.encode(proof)
        case .state(let proof):
            encoder.encodeVarint(2)
            encoder.encode(proof)
        }
    }

    /// Reads a proof file.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        guard try decoder.decodeFixed("magic", count: ProofFile.magic.count) == ProofFile.magic else {
            throw .invalidValue(field: "magic", reason: "not a CivicLedger proof file")
        }
        let version = try decoder.decodeUInt8("proof.version")
        guard ProofFile.readableVersions.contains(version) else {
            throw .unsupportedVersion(type: "proof file", version: version)
        }
        let withTransitions = version >= 2
        switch try decoder.decodeVarint("proof.kind") {
        case 1: self = .transaction(try TransactionProof(from: &decoder, withTransitions: withTransitions))
        case 2: self = .state(try StateEntryProof(from: &decoder, withTransitions: withTransitions))
        case let tag: throw .unknownTag(field: "proof.kind", tag: tag)
        }
    }
}
