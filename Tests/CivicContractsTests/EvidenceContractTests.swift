import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

@Suite struct EvidenceContractTests {
    static let fingerprint = Hash256(bytes: Array(0..<32))

    static func put(_ signer: PrivateKey, algorithm: FingerprintAlgorithm = .sm3, fingerprint: Hash256 = fingerprint,
                    label: String = "case 2026-17", nonce: UInt64 = 0) -> Transaction {
        ContractFixtures.transaction(signer, "evidence", "put",
                                     EvidenceContract.Put(algorithm: algorithm, fingerprint: fingerprint, label: label).canonicalBytes,
                                     nonce: nonce)
    }

    @Test func memberRecordsEvidence() throws {
        let member = ContractFixtures.member()
        let transaction = Self.put(member)
        let block = ContractFixtures.block(height: 4, time: 12_345)
        let execution = TransactionExecutorTests.execute([transaction], block: block)
        #expect(execution.receipts[0].status == .success)
        let key = EvidenceRecord.stateKey(algorithm: .sm3, fingerprint: Self.fingerprint)
        #expect(key == Array("evidence/".utf8) + [1] + Self.fingerprint.bytes)
        #expect(execution.writes.map(\.key) == [key])
        let record = try EvidenceRecord(canonicalBytes: try #require(execution.writes[0].value))
        let address = Address(publicKey: member.publicKey)
        #expect(record == EvidenceRecord(algorithm: .sm3, fingerprint: Self.fingerprint, label: "case 2026-17", submitter: address,
                                         organization: "civil-affairs", height: Height(4), time: Timestamp(milliseconds: 12_345),
                                         transactionHash: transaction.hash(suite: .intl)))
        #expect(execution.receipts[0].events == [Event(contract: "evidence", name: "evidence.recorded", attributes: [
            EventAttribute("algorithm", "sm3"), EventAttribute("fingerprint", Self.fingerprint.hex),
            EventAttribute("label", "case 2026-17"), EventAttribute("submitter", address.hex),
        ])])
    }

    @Test func fingerprintIsRecordedOnce() {
        let execution = TransactionExecutorTests.execute([
            Self.put(ContractFixtures.member(), nonce: 1),
            Self.put(ContractFixtures.client(), label: "other label", nonce: 2),
            // The same bytes under the other algorithm are another fingerprint.
            Self.put(ContractFixtures.client(), algorithm: .sha256, nonce: 3),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["ok", "evidence.duplicate", "ok"])
        // And in a later block, over committed state.
        var state = TransactionExecutorTests.base
        state.apply(execution.writes)
        let later = TransactionExecutorTests.execute([Self.put(ContractFixtures.admin(), nonce: 4)],
                                                     block: ContractFixtures.block(height: 2), base: state)
        #expect(TransactionExecutorTests.codes(later) == ["evidence.duplicate"])
        #expect(later.writes.isEmpty)
    }

    @Test func rolesThatMayNotWriteAreRefused() {
        let validatorKey = ContractFixtures.key(.intl, 50)
        var state = TransactionExecutorTests.base
        for (key, role) in [(validatorKey, Role.validator), (ContractFixtures.key(.intl, 51), .observer)] {
            let identity = Identity(publicKey: key.publicKey, name: role.name, organization: "o", role: role, active: true,
                                    registeredAt: .genesis)
            state.apply([(key: Identity.stateKey(identity.address), value: identity.canonicalBytes)])
        }
        let execution = TransactionExecutorTests.execute([
            Self.put(ContractFixtures.auditor(), nonce: 1), Self.put(validatorKey, nonce: 2),
            Self.put(ContractFixtures.key(.intl, 51), nonce: 3), Self.put(ContractFixtures.admin(), nonce: 4),
        ], base: state)
        #expect(TransactionExecutorTests.codes(execution) == ["permission.denied", "permission.denied", "permission.denied", "ok"])
    }

    @Test func invalidArgumentsAreRefused() {
        let valid = EvidenceContract.Put(algorithm: .sha256, fingerprint: Self.fingerprint, label: "x").canonicalBytes
        var algorithm = valid
        algorithm[0] = 3
        let longLabel = EvidenceContract.Put(algorithm: .sha256, fingerprint: Self.fingerprint,
                                             label: String(repeating: "a", count: 257)).canonicalBytes
        let execution = TransactionExecutorTests.execute([[], valid + [0], Array(valid.dropLast()), algorithm, longLabel]
            .enumerated().map { index, bytes in
                ContractFixtures.transaction(ContractFixtures.member(), "evidence", "put", bytes, nonce: UInt64(index))
            })
        #expect(TransactionExecutorTests.codes(execution) == Array(repeating: "contract.invalid_arguments", count: 5))
    }
}

@Suite struct KeyValueContractTests {
    static func delete(_ signer: PrivateKey, _ key: String, nonce: UInt64) -> Transaction {
        ContractFixtures.transaction(signer, "kv", "delete", KeyValueContract.Put(key: Array(key.utf8), value: []).canonicalBytes,
                                     nonce: nonce)
    }

    @Test func eachCallerWritesInItsOwnSpace() {
        let member = ContractFixtures.member()
        let client = ContractFixtures.client()
        let execution = TransactionExecutorTests.execute([
            TransactionExecutorTests.kvPut(member, "k", "member", nonce: 1),
            TransactionExecutorTests.kvPut(client, "k", "client", nonce: 2),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["ok", "ok"])
        let memberKey = KeyValueContract.stateKey(owner: Address(publicKey: member.publicKey), key: Array("k".utf8))
        let clientKey = KeyValueContract.stateKey(owner: Address(publicKey: client.publicKey), key: Array("k".utf8))
        #expect(memberKey == Array("kv/".utf8) + Address(publicKey: member.publicKey).bytes + Array("/k".utf8))
        var state = DictionaryState()
        state.apply(execution.writes)
        #expect(state.value(forKey: memberKey) == Array("member".utf8))
        #expect(state.value(forKey: clientKey) == Array("client".utf8))
        #expect(execution.receipts[0].events == [Event(contract: "kv", name: "kv.written", attributes: [
            EventAttribute("owner", Address(publicKey: member.publicKey).hex), EventAttribute("key", "6b"),
        ])])
    }

    @Test func deleteRemovesOnlyExistingKeys() {
        let member = ContractFixtures.member()
        let first = TransactionExecutorTests.execute([
            Self.delete(member, "k", nonce: 1),
            TransactionExecutorTests.kvPut(member, "k", "v", nonce: 2),
            // Another caller cannot delete it: their space has no "k".
            Self.delete(ContractFixtures.client(), "k", nonce: 3),
        ])
        #expect(TransactionExecutorTests.codes(first) == ["kv.not_found", "ok", "kv.not_found"])
        var state = TransactionExecutorTests.base
        state.apply(first.writes)
        let second = TransactionExecutorTests.execute([Self.delete(member, "k", nonce: 4), Self.delete(member, "k", nonce: 5)],
                                                      block: ContractFixtures.block(height: 2), base: state)
        #expect(TransactionExecutorTests.codes(second) == ["ok", "kv.not_found"])
        #expect(second.writes.map(\.value) == [nil])
        #expect(second.receipts[0].events.map(\.name) == ["kv.deleted"])
    }

    @Test func auditorsMayNotWriteAndEmptyKeysAreInvalid() {
        let execution = TransactionExecutorTests.execute([
            TransactionExecutorTests.kvPut(ContractFixtures.auditor(), "k", "v", nonce: 1),
            TransactionExecutorTests.kvPut(ContractFixtures.member(), "", "v", nonce: 2),
            ContractFixtures.transaction(ContractFixtures.member(), "kv", "put",
                                         KeyValueContract.Put(key: [UInt8](repeating: 1, count: 129), value: []).canonicalBytes, nonce: 3),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["permission.denied", "contract.invalid_arguments", "contract.invalid_arguments"])
        #expect(execution.writes.isEmpty)
    }
}
