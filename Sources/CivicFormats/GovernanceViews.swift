import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import Foundation

/// One organization's vote on a proposal, in JSON.
public struct ProposalVoteView: Codable, Sendable, Equatable {
    /// Voter's address, hex.
    public var voter: String
    /// The organization it voted for.
    public var organization: String
    /// Approve or reject.
    public var approve: Bool
    /// Height of the vote's block.
    public var height: UInt64
    /// Block time of the vote, ms.
    public var timeMs: UInt64
    /// The vote's transaction hash, hex.
    public var transactionHash: String

    /// The view of `vote`.
    public init(_ vote: ProposalVote) {
        voter = vote.voter.hex
        organization = vote.organization
        approve = vote.approve
        height = vote.height.rawValue
        timeMs = vote.time.milliseconds
        transactionHash = vote.transactionHash.hex
    }
}

/// A governance proposal in JSON; `state` carries its canonical record with a state proof.
public struct ProposalView: Codable, Sendable, Equatable {
    /// The proposal's number.
    public var id: UInt64
    /// The kind of change (`add_organization`, `remove_validator`…).
    public var change: String
    /// The change's fields in words.
    public var fields: [String: String]
    /// The resource whose policy governs it.
    public var resource: String
    /// Proposer's address, hex.
    public var proposer: String
    /// Proposer's organization.
    public var organization: String
    /// Height it was proposed at.
    public var proposedAt: UInt64
    /// Block time it was proposed at, ms.
    public var proposedTimeMs: UInt64
    /// Last block time at which votes count, ms.
    public var deadlineMs: UInt64
    /// `open`, `executed`, `rejected` or `expired` (an open proposal past its deadline at the answer's height).
    public var status: String
    /// Height it was closed at.
    public var closedAt: UInt64?
    /// The votes, in the order cast.
    public var votes: [ProposalVoteView]
    /// The record under its state key, with proof.
    public var state: StateResponse?

    /// The view of `proposal` as of block time `time`.
    public init(_ proposal: GovernanceProposal, at time: Timestamp, state: StateResponse?) {
        id = proposal.id
        change = proposal.change.kind
        fields = Dictionary(proposal.change.fields, uniquingKeysWith: { first, _ in first })
        resource = proposal.change.resource.name
        proposer = proposal.proposer.hex
        organization = proposal.proposerOrganization
        proposedAt = proposal.proposedAt.rawValue
        proposedTimeMs = proposal.proposedTime.milliseconds
        deadlineMs = proposal.deadline.milliseconds
        status = proposal.status(at: time).name
        closedAt = proposal.closedAt?.rawValue
        votes = proposal.votes.map(ProposalVoteView.init)
        self.state = state
    }
}

/// `GET /v1/governance/proposals`: the newest proposals, newest first.
public struct ProposalListResponse: Codable, Sendable, Equatable {
    /// How many proposals there are in all.
    public var total: UInt64
    /// The newest, at most the API's bound.
    public var proposals: [ProposalView]

    /// Creates a value.
    public init(total: UInt64, proposals: [ProposalView]) {
        self.total = total
        self.proposals = proposals
    }
}

/// A member organization in JSON.
public struct OrganizationView: Codable, Sendable, Equatable {
    /// Its name.
    public var name: String
    /// Its CA certificates, DER in base64.
    public var caCertificates: [String]
    /// Its admins' addresses, hex.
    public var admins: [String]
    /// The height it joined.
    public var addedAt: UInt64
    /// The record with proof.
    public var state: StateResponse

    /// The view of `organization`.
    public init(_ organization: GovernanceOrganization, state: StateResponse) {
        name = organization.name
        caCertificates = organization.caCertificates.map { Data($0).base64EncodedString() }
        admins = organization.admins.map(\.hex)
        addedAt = organization.addedAt.rawValue
        self.state = state
    }
}

/// `GET /v1/governance/organizations`, sorted by name.
public struct OrganizationListResponse: Codable, Sendable, Equatable {
    /// The member organizations.
    public var organizations: [OrganizationView]

    /// Creates a value.
    public init(organizations: [OrganizationView]) { self.organizations = organizations }
}

/// The policy of one resource in JSON.
public struct PolicyView: Codable, Sendable, Equatable {
    /// The resource (`membership`, `validator_set`, `chain_config`, `certificate_revocation`, `contract_deploy`, `certificate_recognition`).
    public var resource: String
    /// `ANY`, `MAJORITY`, `ALL` or `N-OF`, with `(role)` when restricted.
    public var policy: String
    /// The role voters must have; absent for organization admins.
    public var role: String?
    /// The record with proof.
    public var state: StateResponse

    /// The view of `policy` of `resource`.
    public init(resource: GovernedResource, policy: GovernancePolicy, state: StateResponse) {
        self.resource = resource.name
        self.policy = policy.description
        role = policy.role?.name
        self.state = state
    }
}

/// `GET /v1/governance/policies`.
public struct PolicyListResponse: Codable, Sendable, Equatable {
    /// One policy per resource.
    public var policies: [PolicyView]

    /// Creates a value.
    public init(policies: [PolicyView]) { self.policies = policies }
}

/// One validator-set entry in JSON.
public struct ValidatorSetEntryView: Codable, Sendable, Equatable {
    /// The entry's index (0 is genesis').
    public var index: UInt64
    /// The first height it certifies.
    public var appliesFrom: UInt64
    /// The proposal that made it (0 for genesis).
    public var proposalId: UInt64
    /// `pending`, `current` or `past`, relative to the block after the answer's height.
    public var applies: String
    /// The validators.
    public var validators: [ChainInfoResponse.ValidatorView]
    /// The record with proof.
    public var state: StateResponse

    /// The view of `entry`.
    public init(index: UInt64, entry: ValidatorSetEntry, applies: String, state: StateResponse) {
        self.index = index
        appliesFrom = entry.appliesFrom.rawValue
        proposalId = entry.proposalID
        self.applies = applies
        validators = entry.validators.validators.map {
            ChainInfoResponse.ValidatorView(
                name: $0.name, organization: $0.organization,
                publicKey: Hex.encode($0.publicKey.rawRepresentation), power: $0.power)
        }
        self.state = state
    }
}

/// `GET /v1/governance/validators`: the newest validator-set entries, newest first.
public struct ValidatorSetListResponse: Codable, Sendable, Equatable {
    /// How many entries there are in all.
    public var total: UInt64
    /// The newest, pending ones first, then the current one, then past ones (bounded).
    public var entries: [ValidatorSetEntryView]

    /// Creates a value.
    public init(total: UInt64, entries: [ValidatorSetEntryView]) {
        self.total = total
        self.entries = entries
    }
}
