extension Signature {
    /// Reads the DER form that `openssl pkeyutl -sign` and `openssl dgst -sign` write for SM2 and ECDSA:
    ///
    /// ```
    /// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }     -- RFC 3279 §2.2.3, GM/T 0009 §7.3
    /// ```
    ///
    /// Only strict DER is accepted: short-form lengths, minimal non-negative integers, no trailing bytes, and
    /// `r`, `s` of at most 32 bytes, so that each signature has exactly one encoding.
    /// - Throws: ``CryptoError/invalidSignature(_:)`` for anything else.
    public init(derRepresentation der: [UInt8]) throws(CryptoError) {
        guard der.count >= 8, der[0] == 0x30, Int(der[1]) == der.count - 2, der[1] < 0x80 else {
            throw .invalidSignature("DER signature is not one SEQUENCE with a short-form length")
        }
        var offset = 2
        let r = try Signature.readInteger(der, at: &offset)
        let s = try Signature.readInteger(der, at: &offset)
        guard offset == der.count else { throw .invalidSignature("bytes after the DER signature") }
        try self.init(rawRepresentation: r + s)
    }

    /// The strict DER `SEQUENCE { r INTEGER, s INTEGER }` that `openssl dgst -verify` reads.
    public var derRepresentation: [UInt8] {
        let r = Signature.integerBody(rawRepresentation[0..<32])
        let s = Signature.integerBody(rawRepresentation[32..<64])
        var out: [UInt8] = []
        out.reserveCapacity(6 + r.count + s.count)
        out.append(0x30)
        out.append(UInt8(4 + r.count + s.count))
        out.append(0x02)
        out.append(UInt8(r.count))
        out.append(contentsOf: r)
        out.append(0x02)
        out.append(UInt8(s.count))
        out.append(contentsOf: s)
        return out
    }

    /// The minimal two's-complement body of a non-negative 32-byte big-endian number.
    private static func integerBody(_ value: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = value.startIndex
        while start < value.endIndex - 1, value[start] == 0 { start += 1 }
        if value[start] & 0x80 != 0 { return [0] + value[start...] }
        return value[start...]
    }

    /// Reads one INTEGER at `offset` and returns it as 32 big-endian bytes.
    private static func readInteger(_ der: [UInt8], at offset: inout Int) throws(CryptoError) -> [UInt8] {
        guard offset + 2 <= der.count, der[offset] == 0x02 else {
            throw .invalidSignature("expected a DER INTEGER")
        }
        let length = Int(der[offset + 1])
        let start = offset + 2
        guard length >= 1, length <= 33, start + length <= der.count else {
            throw .invalidSignature("DER INTEGER has a bad length")
        }
        let body = der[start..<start + length]
        guard body[start] & 0x80 == 0 else { throw .invalidSignature("DER INTEGER is negative") }
        if length > 1, body[start] == 0, body[start + 1] & 0x80 == 0 {
            throw .invalidSignature("DER INTEGER is not minimally encoded")
        }
        let magnitude = body[start] == 0 && length > 1 ? body.dropFirst() : body
        guard magnitude.count <= 32 else { throw .invalidSignature("DER INTEGER is longer than 32 bytes") }
        offset = start + length
        return [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude
    }
}
