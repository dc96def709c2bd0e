import ArgumentParser

/// `civic`: keys, genesis, node, transactions, queries, offline verification and benchmarks.
public struct CivicCommand: AsyncParsableCommand {
    /// Command description and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "CivicLedger: a permissioned blockchain for city and government data sharing.",
        discussion: """
            Exit codes: 0 success; 1 failure; 2 usage error; 3 a proof did not verify; \
            4 the node refused the request; 5 the node could not be reached.
            """,
        version: "0.1.0",
        subcommands: [
            KeygenCommand.self, KeyCommand.self, GenesisCommand.self, NodeCommand.self, DemoCommand.self,
            TxCommand.self, QueryCommand.self, StatusCommand.self, VerifyCommand.self, BenchCommand.self,
        ]
    )

    /// Creates the command (ArgumentParser requires it).
    public init() {}
}
