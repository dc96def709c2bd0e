import CivicCodec
import CivicCrypto
import CivicLedger

extension GovernanceContract {
    /// Applies a validator change: appends a ``ValidatorSetEntry`` applying from the execution height
    /// + ``validatorSetDelay`` and rewrites `accountability/validator/<index>` to the new set.
    /// - Throws: `governance.unknown_validator`, `governance.validator_exists`,
    ///   `governance.too_few_validators`, `governance.unknown_organization`, `governance.invalid_change`.
    static func changeValidators(
        _ change: GovernanceChange, proposalID: UInt64, context: inout CallContext
    )
        throws(ContractFailure)
    {
        guard let newest = latestValidatorSet(in: context.state) else {
            throw .invalidChange("this chain has no validator set in governance state")
        }
        let (index, latest) = (newest.index, newest.entry)
        var validators = latest.validators.validators
        switch change {
        case .addValidator(let validator):
            guard validator.publicKey.suite == context.block.suite else {
                throw .invalidChange(
                    "the validator key is for the '\(validator.publicKey.suite)' suite; "
                        + "this chain uses '\(context.block.suite)'")
            }
            guard try organization(validator.organization, in: context.state) != nil else {
                throw ContractFailure(
                    code: "governance.unknown_organization",
                    message: "'\(validator.organization)' is not a member organization of this chain.")
            }
            guard !validators.contains(where: { $0.name == validator.name || $0.publicKey == validator.publicKey })
            else {
                throw ContractFailure(
                    code: "governance.validator_exists",
                    message: "A validator named '\(validator.name)' or with the same key is already in the set.")
            }
            guard validators.count < Limits.validatorsMax else {
                throw .invalidChange("a validator set has at most \(Limits.validatorsMax) validators")
            }
            validators.append(validator)
        case .removeValidator(let name):
            let position = try position(of: name, in: validators)
            let floor = Int(readFloor(context.state.get(Key.validatorsFloor)))
            guard validators.count - 1 >= floor else {
                throw ContractFailure(
                    code: "governance.too_few_validators",
                    message: "Removing '\(name)' would leave \(validators.count - 1) validators; "
                        + "this chain keeps at least \(floor).")
            }
            validators.remove(at: position)
        case .setValidatorPower(let name, let power):
            let found = try position(of: name, in: validators)
            validators[found].power = power
        default:
            preconditionFailure("not a validator change")
        }
        var total: UInt64 = 0
        for validator in validators {
            let (sum, overflow) = total.addingReportingOverflow(validator.power)
            guard !overflow else { throw .invalidChange("the total voting power would overflow") }
            total = sum
        }
        let set = ValidatorSet(validators)
        let entry = ValidatorSetEntry(
            appliesFrom: Height(context.block.height.rawValue + validatorSetDelay),
            validators: set, proposalID: proposalID)
        try context.state.put(Key.validatorSet(index + 1), entry.canonicalBytes)
        try context.state.put(Key.validatorSetCount, (index + 2).canonicalBytes)
        // Accountability checks reports against these entries: keep them equal to the newest set.
        for (position, validator) in validators.enumerated() {
            context.state.overlay.set(
                AccountabilityContract.stateKey(AccountabilityContract.Key.validator(UInt32(position))),
                validator.canonicalBytes)
        }
        for position in validators.count..<max(validators.count, latest.validators.count) {
            context.state.overlay.set(
                AccountabilityContract.stateKey(AccountabilityContract.Key.validator(UInt32(position))),
                nil)
        }
    }

    private static func position(of name: String, in validators: [Validator]) throws(ContractFailure) -> Int {
        guard let position = validators.firstIndex(where: { $0.name == name }) else {
            throw ContractFailure(
                code: "governance.unknown_validator",
                message: "There is no validator named '\(name)' in the newest validator set.")
        }
        return position
    }

    /// The validators floor (u32), or ``validatorsMin`` when absent.
    private static func readFloor(_ bytes: [UInt8]?) -> UInt32 {
        guard let bytes else { return UInt32(validatorsMin) }
        guard let value = try? UInt32(canonicalBytes: bytes) else {
            preconditionFailure("the validators floor does not decode")
        }
        return value
    }
}
