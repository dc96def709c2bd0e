/// The software version reported by the API and the CLI.
public enum CivicVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
