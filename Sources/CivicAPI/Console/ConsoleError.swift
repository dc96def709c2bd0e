import Hummingbird

/// Why the console's sign-in or a prepared transaction was refused. Each case has a stable code, as every API error.
enum ConsoleError: Error, Equatable, Sendable {
    /// The challenge is unknown, used or expired.
    case unknownChallenge
    /// The signature does not answer the challenge with the given key.
    case badSignature
    /// No identity is registered for the key.
    case unknownIdentity
    /// The identity is deactivated.
    case inactiveIdentity
    /// No `Authorization: Bearer` header, or its session ended.
    case notSignedIn
    /// The action is not one the console prepares.
    case unknownAction(String)
    /// The action's arguments are malformed or invalid.
    case invalidArguments(String)

    /// The stable error code.
    var code: String {
        switch self {
        case .unknownChallenge: "console.unknown_challenge"
        case .badSignature: "console.bad_signature"
        case .unknownIdentity: "console.unknown_identity"
        case .inactiveIdentity: "console.inactive_identity"
        case .notSignedIn: "console.not_signed_in"
        case .unknownAction: "console.unknown_action"
        case .invalidArguments: "console.invalid_arguments"
        }
    }

    /// The API error answered for it.
    var apiError: APIError {
        switch self {
        case .unknownChallenge:
            APIError(.unauthorized, code: code, message: "The sign-in challenge is unknown, already used or expired; ask for a new one.")
        case .badSignature:
            APIError(.unauthorized, code: code, message: "The signature does not answer the challenge with this key.")
        case .unknownIdentity:
            APIError(.forbidden, code: code, message: "No identity is registered on the chain for this key.")
        case .inactiveIdentity:
            APIError(.forbidden, code: code, message: "This identity has been deactivated.")
        case .notSignedIn:
            APIError(.unauthorized, code: code, message: "Sign in first (the session is missing, expired or ended).")
        case .unknownAction(let action):
            APIError(.badRequest, code: code, message: "The console prepares no action '\(action)'.")
        case .invalidArguments(let reason):
            APIError(.badRequest, code: code, message: reason)
        }
    }
}
