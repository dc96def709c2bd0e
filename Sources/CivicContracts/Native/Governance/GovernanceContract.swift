import CivicCodec
import CivicCrypto
import CivicLedger

/// On-chain governance: member organizations propose changes of the chain's rules (membership,
/// validators, parameters, revocations, policies), their admins vote, and a change executes
/// atomically in the transaction whose vote meets the policy of the resource it changes.
///
/// Methods: `propose` (``Propose``; returns the proposal id, u64), `vote` (``Vote``), `close`
/// (``Close``: records that an open proposal's deadline passed). State layout: see ``Key`` and
/// Docs/0010-governance.md. Refusal codes: `governance.not_admin`, `governance.expired`,
/// `governance.double_vote`, `governance.too_few_validators`, `governance.last_admin`,
/// `governance.unknown_proposal`, `governance.invalid_change`, `governance.invalid_deadline`,
/// `governance.closed`, `governance.not_expired`, `governance.organization_exists`,
/// `governance.unknown_organization`, `governance.organization_has_validators`,
/// `governance.unknown_validator`, `governance.validator_exists`, `governance.already_revoked`,
/// `governance.too_many_votes`.
public struct GovernanceContract: SystemContract {
    /// Arguments of `propose`: the change and the last block time at which votes count.
    public struct Propose: Hashable, Sendable, CanonicalCodable {
        /// The change.
        public var change: GovernanceChange
        /// The deadline (block time, ms).
        public var deadline: Timestamp

        /// Creates arguments.
        public init(change: GovernanceChange, deadline: Timestamp) {
            self.change = change
            self.deadline = deadline
        }

        /// change, deadline.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(change)
            encoder.encode(deadline)
        }

        /// Reads arguments.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            change = try decoder.decode(GovernanceChange.self)
            deadline = try decoder.decode(Timestamp.self)
        }
    }

    /// Arguments of `vote`.
    public struct Vote: Hashable, Sendable, CanonicalCodable {
        /// The proposal.
        public var proposalID: UInt64
        /// Approve (`true`) or reject.
        public var approve: Bool

        /// Creates arguments.
        public init(proposalID: UInt64, approve: Bool) {
            self.proposalID = proposalID
            self.approve = approve
        }

        /// proposal id, approve.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(proposalID)
            encoder.encode(approve)
        }

        /// Reads arguments.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            proposalID = try decoder.decodeUInt64("vote.proposal_id")
            approve = try decoder.decodeBool("vote.approve")
        }
    }

    /// Arguments of `close`: the proposal id (u64).
    public typealias Close = UInt64

    /// Blocks between a validator change's execution and the height its new set applies from.
    public static let validatorSetDelay: UInt64 = 2
    /// Longest time between a proposal and its deadline, in milliseconds (30 days).
    public static let proposalLifetimeMillisecondsMax: UInt64 = 30 * 24 * 3600 * 1000
    /// Most organization names (and votes of a proposal) a record may hold. Proposals add organizations
    /// only up to ``Limits/validatorsMax``, but a genesis without an organization list makes one per
    /// organization of its (at most 1,000) admin identities.
    public static let organizationsDecodedMax = 1_000
    /// The fewest validators a governance change may leave (fewer only when genesis had fewer).
    public static let validatorsMin = 4
    /// Most organizations one certificate type may trust besides its registering issuer.
    public static let trustedIssuersMax = 64

    /// `governance`.
    public let name = "governance"
    /// `close`, `propose`, `vote`.
    public let methods = ["close", "propose", "vote"]

    /// The WebAssembly runtime that checks modules and runs their hooks at deploy and upgrade.
    let wasm: WasmRuntime

    /// Creates the contract; `wasm` checks and initializes deployed contracts.
    public init(wasm: WasmRuntime = WasmRuntime(nativeContractNames: GovernanceContract.reservedContractNames)) {
        self.wasm = wasm
    }

    /// Runs `propose`, `vote` or `close`.
    /// - Throws: the codes listed on the type; nothing changes when it throws.
    public func execute(
        method: String, arguments: [UInt8], context: inout CallContext
    ) throws(ContractFailure) -> [UInt8] {
        switch method {
        case "propose":
            let request: Propose
            do { request = try Propose(canonicalBytes: arguments) } catch { throw .invalidChange(error.description) }
            return try propose(request, context: &context).canonicalBytes
        case "vote":
            try vote(try decodeArguments(Vote.self, arguments, method: method), context: &context)
            return []
        case "close":
            try close(try decodeArguments(Close.self, arguments, method: method), context: &context)
            return []
        default:
            throw .unknownMethod(name, method)
        }
    }

    private func propose(_ request: Propose, context: inout CallContext) throws(ContractFailure) -> UInt64 {
        let organization = try Self.organization(context.callerIdentity.organization, in: context.state)
        guard let organization, organization.admins.contains(context.callerAddress) else {
            throw .notAdmin(context.callerAddress, organization: context.callerIdentity.organization, action: "propose")
        }
        let now = context.block.time
        guard request.deadline > now,
            request.deadline.milliseconds - now.milliseconds <= Self.proposalLifetimeMillisecondsMax
        else {
            throw ContractFailure(
                code: "governance.invalid_deadline",
                message: "The deadline must be after the block time (\(now.milliseconds) ms) and at most "
                    + "\(Self.proposalLifetimeMillisecondsMax / 86_400_000) days later.")
        }
        // A dry run refuses now what could never execute (too few validators, last admin, unknown names).
        var dryRun = context
        try Self.apply(request.change, proposalID: 0, wasm: wasm, context: &dryRun)
        let id = Self.readUInt64(context.state.get(Key.proposalCount)) + 1
        let proposal = GovernanceProposal(
            id: id, change: request.change, proposer: context.callerAddress,
            proposerOrganization: organization.name, proposedAt: context.block.height,
            proposedTime: now, deadline: request.deadline)
        try context.state.put(Key.proposal(id), proposal.canonicalBytes)
        try context.state.put(Key.proposalCount, id.canonicalBytes)
        try context.emit(
            "governance.proposed",
            [
                EventAttribute("proposal", String(id)), EventAttribute("change", request.change.kind),
                EventAttribute("resource", request.change.resource.name),
                EventAttribute("proposer", context.callerAddress.hex),
                EventAttribute("organization", organization.name),
                EventAttribute("deadline_ms", String(request.deadline.milliseconds)),
            ])
        return id
    }

    private func vote(_ request: Vote, context: inout CallContext) throws(ContractFailure) {
        var proposal = try Self.proposal(request.proposalID, in: context.state)
        guard proposal.status == .open else { throw .closed(proposal) }
        guard context.block.time <= proposal.deadline else {
            throw ContractFailure(
                code: "governance.expired",
                message: "Proposal \(proposal.id) stopped taking votes at \(proposal.deadline.milliseconds) ms; "
                    + "the block time is \(context.block.time.milliseconds) ms.")
        }
        let policy = try Self.policy(proposal.change.resource, in: context.state)
        let organizationName = context.callerIdentity.organization
        guard let organization = try Self.organization(organizationName, in: context.state),
            Self.mayVote(context.callerIdentity, address: context.callerAddress, for: organization, under: policy)
        else {
            throw .notAdmin(
                context.callerAddress, organization: organizationName, action: "vote under policy \(policy)")
        }
        if let earlier = proposal.votes.first(where: { $0.organization == organization.name }) {
            throw ContractFailure(
                code: "governance.double_vote",
                message: "Organization '\(organization.name)' already voted on proposal \(proposal.id) "
                    + "(by \(earlier.voter) at height \(earlier.height)); each organization votes once.")
        }
        guard proposal.votes.count < Self.organizationsDecodedMax else {
            throw ContractFailure(
                code: "governance.too_many_votes",
                message: "Proposal \(proposal.id) already holds \(Self.organizationsDecodedMax) votes.")
        }
        proposal.votes.append(
            ProposalVote(
                voter: context.callerAddress, organization: organization.name,
                approve: request.approve, height: context.block.height,
                time: context.block.time, transactionHash: context.transactionHash))
        try context.emit(
            "governance.voted",
            [
                EventAttribute("proposal", String(proposal.id)), EventAttribute("voter", context.callerAddress.hex),
                EventAttribute("organization", organization.name), EventAttribute("approve", String(request.approve)),
            ])
        let members = Set(try Self.organizationNames(in: context.state))
        let counted = proposal.votes.filter { members.contains($0.organization) }
        let approvals = counted.filter(\.approve).count
        switch policy.evaluate(
            approvals: approvals, rejections: counted.count - approvals, organizations: members.count)
        {
        case .met:
            try Self.apply(proposal.change, proposalID: proposal.id, wasm: wasm, context: &context)
            proposal.status = .executed
            proposal.closedAt = context.block.height
            try context.emit(
                "governance.executed",
                [
                    EventAttribute("proposal", String(proposal.id)),
                    EventAttribute("change", proposal.change.kind),
                ]
                    + proposal.change.fields.map { EventAttribute($0.0, $0.1) })
        case .unreachable:
            proposal.status = .rejected
            proposal.closedAt = context.block.height
            try context.emit("governance.rejected", [EventAttribute("proposal", String(proposal.id))])
        case .pending:
            break
        }
        try context.state.put(Key.proposal(proposal.id), proposal.canonicalBytes)
    }

    private func close(_ id: UInt64, context: inout CallContext) throws(ContractFailure) {
        var proposal = try Self.proposal(id, in: context.state)
        guard proposal.status == .open else { throw .closed(proposal) }
        guard context.block.time > proposal.deadline else {
            throw ContractFailure(
                code: "governance.not_expired",
                message: "Proposal \(id) takes votes until \(proposal.deadline.milliseconds) ms.")
        }
        proposal.status = .expired
        proposal.closedAt = context.block.height
        try context.state.put(Key.proposal(id), proposal.canonicalBytes)
        try context.emit("governance.expired", [EventAttribute("proposal", String(id))])
    }

    /// Whether `identity` at `address` may vote for `organization` under `policy`: without a role,
    /// when it is one of the organization's admins; with one, when it has that role in that organization.
    public static func mayVote(
        _ identity: Identity, address: Address, for organization: GovernanceOrganization,
        under policy: GovernancePolicy
    ) -> Bool {
        guard identity.organization == organization.name, identity.active else { return false }
        guard let role = policy.role else { return organization.admins.contains(address) }
        return identity.role == role
    }
}

extension ContractFailure {
    /// The change cannot be decoded or does not fit the chain's current state.
    public static func invalidChange(_ why: String) -> ContractFailure {
        ContractFailure(code: "governance.invalid_change", message: "The proposed change is invalid: \(why)")
    }

    /// The caller is not an admin (or eligible voter) of a member organization.
    public static func notAdmin(_ address: Address, organization: String, action: String) -> ContractFailure {
        ContractFailure(
            code: "governance.not_admin",
            message: "\(address) is not an admin of member organization '\(organization)', so it may not \(action).")
    }

    /// The proposal is no longer open.
    static func closed(_ proposal: GovernanceProposal) -> ContractFailure {
        ContractFailure(
            code: "governance.closed",
            message: "Proposal \(proposal.id) is \(proposal.status.name)"
                + (proposal.closedAt.map { " since height \($0)" } ?? "") + "; it takes no more votes.")
    }
}
