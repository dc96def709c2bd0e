import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

/// The JSON form of a submission: the canonical signed transaction in base64.
struct SubmitRequest: Decodable {
    var transaction: String
}

extension APIHandlers {
    /// `POST /v1/transactions`: one canonical signed transaction, either as the raw body
    /// (`application/octet-stream`) or as `{"transaction": "<base64>"}`. With `?wait=true` the
    /// answer comes when the transaction is committed (or after `timeout_ms`).
    func submit(_ request: Request) async throws -> Response {
        let body = try await collect(request, max: CivicAPI.submitBodyBytesMax)
        let bytes = try transactionBytes(body, contentType: request.headers[.contentType])
        let query = request.uri.queryParameters
        let wait = query.get("wait").map { $0 == "true" || $0 == "1" } ?? false
        let hash: Hash256
        do { hash = try node.submit(bytes) } catch { throw APIError(error) }
        guard wait else { return JSONResponse.make(SubmitResponse(hash: hash.hex, status: "pending"), status: .accepted) }
        let timeout = min(Int64(query.get("timeout_ms") ?? "") ?? 10_000, CivicAPI.waitMillisecondsMax)
        switch await node.waitForCommit(hash, timeout: .milliseconds(max(timeout, 1))) {
        case .committed(let height, let index, let receipt):
            return JSONResponse.make(SubmitResponse(hash: hash.hex, status: "committed", height: height.rawValue,
                                                    index: index, receipt: ReceiptView(receipt)))
        case .dropped(let error):
            return JSONResponse.make(SubmitResponse(hash: hash.hex, status: "dropped",
                                                    error: .init(code: error.code, message: error.description)),
                                     status: .gone)
        case .timedOut:
            return JSONResponse.make(SubmitResponse(hash: hash.hex, status: "timed_out"), status: .accepted)
        }
    }

    /// `POST /v1/transactions/batch`: many canonical signed transactions in one body, each
    /// preceded by its length as an unsigned LEB128 varint. Each is admitted or refused on its own.
    func submitBatch(_ request: Request) async throws -> Response {
        let body = try await collect(request, max: CivicAPI.batchBodyBytesMax)
        // The whole batch is split before anything is submitted: a refused batch admits nothing.
        var decoder = CanonicalDecoder(body)
        var transactions: [[UInt8]] = []
        while decoder.remaining > 0 {
            guard transactions.count < CivicAPI.batchTransactionsMax else {
                throw APIError(.contentTooLarge, code: "batch.too_many",
                               message: "A batch holds at most \(CivicAPI.batchTransactionsMax) transactions.")
            }
            do { transactions.append(try decoder.decodeBytes("batch.transaction", max: Limits.transactionBytesMax)) } catch {
                throw APIError(.badRequest, code: "batch.malformed",
                               message: "The batch is not a sequence of length-prefixed transactions: \(error.description)")
            }
        }
        let results = node.submitBatch(transactions).map { result -> BatchSubmitResponse.Item in
            switch result {
            case .success(let hash): .init(hash: hash.hex)
            case .failure(let error): .init(error: .init(code: error.code, message: error.description))
            }
        }
        return JSONResponse.make(BatchSubmitResponse(results: results))
    }

    func collect(_ request: Request, max: Int) async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: max)
            return Array(buffer.readableBytesView)
        } catch {
            throw APIError(.contentTooLarge, code: "request.too_large", message: "The request body is larger than \(max) bytes.")
        }
    }

    func transactionBytes(_ body: [UInt8], contentType: String?) throws -> [UInt8] {
        guard let contentType, contentType.hasPrefix("application/json") else { return body }
        guard let request = try? JSONDecoder().decode(SubmitRequest.self, from: Data(body)) else {
            throw APIError(.badRequest, code: "request.invalid_json",
                           message: "The body must be JSON like {\"transaction\": \"<base64 of the signed transaction>\"}.")
        }
        guard let data = Data(base64Encoded: request.transaction) else {
            throw APIError(.badRequest, code: "request.invalid_base64", message: "The 'transaction' field is not valid base64.")
        }
        return Array(data)
    }
}
