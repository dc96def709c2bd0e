import CivicFormats
import Hummingbird

/// Why the exchange gateway refused a fetch (Docs/0016, "Exchange gateway"), in the order the checks run.
///
/// The first four are answered but not recorded: until they pass, the gateway does not know who asks (or the
/// asker is no member of the chain), so a record would name nobody and would let anyone with a key fill the
/// chain. `unknownResource` cannot be recorded because the chain keeps access records only for resources of the
/// gateway's own department. Every refusal from the grant checks on is recorded with `catalog.record_access`.
public enum GatewayRefusal: String, Sendable, CaseIterable {
    /// The body is not a fetch request (JSON, hex, canonical encoding).
    case malformed = "gateway.malformed_request"
    /// The signature does not verify, the key is of another suite, or the request names another chain.
    case badSignature = "gateway.bad_signature"
    /// `issuedAt` is more than ``ExchangeGateway/freshnessMillisecondsMax`` away from the gateway's clock.
    case staleRequest = "gateway.stale_request"
    /// The signer's nonce was seen within the freshness window.
    case replayed = "gateway.replayed"
    /// The signer is not a registered, active identity.
    case unknownConsumer = "gateway.unknown_consumer"
    /// No resource of that id is in the catalog, or this gateway does not serve it.
    case unknownResource = "gateway.unknown_resource"
    /// No grant of that number exists for this resource (never requested, pending or rejected).
    case noGrant = "gateway.no_grant"
    /// The grant was revoked by the provider.
    case grantRevoked = "gateway.grant_revoked"
    /// The grant expired at the latest committed block time.
    case grantExpired = "gateway.grant_expired"
    /// The signer's department is not the grant's consumer (a request signed by another department).
    case wrongConsumer = "gateway.wrong_consumer"
    /// A field asked for, or filtered on, is not within the grant.
    case fieldNotGranted = "gateway.field_not_granted"
    /// The provider's system did not answer as configured.
    case sourceFailed = "gateway.source_failed"
    /// The access could not be recorded on chain (so nothing was released).
    case notRecorded = "gateway.not_recorded"
    /// The node could not read its committed state.
    case chainUnavailable = "gateway.chain_unavailable"
    /// The gateway has seen too many requests within the freshness window to check replays.
    case overloaded = "gateway.overloaded"
    /// This node runs no gateway.
    case notConfigured = "gateway.not_configured"

    /// The stable code.
    public var code: String { rawValue }

    /// Whether the refusal is recorded on chain: the grant checks and everything after them.
    public var isRecorded: Bool {
        switch self {
        case .noGrant, .grantRevoked, .grantExpired, .wrongConsumer, .fieldNotGranted: true
        default: false
        }
    }

    /// The HTTP status that says whose fault it is.
    public var status: HTTPResponse.Status {
        switch self {
        case .malformed: .badRequest
        case .badSignature, .staleRequest: .unauthorized
        case .replayed: .conflict
        case .unknownConsumer, .noGrant, .grantRevoked, .grantExpired, .wrongConsumer, .fieldNotGranted: .forbidden
        case .unknownResource, .notConfigured: .notFound
        case .sourceFailed: .badGateway
        case .notRecorded, .overloaded, .chainUnavailable: .serviceUnavailable
        }
    }
}

/// A refused fetch as an HTTP answer: the code, a sentence, and the recording transaction if there is one.
public struct GatewayError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    /// Why.
    public var refusal: GatewayRefusal
    /// A sentence a person understands.
    public var message: String
    /// The access number of the recorded refusal.
    public var access: UInt64?
    /// The hash of the recording transaction, hex.
    public var transaction: String?

    /// Creates an error.
    public init(_ refusal: GatewayRefusal, _ message: String, access: UInt64? = nil, transaction: String? = nil) {
        self.refusal = refusal
        self.message = message
        self.access = access
        self.transaction = transaction
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status { refusal.status }

    /// `code: message`.
    public var description: String { "\(refusal.code): \(message)" }

    /// `{"error": {"code", "message"}, "access", "transaction"}`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(GatewayRefusalBody(code: refusal.code, message: message, access: access, transaction: transaction),
                          status: status)
    }
}
