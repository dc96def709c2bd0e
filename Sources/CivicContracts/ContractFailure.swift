/// A deterministic failure of a contract call. It becomes a failed receipt (code and message)
/// when it happens during execution, and a refusal with the same code when admission's dry run
/// finds it first. Either way the call's state changes are discarded.
public struct ContractFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable code such as `evidence.duplicate`.
    public var code: String
    /// A sentence a person understands.
    public var message: String

    /// Creates a failure.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// No contract has this name.
    public static func unknownContract(_ name: String) -> ContractFailure {
        ContractFailure(code: "contract.unknown", message: "There is no contract named '\(name)' on this chain.")
    }

    /// The contract has no such method.
    public static func unknownMethod(_ contract: String, _ method: String) -> ContractFailure {
        ContractFailure(code: "contract.unknown_method", message: "The contract '\(contract)' has no method '\(method)'.")
    }

    /// The arguments do not decode as the method's arguments.
    public static func invalidArguments(_ method: String, _ why: String) -> ContractFailure {
        ContractFailure(code: "contract.invalid_arguments", message: "The arguments of '\(method)' are invalid: \(why)")
    }

    /// The caller's role does not allow the call.
    public static func permissionDenied(_ action: String, role: String, needed: String) -> ContractFailure {
        ContractFailure(code: "permission.denied",
                        message: "A caller with role '\(role)' may not \(action); this needs \(needed).")
    }
}
