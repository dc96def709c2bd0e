import CivicContracts
import CivicCrypto
import CivicLedger

/// Whom the chain trusts, as its committed governance state says: the member organizations with
/// their CA certificates, the revoked certificates, and the keys that may join the peer network.
/// The node publishes it at start and after every block that changes governance state, so that
/// the transport follows votes without a restart (see ``Node/Configuration/onTrustChange``).
public struct ChainTrust: Sendable, Equatable {
    /// The member organizations, sorted by name, with their CA certificates (DER).
    public var organizations: [GenesisOrganization]
    /// Every certificate revocation voted so far, oldest first.
    public var revocations: [CertificateRevocation]
    /// The identity keys that may hold a peer link: the validators in force for the next block,
    /// those of the newest validator-set entry (a joining validator syncs before its set applies),
    /// and the genesis identities of role validator or observer.
    public var members: Set<PublicKey>

    /// Reads the trust from the committed state (`read` returns the value under a full state key),
    /// with the validator sets `inForce` and `newest`.
    static func read(genesis: Genesis, inForce: ValidatorSet, newest: ValidatorSet,
                     read: ([UInt8]) -> [UInt8]?) -> ChainTrust {
        let organizations = GovernanceContract.organizations(read: read).map {
            GenesisOrganization(name: $0.name, caCertificates: $0.caCertificates)
        }
        let members = Set(inForce.validators.map(\.publicKey) + newest.validators.map(\.publicKey)
            + genesis.identities.filter { $0.role == .validator || $0.role == .observer }.map(\.publicKey))
        return ChainTrust(organizations: organizations.isEmpty ? genesis.organizations : organizations,
                          revocations: GovernanceContract.revocations(read: read), members: members)
    }

    /// Whether a block's writes can change the trust (they touch governance state).
    static func isAffected(by writes: [StateWrite]) -> Bool {
        let prefix = GovernanceContract.stateKey([])
        return writes.contains { $0.key.starts(with: prefix) }
    }
}
