import Testing
@testable import CivicCrypto

/// The 64-byte `r || s` form and its strict DER conversion.
@Suite struct SignatureTests {
    @Test func rawLengthIsChecked() {
        #expect(throws: CryptoError.self) { try Signature(rawRepresentation: [UInt8](repeating: 1, count: 63)) }
        #expect(throws: CryptoError.self) { try Signature(rawRepresentation: [UInt8](repeating: 1, count: 65)) }
    }

    @Test(arguments: [
        ([UInt8](repeating: 0x11, count: 32), [UInt8](repeating: 0x22, count: 32)),
        ([UInt8](repeating: 0xFF, count: 32), [UInt8](repeating: 0x80, count: 32)),
        ([UInt8](repeating: 0, count: 31) + [1], [0, 0, 0x80] + [UInt8](repeating: 5, count: 29)),
        ([UInt8](repeating: 0, count: 32), [UInt8](repeating: 0, count: 32)),
    ])
    func derRoundTrip(r: [UInt8], s: [UInt8]) throws {
        let signature = try Signature(rawRepresentation: r + s)
        let der = signature.derRepresentation
        #expect(der[0] == 0x30 && Int(der[1]) == der.count - 2)
        #expect(try Signature(derRepresentation: der) == signature)
    }

    @Test func derEncodingIsMinimal() throws {
        let padding = [UInt8](repeating: 0, count: 31)
        let small = try Signature(rawRepresentation: padding + [1] + padding + [0x7F])
        #expect(small.derRepresentation == [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x7F])
        let high = try Signature(rawRepresentation: [UInt8](repeating: 0x80, count: 64))
        #expect(high.derRepresentation.count == 2 + 2 * (2 + 33))
        #expect(high.derRepresentation[4] == 0x00)
    }

    @Test(arguments: [
        [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00] as [UInt8],   // trailing byte
        [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01],               // non-minimal r
        [0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01],                     // negative r
        [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],                     // SET, not SEQUENCE
        [0x30, 0x06, 0x04, 0x01, 0x01, 0x02, 0x01, 0x01],                     // OCTET STRING
        [0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],               // long-form length
        [0x30, 0x05, 0x02, 0x01, 0x01, 0x02, 0x00],                           // empty s
        [0x30, 0x03, 0x02, 0x01, 0x01],                                       // s missing
        [],
    ])
    func malformedDERIsRejected(der: [UInt8]) {
        #expect(throws: CryptoError.self) { try Signature(derRepresentation: der) }
    }

    @Test func derIntegerLongerThan32BytesIsRejected() {
        let big = [0x02, 33] + [UInt8](repeating: 0x7F, count: 33)
        let der = [0x30, UInt8(big.count + 3)] + big + [0x02, 0x01, 0x01]
        #expect(throws: CryptoError.self) { try Signature(derRepresentation: der) }
    }
}
