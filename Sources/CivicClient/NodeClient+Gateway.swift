import AsyncHTTPClient
import CivicApps
import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import NIOCore
import NIOHTTP1

/// What a fetch from an exchange gateway gave: the rows, opened and checked against the chain's access record.
public struct FetchResult: Sendable, Equatable {
    /// The rows: field → value (`nil` for null).
    public var rows: [[String: String?]]
    /// The plaintext exactly as sealed (canonical JSON); its suite hash is the recorded `served` fingerprint.
    public var plaintext: [UInt8]
    /// The access number on chain.
    public var access: UInt64
    /// The recording transaction.
    public var transaction: Hash256
    /// The height it was committed at.
    public var height: UInt64
    /// The fields served.
    public var fields: [String]
}

extension NodeClient {
    /// Signs a fetch of `resource` under `grant` with `key`, posts it to this node's exchange gateway
    /// (`POST /v1/gateway/fetch`), opens the sealed answer with `key`, and checks that the suite hash of what was
    /// opened is the `served` fingerprint of the access record committed on chain (`catalog/access/<n>`, read from
    /// `ledger`, this node by default), for this consumer and grant.
    /// - Throws: ``ClientError``: the gateway's refusal (its code), or `client.unexpected_response` when the
    ///   envelope does not open or the fingerprint does not match the chain's record.
    public func fetch(resource: String, grant: UInt64, fields: [String] = [], filter: [FieldCondition] = [],
                      limit: UInt32 = 0, key: PrivateKey, chainID: String? = nil, ledger: NodeClient? = nil,
                      now: Timestamp = TransactionBuilder.wallClock()) async throws(ClientError) -> FetchResult {
        let chain = if let chainID { chainID } else { try await chainInfo().chainId }
        let request = FetchRequest(chainID: chain, resource: resource, grant: grant, fields: fields, filter: filter,
                                   limit: limit, nonce: UInt64.random(in: .min ... .max), issuedAt: now)
        let signed: SignedFetchRequest
        do { signed = try request.signed(with: key) } catch { throw .unexpectedResponse("the key cannot sign: \(error.description)") }
        let body: [UInt8]
        do { body = Array(try JSONFormat.compactEncoder.encode(GatewayFetchBody(signed))) } catch {
            throw .unexpectedResponse("the request cannot be encoded: \(error)")
        }
        let (status, answer) = try await send(.POST, "/v1/gateway/fetch", body: body, contentType: "application/json")
        guard status == 200 else {
            if let refusal = try? JSONFormat.decoder.decode(GatewayRefusalBody.self, from: Data(answer)) {
                var detail = refusal.error
                if let access = refusal.access, let transaction = refusal.transaction {
                    detail.message += " (recorded as access \(access) by transaction \(transaction))"
                }
                throw .refused(status: status, detail)
            }
            throw .refused(status: status, .init(code: "http.\(status)", message: String(decoding: answer.prefix(200), as: UTF8.self)))
        }
        let response = try decode(GatewayFetchResponse.self, status: status, body: answer)
        guard let envelope = Data(base64Encoded: response.envelope) else { throw .unexpectedResponse("the envelope is not base64") }
        let plaintext: [UInt8]
        do { plaintext = try SuiteEnvelope.open(Array(envelope), with: key, associatedData: request.envelopeAssociatedData) } catch {
            throw .unexpectedResponse("the envelope does not open with this key: \(error.description)")
        }
        guard let transaction = Hex.decode(response.transaction).flatMap(Hash256.init(validating:)) else {
            throw .unexpectedResponse("the transaction hash is not 64 hexadecimal digits")
        }
        let record = try await accessRecord(response.access, from: ledger ?? self)
        let fingerprint = key.suite.hash(plaintext)
        guard record.report.servedFingerprint == fingerprint, record.report.refusal.isEmpty,
              record.report.consumer == Address(publicKey: key.publicKey), record.report.grant == grant,
              record.report.resource == resource, record.transactionHash == transaction else {
            throw .unexpectedResponse("access \(response.access) on chain does not record what was opened (fingerprint \(fingerprint.hex))")
        }
        guard let rows = try? JSONDecoder().decode([[String: String?]].self, from: Data(plaintext)) else {
            throw .unexpectedResponse("the opened rows are not a JSON array of objects")
        }
        return FetchResult(rows: rows, plaintext: plaintext, access: response.access, transaction: transaction,
                           height: response.height, fields: response.fields)
    }

    /// The committed access record `number` (`catalog/access/<n>`).
    public func accessRecord(_ number: UInt64) async throws(ClientError) -> AccessRecord {
        try await accessRecord(number, from: self)
    }

    private func accessRecord(_ number: UInt64, from ledger: NodeClient) async throws(ClientError) -> AccessRecord {
        let entry = try await ledger.state(key: Array("catalog/".utf8) + AccessRecord.key(number))
        guard let value = entry.value.flatMap(Hex.decode), let record = try? AccessRecord(canonicalBytes: value) else {
            throw .unexpectedResponse("access \(number) is not on chain")
        }
        return record
    }
}
