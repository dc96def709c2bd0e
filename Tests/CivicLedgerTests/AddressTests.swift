import CivicCodec
import CivicCrypto
import Testing
@testable import CivicLedger

@Suite struct AddressTests {
    @Test(arguments: CryptoSuite.allCases)
    func addressIsThePrefixOfTheSuiteHashOfTheKey(suite: CryptoSuite) {
        let key = LedgerFixtures.adminKey(suite).publicKey
        let address = Address(publicKey: key)
        #expect(address.bytes == Array(suite.hash(key.rawRepresentation).bytes.prefix(20)))
        #expect(address.bytes.count == Address.byteCount)
        #expect(address != Address(publicKey: LedgerFixtures.memberKey(suite).publicKey))
    }

    @Test func addressesDifferBetweenSuitesForTheSameScalar() {
        #expect(Address(publicKey: LedgerFixtures.key(.sm, 5).publicKey)
                != Address(publicKey: LedgerFixtures.key(.intl, 5).publicKey))
    }

    @Test(arguments: CryptoSuite.allCases)
    func hexRoundTrips(suite: CryptoSuite) throws {
        let address = Address(publicKey: LedgerFixtures.adminKey(suite).publicKey)
        #expect(address.hex.count == 40)
        #expect(address.hex == address.hex.lowercased())
        #expect(address.description == address.hex)
        #expect(Address(hex: address.hex) == address)
        #expect(Address(hex: address.hex.uppercased()) == address)
        #expect(Address(hex: "0x" + address.hex) == address)
        #expect(try Address(canonicalBytes: address.canonicalBytes) == address)
        #expect(address.canonicalBytes == address.bytes)
    }

    @Test(arguments: ["", "00", String(repeating: "a", count: 38), String(repeating: "a", count: 42),
                      String(repeating: "g", count: 40), String(repeating: "a", count: 39)])
    func malformedHexIsRefused(text: String) {
        #expect(Address(hex: text) == nil)
    }

    @Test func orderIsByteWise() {
        let low = Address(bytes: [0x00] + [UInt8](repeating: 0xff, count: 19))
        let high = Address(bytes: [0x01] + [UInt8](repeating: 0x00, count: 19))
        #expect(low < high)
        #expect(!(high < low))
        #expect([high, low].sorted() == [low, high])
    }

    @Test func decodingNeedsTwentyBytes() {
        #expect(throws: CodecError.truncated(field: "address")) { try Address(canonicalBytes: [UInt8](repeating: 1, count: 19)) }
        #expect(throws: CodecError.trailingBytes(count: 1)) { try Address(canonicalBytes: [UInt8](repeating: 1, count: 21)) }
    }
}
