import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

/// `GET /v1/trail/{resources|departments|subjects|providers}/{key}`: the usage trail (Docs/0016, "Usage trail"),
/// answered from the ``TrailIndex``, each row optionally with the proof of the receipt that holds its event.
struct TrailHandlers: Sendable {
    let node: Node
    let index: TrailIndex

    /// Rows per page when `limit` is not given.
    static let rowsDefault = 100
    /// Most rows per page with `proofs=true` (each proof reads and hashes its block).
    static let proofRowsMax = 100
    /// Most blocks a query indexes itself before answering, when the follower is behind (the answer says how far
    /// the index reaches: `indexed_height`).
    static let catchUpHeightsMax = 64

    /// Answers `question` about the path segment `segment`, with `since`, `until` (ms, inclusive), `limit`,
    /// `cursor` and `proofs` from the query string.
    func answer(_ question: TrailQuestion, key segment: String, request: Request) throws -> Response {
        let key = segment.removingPercentEncoding ?? segment
        let query = request.uri.queryParameters
        let since = try Self.milliseconds(query.get("since"), name: "since")
        let until = try Self.milliseconds(query.get("until"), name: "until")
        if let since, let until, until < since {
            throw APIError(.badRequest, code: "trail.invalid_window",
                           message: "'until' (\(until)) is before 'since' (\(since)).")
        }
        let proofs = query.get("proofs").map { $0 == "true" || $0 == "1" } ?? false
        let limitMax = proofs ? Self.proofRowsMax : TrailIndex.pageRowsMax
        var limit = Self.rowsDefault
        if let text = query.get("limit") {
            guard let value = Int(text), value > 0 else {
                throw APIError(.badRequest, code: "trail.invalid_limit", message: "'limit' must be a positive whole number.")
            }
            limit = min(value, limitMax)
        }
        limit = min(limit, limitMax)
        var cursor: TrailCursor?
        if let text = query.get("cursor"), !text.isEmpty {
            guard let value = TrailCursor(text) else {
                throw APIError(.badRequest, code: "trail.invalid_cursor",
                               message: "'cursor' must be a next_cursor of a previous answer.")
            }
            cursor = value
        }
        try Self.check(question, key: key)
        let head = node.snapshot.head.height
        do {
            let indexed = try index.catchUp(reader: node.reader, through: head, heightsMax: Self.catchUpHeightsMax)
            let page = try Self.storage { () throws(StoreError) in
                try index.rows(question, key: key.lowercased(with: question), since: since, until: until, after: cursor,
                               limit: limit)
            }
            var proofsByTransaction: [Hash256: String] = [:]
            var rows: [TrailRowView] = []
            for row in page.rows {
                var proof: String?
                if proofs {
                    proof = try proofsByTransaction[row.transactionHash] ?? transactionProof(row.transactionHash)
                    proofsByTransaction[row.transactionHash] = proof
                }
                rows.append(row.view(proof: proof))
            }
            var usage: [TrailUsageView]?
            if question == .department {
                usage = try Self.storage { () throws(StoreError) in try index.usage(of: key) }
            }
            return JSONResponse.make(TrailResponse(
                question: question, key: key.lowercased(with: question), sinceMs: since, untilMs: until,
                indexedHeight: indexed, headHeight: head.rawValue, rows: rows, nextCursor: page.next?.description,
                resources: usage))
        } catch let error as TrailError {
            throw APIError(.internalServerError, code: error.code, message: error.description)
        }
    }

    /// The proof file (base64) of the committed transaction `hash`.
    private func transactionProof(_ hash: Hash256) throws -> String {
        do throws(QueryError) {
            return ProofFile.transaction(try node.reader.transactionProof(hash)).base64
        } catch { throw APIError(error) }
    }

    /// Refuses keys that cannot name anything.
    private static func check(_ question: TrailQuestion, key: String) throws {
        switch question {
        case .subject:
            guard let bytes = Hex.decode(key), bytes.count == 32 else {
                throw APIError(.badRequest, code: "trail.invalid_fingerprint",
                               message: "A subject is named by its fingerprint: 64 hexadecimal digits "
                                   + "(civic trail subject computes it).")
            }
        case .resource, .department, .provider:
            guard !key.isEmpty, key.utf8.count <= Limits.nameBytesMax else {
                throw APIError(.badRequest, code: "trail.invalid_key",
                               message: "A resource id or organization is 1 to \(Limits.nameBytesMax) bytes.")
            }
        }
    }

    /// A `since`/`until` value: milliseconds since 1970.
    private static func milliseconds(_ text: String?, name: String) throws -> UInt64? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = UInt64(text), value <= UInt64(Int64.max) else {
            throw APIError(.badRequest, code: "trail.invalid_\(name)",
                           message: "'\(name)' must be a time in milliseconds since 1970.")
        }
        return value
    }

    private static func storage<T>(_ body: () throws(StoreError) -> T) throws(TrailError) -> T {
        do throws(StoreError) { return try body() } catch { throw .storage(error) }
    }
}

extension String {
    /// Subject fingerprints are answered in lower-case hex; other keys as given.
    fileprivate func lowercased(with question: TrailQuestion) -> String { question == .subject ? lowercased() : self }
}
