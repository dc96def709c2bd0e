import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicNetwork
import CivicNode
import Hummingbird

/// `GET /v1/evidence/{algorithm}/{fingerprint}/timestamp`: RFC 3161 time-stamp tokens for recorded evidence,
/// signed by this node's time-stamping key (Docs/0015, Docs/0016 "Evidence").
///
/// The token is made on request from the chain alone: imprint = the fingerprint, genTime = the recording block's
/// time, serial number = ``EvidenceBatch/timeStampSerialNumber(height:transactionIndex:itemIndex:)`` of the
/// record's position. Everything but the (randomized) signature can be rebuilt from the chain by anyone.
struct EvidenceHandlers: Sendable {
    let handlers: APIHandlers
    /// The node's time-stamping authority, if it was given one.
    let authority: TimeStampAuthority?

    func timeStamp(algorithm name: String, fingerprint text: String) throws -> Response {
        guard let algorithm = FingerprintAlgorithm(name: name) else {
            throw APIError.invalid("The fingerprint algorithm must be 'sm3' or 'sha256'.")
        }
        let fingerprint = try handlers.parseHash(text, what: "fingerprint")
        guard let authority else {
            throw APIError(.notImplemented, code: "evidence.timestamp_unavailable",
                           message: "This node has no time-stamping key; start it with --tsa-cert and --tsa-key.")
        }
        guard algorithm.suite == authority.suite else {
            throw APIError(.unprocessableContent, code: "evidence.timestamp_algorithm",
                           message: "This node's time-stamping authority signs \(authority.suite.hashName) imprints; a "
                               + "\(algorithm.name) fingerprint cannot be time-stamped by it.")
        }
        let key = EvidenceRecord.stateKey(algorithm: algorithm, fingerprint: fingerprint)
        let entry = try handlers.withFreshSnapshot { snapshot throws(QueryError) in
            try handlers.node.reader.stateProof(key: key, snapshot: snapshot)
        }
        guard let value = entry.value else {
            throw APIError(.notFound, code: "evidence.not_found",
                           message: "The \(algorithm.name) fingerprint \(fingerprint.hex) is not recorded on this chain.")
        }
        let record = try? EvidenceRecord(canonicalBytes: value)
        let location: TransactionLocation?
        do { location = try record.flatMap { record throws(QueryError) in try handlers.node.reader.location(of: record.transactionHash) } } catch {
            throw APIError(error)
        }
        guard let record, let location, location.height == record.height else {
            throw APIError(.internalServerError, code: "evidence.record_damaged",
                           message: "The evidence record of \(fingerprint.hex) does not match its transaction.")
        }
        let serial = EvidenceBatch.timeStampSerialNumber(height: record.height, transactionIndex: location.index,
                                                         itemIndex: record.batch?.index ?? 0)
        let response: TimeStampResponse
        do {
            response = try authority.timeStamp(digest: fingerprint.bytes, serialNumber: serial, genTime: record.time)
        } catch {
            throw APIError(.internalServerError, code: "evidence.timestamp_failed", message: error.description)
        }
        return Response(status: .ok, headers: [.contentType: "application/timestamp-reply"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.derRepresentation)))
    }
}
