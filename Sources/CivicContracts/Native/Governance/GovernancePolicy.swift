import CivicCodec
import CivicLedger

/// A thing on the chain that only a governance proposal may change. Each has a ``GovernancePolicy``.
public enum GovernedResource: UInt8, Sendable, CaseIterable, CustomStringConvertible, CanonicalCodable {
    /// Which organizations are members, their CAs and admins.
    case membership = 1
    /// The validator set and voting powers.
    case validatorSet = 2
    /// Chain parameters (block size, block interval).
    case chainConfig = 3
    /// The certificate revocation list.
    case certificateRevocation = 4
    /// Deploying and upgrading contracts.
    case contractDeploy = 5
    /// Which organizations the chain trusts to issue each type of electronic certificate (cross-region
    /// recognition, Docs/0016).
    case certificateRecognition = 6

    /// The lower-case name used in files, the CLI and the API.
    public var name: String {
        switch self {
        case .membership: "membership"
        case .validatorSet: "validator_set"
        case .chainConfig: "chain_config"
        case .certificateRevocation: "certificate_revocation"
        case .contractDeploy: "contract_deploy"
        case .certificateRecognition: "certificate_recognition"
        }
    }

    /// The resource called `name`, or `nil`.
    public init?(name: String) {
        guard let resource = GovernedResource.allCases.first(where: { $0.name == name }) else { return nil }
        self = resource
    }

    /// `name`.
    public var description: String { name }

    /// One byte.
    public func encode(to encoder: inout CanonicalEncoder) { encoder.encode(rawValue) }

    /// Reads the resource byte.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let byte = try decoder.decodeUInt8("governance.resource")
        guard let resource = GovernedResource(rawValue: byte) else {
            throw .unknownTag(field: "governance.resource", tag: UInt64(byte))
        }
        self = resource
    }
}

/// Who must approve a change of a resource: a rule over member organizations, optionally
/// restricted to voters of one role (ChainMaker's resource policies, Fabric's implicit meta policies).
///
/// An organization approves when one of its eligible voters votes to approve: without a role,
/// its admins (the registry's admin list); with a role, its identities of that role.
///
/// Canonical bytes: rule tag (1 `ANY`, 2 `MAJORITY`, 3 `ALL`, 4 `N-of` followed by n as u32),
/// then the role as an optional.
public struct GovernancePolicy: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// How many organizations must approve.
    public enum Rule: Hashable, Sendable {
        /// At least one organization.
        case any
        /// More than half of the organizations.
        case majority
        /// Every organization.
        case all
        /// At least `n` organizations (all of them when fewer than `n` are members, so that removing
        /// members can never lock a resource).
        case nOf(UInt32)
    }

    /// What a proposal's votes amount to under a policy.
    public enum Evaluation: Hashable, Sendable {
        /// Enough organizations approved: the change executes.
        case met
        /// Not yet met, but the organizations that have not voted could still meet it.
        case pending
        /// It can no longer be met: the proposal is rejected.
        case unreachable
    }

    /// The rule.
    public var rule: Rule
    /// The role voters must have; `nil` for the organizations' admins.
    public var role: Role?

    /// Creates a policy.
    public init(_ rule: Rule, role: Role? = nil) {
        self.rule = rule
        self.role = role
    }

    /// `MAJORITY` of the organizations' admins: the default of every resource.
    public static let majority = GovernancePolicy(.majority)

    /// How many approving organizations meet the policy among `organizations` members: at least 1.
    public func approvalsRequired(organizations: Int) -> Int {
        let members = max(organizations, 0)
        let needed: Int
        switch rule {
        case .any: needed = 1
        case .majority: needed = members / 2 + 1
        case .all: needed = members
        case .nOf(let n): needed = min(Int(n), members)
        }
        return max(needed, 1)
    }

    /// Evaluates votes: `approvals` and `rejections` distinct member organizations out of `organizations`.
    /// Pure; monotone in `approvals` (more approvals never turn `met` into anything else).
    /// - Precondition: `approvals + rejections <= organizations`, none negative.
    public func evaluate(approvals: Int, rejections: Int, organizations: Int) -> Evaluation {
        precondition(
            approvals >= 0 && rejections >= 0 && approvals + rejections <= organizations,
            "votes come from distinct member organizations")
        let required = approvalsRequired(organizations: organizations)
        if approvals >= required { return .met }
        let undecided = organizations - approvals - rejections
        return approvals + undecided >= required ? .pending : .unreachable
    }

    /// `ANY`, `MAJORITY`, `ALL` or `N-of-n`, with `(role)` when restricted.
    public var description: String {
        let text: String
        switch rule {
        case .any: text = "ANY"
        case .majority: text = "MAJORITY"
        case .all: text = "ALL"
        case .nOf(let n): text = "\(n)-OF"
        }
        return role.map { "\(text)(\($0.name))" } ?? text
    }

    /// Parses `any`, `majority`, `all` or a number n (n-of), case-insensitive; `nil` otherwise.
    public init?(ruleText: String, role: Role? = nil) {
        switch ruleText.lowercased() {
        case "any": self.init(.any, role: role)
        case "majority": self.init(.majority, role: role)
        case "all": self.init(.all, role: role)
        default:
            guard let n = UInt32(ruleText), n > 0 else { return nil }
            self.init(.nOf(n), role: role)
        }
    }

    /// Rule tag (and n), then the optional role.
    public func encode(to encoder: inout CanonicalEncoder) {
        switch rule {
        case .any: encoder.encode(UInt8(1))
        case .majority: encoder.encode(UInt8(2))
        case .all: encoder.encode(UInt8(3))
        case .nOf(let n):
            encoder.encode(UInt8(4))
            encoder.encode(n)
        }
        encoder.encode(optional: role)
    }

    /// Reads a policy; `N-of` needs n ≥ 1.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let tag = try decoder.decodeUInt8("policy.rule")
        switch tag {
        case 1: rule = .any
        case 2: rule = .majority
        case 3: rule = .all
        case 4:
            let n = try decoder.decodeUInt32("policy.n")
            guard n > 0 else { throw .invalidValue(field: "policy.n", reason: "an N-of policy needs n of at least 1") }
            rule = .nOf(n)
        default: throw .unknownTag(field: "policy.rule", tag: UInt64(tag))
        }
        role = try decoder.decodeOptional(Role.self, "policy.role")
    }
}
