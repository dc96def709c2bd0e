import CivicFormats
import CivicLedger
import CivicNode
import Hummingbird

extension APIHandlers {
    /// `GET /v1/transactions/{hash}/proof`: the canonical proof file (Docs/0003) as `application/octet-stream`, or
    /// with `?format=json` the same proof as a ``TransactionProofView`` that a browser checks itself
    /// (the console's `js/proof.js`).
    /// - Throws: ``APIError`` `request.invalid` for another `format`, and what the proof lookup throws.
    func transactionProof(_ request: Request, hashText: String) throws -> Response {
        switch request.uri.queryParameters.get("format") {
        case nil, "binary":
            return try transactionProofFile(hashText)
        case "json":
            return try transactionProofJSON(hashText)
        case let other?:
            throw APIError.invalid("The proof format '\(other)' is unknown: use 'json', or no format for the binary proof file.")
        }
    }

    /// The proof of transaction `hashText` as a ``TransactionProofView``, naming the validator set in force at its height.
    /// - Throws: ``APIError`` when the hash is malformed or the transaction is not committed.
    private func transactionProofJSON(_ hashText: String) throws -> Response {
        let proof = try transactionProof(hashText)
        let validators: ValidatorSet
        do { validators = try node.reader.validatorSet(at: proof.anchor.header.height) } catch { throw APIError(error) }
        return JSONResponse.make(TransactionProofView(proof, suite: suite, validators: validators))
    }
}
