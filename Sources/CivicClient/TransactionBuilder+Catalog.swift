import CivicApps
import CivicContracts
import CivicLedger

extension TransactionBuilder {
    /// A call publishing `draft` in the data catalog (a new resource, or the next version of the caller's own).
    public static func publishResource(_ draft: ResourceDraft) -> ContractCall {
        ContractCall(contract: "catalog", method: "publish", arguments: draft)
    }

    /// A call withdrawing resource `id` from the catalog.
    public static func withdrawResource(_ id: String) -> ContractCall {
        ContractCall(contract: "catalog", method: "withdraw", arguments: CanonicalString(id))
    }

    /// A call requesting a resource; the receipt's return data is the request number (u64 big-endian).
    public static func requestResource(_ draft: RequestDraft) -> ContractCall {
        ContractCall(contract: "catalog", method: "request", arguments: draft)
    }

    /// What the owner of a resource can decide about a request.
    public enum RequestDecision: String, Sendable, CaseIterable {
        /// Grant a pending request.
        case approve
        /// Refuse a pending request.
        case reject
        /// End a grant.
        case revoke
    }

    /// A call deciding request `id` with a note or reason.
    public static func decideRequest(_ decision: RequestDecision, id: UInt64, note: String) -> ContractCall {
        ContractCall(contract: "catalog", method: decision.rawValue, arguments: CatalogContract.Decision(request: id, note: note))
    }

    /// A call recording a gateway's access (served or refused).
    public static func recordAccess(_ report: AccessReport) -> ContractCall {
        ContractCall(contract: "catalog", method: "record_access", arguments: report)
    }
}
