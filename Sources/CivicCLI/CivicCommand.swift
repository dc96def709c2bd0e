import ArgumentParser
import Foundation

/// `civic`: keys, genesis, node, transactions, queries, offline verification and benchmarks.
public struct CivicCommand: AsyncParsableCommand {
    /// Command description and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "CivicLedger: a permissioned blockchain for city and government data sharing.",
        discussion: """
            Exit codes: 0 success; 1 failure; 64 usage error; 3 a proof did not verify; \
            4 the node refused the request; 5 the node could not be reached.
            """,
        version: "0.1.0",
        subcommands: [
            KeygenCommand.self, KeyCommand.self, GenesisCommand.self, NodeCommand.self, DevnetCommand.self,
            TxCommand.self, QueryCommand.self, StatusCommand.self, VerifyCommand.self, BenchCommand.self,
            OrgCommand.self, ProposalCommand.self, IdentityCommand.self, ContractCommand.self,
            EventsCommand.self, CatalogCommand.self, ShareCommand.self, CertificateCommand.self, EvidenceCommand.self,
            TrailCommand.self, GatewayCommand.self,
        ]
    )

    /// Creates the command (ArgumentParser requires it).
    public init() {}
}

extension CivicCommand {
    /// Parses the command line, runs the command, and exits with the code its outcome means:
    /// a ``CLIError`` prints its sentence and exits with its own code; everything else is
    /// reported by ArgumentParser (usage errors exit with 64).
    public static func runMain() async -> Never {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(withError: nil)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            exit(withError: error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
