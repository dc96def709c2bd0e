import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting

/// Deterministic keys and a genesis for executor tests.
enum ContractFixtures {
    static let chainID = "civic-test"

    static func key(_ suite: CryptoSuite, _ number: UInt8) -> PrivateKey {
        do {
            return try PrivateKey(suite: suite, rawRepresentation: [UInt8](repeating: 0, count: 31) + [number])
        } catch {
            fatalError("fixed test key \(number) refused: \(error)")
        }
    }

    static func admin(_ suite: CryptoSuite = .intl) -> PrivateKey { key(suite, 10) }
    static func secondAdmin(_ suite: CryptoSuite = .intl) -> PrivateKey { key(suite, 11) }
    static func member(_ suite: CryptoSuite = .intl) -> PrivateKey { key(suite, 12) }
    static func auditor(_ suite: CryptoSuite = .intl) -> PrivateKey { key(suite, 13) }
    static func client(_ suite: CryptoSuite = .intl) -> PrivateKey { key(suite, 14) }
    static func stranger(_ suite: CryptoSuite = .intl) -> PrivateKey { key(suite, 20) }

    static func genesis(_ suite: CryptoSuite = .intl) -> Genesis {
        let validator = Validator(name: "v0", organization: "org", publicKey: key(suite, 1).publicKey, power: 1)
        return Genesis(
            chainID: chainID, suite: suite, time: Timestamp(milliseconds: 1_000), validators: ValidatorSet([validator]),
            identities: [
                GenesisIdentity(name: "admin", organization: "city-hall", role: .admin, publicKey: admin(suite).publicKey),
                GenesisIdentity(name: "admin-2", organization: "city-hall", role: .admin, publicKey: secondAdmin(suite).publicKey),
                GenesisIdentity(name: "clerk", organization: "civil-affairs", role: .member, publicKey: member(suite).publicKey),
                GenesisIdentity(name: "auditor", organization: "audit-office", role: .auditor, publicKey: auditor(suite).publicKey),
                GenesisIdentity(name: "portal", organization: "it-dept", role: .client, publicKey: client(suite).publicKey),
            ],
            parameters: ChainParameters())
    }

    static func block(_ suite: CryptoSuite = .intl, height: UInt64 = 1, time: UInt64 = 10_000) -> BlockContext {
        BlockContext(chainID: chainID, suite: suite, height: Height(height), time: Timestamp(milliseconds: time))
    }

    /// A signed transaction calling `contract.method(arguments)`; `nonce` keeps hashes apart.
    static func transaction(_ signer: PrivateKey, _ contract: String, _ method: String, _ arguments: [UInt8],
                            nonce: UInt64 = 0, expiresAt: UInt64 = 100_000) -> Transaction {
        let body = TransactionBody(chainID: chainID, signer: signer.publicKey, nonce: nonce,
                                   expiresAt: Timestamp(milliseconds: expiresAt),
                                   call: ContractCall(contract: contract, method: method, arguments: arguments))
        do { return try Transaction(signing: body, with: signer) } catch { fatalError("signing failed: \(error)") }
    }
}
