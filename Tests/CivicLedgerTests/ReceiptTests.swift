import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

@Suite struct ReceiptTests {
    static let hash = Hash256(bytes: [UInt8](repeating: 3, count: 32))

    @Test func statusTagsOtherThanZeroOrOneAreRefused() {
        for tag: UInt8 in [2, 0x7f] {
            #expect(throws: CodecError.unknownTag(field: "receipt.status", tag: UInt64(tag))) {
                try Receipt(canonicalBytes: Self.hash.bytes + [tag, 0, 0])
            }
        }
        #expect(throws: CodecError.nonCanonicalInteger(field: "receipt.status")) {
            try Receipt(canonicalBytes: Self.hash.bytes + [0x80, 0x00, 0, 0])
        }
    }

    @Test func successAndFailureRoundTrip() throws {
        let success = Receipt(transactionHash: Self.hash, status: .success,
                              events: [Event(contract: "kv", name: "kv.written", attributes: [EventAttribute("key", "6b")])],
                              returnData: [1, 2])
        let failure = Receipt(transactionHash: Self.hash, status: .failure(code: "kv.not_found", message: "没有"))
        #expect(try Receipt(canonicalBytes: success.canonicalBytes) == success)
        #expect(try Receipt(canonicalBytes: failure.canonicalBytes) == failure)
        #expect(success.status.isSuccess)
        #expect(!failure.status.isSuccess)
        // hash | status 0 | no events | no data | gas 0
        #expect(Receipt(transactionHash: Self.hash, status: .success).canonicalBytes
                    == Self.hash.bytes + [0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func gasUsedIsEncodedLastAndBounded() throws {
        let receipt = Receipt(transactionHash: Self.hash, status: .failure(code: "contract.out_of_gas", message: "m"),
                              gasUsed: 0x0102_0304)
        #expect(try Receipt(canonicalBytes: receipt.canonicalBytes) == receipt)
        #expect(Array(receipt.canonicalBytes.suffix(8)) == [0, 0, 0, 0, 1, 2, 3, 4])
        let full = Receipt(transactionHash: Self.hash, status: .success, gasUsed: Limits.transactionGasMax)
        #expect(try Receipt(canonicalBytes: full.canonicalBytes).gasUsed == Limits.transactionGasMax)
        var over = full
        over.gasUsed += 1
        #expect(throws: CodecError.self) { try Receipt(canonicalBytes: over.canonicalBytes) }
        // A receipt of the earlier layout (no gas) is refused, not read with a made-up gas.
        #expect(throws: CodecError.truncated(field: "receipt.gas_used")) {
            try Receipt(canonicalBytes: Self.hash.bytes + [0, 0, 0])
        }
    }

    @Test func eventAndAttributeCountsAreBounded() throws {
        let event = Event(contract: "c", name: "e", attributes: [])
        let atLimit = Receipt(transactionHash: Self.hash, status: .success,
                              events: Array(repeating: event, count: Limits.eventsPerTransactionMax))
        #expect(try Receipt(canonicalBytes: atLimit.canonicalBytes) == atLimit)
        var over = atLimit
        over.events.append(event)
        #expect(throws: CodecError.tooLarge(field: "receipt.events", count: 65, max: 64)) {
            try Receipt(canonicalBytes: over.canonicalBytes)
        }
        let attributes = Event(contract: "c", name: "e", attributes: Array(repeating: EventAttribute("k", "v"), count: 33))
        #expect(throws: CodecError.tooLarge(field: "event.attributes", count: 33, max: 32)) {
            try Event(canonicalBytes: attributes.canonicalBytes)
        }
    }

    @Test func oversizedMessagesAndReturnDataAreRefused() {
        let message = Receipt(transactionHash: Self.hash,
                              status: .failure(code: "c", message: String(repeating: "m", count: Limits.receiptDataBytesMax + 1)))
        #expect(throws: CodecError.tooLarge(field: "receipt.message", count: UInt64(Limits.receiptDataBytesMax + 1),
                                            max: Limits.receiptDataBytesMax)) {
            try Receipt(canonicalBytes: message.canonicalBytes)
        }
        let data = Receipt(transactionHash: Self.hash, status: .success,
                           returnData: [UInt8](repeating: 0, count: Limits.receiptDataBytesMax + 1))
        #expect(throws: CodecError.tooLarge(field: "receipt.return_data", count: UInt64(Limits.receiptDataBytesMax + 1),
                                            max: Limits.receiptDataBytesMax)) {
            try Receipt(canonicalBytes: data.canonicalBytes)
        }
    }
}
