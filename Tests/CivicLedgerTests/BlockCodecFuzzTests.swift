import CivicTesting
import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

/// One wire type under fuzzing: decode-then-encode, erased to bytes.
struct FuzzTarget: Sendable {
    let name: String
    let samples: [[UInt8]]
    /// The re-encoding of `bytes` if they decode, else `nil`.
    let reencode: @Sendable ([UInt8]) -> [UInt8]?
    /// Whether `bytes` decode to a value different from sample `index`.
    let differsFromSample: @Sendable ([UInt8], Int) -> Bool

    init<T: CanonicalCodable & Equatable & Sendable>(_ type: T.Type, _ samples: [T]) {
        name = String(describing: type)
        self.samples = samples.map(\.canonicalBytes)
        reencode = { bytes in (try? T(canonicalBytes: bytes))?.canonicalBytes }
        differsFromSample = { bytes, index in (try? T(canonicalBytes: bytes)).map { $0 != samples[index] } ?? true }
    }
}

/// Random but valid values of the ledger types, from a seeded generator.
struct RandomLedgerValues {
    var random: LedgerSplitMix64
    static let keys: [PublicKey] = CryptoSuite.allCases.flatMap { suite in (1...3).map { LedgerFixtures.key(suite, $0).publicKey } }

    init(seed: UInt64) { random = LedgerSplitMix64(seed: seed) }

    mutating func number() -> UInt64 {
        switch random.next() % 3 {
        case 0: random.next() % 200
        case 1: random.next() >> (random.next() % 64)
        default: random.next()
        }
    }
    mutating func hash() -> Hash256 { random.next() % 8 == 0 ? .zero : Hash256(bytes: random.bytes(count: 32)) }
    mutating func text(_ maxBytes: Int = 12) -> String {
        let pieces = ["a", "b", "-", "7", "é", "中", "🙂"]
        var out = ""
        for _ in 0..<(random.next() % 8) {
            let piece = pieces[Int(random.next() % UInt64(pieces.count))]
            if out.utf8.count + piece.utf8.count <= maxBytes { out += piece }
        }
        return out
    }
    mutating func bytes(_ max: Int = 20) -> [UInt8] { random.bytes(count: Int(random.next() % UInt64(max + 1))) }
    mutating func key() -> PublicKey { Self.keys[Int(random.next() % UInt64(Self.keys.count))] }
    mutating func signature() -> Signature { try! Signature(rawRepresentation: random.bytes(count: 64)) }

    mutating func vote() -> Vote {
        Vote(kind: random.next() & 1 == 0 ? .prevote : .precommit, height: Height(number()),
             round: Round(UInt32(truncatingIfNeeded: number())), blockHash: random.next() & 1 == 0 ? nil : hash())
    }
    mutating func signedVote() -> SignedVote {
        SignedVote(vote: vote(), validatorIndex: UInt32(truncatingIfNeeded: number()), signature: signature())
    }
    mutating func certificate() -> CommitCertificate {
        CommitCertificate(height: Height(number()), round: Round(UInt32(truncatingIfNeeded: number())), blockHash: hash(),
                          signatures: (0..<(random.next() % 4)).map { _ in
                              CommitSignature(validatorIndex: UInt32(truncatingIfNeeded: number()), signature: signature())
                          })
    }
    mutating func call() -> ContractCall { ContractCall(contract: text(), method: text(), arguments: bytes()) }
    mutating func body() -> TransactionBody {
        TransactionBody(chainID: text(), signer: key(), nonce: number(), expiresAt: Timestamp(milliseconds: number()), call: call())
    }
    mutating func transaction() -> Transaction { Transaction(body: body(), signature: signature()) }
    mutating func event() -> Event {
        Event(contract: text(), name: text(), attributes: (0..<(random.next() % 3)).map { _ in EventAttribute(text(), text(30)) })
    }
    mutating func receipt() -> Receipt {
        Receipt(transactionHash: hash(),
                status: random.next() & 1 == 0 ? .success : .failure(code: text(), message: text(40)),
                events: (0..<(random.next() % 3)).map { _ in event() }, returnData: bytes(),
                gasUsed: random.next() % (Limits.transactionGasMax + 1))
    }
    mutating func header(transactionCount: UInt32? = nil) -> BlockHeader {
        BlockHeader(chainID: text(), height: Height(number()), time: Timestamp(milliseconds: number()), previousHash: hash(),
                    proposer: UInt32(truncatingIfNeeded: number()),
                    transactionCount: transactionCount ?? UInt32(truncatingIfNeeded: number()),
                    transactionsRoot: hash(), receiptsRoot: hash(), stateRoot: hash(), validatorsHash: hash())
    }
    mutating func block() -> Block {
        let transactions = (0..<(random.next() % 3)).map { _ in transaction() }
        return Block(header: header(transactionCount: UInt32(transactions.count)), transactions: transactions)
    }
    mutating func validators() -> ValidatorSet {
        ValidatorSet((0..<(1 + random.next() % 3)).map { index in
            Validator(name: "v\(index)" + text(4), organization: text(), publicKey: key(), power: 1 + random.next() % 1_000)
        })
    }
    mutating func genesis() -> Genesis {
        let suite: CryptoSuite = random.next() & 1 == 0 ? .sm : .intl
        let keys = (1...4).map { LedgerFixtures.key(suite, $0).publicKey }
        let set = ValidatorSet((0..<(1 + Int(random.next() % 3))).map { index in
            Validator(name: "v\(index)", organization: text(), publicKey: keys[index], power: 1 + random.next() % 100)
        })
        let roles = Role.allCases
        let identities = (0..<(random.next() % 3)).map { index in
            GenesisIdentity(name: text(), organization: text(), role: roles[Int(random.next() % 6)], publicKey: keys[Int(index)])
        } + [GenesisIdentity(name: "admin", organization: text(), role: .admin, publicKey: keys[3])]
        return Genesis(chainID: "chain-\(random.next() % 100)", suite: suite, time: Timestamp(milliseconds: number()),
                       validators: set, identities: identities,
                       parameters: ChainParameters(blockTransactionsMax: UInt32(1 + random.next() % 10_000),
                                                   blockIntervalMilliseconds: UInt32(10 + random.next() % 59_991)))
    }
    mutating func merkleProof() -> MerkleProof {
        MerkleProof(leafIndex: number(), path: (0..<(random.next() % 4)).map { _ in hash() })
    }
    mutating func stateProof() -> StateProof {
        var siblings = (0..<(random.next() % 12)).map { _ in random.next() % 3 == 0 ? Hash256.zero : hash() }
        if let last = siblings.indices.last, siblings[last] == .zero { siblings[last] = Hash256(bytes: random.bytes(count: 32)) }
        return StateProof(siblings: siblings,
                          terminal: random.next() & 1 == 0 ? .empty : .leaf(keyPath: hash(), valueHash: hash()))
    }
    mutating func anchor() -> CertifiedHeader { CertifiedHeader(header: header(), certificate: certificate()) }
    mutating func transactionProof() -> TransactionProof {
        TransactionProof(anchor: anchor(), transaction: transaction(), transactionPath: merkleProof(), receipt: receipt(),
                         receiptPath: merkleProof())
    }
    mutating func stateEntryProof() -> StateEntryProof {
        StateEntryProof(anchor: anchor(), key: bytes(), value: random.next() & 1 == 0 ? nil : bytes(), proof: stateProof())
    }
    mutating func proofFile() -> ProofFile {
        random.next() & 1 == 0 ? .transaction(transactionProof()) : .state(stateEntryProof())
    }

    /// Samples of every ledger wire type.
    mutating func targets(count: Int) -> [FuzzTarget] {
        func many<T>(_ make: () -> T) -> [T] { (0..<count).map { _ in make() } }
        return [
            FuzzTarget(Vote.self, many { vote() }),
            FuzzTarget(SignedVote.self, many { signedVote() }),
            FuzzTarget(CommitCertificate.self, many { certificate() }),
            FuzzTarget(ContractCall.self, many { call() }),
            FuzzTarget(TransactionBody.self, many { body() }),
            FuzzTarget(Transaction.self, many { transaction() }),
            FuzzTarget(Event.self, many { event() }),
            FuzzTarget(Receipt.self, many { receipt() }),
            FuzzTarget(BlockHeader.self, many { header() }),
            FuzzTarget(Block.self, many { block() }),
            FuzzTarget(ValidatorSet.self, many { validators() }),
            FuzzTarget(Genesis.self, many { genesis() }),
            FuzzTarget(Address.self, many { Address(bytes: random.bytes(count: 20)) }),
            FuzzTarget(Role.self, Role.allCases),
            FuzzTarget(Height.self, many { Height(number()) }),
            FuzzTarget(PublicKey.self, many { key() }),
            FuzzTarget(MerkleProof.self, many { merkleProof() }),
            FuzzTarget(StateProof.self, many { stateProof() }),
            FuzzTarget(CertifiedHeader.self, many { anchor() }),
            FuzzTarget(TransactionProof.self, many { transactionProof() }),
            FuzzTarget(StateEntryProof.self, many { stateEntryProof() }),
            FuzzTarget(ProofFile.self, many { proofFile() }),
        ]
    }
}


@Suite struct BlockCodecFuzzTests {
    @Test(arguments: LedgerSplitMix64.seeds)
    func randomValuesRoundTrip(seed: UInt64) throws {
        var values = RandomLedgerValues(seed: seed)
        func check<T: CanonicalCodable & Equatable>(_ value: T) {
            let decoded = try? T(canonicalBytes: value.canonicalBytes)
            #expect(decoded == value, "seed \(seed): \(T.self) did not round-trip")
        }
        for _ in 0..<200 {
            check(values.vote()); check(values.signedVote()); check(values.certificate()); check(values.call())
            check(values.body()); check(values.transaction()); check(values.receipt()); check(values.header())
            check(values.block()); check(values.validators()); check(values.genesis()); check(values.merkleProof())
            check(values.stateProof()); check(values.anchor()); check(values.transactionProof())
            check(values.stateEntryProof()); check(values.proofFile())
        }
    }

    /// Canonicality: mutated encodings and pure random bytes, whenever they decode, re-encode to the same bytes.
    @Test(arguments: LedgerSplitMix64.seeds)
    func acceptedBytesReEncodeIdentically(seed: UInt64) {
        var values = RandomLedgerValues(seed: seed)
        let targets = values.targets(count: 20)
        var random = LedgerSplitMix64(seed: seed ^ 0xF022)
        for target in targets {
            var accepted = 0
            for iteration in 0..<1_500 {
                var bytes: [UInt8]
                if iteration % 10 == 0 {
                    bytes = random.bytes(count: Int(random.next() % 80))
                } else {
                    bytes = target.samples[Int(random.next() % UInt64(target.samples.count))]
                    for _ in 0..<(1 + random.next() % 3) {
                        let position = Int(random.next() % UInt64(bytes.count + 1))
                        let kind = random.next() % 5
                        if kind <= 1, position < bytes.count {
                            bytes[position] = UInt8(truncatingIfNeeded: random.next())
                        } else if kind == 2 {
                            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                        } else if kind == 3, position < bytes.count {
                            bytes.remove(at: position)
                        } else if kind == 4 {
                            bytes = Array(bytes.prefix(position))
                        }
                    }
                }
                guard let again = target.reencode(bytes) else { continue }
                accepted += 1
                #expect(again == bytes, "seed \(seed): \(target.name) accepted non-canonical \(Hex.encode(bytes))")
            }
            #expect(accepted > 0 || target.name == "PublicKey", "seed \(seed): no mutated \(target.name) decoded")
        }
    }

    /// A single changed byte is refused, or decodes to a different value whose encoding is the changed bytes.
    @Test(arguments: LedgerSplitMix64.seeds)
    func singleByteMutationsAreRefusedOrCanonical(seed: UInt64) {
        var values = RandomLedgerValues(seed: seed)
        let targets = values.targets(count: 3)
        var random = LedgerSplitMix64(seed: seed ^ 0x5B17E)
        for target in targets {
            for (index, sample) in target.samples.enumerated() {
                for position in sample.indices {
                    var changed = sample
                    changed[position] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
                    guard let again = target.reencode(changed) else { continue }
                    #expect(again == changed, "seed \(seed): \(target.name) byte \(position)")
                    #expect(target.differsFromSample(changed, index), "seed \(seed): \(target.name) byte \(position)")
                }
            }
        }
    }
}
