import CivicContracts

/// The native contracts of a CivicLedger chain: the platform's (identity, kv, evidence, accountability,
/// governance, code) and the government services'. Every node of a chain must run the same set, so the node, the
/// tools that replay blocks and the API all take it from here.
public enum ChainContracts {
    /// The government services.
    public static let services: [any SystemContract] = [CatalogContract(), CertificateContract()]

    /// Every native contract, with `certificates` checking the certificates of `identity.enroll`.
    public static func all(certificates: any CertificateChecker) -> [any SystemContract] {
        TransactionExecutor.nativeContracts(certificates: certificates) + services
    }

    /// The executor of a chain's blocks.
    public static func executor(certificates: any CertificateChecker = NoCertificateChecker()) -> TransactionExecutor {
        TransactionExecutor(contracts: all(certificates: certificates))
    }
}
