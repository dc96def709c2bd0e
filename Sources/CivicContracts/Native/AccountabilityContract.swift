import CivicCodec
import CivicCrypto
import CivicLedger

/// Accountability for equivocation: anyone who sees a validator sign two conflicting votes
/// reports the ``Equivocation``; the chain checks it against its validator set and chain id and
/// records a ``MisbehaviorRecord`` naming the validator and its organization, once per offence.
///
/// State (under `accountability/`):
/// - `validator/<index u32>` → canonical ``Validator``, written at genesis (see ``genesisWrites(_:)``);
/// - `record/<canonical Offence>` → canonical ``MisbehaviorRecord``;
/// - `log` → record count (u64), `log/<n u64>` → the n-th ``Offence`` recorded;
/// - `validator-log/<index u32>` → that validator's record count, `validator-log/<index u32><n u64>` →
///   its n-th ``Offence``.
public struct AccountabilityContract: SystemContract {
    /// State keys of the contract, relative to its namespace; ``AccountabilityContract/stateKey(_:)``
    /// makes them full.
    public enum Key {
        /// The prefix of validator entries.
        public static let validatorPrefix = Array("validator/".utf8)
        /// The prefix of records.
        public static let recordPrefix = Array("record/".utf8)

        /// The validator at `index`.
        public static func validator(_ index: UInt32) -> [UInt8] { validatorPrefix + index.canonicalBytes }
        /// The record of `offence`.
        public static func record(_ offence: Offence) -> [UInt8] { recordPrefix + offence.canonicalBytes }
        /// The count of records; `validatorIndex`: of that validator's records.
        public static func count(of validatorIndex: UInt32?) -> [UInt8] {
            guard let validatorIndex else { return Array("log".utf8) }
            return Array("validator-log/".utf8) + validatorIndex.canonicalBytes
        }
        /// The `sequence`-th offence recorded (from 0); `validatorIndex`: of that validator's.
        public static func entry(_ sequence: UInt64, of validatorIndex: UInt32?) -> [UInt8] {
            guard let validatorIndex else { return Array("log/".utf8) + sequence.canonicalBytes }
            return count(of: validatorIndex) + sequence.canonicalBytes
        }
    }

    /// `accountability`.
    public let name = "accountability"
    /// `report`.
    public let methods = ["report"]

    /// Creates the contract.
    public init() {}

    /// The full state key of a key relative to the contract's namespace.
    public static func stateKey(_ relative: [UInt8]) -> [UInt8] { Array("accountability/".utf8) + relative }

    /// What genesis writes for the contract: each validator of `validators` under its index.
    public static func genesisWrites(_ validators: ValidatorSet) -> [(key: [UInt8], value: [UInt8]?)] {
        validators.validators.enumerated().map { index, validator in
            (key: stateKey(Key.validator(UInt32(index))), value: Optional(validator.canonicalBytes))
        }
    }

    /// Runs `report`: any registered identity may report the canonical bytes of an ``Equivocation``.
    /// - Throws: `accountability.invalid_evidence` (votes that do not conflict, or not both signed by
    ///   the validator on this chain), `accountability.unknown_validator`, `accountability.duplicate`,
    ///   `contract.invalid_arguments` (bytes that are not an equivocation at all).
    public func execute(method: String, arguments: [UInt8], context: inout CallContext)
        throws(ContractFailure) -> [UInt8] {
        guard method == "report" else { throw .unknownMethod(name, method) }
        let equivocation = try decodeEquivocation(arguments, method: method)
        let offence = Offence(equivocation)
        guard let stored = context.state.get(Key.validator(offence.validatorIndex)) else {
            throw .unknownValidator(offence.validatorIndex)
        }
        guard let validator = try? Validator(canonicalBytes: stored) else {
            preconditionFailure("the validator entry \(offence.validatorIndex) written at genesis does not decode")
        }
        guard equivocation.isValid(chainID: context.block.chainID, publicKey: validator.publicKey) else {
            throw .invalidEvidence("the two votes are not both signed by validator '\(validator.name)' on chain "
                                   + "'\(context.block.chainID)'")
        }
        let recordKey = Key.record(offence)
        if let existing = context.state.get(recordKey) {
            let earlier = try? MisbehaviorRecord(canonicalBytes: existing)
            throw .duplicateReport(validator.name, offence, reportedAt: earlier?.reportedAt)
        }
        let record = MisbehaviorRecord(validatorName: validator.name, organization: validator.organization,
                                       publicKey: validator.publicKey, equivocation: equivocation,
                                       reporter: context.callerAddress, reportedAt: context.block.height,
                                       reportedTime: context.block.time, transactionHash: context.transactionHash)
        try context.state.put(recordKey, record.canonicalBytes)
        try append(offence, to: nil, in: &context.state)
        try append(offence, to: offence.validatorIndex, in: &context.state)
        try context.emit("accountability.equivocation", [
            EventAttribute("validator_index", String(offence.validatorIndex)),
            EventAttribute("validator", validator.name), EventAttribute("organization", validator.organization),
            EventAttribute("kind", offence.kind.name), EventAttribute("height", String(offence.height.rawValue)),
            EventAttribute("round", String(offence.round.rawValue)),
            EventAttribute("reporter", context.callerAddress.hex),
        ])
        return []
    }

    /// Decodes the arguments; a pair of votes that is not an equivocation is invalid evidence, bytes
    /// that are not two signed votes are invalid arguments.
    private func decodeEquivocation(_ arguments: [UInt8], method: String) throws(ContractFailure) -> Equivocation {
        do {
            return try Equivocation(canonicalBytes: arguments)
        } catch .invalidValue(let field, let reason) where field == Equivocation.codecField {
            throw .invalidEvidence(reason)
        } catch {
            throw .invalidArguments(method, error.description)
        }
    }

    /// Appends `offence` to the log of all records (`validatorIndex == nil`) or of one validator.
    private func append(_ offence: Offence, to validatorIndex: UInt32?, in state: inout ContractState)
        throws(ContractFailure) {
        let countKey = Key.count(of: validatorIndex)
        let count = state.get(countKey).map(Self.decodeCount) ?? 0
        try state.put(Key.entry(count, of: validatorIndex), offence.canonicalBytes)
        try state.put(countKey, (count + 1).canonicalBytes)
    }

    /// Reads a count this contract wrote.
    /// - Precondition: `bytes` is a canonical u64.
    private static func decodeCount(_ bytes: [UInt8]) -> UInt64 {
        guard let count = try? UInt64(canonicalBytes: bytes) else {
            preconditionFailure("an accountability count does not decode")
        }
        return count
    }

    /// The offences recorded, newest first: of all validators (`validatorIndex == nil`) or of one;
    /// at most `limit` of them. `read` returns the value under a full state key. Entries that do not
    /// decode are skipped (a reader must not stop the node).
    /// - Returns: how many are recorded in all, and the newest ones.
    /// - Throws: what `read` throws.
    public static func newestOffences<Failure: Error>(
        of validatorIndex: UInt32?, limit: Int, read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> (total: UInt64, offences: [Offence]) {
        let total = try read(stateKey(Key.count(of: validatorIndex))).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
        var offences: [Offence] = []
        var sequence = total
        while sequence > 0, offences.count < limit {
            sequence -= 1
            if let bytes = try read(stateKey(Key.entry(sequence, of: validatorIndex))),
               let offence = try? Offence(canonicalBytes: bytes) {
                offences.append(offence)
            }
        }
        return (total, offences)
    }
}

extension ContractFailure {
    /// The reported votes do not prove an equivocation.
    public static func invalidEvidence(_ why: String) -> ContractFailure {
        ContractFailure(code: "accountability.invalid_evidence",
                        message: "The report is not evidence of an equivocation: \(why).")
    }

    /// The reported validator index is not in the validator set.
    public static func unknownValidator(_ index: UInt32) -> ContractFailure {
        ContractFailure(code: "accountability.unknown_validator",
                        message: "Validator #\(index) is not in this chain's validator set.")
    }

    /// The offence is already on record.
    public static func duplicateReport(_ validator: String, _ offence: Offence, reportedAt: Height?)
        -> ContractFailure {
        let when = reportedAt.map { " at height \($0)" } ?? ""
        return ContractFailure(code: "accountability.duplicate",
                               message: "The \(offence.kind.name) equivocation of validator '\(validator)' at height "
                                   + "\(offence.height) round \(offence.round) was already recorded\(when).")
    }
}
