import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import CivicNode
import Foundation
import Hummingbird
import Prometheus

/// The node's HTTP/JSON API. Every route is listed in the OpenAPI document at `/openapi.yaml`.
public enum CivicAPI {
    /// Largest request body accepted by a single-transaction submit, in bytes.
    public static let submitBodyBytesMax = 2 * Limits.transactionBytesMax
    /// Largest batch body, in bytes.
    public static let batchBodyBytesMax = 32 * 1024 * 1024
    /// Most transactions in one batch.
    public static let batchTransactionsMax = 10_000
    /// Longest a submitter may wait for its commit, in milliseconds.
    public static let waitMillisecondsMax: Int64 = 60_000
    /// Most misbehavior records in one answer (the newest).
    public static let misbehaviorRecordsMax = 100
    /// Most governance proposals in one answer (the newest).
    public static let governanceProposalsMax = 50
    /// Most validator-set entries in one answer (the newest).
    public static let governanceValidatorSetsMax = 16

    /// Builds the router for `node`. `metrics` is the registry `/metrics` renders; `events` limits the event endpoints;
    /// `timeStamps`, when given, signs RFC 3161 tokens for recorded evidence; `trail` answers the usage-trail routes
    /// (without it they answer `trail.not_configured`); `gateway` serves `POST /v1/gateway/fetch` (Docs/0016; without
    /// one it answers `gateway.not_configured`); `description` tells `GET /v1/node` the node's files and configured
    /// peer endpoints.
    public static func router(node: Node, metrics: PrometheusCollectorRegistry?,
                              events: EventStreamSettings = EventStreamSettings(),
                              timeStamps: TimeStampAuthority? = nil, trail: TrailIndex? = nil,
                              gateway: ExchangeGateway? = nil,
                              description: NodeDescription = NodeDescription()) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: FormQueryMiddleware())
        let handlers = APIHandlers(node: node, metrics: metrics)
        let nodeHandlers = NodeHandlers(node: node, description: description, events: events, timeStamps: timeStamps)
        let eventHandlers = EventHandlers(node: node, settings: events)
        router.get("/health") { _, _ in handlers.health() }
        router.get("/metrics") { _, _ in handlers.metricsText() }
        router.get("/openapi.yaml") { _, _ in try handlers.openAPI() }
        router.get("/v1/chain") { _, _ in handlers.chainInfo() }
        router.get("/v1/node") { _, _ in try nodeHandlers.status() }
        router.get("/v1/node/refusals") { request, _ in try nodeHandlers.refusals(request) }
        router.post("/v1/verify") { request, _ in try await handlers.verify(request) }
        router.post("/v1/transactions") { request, _ in try await handlers.submit(request) }
        router.post("/v1/transactions/batch") { request, _ in try await handlers.submitBatch(request) }
        router.get("/v1/transactions/:hash") { _, context in try handlers.transaction(context.parameters.require("hash")) }
        router.get("/v1/transactions/:hash/proof") { request, context in
            try handlers.transactionProof(request, hashText: context.parameters.require("hash"))
        }
        router.get("/v1/blocks") { request, _ in try handlers.blocks(request) }
        router.get("/v1/blocks/latest") { _, _ in try handlers.block(String(node.snapshot.head.height.rawValue)) }
        router.get("/v1/blocks/:id") { _, context in try handlers.block(context.parameters.require("id")) }
        router.get("/v1/events") { request, _ in try eventHandlers.stream(request) }
        router.get("/v1/events/range") { request, _ in try eventHandlers.range(request) }
        router.get("/v1/state/:key") { _, context in try handlers.state(keyHex: context.parameters.require("key")) }
        router.get("/v1/evidence/:algorithm/:fingerprint") { _, context in
            try handlers.evidence(algorithm: context.parameters.require("algorithm"),
                                  fingerprint: context.parameters.require("fingerprint"))
        }
        let evidenceHandlers = EvidenceHandlers(handlers: handlers, authority: timeStamps)
        router.get("/v1/evidence/:algorithm/:fingerprint/timestamp") { _, context in
            try evidenceHandlers.timeStamp(algorithm: context.parameters.require("algorithm"),
                                           fingerprint: context.parameters.require("fingerprint"))
        }
        router.get("/v1/misbehavior") { _, _ in try handlers.misbehavior(validator: nil) }
        router.get("/v1/misbehavior/:validator") { _, context in
            try handlers.misbehavior(validator: context.parameters.require("validator"))
        }
        router.get("/v1/governance/proposals") { _, _ in try handlers.proposals() }
        router.get("/v1/governance/proposals/:id") { _, context in try handlers.proposal(context.parameters.require("id")) }
        router.get("/v1/governance/organizations") { _, _ in try handlers.organizations() }
        router.get("/v1/governance/policies") { _, _ in try handlers.policies() }
        router.get("/v1/governance/validators") { _, _ in try handlers.validatorSets() }
        router.get("/v1/contracts") { _, _ in try handlers.contracts() }
        router.get("/v1/contracts/:name") { _, context in try handlers.contract(context.parameters.require("name")) }
        router.post("/v1/contracts/query") { request, _ in try await handlers.query(request) }
        router.get("/v1/identities") { request, _ in try handlers.identities(request) }
        router.get("/v1/identities/:address") { _, context in try handlers.identity(context.parameters.require("address")) }
        router.get("/v1/kv/:address/:key") { _, context in
            try handlers.keyValue(address: context.parameters.require("address"), keyHex: context.parameters.require("key"))
        }
        router.get("/v1/catalog/resources") { request, _ in try handlers.resources(request) }
        router.get("/v1/catalog/resources/:id") { _, context in try handlers.resource(context.parameters.require("id")) }
        router.get("/v1/catalog/requests") { request, _ in try handlers.shareRequests(request) }
        router.get("/v1/catalog/requests/:id") { _, context in try handlers.shareRequest(context.parameters.require("id")) }
        router.get("/v1/catalog/accesses/:id") { _, context in try handlers.access(context.parameters.require("id")) }
        addCertificateRoutes(to: router, handlers: handlers)
        // Usage trail (Docs/0016): who accessed a resource, what a department used, every access naming a subject.
        // A node without an index still serves the routes, answering `trail.not_configured`.
        let trailHandlers = trail.map { TrailHandlers(node: node, index: $0) }
        for question in TrailQuestion.allCases {
            router.get(RouterPath("/v1/trail/\(question.pathSegment)/:\(question.keyParameter)")) { request, context in
                guard let trailHandlers else {
                    throw APIError(.notFound, code: "trail.not_configured", message: "This node keeps no usage-trail index.")
                }
                return try trailHandlers.answer(question, key: context.parameters.require(question.keyParameter), request: request)
            }
        }
        // The exchange gateway (Docs/0016, "Exchange gateway").
        router.post("/v1/gateway/fetch") { request, _ in
            guard let gateway else { throw GatewayError(.notConfigured, "This node runs no exchange gateway.") }
            return try await gateway.handle(request)
        }
        addConsoleRoutes(to: router, handlers: handlers)
        return router
    }
}
