import CivicCodec
import CivicCrypto
import CivicLedger

/// Reads of committed governance state for the node and its transport: what to apply and trust.
/// `read` returns the value under a full state key; records that do not decode are skipped (a
/// reader must not stop the node).
extension GovernanceContract {
    /// The chain parameters in force, or `nil` on a chain without governance state.
    public static func chainParameters<Failure: Error>(
        read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> ChainParameters? {
        try read(stateKey(Key.parameters)).flatMap { try? ChainParameters(canonicalBytes: $0) }
    }

    /// The member organizations, sorted by name, with their CA certificates and admins.
    public static func organizations<Failure: Error>(
        read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> [GovernanceOrganization] {
        var organizations: [GovernanceOrganization] = []
        for name in try organizationNames(read: read) {
            if let bytes = try read(stateKey(Key.organization(name))),
                let organization = try? GovernanceOrganization(canonicalBytes: bytes)
            {
                organizations.append(organization)
            }
        }
        return organizations
    }

    /// The revocation of the certificate whose DER hashes to `fingerprint`, or `nil` when it is not revoked.
    public static func revocation<Failure: Error>(
        _ algorithm: FingerprintAlgorithm, _ fingerprint: Hash256,
        read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> CertificateRevocation? {
        try read(stateKey(Key.revoked(algorithm, fingerprint))).flatMap { try? CertificateRevocation(canonicalBytes: $0) }
    }

    /// The organizations governance trusts to issue certificates of type `type` besides its registering
    /// issuer, sorted; empty when none are listed.
    public static func trustedIssuers<Failure: Error>(
        certificateType type: String, read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> [String] {
        try read(stateKey(Key.trustedIssuers(type))).flatMap { try? decodeNames($0) } ?? []
    }

    /// Every revocation, oldest first (the list is append-only, so a reader may resume from a count).
    public static func revocations<Failure: Error>(
        from first: UInt64 = 0, read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> [CertificateRevocation] {
        let count = try read(stateKey(Key.revokedCount)).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
        var revocations: [CertificateRevocation] = []
        var sequence = first
        while sequence < count {
            if let bytes = try read(stateKey(Key.revokedLog(sequence))),
                let revocation = try? CertificateRevocation(canonicalBytes: bytes)
            {
                revocations.append(revocation)
            }
            sequence += 1
        }
        return revocations
    }
}
