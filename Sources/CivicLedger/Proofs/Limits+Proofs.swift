extension Limits {
    /// Most validator-set transitions one proof may carry: every change of the set between genesis and the
    /// proven height. Governance changes the set rarely; a chain that reaches this bound needs checkpoints.
    public static let proofTransitionsMax = 1_024
}
