import CivicCodec
import CivicCrypto

/// The canonical wire form of a state proof. Empty siblings are not sent; a bitmap says where they were.
///
/// ```
/// StateProof := depth:     varint (<= 256)                    -- siblings.count
///               bitmap:    ceil(depth / 8) bytes              -- bit d (MSB-first within each byte) is 1 iff
///                                                                siblings[d] != zero; padding bits are 0;
///                                                                bit depth-1 is 1 when depth >= 1
///               present:   varint count || count x 32 bytes   -- the non-empty siblings, root first;
///                                                                count == number of 1 bits; none is zero
///               terminal:  varint tag: 0 = empty
///                                      1 = leaf || keyPath (32 bytes) || valueHash (32 bytes)
/// ```
/// The decoder refuses every other byte string, so a proof has exactly one encoding.
extension StateProof: CanonicalCodable {
    /// Writes the proof in its canonical form.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encodeVarint(UInt64(siblings.count))
        var bitmap = [UInt8](repeating: 0, count: (siblings.count + 7) / 8)
        var present: [Hash256] = []
        for (depth, sibling) in siblings.enumerated() where sibling != .zero {
            bitmap[depth / 8] |= 0x80 >> UInt8(depth % 8)
            present.append(sibling)
        }
        encoder.encode(fixed: bitmap)
        encoder.encode(sequence: present)
        switch terminal {
        case .empty:
            encoder.encodeVarint(0)
        case .leaf(let keyPath, let valueHash):
            encoder.encodeVarint(1)
            encoder.encode(keyPath)
            encoder.encode(valueHash)
        }
    }

    /// Reads a proof, refusing any non-canonical form.
    /// - Throws: ``CodecError``: `.tooLarge` for a depth above 256, `.invalidValue` when the bitmap and the
    ///   sibling count disagree, a padding bit is set, a present sibling is zero or the deepest sibling is
    ///   empty; `.unknownTag` for a terminal tag other than 0 or 1; `.truncated` for short input.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let depth = try decoder.decodeCount("state_proof.depth", max: StateProof.siblingsMax)
        let bitmap = try decoder.decodeFixed("state_proof.bitmap", count: (depth + 7) / 8)
        let present = try decoder.decodeSequence(Hash256.self, "state_proof.siblings", max: depth)
        var siblings: [Hash256] = []
        siblings.reserveCapacity(depth)
        var presentIndex = 0
        for bitIndex in 0..<(bitmap.count * 8) {
            let isSet = bitmap[bitIndex / 8] & (0x80 >> UInt8(bitIndex % 8)) != 0
            guard bitIndex < depth else {
                if isSet { throw .invalidValue(field: "state_proof.bitmap", reason: "a padding bit is set") }
                continue
            }
            guard isSet else {
                siblings.append(.zero)
                continue
            }
            guard presentIndex < present.count else {
                throw .invalidValue(field: "state_proof.siblings", reason: "fewer siblings than bitmap bits")
            }
            guard present[presentIndex] != .zero else {
                throw .invalidValue(field: "state_proof.siblings", reason: "an empty sibling is sent as present")
            }
            siblings.append(present[presentIndex])
            presentIndex += 1
        }
        guard presentIndex == present.count else {
            throw .invalidValue(field: "state_proof.siblings", reason: "more siblings than bitmap bits")
        }
        self.siblings = siblings
        switch try decoder.decodeVarint("state_proof.terminal") {
        case 0:
            terminal = .empty
        case 1:
            terminal = .leaf(keyPath: try decoder.decode(Hash256.self), valueHash: try decoder.decode(Hash256.self))
        case let tag:
            throw .unknownTag(field: "state_proof.terminal", tag: tag)
        }
        guard hasCanonicalShape else {
            throw .invalidValue(field: "state_proof.bitmap", reason: "the deepest sibling is empty")
        }
    }
}
