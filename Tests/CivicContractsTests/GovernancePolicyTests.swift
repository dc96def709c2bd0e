import CivicCodec
import CivicContracts
import CivicLedger
import CivicTesting
import Testing

/// Properties of ``GovernancePolicy/evaluate(approvals:rejections:organizations:)``, checked over
/// every vote count of up to 16 organizations.
@Suite struct GovernancePolicyTests {
    static let policies: [GovernancePolicy] =
        [GovernancePolicy(.any), .majority, GovernancePolicy(.all)]
        + (1...18).map { GovernancePolicy(.nOf(UInt32($0))) }

    /// Every (organizations, approvals, rejections) with votes from distinct organizations.
    static var tallies: [(organizations: Int, approvals: Int, rejections: Int)] {
        var out: [(Int, Int, Int)] = []
        for organizations in 1...16 {
            for approvals in 0...organizations {
                for rejections in 0...(organizations - approvals) { out.append((organizations, approvals, rejections)) }
            }
        }
        return out
    }

    @Test func moreApprovalsNeverUndoAMetPolicy() {
        for policy in Self.policies {
            for tally in Self.tallies where tally.approvals + tally.rejections < tally.organizations {
                let now = policy.evaluate(
                    approvals: tally.approvals, rejections: tally.rejections,
                    organizations: tally.organizations)
                let more = policy.evaluate(
                    approvals: tally.approvals + 1, rejections: tally.rejections,
                    organizations: tally.organizations)
                if now == .met { #expect(more == .met, "\(policy) \(tally)") }
                if more == .unreachable { #expect(now == .unreachable, "\(policy) \(tally)") }
            }
        }
    }

    @Test func moreRejectionsNeverRescueAnUnreachablePolicy() {
        for policy in Self.policies {
            for tally in Self.tallies where tally.approvals + tally.rejections < tally.organizations {
                let now = policy.evaluate(
                    approvals: tally.approvals, rejections: tally.rejections,
                    organizations: tally.organizations)
                let more = policy.evaluate(
                    approvals: tally.approvals, rejections: tally.rejections + 1,
                    organizations: tally.organizations)
                if now == .unreachable { #expect(more == .unreachable, "\(policy) \(tally)") }
            }
        }
    }

    @Test("ALL implies MAJORITY implies ANY; N-of implies (N-1)-of")
    func strengthOrder() {
        for tally in Self.tallies {
            func met(_ policy: GovernancePolicy) -> Bool {
                policy.evaluate(
                    approvals: tally.approvals, rejections: tally.rejections,
                    organizations: tally.organizations) == .met
            }
            if met(GovernancePolicy(.all)) { #expect(met(.majority)) }
            if met(.majority) { #expect(met(GovernancePolicy(.any))) }
            for n in 2...18 where met(GovernancePolicy(.nOf(UInt32(n)))) {
                #expect(met(GovernancePolicy(.nOf(UInt32(n - 1)))))
            }
        }
    }

    @Test func thresholds() {
        #expect(GovernancePolicy.majority.approvalsRequired(organizations: 4) == 3)
        #expect(GovernancePolicy.majority.approvalsRequired(organizations: 5) == 3)
        #expect(GovernancePolicy(.all).approvalsRequired(organizations: 5) == 5)
        #expect(GovernancePolicy(.any).approvalsRequired(organizations: 5) == 1)
        #expect(GovernancePolicy(.nOf(7)).approvalsRequired(organizations: 5) == 5, "N-of never asks for more than all")
        #expect(GovernancePolicy(.all).approvalsRequired(organizations: 0) == 1)
        #expect(GovernancePolicy.majority.evaluate(approvals: 1, rejections: 2, organizations: 4) == .unreachable)
        #expect(GovernancePolicy.majority.evaluate(approvals: 2, rejections: 1, organizations: 4) == .pending)
    }

    @Test func policiesRoundTripAndRefuseBadBytes() throws {
        for policy in Self.policies + [
            GovernancePolicy(.majority, role: .auditor), GovernancePolicy(.nOf(3), role: .member),
        ] {
            #expect(try GovernancePolicy(canonicalBytes: policy.canonicalBytes) == policy)
        }
        #expect(GovernancePolicy(.nOf(3), role: .member).canonicalBytes == [4, 0, 0, 0, 3, 1, 2])
        #expect(throws: CodecError.self) { try GovernancePolicy(canonicalBytes: [4, 0, 0, 0, 0, 0]) }
        #expect(throws: CodecError.self) { try GovernancePolicy(canonicalBytes: [9, 0]) }
        #expect(GovernancePolicy(ruleText: "majority") == .majority)
        #expect(GovernancePolicy(ruleText: "3", role: .admin) == GovernancePolicy(.nOf(3), role: .admin))
        #expect(GovernancePolicy(ruleText: "0") == nil && GovernancePolicy(ruleText: "most") == nil)
        #expect(GovernancePolicy(.nOf(2), role: .auditor).description == "2-OF(auditor)")
    }
}
