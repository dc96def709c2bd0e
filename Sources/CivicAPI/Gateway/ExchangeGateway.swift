import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird
import Logging

/// A provider department's exchange gateway (Docs/0016, "Exchange gateway"): serves rows of a granted resource to
/// the grantee only, sealed to the grantee's key, and records every access it answers (served or refused after
/// the grant checks) on chain with `catalog.record_access` before it answers. The data never goes on chain; a
/// fingerprint of it does.
///
/// Concurrency: requests run in parallel; the only mutable state is the ``NonceWindow`` behind its mutex. The chain
/// is read through the node's latest snapshot and written through ordinary transactions.
public final class ExchangeGateway: Sendable {
    /// How far `issuedAt` may be from the gateway's clock, either way: 5 minutes.
    public static let freshnessMillisecondsMax: UInt64 = 5 * 60 * 1000
    /// Most nonces remembered at once (one per request within the freshness window).
    public static let nonceWindowEntriesMax = 200_000
    /// Largest request body, in bytes.
    public static let requestBodyBytesMax = 64 * 1024
    /// How long a fetch waits for its access record to commit.
    public static let recordWait: Duration = .seconds(30)
    /// How long the recording transaction may wait in the mempool.
    public static let recordLifetimeMilliseconds: UInt64 = 60_000

    let node: Node
    let configuration: GatewayConfiguration
    let clock: any NodeClock
    let nonces: NonceWindow
    let logger: Logger

    var suite: CryptoSuite { node.genesis.suite }

    /// Creates the gateway of `node`. `clock` is the freshness clock (the node's wall clock in production).
    /// - Throws: ``GatewayConfigurationError`` when the gateway key is not of the chain's suite.
    public init(node: Node, configuration: GatewayConfiguration, clock: any NodeClock = SystemClock(),
                logger: Logger = Logger(label: "civic.gateway")) throws(GatewayConfigurationError) {
        guard configuration.key.suite == node.genesis.suite else {
            throw GatewayConfigurationError(
                description: "the gateway key is for the '\(configuration.key.suite)' suite but the chain uses '\(node.genesis.suite)'")
        }
        self.node = node
        self.configuration = configuration
        self.clock = clock
        self.nonces = NonceWindow(windowMilliseconds: Self.freshnessMillisecondsMax, entriesMax: Self.nonceWindowEntriesMax)
        self.logger = logger
    }

    /// The gateway key's address (the `reported_by` of its access records).
    public var address: Address { Address(publicKey: configuration.key.publicKey) }

    /// `POST /v1/gateway/fetch`: a ``GatewayFetchBody`` in, a ``GatewayFetchResponse`` or a ``GatewayError`` out.
    func handle(_ request: Request) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: Self.requestBodyBytesMax) } catch {
            throw GatewayError(.malformed, "The request body is larger than \(Self.requestBodyBytesMax) bytes.")
        }
        let signed = try parse(Array(buffer.readableBytesView))
        do {
            let response = try await fetch(signed)
            logger.info("fetch served", metadata: [
                "resource": "\(signed.request.resource)", "grant": "\(signed.request.grant)", "access": "\(response.access)",
                "rows": "\(response.rows)", "consumer": "\(Address(publicKey: signed.signer))",
            ])
            return JSONResponse.make(response)
        } catch {
            node.refusals.record(.gateway, code: error.refusal.code, message: error.message,
                                 subject: "resource \(signed.request.resource), consumer \(Address(publicKey: signed.signer))")
            logger.notice("fetch refused", metadata: [
                "resource": "\(signed.request.resource)", "grant": "\(signed.request.grant)", "code": "\(error.refusal.code)",
                "access": "\(error.access.map(String.init) ?? "-")", "consumer": "\(Address(publicKey: signed.signer))",
            ])
            throw error
        }
    }

    /// Decodes the JSON body into a signed request (the signature is checked by ``fetch(_:)``).
    func parse(_ body: [UInt8]) throws(GatewayError) -> SignedFetchRequest {
        guard let wire = try? JSONFormat.decoder.decode(GatewayFetchBody.self, from: Data(body)) else {
            throw GatewayError(.malformed, #"The body must be JSON like {"request": "<hex>", "signer": "<hex>", "signature": "<hex>"}."#)
        }
        guard let requestBytes = Hex.decode(wire.request), let request = try? FetchRequest(canonicalBytes: requestBytes) else {
            throw GatewayError(.malformed, "'request' is not the hex of a canonical fetch request.")
        }
        guard let signerBytes = Hex.decode(wire.signer), let signatureBytes = Hex.decode(wire.signature),
              let signer = try? PublicKey(suite: suite, rawRepresentation: signerBytes),
              let signature = try? Signature(rawRepresentation: signatureBytes) else {
            throw GatewayError(.badSignature, "The signer must be a public key of the chain's '\(suite)' suite and the signature 64 bytes, in hex.")
        }
        return SignedFetchRequest(request: request, signer: signer, signature: signature)
    }

    /// Runs the checks in order, serves the rows and records the access; see Docs/0016 for the order and codes.
    /// - Throws: ``GatewayError``; refusals from the grant checks on carry their access record.
    public func fetch(_ signed: SignedFetchRequest) async throws(GatewayError) -> GatewayFetchResponse {
        let request = signed.request
        let consumer = Address(publicKey: signed.signer)
        guard signed.signer.suite == suite, request.chainID == node.genesis.chainID, signed.hasValidSignature else {
            throw GatewayError(.badSignature, "The request is not signed by its signer for chain '\(node.genesis.chainID)'.")
        }
        let now = clock.now()
        let skew = max(now.milliseconds, request.issuedAt.milliseconds) - min(now.milliseconds, request.issuedAt.milliseconds)
        guard skew <= Self.freshnessMillisecondsMax else {
            throw GatewayError(.staleRequest, "The request was issued \(skew / 1000) s away from the gateway's clock; at most \(Self.freshnessMillisecondsMax / 1000) s are accepted.")
        }
        switch nonces.check(signer: consumer, nonce: request.nonce, now: now) {
        case .fresh: break
        case .replayed: throw GatewayError(.replayed, "Nonce \(request.nonce) of \(consumer) was already used.")
        case .full: throw GatewayError(.overloaded, "The gateway is at its limit of requests in flight; try again shortly.")
        }
        let view = try ChainView(node: node)
        guard let identity = view.identity(consumer), identity.active else {
            throw GatewayError(.unknownConsumer, "\(consumer) is not an active identity of the chain.")
        }
        guard let source = configuration.sources[request.resource], let resource = view.resource(request.resource),
              let gateway = view.identity(address), resource.organization == gateway.organization else {
            throw GatewayError(.unknownResource, "This gateway does not serve a resource '\(request.resource)'.")
        }
        let attempt = Attempt(request: request, consumer: consumer, organization: identity.organization, resource: resource)
        let grant: ShareRequest
        do { grant = try attempt.check(view.grant(request.grant), at: view.time) } catch {
            throw await recordRefusal(error, attempt)
        }
        let fields = attempt.fields(of: grant)
        let plaintext: [UInt8]
        let report: AccessReport
        (plaintext, report) = try await read(source, fields: fields, attempt: attempt)
        let envelope = SuiteEnvelope.seal(plaintext, to: signed.signer, associatedData: request.envelopeAssociatedData)
        let recorded: Recorded
        do { recorded = try await record(report) } catch {
            switch error {
            case .notGranted:
                // The grant ended between our check and the block: refuse, recorded, against the chain as it is now.
                let again = try ChainView(node: node)
                do {
                    _ = try attempt.check(again.grant(request.grant), at: max(again.time, clock.now()))
                } catch {
                    throw await recordRefusal(error, attempt)
                }
                throw GatewayError(.notRecorded, "The chain refused the access record although the grant looks active; nothing was released.")
            case .failed(let why):
                throw GatewayError(.notRecorded, "The access could not be recorded on chain, so nothing was released: \(why)")
            }
        }
        return GatewayFetchResponse(access: recorded.access, transaction: recorded.hash.hex, height: recorded.height.rawValue,
                                    served: report.servedFingerprint.hex, rows: report.rows, fields: fields,
                                    envelope: Data(envelope).base64EncodedString())
    }

    /// Asks the adapter, keeps the fields asked for, and builds the plaintext and the report.
    private func read(_ source: GatewaySource, fields: [String], attempt: Attempt) async throws(GatewayError)
        -> ([UInt8], AccessReport) {
        let request = attempt.request
        let limit = Int(request.limit == 0 ? UInt32(CatalogContract.subjectsPerAccessMax)
                                           : min(request.limit, UInt32(CatalogContract.subjectsPerAccessMax)))
        let subjectField = source.subjectField
        let query = AdapterQuery(fields: fields.contains(subjectField) ? fields : fields + [subjectField],
                                 filter: request.filter, limit: limit,
                                 schema: Set(attempt.resource.draft.fields.map(\.name) + [subjectField]))
        let fetched: [DataRow]
        do { fetched = try await source.adapter.rows(for: query) } catch {
            throw GatewayError(.sourceFailed, "The provider's system did not answer: \(error.description)")
        }
        let rows = fetched.prefix(limit).map { row in
            Dictionary(uniqueKeysWithValues: fields.map { ($0, row[$0] ?? nil) })
        }
        var subjects: [Hash256] = []
        for row in fetched.prefix(limit) {
            guard let identifier = row[subjectField] ?? nil, !identifier.isEmpty else { continue }
            let subject = SubjectFingerprint.make(identifier: identifier, salt: configuration.salt, suite: suite)
            if !subjects.contains(subject) { subjects.append(subject) }
        }
        let plaintext = CanonicalRows.encode(Array(rows))
        let report = AccessReport(resource: request.resource, grant: request.grant, consumer: attempt.consumer,
                                  consumerOrganization: attempt.organization, fields: fields,
                                  servedFingerprint: suite.hash(plaintext), subjects: subjects, rows: UInt32(rows.count),
                                  refusal: "")
        return (plaintext, report)
    }

    /// Records a refusal from the grant checks on and returns the error to answer with (carrying the record, or
    /// saying that recording failed).
    private func recordRefusal(_ refusal: GatewayError, _ attempt: Attempt) async -> GatewayError {
        precondition(refusal.refusal.isRecorded, "only grant refusals are recorded")
        let report = AccessReport(resource: attempt.request.resource, grant: attempt.request.grant, consumer: attempt.consumer,
                                  consumerOrganization: attempt.organization, fields: attempt.request.fields,
                                  servedFingerprint: .zero, subjects: [], rows: 0, refusal: refusal.refusal.code)
        var answer = refusal
        do {
            let recorded = try await record(report)
            answer.access = recorded.access
            answer.transaction = recorded.hash.hex
        } catch {
            logger.error("a refused fetch could not be recorded", metadata: ["code": "\(refusal.refusal.code)", "reason": "\(error)"])
            answer.message += " (The refusal could not be recorded on chain.)"
        }
        return answer
    }
}
