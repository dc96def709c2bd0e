import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// `evidence.put_batch`: many fingerprints in one transaction, the leaves of one Merkle tree; all or nothing.
@Suite struct EvidenceBatchTests {
    static func items(_ count: Int, tag: UInt8 = 0, algorithm: FingerprintAlgorithm = .sha256) -> [EvidenceContract.Put] {
        (0..<count).map { index in
            EvidenceContract.Put(algorithm: algorithm, fingerprint: Hash256(bytes: [tag, UInt8(index >> 8), UInt8(index & 0xff)]
                                     + [UInt8](repeating: 7, count: 29)),
                                 label: "doc \(index)")
        }
    }

    static func batch(_ signer: PrivateKey, _ items: [EvidenceContract.Put], nonce: UInt64 = 0) -> Transaction {
        ContractFixtures.transaction(signer, "evidence", "put_batch", EvidenceContract.PutBatch(items: items).canonicalBytes,
                                     nonce: nonce)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1_000])
    func batchRecordsEveryItemWithAPathToItsRoot(count: Int) throws {
        let member = ContractFixtures.member()
        let items = Self.items(count)
        let transaction = Self.batch(member, items)
        let execution = TransactionExecutorTests.execute([transaction], block: ContractFixtures.block(height: 5, time: 77_000))
        #expect(TransactionExecutorTests.codes(execution) == ["ok"])
        let root = EvidenceBatch.root(of: items, suite: .intl)
        #expect(execution.receipts[0].returnData == root.bytes)
        let submitter = Address(publicKey: member.publicKey)
        #expect(execution.receipts[0].events == [Event(contract: "evidence", name: "evidence.batch_recorded", attributes: [
            EventAttribute("root", root.hex), EventAttribute("count", String(count)),
            EventAttribute("submitter", submitter.hex), EventAttribute("organization", "civil-affairs"),
        ])])
        #expect(execution.writes.count == count)
        var state = DictionaryState()
        state.apply(execution.writes)
        let levels = EvidenceBatch.levels(of: items, suite: .intl)
        for (index, item) in items.enumerated() {
            let value = try #require(state.value(forKey: EvidenceRecord.stateKey(algorithm: item.algorithm, fingerprint: item.fingerprint)))
            let record = try EvidenceRecord(canonicalBytes: value)
            let position = EvidenceBatchPosition(root: root, index: UInt32(index), count: UInt32(count))
            #expect(record == EvidenceRecord(algorithm: item.algorithm, fingerprint: item.fingerprint, label: item.label,
                                             submitter: submitter, organization: "civil-affairs", height: Height(5),
                                             time: Timestamp(milliseconds: 77_000),
                                             transactionHash: transaction.hash(suite: .intl), batch: position))
            let path = levels.auditPath(index: UInt64(index))
            #expect(EvidenceBatch.verify(item, path: path, position: position, suite: .intl))
            // The same path proves nothing for another item, another index, or another tree size.
            let other = items[(index + 1) % count]
            if count > 1 {
                #expect(!EvidenceBatch.verify(other, path: path, position: position, suite: .intl))
                let shifted = EvidenceBatchPosition(root: root, index: UInt32((index + 1) % count), count: UInt32(count))
                #expect(!EvidenceBatch.verify(item, path: path, position: shifted, suite: .intl))
            }
            // (A path can also fit a tree of another size: for 3 items, leaf 0's path fits a tree of 4. That is why
            // the verifier takes the size from the proven receipt's event, never from the receipt file.)
        }
    }

    @Test func pathsFailOnAnyFlippedBit() {
        let items = Self.items(13)
        let levels = EvidenceBatch.levels(of: items, suite: .sm)
        let position = EvidenceBatchPosition(root: levels.root, index: 6, count: 13)
        let path = levels.auditPath(index: 6)
        #expect(EvidenceBatch.verify(items[6], path: path, position: position, suite: .sm))
        #expect(!EvidenceBatch.verify(items[6], path: path, position: position, suite: .intl))
        for level in path.path.indices {
            for bit in 0..<8 {
                var tampered = path
                var bytes = tampered.path[level].bytes
                bytes[level % 32] ^= 1 << bit
                tampered.path[level] = Hash256(bytes: bytes)
                #expect(!EvidenceBatch.verify(items[6], path: tampered, position: position, suite: .sm))
            }
        }
        var label = items[6]
        label.label += "!"
        #expect(!EvidenceBatch.verify(label, path: path, position: position, suite: .sm))
    }

    @Test func leavesAreDomainSeparated() {
        let item = Self.items(1)[0]
        #expect(EvidenceBatch.leaf(item) == Array("CivicLedger/evidence-item/v1".utf8) + item.canonicalBytes)
        // A one-item tree's root is the leaf hash of the tagged leaf, never of the bare item.
        #expect(EvidenceBatch.root(of: [item], suite: .intl) == MerkleTree.leafHash(EvidenceBatch.leaf(item), suite: .intl))
        #expect(EvidenceBatch.root(of: [item], suite: .intl) != MerkleTree.leafHash(item.canonicalBytes, suite: .intl))
    }

    @Test func duplicateInsideTheBatchFailsTheWholeBatch() {
        var items = Self.items(5)
        items.append(EvidenceContract.Put(algorithm: items[2].algorithm, fingerprint: items[2].fingerprint, label: "again"))
        let execution = TransactionExecutorTests.execute([Self.batch(ContractFixtures.member(), items)])
        #expect(TransactionExecutorTests.codes(execution) == ["evidence.duplicate"])
        #expect(execution.writes.isEmpty)
        #expect(execution.receipts[0].events.isEmpty)
        guard case .failure(_, let message) = execution.receipts[0].status else { return }
        #expect(message.contains("Item 5") && message.contains(items[2].fingerprint.hex) && message.contains("item 2"))
    }

    @Test func duplicateOfAnEarlierItemFailsTheWholeBatch() {
        let first = Self.items(3, tag: 1)
        let recorded = TransactionExecutorTests.execute([
            Self.batch(ContractFixtures.member(), first, nonce: 1),
            EvidenceContractTests.put(ContractFixtures.client(), algorithm: .sm3, nonce: 2),
        ])
        #expect(TransactionExecutorTests.codes(recorded) == ["ok", "ok"])
        var state = TransactionExecutorTests.base
        state.apply(recorded.writes)
        let fresh = Self.items(4, tag: 2)
        let later = TransactionExecutorTests.execute([
            // An item recorded by an earlier batch, at the end of a batch of new ones.
            Self.batch(ContractFixtures.admin(), fresh + [first[1]], nonce: 3),
            // An item recorded by a single put.
            Self.batch(ContractFixtures.admin(), [EvidenceContract.Put(algorithm: .sm3, fingerprint: EvidenceContractTests.fingerprint,
                                                                      label: "x")] + fresh, nonce: 4),
            // A single put of an item a batch recorded.
            EvidenceContractTests.put(ContractFixtures.client(), algorithm: first[0].algorithm, fingerprint: first[0].fingerprint, nonce: 5),
        ], block: ContractFixtures.block(height: 2), base: state)
        #expect(TransactionExecutorTests.codes(later) == ["evidence.duplicate", "evidence.duplicate", "evidence.duplicate"])
        #expect(later.writes.isEmpty)
        guard case .failure(_, let message) = later.receipts[0].status else { return }
        #expect(message.contains("Item 4") && message.contains("already recorded at height 1"))
    }

    @Test func tooManyNoneAndMalformedItemsAreRefused() {
        let member = ContractFixtures.member()
        let tooMany = Self.items(Limits.evidenceBatchItemsMax + 1)
        let valid = EvidenceContract.PutBatch(items: Self.items(2)).canonicalBytes
        var badAlgorithm = valid
        badAlgorithm[1] = 9
        let execution = TransactionExecutorTests.execute([
            Self.batch(member, tooMany, nonce: 1), Self.batch(member, [], nonce: 2),
            ContractFixtures.transaction(member, "evidence", "put_batch", valid + [0], nonce: 3),
            ContractFixtures.transaction(member, "evidence", "put_batch", badAlgorithm, nonce: 4),
            Self.batch(ContractFixtures.auditor(), Self.items(2), nonce: 5),
        ])
        #expect(TransactionExecutorTests.codes(execution) == [
            "evidence.batch_too_large", "evidence.batch_empty", "contract.invalid_arguments", "contract.invalid_arguments",
            "permission.denied",
        ])
        #expect(execution.writes.isEmpty)
        // Exactly the maximum is fine.
        let full = TransactionExecutorTests.execute([Self.batch(member, Self.items(Limits.evidenceBatchItemsMax), nonce: 6)])
        #expect(TransactionExecutorTests.codes(full) == ["ok"])
    }

    @Test func singlePutRecordsKeepTheirBytes() throws {
        let record = EvidenceRecord(algorithm: .sm3, fingerprint: EvidenceContractTests.fingerprint, label: "l",
                                    submitter: Address(publicKey: ContractFixtures.member().publicKey), organization: "o",
                                    height: Height(3), time: Timestamp(milliseconds: 9), transactionHash: EvidenceContractTests.fingerprint)
        var batched = record
        batched.batch = EvidenceBatchPosition(root: EvidenceContractTests.fingerprint, index: 2, count: 3)
        #expect(batched.canonicalBytes == record.canonicalBytes + batched.batch!.canonicalBytes)
        #expect(try EvidenceRecord(canonicalBytes: record.canonicalBytes) == record)
        #expect(try EvidenceRecord(canonicalBytes: batched.canonicalBytes) == batched)
        #expect(throws: CodecError.self) { try EvidenceRecord(canonicalBytes: record.canonicalBytes + [0]) }
        batched.batch = EvidenceBatchPosition(root: EvidenceContractTests.fingerprint, index: 3, count: 3)
        #expect(throws: CodecError.self) { try EvidenceRecord(canonicalBytes: batched.canonicalBytes) }
    }

    @Test func timeStampSerialNumbersPackThePosition() {
        #expect(EvidenceBatch.timeStampSerialNumber(height: Height(1), transactionIndex: 0, itemIndex: 0) == 1 << 24)
        #expect(EvidenceBatch.timeStampSerialNumber(height: Height(5), transactionIndex: 3, itemIndex: 999)
                == 5 << 24 | 3 << 10 | 999)
    }
}
