import CivicCodec
import CivicCrypto
import CivicTesting
import Testing
@testable import CivicLedger

/// The seeded generator of the test-support product, with the fixed property-test seeds.
typealias LedgerSplitMix64 = SplitMix64

extension SplitMix64 {
    /// The seeds the property tests run with (fixed, so that every run checks the same cases).
    static var seeds: [UInt64] { propertySeeds }
}

/// Deterministic keys, a genesis and a real certified block with proofs, shared by the ledger tests.
enum LedgerFixtures {
    static let chainID = "civic-test"

    /// A key whose private scalar is `number` (big-endian, 32 bytes): the same key on every run.
    static func key(_ suite: CryptoSuite, _ number: UInt8) -> PrivateKey {
        do {
            return try PrivateKey(suite: suite, rawRepresentation: [UInt8](repeating: 0, count: 31) + [number])
        } catch {
            fatalError("fixed test key \(number) refused: \(error)")
        }
    }

    /// The keys of the four validators (scalars 1…4).
    static func validatorKeys(_ suite: CryptoSuite) -> [PrivateKey] { (1...4).map { key(suite, $0) } }

    /// Four validators of power 1 each: the quorum is 3.
    static func validators(_ suite: CryptoSuite) -> ValidatorSet {
        ValidatorSet(validatorKeys(suite).enumerated().map { index, key in
            Validator(name: "validator-\(index)", organization: "org-\(index)", publicKey: key.publicKey, power: 1)
        })
    }

    static func adminKey(_ suite: CryptoSuite) -> PrivateKey { key(suite, 10) }
    static func memberKey(_ suite: CryptoSuite) -> PrivateKey { key(suite, 11) }

    static func genesis(_ suite: CryptoSuite) -> Genesis {
        Genesis(chainID: chainID, suite: suite, time: Timestamp(milliseconds: 1_700_000_000_000),
                validators: validators(suite),
                identities: [
                    GenesisIdentity(name: "admin", organization: "city-hall", role: .admin, publicKey: adminKey(suite).publicKey),
                    GenesisIdentity(name: "clerk", organization: "civil-affairs", role: .member,
                                    publicKey: memberKey(suite).publicKey),
                ],
                parameters: ChainParameters())
    }

    static func hash(_ byte: UInt8) -> Hash256 { Hash256(bytes: [UInt8](repeating: byte, count: 32)) }

    static func signed(_ body: TransactionBody, _ key: PrivateKey) -> Transaction {
        do { return try Transaction(signing: body, with: key) } catch { fatalError("signing failed: \(error)") }
    }

    /// A certificate for `header` signed by the validators at `signers` (in that order).
    static func certificate(for header: BlockHeader, suite: CryptoSuite, signers: [Int] = [0, 1, 2],
                            round: Round = Round(0)) -> CommitCertificate {
        let blockHash = header.hash(suite: suite)
        let vote = Vote(kind: .precommit, height: header.height, round: round, blockHash: blockHash)
        let keys = validatorKeys(suite)
        let signatures = signers.map { index in
            CommitSignature(validatorIndex: UInt32(index),
                            signature: try! keys[index].signature(for: vote.signBytes(chainID: header.chainID)))
        }
        return CommitCertificate(height: header.height, round: round, blockHash: blockHash, signatures: signatures)
    }
}

/// A committed block at height 1 with three transactions, their receipts, a state tree and a certificate:
/// everything a proof is built from.
struct ChainFixture {
    let suite: CryptoSuite
    let genesis: Genesis
    let transactions: [Transaction]
    let receipts: [Receipt]
    let state: StateTree
    let header: BlockHeader
    let certificate: CommitCertificate

    static let stateEntries: [(key: [UInt8], value: [UInt8])] = [
        (Array("kv/alpha".utf8), Array("one".utf8)),
        (Array("kv/beta".utf8), Array("two".utf8)),
        (Array("evidence/x".utf8), [1, 2, 3]),
    ]

    /// The block; with `badSignatureAt`, that transaction carries a signature that does not verify
    /// (but is committed all the same, to test that proofs check it).
    init(_ suite: CryptoSuite, badSignatureAt: Int? = nil) {
        self.suite = suite
        genesis = LedgerFixtures.genesis(suite)
        let admin = LedgerFixtures.adminKey(suite)
        var transactions = (0..<3).map { index in
            LedgerFixtures.signed(
                TransactionBody(chainID: LedgerFixtures.chainID, signer: admin.publicKey, nonce: UInt64(index),
                                expiresAt: Timestamp(milliseconds: 1_700_000_100_000),
                                call: ContractCall(contract: "kv", method: "put", arguments: [UInt8(index)])),
                admin)
        }
        if let badSignatureAt {
            transactions[badSignatureAt].signature = transactions[(badSignatureAt + 1) % 3].signature
        }
        self.transactions = transactions
        receipts = transactions.enumerated().map { index, transaction in
            index == 1
                ? Receipt(transactionHash: transaction.hash(suite: suite),
                          status: .failure(code: "kv.not_found", message: "nothing there"))
                : Receipt(transactionHash: transaction.hash(suite: suite), status: .success,
                          events: [Event(contract: "kv", name: "kv.written", attributes: [EventAttribute("key", "\(index)")])])
        }
        state = StateTree(suite: suite, entries: ChainFixture.stateEntries)
        header = BlockHeader(
            chainID: LedgerFixtures.chainID, height: Height(1), time: Timestamp(milliseconds: 1_700_000_001_000),
            previousHash: genesis.hash, proposer: 0, transactionCount: UInt32(transactions.count),
            transactionsRoot: MerkleTree.root(leaves: transactions.map(\.canonicalBytes), suite: suite),
            receiptsRoot: MerkleTree.root(leaves: receipts.map(\.canonicalBytes), suite: suite),
            stateRoot: state.root, validatorsHash: genesis.validators.hash(suite: suite))
        certificate = LedgerFixtures.certificate(for: header, suite: suite)
    }

    var anchor: CertifiedHeader { CertifiedHeader(header: header, certificate: certificate) }

    func transactionProof(index: Int) -> TransactionProof {
        TransactionProof(
            anchor: anchor, transaction: transactions[index],
            transactionPath: MerkleTree.auditPath(index: UInt64(index), leaves: transactions.map(\.canonicalBytes), suite: suite),
            receipt: receipts[index],
            receiptPath: MerkleTree.auditPath(index: UInt64(index), leaves: receipts.map(\.canonicalBytes), suite: suite))
    }

    func stateProof(key: [UInt8]) -> StateEntryProof {
        let value = ChainFixture.stateEntries.first { $0.key == key }?.value
        return StateEntryProof(anchor: anchor, key: key, value: value, proof: state.proof(forKey: key))
    }
}

@Suite struct ProofFixturesTests {
    @Test(arguments: CryptoSuite.allCases)
    func fixedKeysAreDeterministicAndGenesisIsValid(suite: CryptoSuite) {
        #expect(LedgerFixtures.key(suite, 1).publicKey == LedgerFixtures.key(suite, 1).publicKey)
        #expect(LedgerFixtures.key(suite, 1).publicKey != LedgerFixtures.key(suite, 2).publicKey)
        #expect(LedgerFixtures.genesis(suite).validationProblem() == nil)
        #expect(LedgerFixtures.validators(suite).quorumPower == 3)
    }
}
