import CivicCodec
import CivicContracts
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

/// `GET /v1/governance/...`: proposals, organizations, policies and validator sets of contract
/// `governance`, each record with its state proof against the answer's certified state root.
extension APIHandlers {
    /// `GET /v1/governance/proposals`: the newest proposals, at most ``CivicAPI/governanceProposalsMax``.
    func proposals() throws -> Response {
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let (total, keys) = try GovernanceContract.newestProposalKeys(limit: CivicAPI.governanceProposalsMax) {
                key throws(QueryError) in try node.reader.stateProof(key: key, snapshot: snapshot).value
            }
            var proposals: [ProposalView] = []
            for key in keys {
                if let view = try proposalView(key: key, snapshot: snapshot) { proposals.append(view) }
            }
            return ProposalListResponse(total: total, proposals: proposals)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/governance/proposals/{id}`: one proposal with its votes and proof.
    func proposal(_ text: String) throws -> Response {
        guard let id = UInt64(text), id > 0 else {
            throw APIError.invalid("A proposal id is a positive decimal number.")
        }
        let key = GovernanceContract.stateKey(GovernanceContract.Key.proposal(id))
        let view = try withFreshSnapshot { snapshot throws(QueryError) in try proposalView(key: key, snapshot: snapshot)
        }
        guard let view else {
            throw APIError(
                .notFound, code: "governance.unknown_proposal", message: "There is no proposal \(id) on this chain.")
        }
        return JSONResponse.make(view)
    }

    /// `GET /v1/governance/organizations`, sorted by name.
    func organizations() throws -> Response {
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let names = try GovernanceContract.organizationNames { key throws(QueryError) in
                try node.reader.stateProof(key: key, snapshot: snapshot).value
            }
            var views: [OrganizationView] = []
            for name in names {
                let entry = try stateEntry(
                    key: GovernanceContract.stateKey(GovernanceContract.Key.organization(name)),
                    snapshot: snapshot)
                guard let bytes = entry.value.flatMap(Hex.decode),
                    let organization = try? GovernanceOrganization(canonicalBytes: bytes)
                else { continue }
                views.append(OrganizationView(organization, state: entry))
            }
            return OrganizationListResponse(organizations: views)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/governance/policies`: one per resource (resources without a record are left out).
    func policies() throws -> Response {
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            var views: [PolicyView] = []
            for resource in GovernedResource.allCases {
                let entry = try stateEntry(
                    key: GovernanceContract.stateKey(GovernanceContract.Key.policy(resource)),
                    snapshot: snapshot)
                guard let bytes = entry.value.flatMap(Hex.decode),
                    let policy = try? GovernancePolicy(canonicalBytes: bytes)
                else { continue }
                views.append(PolicyView(resource: resource, policy: policy, state: entry))
            }
            return PolicyListResponse(policies: views)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/governance/validators`: the newest validator-set entries, at most
    /// ``CivicAPI/governanceValidatorSetsMax``, marked pending, current or past for the next block.
    func validatorSets() throws -> Response {
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let (total, keys) = try GovernanceContract.newestKeys(
                count: GovernanceContract.Key.validatorSetCount, entry: GovernanceContract.Key.validatorSet,
                limit: CivicAPI.governanceValidatorSetsMax
            ) { key throws(QueryError) in try node.reader.stateProof(key: key, snapshot: snapshot).value }
            let next = snapshot.head.height.next
            var foundCurrent = false
            var views: [ValidatorSetEntryView] = []
            for (offset, key) in keys.enumerated() {
                let entry = try stateEntry(key: key, snapshot: snapshot)
                guard let bytes = entry.value.flatMap(Hex.decode),
                    let record = try? ValidatorSetEntry(canonicalBytes: bytes)
                else { continue }
                let applies: String
                if record.appliesFrom > next {
                    applies = "pending"
                } else if !foundCurrent {
                    applies = "current"
                    foundCurrent = true
                } else {
                    applies = "past"
                }
                views.append(
                    ValidatorSetEntryView(
                        index: total - 1 - UInt64(offset), entry: record, applies: applies,
                        state: entry))
            }
            return ValidatorSetListResponse(total: total, entries: views)
        }
        return JSONResponse.make(response)
    }

    /// The view of the proposal under `key` at `snapshot`, or `nil` when absent.
    private func proposalView(key: [UInt8], snapshot: ChainSnapshot) throws(QueryError) -> ProposalView? {
        let entry = try stateEntry(key: key, snapshot: snapshot)
        guard let bytes = entry.value.flatMap(Hex.decode),
            let proposal = try? GovernanceProposal(canonicalBytes: bytes)
        else { return nil }
        return ProposalView(proposal, at: snapshot.head.time, state: entry)
    }
}
