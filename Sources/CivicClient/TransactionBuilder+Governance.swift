import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

extension TransactionBuilder {
    /// A call proposing `change` to contract `governance`, taking votes until `deadline` (block time).
    /// Only an admin of a member organization may propose.
    public static func propose(_ change: GovernanceChange, deadline: Timestamp) -> ContractCall {
        ContractCall(
            contract: "governance", method: "propose",
            arguments: GovernanceContract.Propose(change: change, deadline: deadline))
    }

    /// A call voting on proposal `id` for the caller's organization.
    public static func vote(proposal id: UInt64, approve: Bool) -> ContractCall {
        ContractCall(
            contract: "governance", method: "vote",
            arguments: GovernanceContract.Vote(proposalID: id, approve: approve))
    }

    /// A call recording that proposal `id` passed its deadline unmet.
    public static func closeProposal(_ id: UInt64) -> ContractCall {
        ContractCall(contract: "governance", method: "close", arguments: id)
    }
}
