import ArgumentParser
import CivicClient
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// `civic genesis`: write a genesis file for a new chain.
struct GenesisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis", abstract: "Create the genesis file of a new chain.",
        discussion: "Each --validator and --admin is NAME:ORGANIZATION:KEYFILE (a private or public key PEM).")

    @Option(help: "Chain id: lower-case letters, digits and '-'.")
    var chainId: String

    @Option(help: "Crypto suite: sm or intl.")
    var suite: String = "sm"

    @Option(name: .customLong("validator"), help: "A validator, NAME:ORGANIZATION:KEYFILE (repeatable).")
    var validators: [String]

    @Option(name: .customLong("admin"), help: "An admin identity, NAME:ORGANIZATION:KEYFILE (repeatable).")
    var admins: [String]

    @Option(help: "Most transactions per block.")
    var blockTransactionsMax: UInt32 = 5_000

    @Option(help: "Block interval in milliseconds.")
    var blockIntervalMs: UInt32 = 200

    @Option(name: .shortAndLong, help: "Where to write the genesis file.")
    var out: String = "genesis.json"

    func run() throws {
        guard let suite = CryptoSuite(name: suite) else { throw ValidationError("--suite must be 'sm' or 'intl'.") }
        let genesis = try GenesisCommand.make(
            chainID: chainId, suite: suite,
            validators: validators.map { try GenesisCommand.parseEntry($0, suite: suite) },
            admins: admins.map { try GenesisCommand.parseEntry($0, suite: suite) },
            parameters: ChainParameters(blockTransactionsMax: blockTransactionsMax, blockIntervalMilliseconds: blockIntervalMs))
        try GenesisFile.write(genesis, to: out)
        print("wrote \(out): chain \(genesis.chainID), suite \(suite), genesis hash \(genesis.hash.hex)")
    }

    /// Parses `NAME:ORGANIZATION:KEYFILE`.
    static func parseEntry(_ text: String, suite: CryptoSuite) throws -> (name: String, organization: String, key: PublicKey) {
        let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3 else { throw ValidationError("'\(text)' must be NAME:ORGANIZATION:KEYFILE.") }
        let key = try CLI.loadPublicKey(parts[2], suite: suite)
        guard key.suite == suite else {
            throw CLIError(description: "\(parts[2]) is a '\(key.suite)' key but the chain uses '\(suite)'.")
        }
        return (parts[0], parts[1], key)
    }

    /// A validated genesis document with the current time.
    static func make(chainID: String, suite: CryptoSuite, validators: [(name: String, organization: String, key: PublicKey)],
                     admins: [(name: String, organization: String, key: PublicKey)], parameters: ChainParameters) throws -> Genesis {
        guard !validators.isEmpty else { throw ValidationError("At least one --validator is needed.") }
        guard Set(validators.map(\.name)).count == validators.count else { throw ValidationError("Validator names must be unique.") }
        let genesis = Genesis(
            chainID: chainID, suite: suite, time: TransactionBuilder.wallClock(),
            validators: ValidatorSet(validators.map { Validator(name: $0.name, organization: $0.organization, publicKey: $0.key, power: 1) }),
            identities: admins.map { GenesisIdentity(name: $0.name, organization: $0.organization, role: .admin, publicKey: $0.key) },
            parameters: parameters)
        if let problem = genesis.validationProblem() { throw CLIError(description: "The genesis would be invalid: \(problem).") }
        return genesis
    }
}
