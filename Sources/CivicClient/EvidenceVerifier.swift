import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger

/// Why an evidence receipt does not prove that a document was recorded.
public enum EvidenceRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The receipt file is not a receipt, or a field does not parse.
    case malformed(String)
    /// The document's fingerprint is not the one in the receipt: another or an altered document.
    case fingerprintMismatch(expected: Hash256, actual: Hash256)
    /// The proof does not hold (``ProofError``): the receipt was not certified by the chain's validators.
    case proof(ProofError)
    /// The proven transaction failed, so it recorded nothing.
    case transactionFailed(code: String)
    /// The proven receipt has no `evidence.batch_recorded` event with the receipt file's root and count (or, for a
    /// single `put`, the transaction did not record this item).
    case rootNotInReceipt
    /// The item's Merkle path does not lead to the batch root the proven receipt names.
    case pathInvalid

    /// A stable code.
    public var code: String {
        switch self {
        case .malformed: "evidence.receipt_malformed"
        case .fingerprintMismatch: "evidence.fingerprint_mismatch"
        case .proof(let error): error.code
        case .transactionFailed: "evidence.transaction_failed"
        case .rootNotInReceipt: "evidence.root_not_in_receipt"
        case .pathInvalid: "evidence.path_invalid"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .malformed(let why): "The evidence receipt cannot be read: \(why)"
        case .fingerprintMismatch(let expected, let actual):
            "The file's fingerprint is \(actual.hex), but the receipt is for \(expected.hex): this is not the recorded document, or it was changed."
        case .proof(let error): "The receipt's transaction proof does not hold: \(error.description)"
        case .transactionFailed(let code): "The proven transaction failed (\(code)) and recorded nothing."
        case .rootNotInReceipt:
            "The proven transaction receipt does not name this batch root and size: the receipt file does not belong to it."
        case .pathInvalid: "The item's Merkle path does not lead to the batch root named in the proven receipt."
        }
    }
}

/// What a verified evidence receipt establishes.
public struct EvidenceReport: Sendable, Equatable {
    /// The recorded item.
    public var item: EvidenceContract.Put
    /// Its batch position (`nil` for a single `put`).
    public var batch: EvidenceBatchPosition?
    /// The submitter's address, from the proven receipt.
    public var submitter: Address
    /// The submitter's organization, from the proven receipt (empty for a single `put`, whose event has none).
    public var organization: String
    /// The recording transaction's hash.
    public var transactionHash: Hash256
    /// The offline check of the transaction proof: chain, height, block time, signers.
    public var proof: VerificationReport
}

/// Checks evidence receipts offline: the document, the receipt file and the genesis file, nothing else.
public enum EvidenceVerifier {
    /// Checks, in order: the receipt parses; the document hashes (with the item's algorithm) to the item's
    /// fingerprint; the transaction proof holds against `genesis` (``OfflineVerifier``); the proven transaction
    /// succeeded; its receipt has an `evidence` contract event `evidence.batch_recorded` naming the file's root and
    /// count (single `put`: the call is `evidence.put` of exactly this item); the item's path leads to that root in a
    /// tree of that size.
    /// - Throws: ``EvidenceRefusal`` naming the first check that fails.
    public static func verify(document: [UInt8], receipt: [UInt8], genesis: Genesis) throws(EvidenceRefusal) -> EvidenceReport {
        let contents: EvidenceReceiptFile.Contents
        do { contents = try EvidenceReceiptFile.decode(receipt).contents() } catch { throw .malformed(error.description) }
        let item = contents.item
        let actual = item.algorithm.suite.hash(document)
        guard actual == item.fingerprint else { throw .fingerprintMismatch(expected: item.fingerprint, actual: actual) }
        let report: VerificationReport
        let file: ProofFile
        do {
            report = try OfflineVerifier.verify(contents.proof, genesis: genesis)
            file = try ProofFile.decode(contents.proof)
        } catch {
            throw .proof(error)
        }
        guard case .transaction(let proof) = file else { throw .malformed("the proof is a state proof, not a transaction proof") }
        if case .failure(let code, _) = proof.receipt.status { throw .transactionFailed(code: code) }
        let submitter = Address(publicKey: proof.transaction.body.signer)
        var organization = ""
        if let (position, path) = contents.batch {
            guard let event = proof.receipt.events.first(where: { event in
                event.contract == "evidence" && event.name == "evidence.batch_recorded"
                    && attribute("root", of: event) == position.root.hex && attribute("count", of: event) == String(position.count)
            }) else { throw .rootNotInReceipt }
            guard EvidenceBatch.verify(item, path: path, position: position, suite: genesis.suite) else { throw .pathInvalid }
            organization = attribute("organization", of: event) ?? ""
        } else {
            let call = proof.transaction.body.call
            guard call.contract == "evidence", call.method == "put",
                  (try? EvidenceContract.Put(canonicalBytes: call.arguments)) == item else { throw .rootNotInReceipt }
        }
        return EvidenceReport(item: item, batch: contents.batch?.position, submitter: submitter,
                              organization: organization, transactionHash: proof.transaction.hash(suite: genesis.suite),
                              proof: report)
    }

    private static func attribute(_ key: String, of event: Event) -> String? {
        event.attributes.first { $0.key == key }?.value
    }
}
