import CivicFormats

/// Why a request to a node failed.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The node refused the request with a stable code and a sentence.
    case refused(status: Int, ErrorBody.Detail)
    /// The node could not be reached.
    case unreachable(url: String, reason: String)
    /// The node answered something this client does not understand.
    case unexpectedResponse(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .refused(_, let detail): detail.code
        case .unreachable: "client.unreachable"
        case .unexpectedResponse: "client.unexpected_response"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .refused(let status, let detail): "The node refused the request (\(detail.code), HTTP \(status)): \(detail.message)"
        case .unreachable(let url, let reason): "Cannot reach the node at \(url): \(reason). Is it running?"
        case .unexpectedResponse(let why): "The node's answer was not understood: \(why)"
        }
    }
}
