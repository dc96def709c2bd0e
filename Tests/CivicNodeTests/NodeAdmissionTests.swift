import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Testing

/// Every bad input of the Foundation issue is refused with its own code, and changes nothing.
@Suite("Node admission refuses bad input")
struct NodeAdmissionTests {
    static let suites: [CryptoSuite] = [.sm, .intl]

    private func setUp(_ suite: CryptoSuite, mempoolCapacity: Int = 1_000) throws -> (Fixture, Node, MemoryLedgerStore) {
        let fixture = Fixture(suite: suite)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store, mempoolCapacity: mempoolCapacity)
        // One committed block so that refusals are checked against a non-trivial ledger.
        try commit([try fixture.evidence(by: fixture.memberKey)], on: node)
        #expect(try store.latestHeight() == Height(1))
        return (fixture, node, store)
    }

    @Test("A valid transaction is admitted (the control for every refusal below)", arguments: suites)
    func validIsAdmitted(suite: CryptoSuite) throws {
        let (fixture, node, _) = try setUp(suite)
        let transaction = try fixture.evidence(by: fixture.memberKey)
        #expect(try node.submit(transaction.canonicalBytes) == transaction.hash(suite: suite))
        #expect(node.pendingCount == 1)
    }

    @Test("Truncated bytes are malformed", arguments: suites)
    func truncated(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        let error = try expectRefusal(node, store: store, Array(bytes.dropLast()), code: "transaction.malformed")
        #expect(error == .malformed(.truncated(field: "signature")))
        try expectRefusal(node, store: store, [], code: "transaction.malformed")
        try expectRefusal(node, store: store, Array(bytes.prefix(bytes.count / 2)), code: "transaction.malformed")
    }

    @Test("A trailing byte is malformed", arguments: suites)
    func trailingByte(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        let error = try expectRefusal(node, store: store, bytes + [0], code: "transaction.malformed")
        #expect(error == .malformed(.trailingBytes(count: 1)))
    }

    @Test("A non-canonical varint is malformed", arguments: suites)
    func nonCanonicalVarint(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        // Byte 0 is the version; byte 1 is the chain id's length as a one-byte varint. Spell it in two bytes.
        let length = bytes[1]
        #expect(Int(length) == fixture.genesis.chainID.utf8.count)
        let padded = [bytes[0], length | 0x80, 0x00] + bytes[2...]
        let error = try expectRefusal(node, store: store, Array(padded), code: "transaction.malformed")
        guard case .malformed(.nonCanonicalInteger) = error else {
            Issue.record("expected a non-canonical integer, got \(String(describing: error))")
            return
        }
    }

    @Test("Unknown versions, unknown tags, bad UTF-8 and off-curve keys are malformed", arguments: suites)
    func malformedFields(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        let chainIDCount = fixture.genesis.chainID.utf8.count
        var version = bytes
        version[0] = 2
        #expect(try expectRefusal(node, store: store, version, code: "transaction.malformed")
                == .malformed(.unsupportedVersion(type: "transaction", version: 2)))
        var utf8 = bytes
        utf8[2] = 0xff
        #expect(try expectRefusal(node, store: store, utf8, code: "transaction.malformed")
                == .malformed(.invalidUTF8(field: "transaction.chain_id")))
        var suiteTag = bytes
        suiteTag[2 + chainIDCount] = 0x7f
        try expectRefusal(node, store: store, suiteTag, code: "transaction.malformed")
        var point = bytes
        point[2 + chainIDCount + 1 + 40] ^= 0x01
        try expectRefusal(node, store: store, point, code: "transaction.malformed")
    }

    @Test("An oversize transaction is refused before decoding", arguments: suites)
    func oversize(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let valid = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        let large = valid + [UInt8](repeating: 0, count: Limits.transactionBytesMax + 1 - valid.count)
        let error = try expectRefusal(node, store: store, large, code: "transaction.too_large")
        #expect(error == .tooLarge(bytes: Limits.transactionBytesMax + 1, max: Limits.transactionBytesMax))
    }

    @Test("An oversize field inside a small transaction is malformed", arguments: suites)
    func oversizeField(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let arguments = [UInt8](repeating: 7, count: Limits.callArgumentsBytesMax + 1)
        let transaction = try fixture.sign(ContractCall(contract: "kv", method: "put", arguments: arguments), by: fixture.memberKey)
        #expect(transaction.canonicalBytes.count <= Limits.transactionBytesMax)
        let error = try expectRefusal(node, store: store, transaction.canonicalBytes, code: "transaction.malformed")
        guard case .malformed(.tooLarge(field: "call.arguments", _, _)) = error else {
            Issue.record("expected call.arguments too large, got \(String(describing: error))")
            return
        }
        // A value larger than a state value but within the argument limit: the contract refuses it.
        let value = [UInt8](repeating: 1, count: Limits.stateValueBytesMax + 1)
        let big = try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: value), by: fixture.memberKey)
        try expectRefusal(node, store: store, big.canonicalBytes, code: "contract.invalid_arguments")
    }

    @Test("A flipped signature byte is a bad signature", arguments: suites)
    func flippedSignature(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        var bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        bytes[bytes.count - 1] ^= 0x01
        #expect(try expectRefusal(node, store: store, bytes, code: "transaction.bad_signature") == .badSignature)
        bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        bytes[bytes.count - Signature.byteCount] ^= 0x80
        try expectRefusal(node, store: store, bytes, code: "transaction.bad_signature")
    }

    @Test("A flipped body byte is a bad signature", arguments: suites)
    func flippedBody(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        var bytes = try fixture.evidence(by: fixture.memberKey).canonicalBytes
        // version, chain id (1-byte length), signer (suite byte + 65 key bytes), then the 8 nonce bytes.
        let nonceEnd = 1 + 1 + fixture.genesis.chainID.utf8.count + 1 + PublicKey.byteCount + 8
        bytes[nonceEnd - 1] ^= 0x01
        #expect(try expectRefusal(node, store: store, bytes, code: "transaction.bad_signature") == .badSignature)
        // The signature of one transaction on another's body.
        let first = try fixture.evidence(by: fixture.memberKey)
        let second = try fixture.evidence(by: fixture.memberKey)
        let swapped = Transaction(body: first.body, signature: second.signature)
        try expectRefusal(node, store: store, swapped.canonicalBytes, code: "transaction.bad_signature")
        // A valid signature by another key than the signer's.
        let forged = Transaction(body: first.body, signature: try fixture.adminKey.signature(for: first.signBytes))
        try expectRefusal(node, store: store, forged.canonicalBytes, code: "transaction.bad_signature")
    }

    @Test("A key of the other suite is the wrong suite", arguments: suites)
    func wrongSuite(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let foreignKey = PrivateKey.generate(suite: fixture.otherSuite)
        let transaction = try fixture.evidence(by: foreignKey)
        let error = try expectRefusal(node, store: store, transaction.canonicalBytes, code: "transaction.wrong_suite")
        #expect(error == .wrongSuite(expected: suite, actual: fixture.otherSuite))
    }

    @Test("Another chain id is the wrong chain", arguments: suites)
    func wrongChain(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let call = TransactionBuilder.keyValuePut(key: [1], value: [2])
        let transaction = try fixture.sign(call, by: fixture.memberKey, chainID: "other-city")
        let error = try expectRefusal(node, store: store, transaction.canonicalBytes, code: "transaction.wrong_chain")
        #expect(error == .wrongChain(expected: "civic-test", actual: "other-city"))
    }

    @Test("A committed transaction submitted again is a replay", arguments: suites)
    func replay(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let transaction = try fixture.evidence(by: fixture.memberKey)
        try commit([transaction], on: node)
        let error = try expectRefusal(node, store: store, transaction.canonicalBytes, code: "transaction.replay")
        #expect(error == .replay(height: 2))
        // Same replay with another signature encoding of the same body (the hash does not cover it).
        let resigned = try Transaction(signing: transaction.body, with: fixture.memberKey)
        try expectRefusal(node, store: store, resigned.canonicalBytes, code: "transaction.replay")
    }

    @Test("A transaction already in the mempool is a duplicate", arguments: suites)
    func duplicate(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let transaction = try fixture.evidence(by: fixture.memberKey)
        try node.submit(transaction.canonicalBytes)
        #expect(try expectRefusal(node, store: store, transaction.canonicalBytes, code: "transaction.duplicate") == .duplicate)
        #expect(node.pendingCount == 1)
        try node.produceBlock()
        #expect(try store.latestHeight() == Height(2))
        #expect(try node.reader.receipts(at: Height(2)).count == 1)
    }

    @Test("Expiry: passed, exactly now, too far, and the furthest allowed", arguments: suites)
    func expiry(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let now = fixture.clock.now().milliseconds
        let call = TransactionBuilder.keyValuePut(key: [1], value: [2])
        let past = try fixture.sign(call, by: fixture.memberKey, expiresAt: Timestamp(milliseconds: now - 1))
        #expect(try expectRefusal(node, store: store, past.canonicalBytes, code: "transaction.expired") == .expired)
        let atNow = try fixture.sign(call, by: fixture.memberKey, expiresAt: Timestamp(milliseconds: now))
        try expectRefusal(node, store: store, atNow.canonicalBytes, code: "transaction.expired")
        let lifetime = Limits.transactionLifetimeMillisecondsMax
        let far = try fixture.sign(call, by: fixture.memberKey, expiresAt: Timestamp(milliseconds: now + lifetime + 1))
        let error = try expectRefusal(node, store: store, far.canonicalBytes, code: "transaction.expiry_too_far")
        #expect(error == .expiryTooFar(maxMilliseconds: lifetime))
        let furthest = try fixture.sign(call, by: fixture.memberKey, expiresAt: Timestamp(milliseconds: now + lifetime))
        try node.submit(furthest.canonicalBytes)
        // A transaction that was valid when signed is refused once the node's clock passes its expiry.
        let soon = try fixture.sign(call, by: fixture.memberKey, expiresAt: Timestamp(milliseconds: now + 1_000))
        fixture.clock.advance(byMilliseconds: 1_000)
        try expectRefusal(node, store: store, soon.canonicalBytes, code: "transaction.expired")
    }

    @Test("An unknown contract is refused", arguments: suites)
    func unknownContract(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let transaction = try fixture.sign(ContractCall(contract: "lottery", method: "put", arguments: []), by: fixture.memberKey)
        try expectRefusal(node, store: store, transaction.canonicalBytes, code: "contract.unknown")
    }

    @Test("An unknown method is refused", arguments: suites)
    func unknownMethod(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        for contract in ["kv", "evidence", "identity"] {
            let transaction = try fixture.sign(ContractCall(contract: contract, method: "drop_table", arguments: []), by: fixture.adminKey)
            try expectRefusal(node, store: store, transaction.canonicalBytes, code: "contract.unknown_method")
        }
    }

    @Test("Arguments that do not decode are invalid", arguments: suites)
    func invalidArguments(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let cases: [ContractCall] = [
            ContractCall(contract: "kv", method: "put", arguments: [0xff]),
            ContractCall(contract: "kv", method: "put", arguments: TransactionBuilder.keyValuePut(key: [1], value: [2]).arguments + [0]),
            TransactionBuilder.keyValuePut(key: [], value: [2]),
            ContractCall(contract: "evidence", method: "put", arguments: [9] + [UInt8](repeating: 0, count: 33)),
            ContractCall(contract: "identity", method: "register", arguments: []),
        ]
        for call in cases {
            let transaction = try fixture.sign(call, by: fixture.adminKey)
            try expectRefusal(node, store: store, transaction.canonicalBytes, code: "contract.invalid_arguments")
        }
    }

    @Test("A signer that is not a registered identity is refused", arguments: suites)
    func unregisteredSigner(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let transaction = try fixture.evidence(by: fixture.outsiderKey)
        try expectRefusal(node, store: store, transaction.canonicalBytes, code: "identity.unknown_caller")
    }

    @Test("A deactivated identity is refused", arguments: suites)
    func inactiveSigner(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let change = IdentityContract.Change(address: Address(publicKey: fixture.memberKey.publicKey), role: .member)
        let receipts = try commit([try fixture.sign(ContractCall(contract: "identity", method: "deactivate", arguments: change),
                                                    by: fixture.adminKey)], on: node)
        #expect(receipts.map(\.status) == [.success])
        try expectRefusal(node, store: store, try fixture.evidence(by: fixture.memberKey).canonicalBytes, code: "identity.inactive")
    }

    @Test("Roles without permission are refused", arguments: suites)
    func permissionDenied(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let error = try expectRefusal(node, store: store, try fixture.evidence(by: fixture.auditorKey).canonicalBytes,
                                      code: "permission.denied")
        #expect(error?.description.contains("auditor") == true)
        let kv = try fixture.sign(TransactionBuilder.keyValuePut(key: [1], value: [2]), by: fixture.auditorKey)
        try expectRefusal(node, store: store, kv.canonicalBytes, code: "permission.denied")
        let newcomer = PrivateKey.generate(suite: suite).publicKey
        let register = try fixture.sign(TransactionBuilder.registerIdentity(newcomer, name: "x", organization: "y", role: .admin),
                                        by: fixture.memberKey)
        try expectRefusal(node, store: store, register.canonicalBytes, code: "permission.denied")
    }

    @Test("Evidence already committed is a duplicate", arguments: suites)
    func duplicateEvidence(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let fingerprint = Fixture.randomHash()
        try commit([try fixture.evidence(by: fixture.memberKey, fingerprint: fingerprint)], on: node)
        // Another transaction (new nonce, other submitter) for the same fingerprint.
        let again = try fixture.evidence(by: fixture.clientKey, fingerprint: fingerprint, label: "case-2")
        let error = try expectRefusal(node, store: store, again.canonicalBytes, code: "evidence.duplicate")
        #expect(error?.description.contains("height 2") == true)
    }

    @Test("An identity registered twice is refused", arguments: suites)
    func identityExists(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite)
        let register = try fixture.sign(TransactionBuilder.registerIdentity(fixture.clientKey.publicKey, name: "again",
                                                                            organization: "x", role: .member), by: fixture.adminKey)
        try expectRefusal(node, store: store, register.canonicalBytes, code: "identity.exists")
    }

    @Test("A full mempool refuses more", arguments: suites)
    func mempoolFull(suite: CryptoSuite) throws {
        let (fixture, node, store) = try setUp(suite, mempoolCapacity: 1)
        try node.submit(try fixture.evidence(by: fixture.memberKey).canonicalBytes)
        let error = try expectRefusal(node, store: store, try fixture.evidence(by: fixture.memberKey).canonicalBytes,
                                      code: "mempool.full")
        #expect(error == .mempoolFull)
        try node.produceBlock()
        #expect(node.pendingCount == 0)
        try node.submit(try fixture.evidence(by: fixture.memberKey).canonicalBytes)
        #expect(node.pendingCount == 1)
    }

    @Test("Every refusal code is distinct")
    func codesAreDistinct() {
        let errors: [SubmissionError] = [
            .tooLarge(bytes: 1, max: 0), .malformed(.trailingBytes(count: 1)), .wrongChain(expected: "a", actual: "b"),
            .wrongSuite(expected: .sm, actual: .intl), .badSignature, .expired, .expiryTooFar(maxMilliseconds: 1),
            .replay(height: 1), .duplicate, .mempoolFull, .shuttingDown,
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
    }

    @Test("A stopped node refuses with node.shutting_down")
    func shuttingDown() throws {
        let fixture = Fixture(suite: .intl)
        let store = MemoryLedgerStore()
        let node = try fixture.makeNode(store: store)
        node.stop()
        try expectRefusal(node, store: store, try fixture.evidence(by: fixture.memberKey).canonicalBytes, code: "node.shutting_down")
    }
}
