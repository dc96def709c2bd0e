import CivicCrypto
import Testing
@testable import CivicLedger

/// The quorum of a validator set.
@Suite struct ValidatorSetTests {
    /// A validator with a deterministic P-256 key (private scalar `number`) and `power`.
    static func validator(number: UInt8, power: UInt64) throws -> Validator {
        let scalar = [UInt8](repeating: 0, count: 31) + [number]
        let key = try PrivateKey(suite: .intl, rawRepresentation: scalar)
        return Validator(name: "validator-\(number)", organization: "org", publicKey: key.publicKey, power: power)
    }

    @Test func quorumIsTheSmallestPowerAboveTwoThirds() throws {
        for total: UInt64 in 1...40 {
            // Split the total over up to four validators, so that the set's own sum is what is checked.
            let count = UInt64(min(4, total))
            var validators: [Validator] = []
            for number in 1...count {
                let power = number == count ? total - (count - 1) : 1
                validators.append(try Self.validator(number: UInt8(number), power: power))
            }
            let set = ValidatorSet(validators)
            #expect(set.totalPower == total)
            #expect(set.quorumPower * 3 > total * 2, "total \(total)")
            #expect((set.quorumPower - 1) * 3 <= total * 2, "total \(total)")
        }
    }
}
