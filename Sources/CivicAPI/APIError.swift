import CivicContracts
import CivicCrypto
import CivicFormats
import CivicNode
import Foundation
import Hummingbird

/// A refused request: an HTTP status and the JSON body `{"error": {"code", "message"}}`.
public struct APIError: HTTPResponseError, Sendable {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Stable code.
    public var code: String
    /// A sentence a person understands.
    public var message: String

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(ErrorBody(code: code, message: message), status: status)
    }

    /// The error for a refused submission, with a status that says whose fault it is.
    public init(_ error: SubmissionError) {
        let status: HTTPResponse.Status = switch error {
        case .tooLarge: .contentTooLarge
        case .malformed, .wrongChain, .wrongSuite, .badSignature, .expired, .expiryTooFar: .badRequest
        case .replay, .duplicate: .conflict
        case .mempoolFull, .shuttingDown: .serviceUnavailable
        case .rejected(let failure):
            switch failure.code {
            case "permission.denied", "identity.unknown_caller", "identity.inactive", "governance.not_admin": .forbidden
            case _ where error.isCertificateRefusal: .forbidden
            case "evidence.duplicate", "identity.exists", "accountability.duplicate", "governance.double_vote",
                 "governance.already_revoked", "governance.closed": .conflict
            default: .unprocessableContent
            }
        }
        self.init(status, code: error.code, message: error.description)
    }

    /// The error for a failed query.
    public init(_ error: QueryError) {
        let status: HTTPResponse.Status = switch error {
        case .notFound: .notFound
        case .invalid: .badRequest
        case .noCertifiedBlock, .stale: .serviceUnavailable
        case .storage: .internalServerError
        }
        self.init(status, code: error.code, message: error.description)
    }

    /// A malformed request parameter.
    public static func invalid(_ message: String) -> APIError {
        APIError(.badRequest, code: "request.invalid", message: message)
    }
}

/// Builds JSON responses with the project's JSON settings.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONFormat.compactEncoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
