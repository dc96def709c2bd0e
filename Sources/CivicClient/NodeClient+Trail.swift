import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

extension NodeClient {
    /// `GET /v1/trail/{question}s/{key}`: one page of the usage trail. A subject is asked by its fingerprint (hex,
    /// see ``SubjectFingerprint``): compute it locally, the raw identifier never leaves the caller.
    public func trail(_ question: TrailQuestion, key: String, since: UInt64? = nil, until: UInt64? = nil,
                      limit: Int? = nil, cursor: String? = nil, proofs: Bool = false)
        async throws(ClientError) -> TrailResponse {
        var items: [String] = []
        if let since { items.append("since=\(since)") }
        if let until { items.append("until=\(until)") }
        if let limit { items.append("limit=\(limit)") }
        if let cursor { items.append("cursor=\(cursor)") }
        if proofs { items.append("proofs=true") }
        let unreserved = CharacterSet(charactersIn: "-._~").union(
            CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
        let segment = key.addingPercentEncoding(withAllowedCharacters: unreserved) ?? key
        let query = items.isEmpty ? "" : "?" + items.joined(separator: "&")
        return try await getJSON("/v1/trail/\(question.pathSegment)/\(segment)\(query)")
    }
}

/// Why a trail row's proof does not back the row.
public enum TrailProofError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The row carries no proof (it was asked without `proofs=true`).
    case missing
    /// The proof file does not verify against the genesis file.
    case proof(ProofError)
    /// The proof verifies, but the receipt it proves does not hold the row's event (the answer was altered).
    case mismatch(String)

    /// A stable code.
    public var code: String {
        switch self {
        case .missing: "trail.proof_missing"
        case .proof(let error): error.code
        case .mismatch: "trail.proof_mismatch"
        }
    }

    /// A sentence.
    public var description: String {
        switch self {
        case .missing: "The row carries no proof; ask with proofs=true."
        case .proof(let error): error.description
        case .mismatch(let detail): "The proof is valid but does not back the row: \(detail)."
        }
    }
}

/// Checks a trail row offline: its proof verifies against the genesis file (``OfflineVerifier``), and the proved
/// receipt holds, at the row's position, the event the row describes.
public enum TrailProofCheck {
    /// The proof file bytes of `row` (decoded from base64).
    public static func proofBytes(of row: TrailRowView) throws(TrailProofError) -> [UInt8] {
        guard let text = row.proof else { throw .missing }
        guard let data = Data(base64Encoded: text) else { throw .proof(.malformed("the proof is not base64")) }
        return Array(data)
    }

    /// Verifies `proofBytes` against `genesis` and compares the proved event with `row`.
    /// - Throws: ``TrailProofError``.
    public static func verify(_ row: TrailRowView, proofBytes: [UInt8], genesis: Genesis)
        throws(TrailProofError) -> VerificationReport {
        let report: VerificationReport
        do throws(ProofError) { report = try OfflineVerifier.verify(proofBytes, genesis: genesis) } catch { throw .proof(error) }
        guard case .transaction(let proof) = try? ProofFile.decode(proofBytes) else {
            throw .mismatch("it is not a transaction proof")
        }
        let suite = genesis.suite
        guard proof.transaction.hash(suite: suite).hex == row.transactionHash,
              proof.receipt.transactionHash.hex == row.transactionHash else {
            throw .mismatch("it proves transaction \(proof.transaction.hash(suite: suite).hex), not \(row.transactionHash)")
        }
        guard proof.anchor.header.height.rawValue == row.height, proof.transactionPath.leafIndex == UInt64(row.transactionIndex),
              proof.anchor.header.time.milliseconds == row.timeMs else {
            throw .mismatch("the block, position or time differs from the row's")
        }
        guard proof.receipt.status.isSuccess, Int(row.eventIndex) < proof.receipt.events.count else {
            throw .mismatch("the receipt has no event \(row.eventIndex)")
        }
        let event = proof.receipt.events[Int(row.eventIndex)]
        guard let mapping = TrailEventMapping.mapping(for: event.name), row.matches(mapping.entry(of: event)) else {
            throw .mismatch("event \(row.position) is \(event.name) with other attributes than the row shows")
        }
        return report
    }
}
