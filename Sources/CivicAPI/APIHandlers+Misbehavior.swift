import CivicContracts
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

extension APIHandlers {
    /// `GET /v1/misbehavior` (`validator == nil`) and `GET /v1/misbehavior/{validator}`: the newest
    /// misbehavior records, at most ``CivicAPI/misbehaviorRecordsMax``, each with its state proof.
    /// `validator` is a validator's name or index.
    func misbehavior(validator: String?) throws -> Response {
        let index = try validator.map(validatorIndex)
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let (total, offences) = try AccountabilityContract.newestOffences(
                of: index, limit: CivicAPI.misbehaviorRecordsMax
            ) { key throws(QueryError) in try node.reader.stateProof(key: key, snapshot: snapshot).value }
            let records = try offences.map { offence throws(QueryError) in
                try stateEntry(key: AccountabilityContract.stateKey(AccountabilityContract.Key.record(offence)),
                               snapshot: snapshot)
            }
            return MisbehaviorResponse(total: total, records: records)
        }
        return JSONResponse.make(response)
    }

    /// The index of the validator called `text`, or numbered `text`, in the chain's validator set.
    /// `text` is a path segment: percent-encoded (the router does not decode paths).
    private func validatorIndex(_ segment: String) throws(APIError) -> UInt32 {
        let text = segment.removingPercentEncoding ?? segment
        let validators = node.snapshot.validators
        if let position = validators.validators.firstIndex(where: { $0.name == text }) { return UInt32(position) }
        if let index = UInt32(text), validators.validator(at: index) != nil { return index }
        throw APIError(.notFound, code: "validator.not_found",
                       message: "There is no validator named or numbered '\(text)' in this chain's current validator set.")
    }
}
