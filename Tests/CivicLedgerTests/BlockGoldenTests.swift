import CivicCodec
import CivicCrypto
import Foundation
import Testing
@testable import CivicLedger

/// Fixed-content values of every ledger wire type, from which the golden vectors are computed.
///
/// Wire layouts (see each type's `encode(to:)`; `str`/`bytes` = varint length + bytes, `seq` = varint count +
/// elements, `u32`/`u64` big-endian, `opt` = marker byte 0/1 + value):
/// - PublicKey: suite u8 (1 sm, 2 intl) | 65-byte uncompressed point. Signature: 64 bytes r||s. Hash256: 32 bytes.
/// - Vote: kind u8 (1 prevote, 2 precommit) | height u64 | round u32 | opt blockHash.
/// - SignedVote: Vote | validatorIndex u32 | Signature.
/// - CommitCertificate: height u64 | round u32 | blockHash | seq (validatorIndex u32 | Signature).
/// - ContractCall: str contract | str method | bytes arguments.
/// - TransactionBody: version u8 (1) | str chainID | PublicKey | nonce u64 | expiresAt u64 | ContractCall.
/// - Transaction: TransactionBody | Signature. Its hash is H("CivicLedger/tx/v1" || body), without the signature.
/// - Receipt: txHash | status (varint 0 success; 1, str code, str message) | seq Event | bytes returnData | gasUsed u64;
///   Event: str contract | str name | seq (str key | str value).
/// - BlockHeader: version u8 (1) | str chainID | height u64 | time u64 | previousHash | proposer u32 |
///   transactionCount u32 | transactionsRoot | receiptsRoot | stateRoot | validatorsHash; hash over
///   "CivicLedger/header/v1" || header. Block: BlockHeader | seq Transaction.
/// - Validator: str name | str organization | PublicKey | power u64; ValidatorSet: seq Validator, hash over
///   "CivicLedger/validators/v1" || set.
/// - Genesis: version u8 (1) | str chainID | suite u8 | time u64 | ValidatorSet | seq (str name | str organization |
///   role u8 | PublicKey) | blockTransactionsMax u32 | blockIntervalMs u32; hash over "CivicLedger/genesis/v1" || genesis.
/// - MerkleProof: leafIndex u64 | seq Hash256. StateProof: depth varint | bitmap ceil(depth/8) bytes |
///   seq present siblings | terminal (varint 0 empty; 1, keyPath, valueHash).
/// - CertifiedHeader: BlockHeader | CommitCertificate. TransactionProof: CertifiedHeader | Transaction | MerkleProof |
///   Receipt | MerkleProof | seq ValidatorSetTransition. StateEntryProof: CertifiedHeader | bytes key |
///   opt-bytes value | StateProof | seq ValidatorSetTransition.
/// - ValidatorSetEntry: appliesFrom u64 | ValidatorSet | proposalID u64. ValidatorSetTransition: CertifiedHeader |
///   index u64 | ValidatorSetEntry | StateProof.
/// - ProofFile: "CIVICPROOF" | version u8 (2; 1 is read, without the transitions) | kind varint (1 transaction,
///   2 state) | proof.
enum GoldenSamples {
    static let signature = try! Signature(rawRepresentation: Array(1...64))
    static func key(_ suite: CryptoSuite) -> PublicKey {
        try! PrivateKey(suite: suite, rawRepresentation: Array(1...32)).publicKey
    }
    static func hash(_ byte: UInt8) -> Hash256 { Hash256(bytes: [UInt8](repeating: byte, count: 32)) }

    static let vote = Vote(kind: .precommit, height: Height(7), round: Round(2), blockHash: hash(0xab))
    static let nilVote = Vote(kind: .prevote, height: Height(0x0102_0304_0506_0708), round: Round(0x0a0b_0c0d), blockHash: nil)
    static let signedVote = SignedVote(vote: vote, validatorIndex: 3, signature: signature)
    static let certificate = CommitCertificate(height: Height(7), round: Round(2), blockHash: hash(0xab), signatures: [
        CommitSignature(validatorIndex: 0, signature: signature), CommitSignature(validatorIndex: 2, signature: signature),
    ])
    static let call = ContractCall(contract: "evidence", method: "put", arguments: [1, 2, 3])

    static func body(_ suite: CryptoSuite) -> TransactionBody {
        TransactionBody(chainID: "civic-golden", signer: key(suite), nonce: 42,
                        expiresAt: Timestamp(milliseconds: 1_700_000_000_000), call: call)
    }
    static func transaction(_ suite: CryptoSuite) -> Transaction { Transaction(body: body(suite), signature: signature) }

    static let successReceipt = Receipt(
        transactionHash: hash(0x11), status: .success,
        events: [Event(contract: "evidence", name: "evidence.recorded",
                       attributes: [EventAttribute("label", "案件-1"), EventAttribute("algorithm", "sm3")])],
        returnData: [0xde, 0xad], gasUsed: 34_146)
    static let failureReceipt = Receipt(
        transactionHash: hash(0x12), status: .failure(code: "evidence.duplicate", message: "already recorded"),
        events: [Event(contract: "kv", name: "kv.written", attributes: [])])

    static func header(_ suite: CryptoSuite) -> BlockHeader {
        BlockHeader(chainID: "civic-golden", height: Height(9), time: Timestamp(milliseconds: 1_700_000_000_500),
                    previousHash: hash(0x01), proposer: 1, transactionCount: 1, transactionsRoot: hash(0x02),
                    receiptsRoot: hash(0x03), stateRoot: hash(0x04), validatorsHash: validators(suite).hash(suite: suite))
    }
    static func block(_ suite: CryptoSuite) -> Block { Block(header: header(suite), transactions: [transaction(suite)]) }

    static func validators(_ suite: CryptoSuite) -> ValidatorSet {
        ValidatorSet([Validator(name: "civil-affairs-1", organization: "Civil Affairs", publicKey: key(suite), power: 10)])
    }

    static func genesis(_ suite: CryptoSuite) -> Genesis {
        Genesis(chainID: "civic-golden", suite: suite, time: Timestamp(milliseconds: 1_700_000_000_000),
                validators: validators(suite),
                identities: [GenesisIdentity(name: "admin", organization: "City Hall", role: .admin, publicKey: key(suite))],
                parameters: ChainParameters(blockTransactionsMax: 5_000, blockIntervalMilliseconds: 200))
    }

    static func anchor(_ suite: CryptoSuite) -> CertifiedHeader { CertifiedHeader(header: header(suite), certificate: certificate) }

    static func transactionProof(_ suite: CryptoSuite) -> TransactionProof {
        TransactionProof(anchor: anchor(suite), transaction: transaction(suite),
                         transactionPath: MerkleProof(leafIndex: 1, path: [hash(0x21), hash(0x22)]),
                         receipt: successReceipt, receiptPath: MerkleProof(leafIndex: 1, path: [hash(0x23)]))
    }

    static func stateProof(_ suite: CryptoSuite) -> StateEntryProof {
        StateEntryProof(anchor: anchor(suite), key: Array("kv/key".utf8), value: Array("value".utf8),
                        proof: StateProof(siblings: [hash(0x31), .zero, .zero, hash(0x32)],
                                          terminal: .leaf(keyPath: hash(0x33), valueHash: hash(0x34))))
    }

    static func absenceProof(_ suite: CryptoSuite) -> StateEntryProof {
        StateEntryProof(anchor: anchor(suite), key: Array("kv/none".utf8), value: nil,
                        proof: StateProof(siblings: [.zero, hash(0x35)], terminal: .empty))
    }

    static func validatorSetEntry(_ suite: CryptoSuite) -> ValidatorSetEntry {
        ValidatorSetEntry(appliesFrom: Height(11), validators: validators(suite), proposalID: 3)
    }

    static func transition(_ suite: CryptoSuite) -> ValidatorSetTransition {
        ValidatorSetTransition(anchor: anchor(suite), index: 1, entry: validatorSetEntry(suite),
                               proof: StateProof(siblings: [hash(0x41), hash(0x42)],
                                                 terminal: .leaf(keyPath: hash(0x43), valueHash: hash(0x44))))
    }

    static func stateProofWithTransition(_ suite: CryptoSuite) -> StateEntryProof {
        var proof = stateProof(suite)
        proof.transitions = [transition(suite)]
        return proof
    }

    /// `ProofFile.state(stateProof(.intl))` as version 1 wrote it, before proofs carried transitions.
    static let version1StateFileIntl = "434956494350524f4f460102010c63697669632d676f6c64656e00000000000000090000018bcfe569f401010101010101010101010101010101010101010101010101010101010101010000000100000001020202020202020202020202020202020202020202020202020202020202020203030303030303030303030303030303030303030303030303030303030303030404040404040404040404040404040404040404040404040404040404040404f6cf90aea51267d5da06995c3814293c2d2551049f7e2cb46e48d1b4b1efbe1b000000000000000700000002abababababababababababababababababababababababababababababababab02000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40000000020102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40066b762f6b6579010576616c7565049002313131313131313131313131313131313131313131313131313131313131313132323232323232323232323232323232323232323232323232323232323232320133333333333333333333333333333333333333333333333333333333333333333434343434343434343434343434343434343434343434343434343434343434"

    /// Every golden entry: a name and its bytes (an encoding, or a hash's 32 bytes).
    static func entries() -> [(name: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = [
            ("Vote", vote.canonicalBytes), ("Vote.nil", nilVote.canonicalBytes),
            ("Vote.signBytes", vote.signBytes(chainID: "civic-golden")),
            ("SignedVote", signedVote.canonicalBytes), ("CommitCertificate", certificate.canonicalBytes),
            ("ContractCall", call.canonicalBytes),
            ("Receipt.success", successReceipt.canonicalBytes), ("Receipt.failure", failureReceipt.canonicalBytes),
        ]
        for suite in [CryptoSuite.intl, .sm] {
            let name = suite.name
            out += [
                ("PublicKey.\(name)", key(suite).canonicalBytes),
                ("TransactionBody.\(name)", body(suite).canonicalBytes),
                ("Transaction.\(name)", transaction(suite).canonicalBytes),
                ("Transaction.hash.\(name)", transaction(suite).hash(suite: suite).bytes),
                ("BlockHeader.\(name)", header(suite).canonicalBytes),
                ("BlockHeader.hash.\(name)", header(suite).hash(suite: suite).bytes),
                ("Block.\(name)", block(suite).canonicalBytes),
                ("ValidatorSet.\(name)", validators(suite).canonicalBytes),
                ("ValidatorSet.hash.\(name)", validators(suite).hash(suite: suite).bytes),
                ("Genesis.\(name)", genesis(suite).canonicalBytes),
                ("Genesis.hash.\(name)", genesis(suite).hash.bytes),
                ("TransactionProof.\(name)", transactionProof(suite).canonicalBytes),
                ("StateEntryProof.\(name)", stateProof(suite).canonicalBytes),
                ("StateEntryProof.absent.\(name)", absenceProof(suite).canonicalBytes),
                ("ProofFile.transaction.\(name)", ProofFile.transaction(transactionProof(suite)).canonicalBytes),
                ("ProofFile.state.\(name)", ProofFile.state(stateProof(suite)).canonicalBytes),
                ("ValidatorSetEntry.\(name)", validatorSetEntry(suite).canonicalBytes),
                ("ValidatorSetTransition.\(name)", transition(suite).canonicalBytes),
                ("ProofFile.state.transitions.\(name)",
                 ProofFile.state(stateProofWithTransition(suite)).canonicalBytes),
            ]
        }
        // The hash of the same header differs between suites (SM3 vs SHA-256) even for the same bytes.
        out.append(("BlockHeader.intl.hash.sm", header(.intl).hash(suite: .sm).bytes))
        return out
    }
}

/// Compares every golden entry with the committed vectors in `BlockGoldenVectorsTests.swift`.
/// Regenerate with `CIVIC_REWRITE_GOLDEN=1 swift test --filter BlockGoldenTests` and review the diff.
@Suite struct BlockGoldenTests {
    static let rewrite = ProcessInfo.processInfo.environment["CIVIC_REWRITE_GOLDEN"] == "1"

    @Test func encodingsAndHashesMatchTheCommittedVectors() throws {
        let current = GoldenSamples.entries().map { (name: $0.name, hex: Hex.encode($0.bytes)) }
        #expect(Set(current.map(\.name)).count == current.count, "golden names must be unique")
        if Self.rewrite {
            var text = "// Generated by BlockGoldenTests with CIVIC_REWRITE_GOLDEN=1; review changes as a diff.\n"
            text += "// These bytes freeze the wire format: a change here is a protocol change.\n\n"
            text += "enum BlockGoldenVectors {\n    static let entries: [(name: String, hex: String)] = [\n"
            for entry in current { text += "        (\"\(entry.name)\", \"\(entry.hex)\"),\n" }
            text += "    ]\n}\n"
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("BlockGoldenVectorsTests.swift")
            try text.write(to: path, atomically: true, encoding: .utf8)
            print(text)
            return
        }
        let committed = BlockGoldenVectors.entries
        #expect(committed.map(\.name) == current.map(\.name), "the set of golden entries changed; regenerate")
        let byName = Dictionary(committed.map { ($0.name, $0.hex) }, uniquingKeysWith: { first, _ in first })
        for entry in current {
            #expect(byName[entry.name] == entry.hex, "golden '\(entry.name)' differs")
        }
    }

    /// Every golden encoding decodes back to the sample it came from.
    @Test func goldenEncodingsDecodeToTheirValues() throws {
        let byName = Dictionary(BlockGoldenVectors.entries.map { ($0.name, Hex.decode($0.hex) ?? []) },
                                uniquingKeysWith: { first, _ in first })
        func check<T: CanonicalCodable & Equatable>(_ name: String, _ value: T) throws {
            let bytes = try #require(byName[name], "missing golden \(name)")
            #expect(try T(canonicalBytes: bytes) == value, "\(name)")
        }
        try check("Vote", GoldenSamples.vote)
        try check("Vote.nil", GoldenSamples.nilVote)
        try check("SignedVote", GoldenSamples.signedVote)
        try check("CommitCertificate", GoldenSamples.certificate)
        try check("ContractCall", GoldenSamples.call)
        try check("Receipt.success", GoldenSamples.successReceipt)
        try check("Receipt.failure", GoldenSamples.failureReceipt)
        for suite in [CryptoSuite.intl, .sm] {
            try check("Transaction.\(suite.name)", GoldenSamples.transaction(suite))
            try check("BlockHeader.\(suite.name)", GoldenSamples.header(suite))
            try check("Block.\(suite.name)", GoldenSamples.block(suite))
            try check("Genesis.\(suite.name)", GoldenSamples.genesis(suite))
            try check("ValidatorSet.\(suite.name)", GoldenSamples.validators(suite))
            try check("ProofFile.transaction.\(suite.name)", ProofFile.transaction(GoldenSamples.transactionProof(suite)))
            try check("ProofFile.state.\(suite.name)", ProofFile.state(GoldenSamples.stateProof(suite)))
            try check("StateEntryProof.absent.\(suite.name)", GoldenSamples.absenceProof(suite))
            try check("ValidatorSetEntry.\(suite.name)", GoldenSamples.validatorSetEntry(suite))
            try check("ValidatorSetTransition.\(suite.name)", GoldenSamples.transition(suite))
            try check("ProofFile.state.transitions.\(suite.name)",
                      ProofFile.state(GoldenSamples.stateProofWithTransition(suite)))
        }
    }

    /// Version 1 files (no transitions) are still read, as proofs without transitions; re-encoding writes version 2.
    @Test func version1FilesAreStillRead() throws {
        let bytes = try #require(Hex.decode(GoldenSamples.version1StateFileIntl))
        #expect(bytes[10] == 1)
        let file = try ProofFile.decode(bytes)
        #expect(file == .state(GoldenSamples.stateProof(.intl)))
        #expect(file.canonicalBytes == Array(bytes.prefix(10)) + [2] + bytes.dropFirst(11) + [0])
        // A version 1 file with a transition count appended is refused: version 1 ends after the proof.
        #expect(throws: ProofError.self) { try ProofFile.decode(bytes + [0]) }
    }

    /// Hand-checked layouts of the small types, so the goldens are not merely self-consistent.
    @Test func smallLayoutsAreAsDocumented() {
        let h: [UInt8] = [UInt8](repeating: 0xab, count: 32)
        let sig: [UInt8] = GoldenSamples.signature.rawRepresentation
        #expect(sig.count == 64 && sig.first == 1 && sig.last == 64)
        var vote: [UInt8] = [2, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 2, 1]
        vote += h
        #expect(GoldenSamples.vote.canonicalBytes == vote)
        let nilVote: [UInt8] = [1, 1, 2, 3, 4, 5, 6, 7, 8, 0x0a, 0x0b, 0x0c, 0x0d, 0]
        #expect(GoldenSamples.nilVote.canonicalBytes == nilVote)
        var signedVote: [UInt8] = vote
        signedVote += [0, 0, 0, 3]
        signedVote += sig
        #expect(GoldenSamples.signedVote.canonicalBytes == signedVote)
        var certificate: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 2]
        certificate += h
        certificate += [2, 0, 0, 0, 0]
        certificate += sig
        certificate += [0, 0, 0, 2]
        certificate += sig
        #expect(GoldenSamples.certificate.canonicalBytes == certificate)
        var call: [UInt8] = [8]
        call += Array("evidence".utf8)
        call += [3]
        call += Array("put".utf8)
        call += [3, 1, 2, 3]
        #expect(GoldenSamples.call.canonicalBytes == call)
        let key = GoldenSamples.key(.intl)
        #expect(key.canonicalBytes == [2] + key.rawRepresentation)
        #expect(GoldenSamples.key(.sm).canonicalBytes.first == 1)
        var body: [UInt8] = [1, 12]
        body += Array("civic-golden".utf8)
        body += key.canonicalBytes
        body += [0, 0, 0, 0, 0, 0, 0, 42]
        body += UInt64(1_700_000_000_000).canonicalBytes
        body += call
        #expect(GoldenSamples.body(.intl).canonicalBytes == body)
        #expect(GoldenSamples.transaction(.intl).canonicalBytes == body + sig)
        #expect(ReceiptStatus.success.canonicalBytes == [0])
        #expect(ReceiptStatus.failure(code: "a", message: "").canonicalBytes == [1, 1, 0x61, 0])
        let proof = StateProof(siblings: [GoldenSamples.hash(0x31), .zero, .zero, GoldenSamples.hash(0x32)], terminal: .empty)
        var proofBytes: [UInt8] = [4, 0b1001_0000, 2]
        proofBytes += GoldenSamples.hash(0x31).bytes
        proofBytes += GoldenSamples.hash(0x32).bytes
        proofBytes += [0]
        #expect(proof.canonicalBytes == proofBytes)
        #expect(MerkleProof(leafIndex: 1, path: []).canonicalBytes == [0, 0, 0, 0, 0, 0, 0, 1, 0])
        let prefix: [UInt8] = Array("CIVICPROOF".utf8) + [2, 2]
        #expect(Array(ProofFile.state(GoldenSamples.stateProof(.intl)).canonicalBytes.prefix(12)) == prefix)
    }
}
