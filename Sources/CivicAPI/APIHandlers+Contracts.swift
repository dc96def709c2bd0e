import CivicCodec
import CivicContracts
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

extension APIHandlers {
    /// `GET /v1/contracts/{name}`: a deployed contract's registry record (version, code hash, frozen,
    /// heights, proposal) with its state proof.
    func contract(_ segment: String) throws -> Response {
        let name = segment.removingPercentEncoding ?? segment
        let view = try withFreshSnapshot { snapshot throws(QueryError) -> ContractView? in
            let key = DeployedContract.stateKey(name)
            let state = try stateEntry(key: key, snapshot: snapshot)
            let read = { (key: [UInt8]) in try? node.reader.stateProof(key: key, snapshot: snapshot).value }
            guard let record = DeployedContract.load(name, read: { read($0) ?? nil }) else { return nil }
            let code = read(CodeContract.recordKey(record.codeHash)).flatMap { $0 }.flatMap { try? CodeRecord(canonicalBytes: $0) }
            return ContractView(record, codeBytes: Int(code?.size ?? 0), state: state)
        }
        guard let view else {
            throw APIError(.notFound, code: "contract.not_found", message: "No contract named '\(name)' is deployed.")
        }
        return JSONResponse.make(view)
    }

    /// `POST /v1/contracts/query`: a signed call (the body as for `POST /v1/transactions`) run
    /// against the committed state without being submitted; answers the receipt it would get.
    func query(_ request: Request) async throws -> Response {
        let body = try await collect(request, max: CivicAPI.submitBodyBytesMax)
        let bytes = try transactionBytes(body, contentType: request.headers[.contentType])
        let height = node.snapshot.head.height
        let receipt: Receipt
        do { receipt = try node.query(bytes) } catch { throw APIError(error) }
        return JSONResponse.make(QueryResponse(height: height.rawValue, receipt: ReceiptView(receipt)))
    }
}
