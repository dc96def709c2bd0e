import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// Why loading the demo city stopped.
enum DemoLoadError: Error, CustomStringConvertible {
    /// A demo transaction was dropped or its receipt is a failure.
    case notCommitted(step: String, reason: String)
    /// A committed receipt lacks the number or outcome its call returns.
    case missingReturn(step: String)
    /// The gateway or the certificate check answered otherwise than the demo expects.
    case unexpectedOutcome(step: String, detail: String)
    /// The gateway's node did not reach a height in time.
    case timedOut(step: String)

    /// A sentence naming the step.
    var description: String {
        switch self {
        case .notCommitted(let step, let reason): "Loading the demo data failed at '\(step)': \(reason)"
        case .missingReturn(let step): "Loading the demo data failed at '\(step)': the receipt returns nothing."
        case .unexpectedOutcome(let step, let detail): "Loading the demo data failed at '\(step)': \(detail)"
        case .timedOut(let step): "Loading the demo data failed at '\(step)': a node did not catch up in time."
        }
    }
}

/// Signs the demo's calls with its keys and commits them through one node, one after the other.
struct DemoSubmitter {
    /// The node the calls go to.
    let client: NodeClient
    /// The chain they are signed for.
    let chainID: String

    /// Signs `call` with the key at `signer`, submits it and waits for its commit.
    /// - Throws: ``DemoLoadError/notCommitted(step:reason:)`` when the node drops it or its receipt is a failure.
    @discardableResult
    func commit(_ call: ContractCall, signer: String, step: String) async throws -> SubmitResponse {
        let response = try await client.submit(
            try TransactionBuilder(chainID: chainID, key: try CLI.loadKey(signer)).sign(call), wait: true)
        guard response.status == "committed", response.receipt?.status != "failure" else {
            throw DemoLoadError.notCommitted(
                step: step, reason: response.receipt?.message ?? response.error?.message ?? "status \(response.status)")
        }
        return response
    }

    /// ``commit(_:signer:step:)`` for a call returning a number (request, authorization, proposal).
    /// - Throws: ``DemoLoadError``.
    func commitReturningNumber(_ call: ContractCall, signer: String, step: String) async throws -> UInt64 {
        let response = try await commit(call, signer: signer, step: step)
        guard let data = response.receipt.flatMap({ Hex.decode($0.returnData) }),
              let number = try? UInt64(canonicalBytes: data) else { throw DemoLoadError.missingReturn(step: step) }
        return number
    }
}

/// What the demo city does with its data and certificates once its staff exist (Docs/0016): requests and grants,
/// accesses through Civil Affairs' exchange gateway (served and refused), a marriage certificate re-issued, authorized
/// and verified, and an open governance proposal, so that a newcomer finds every page of the console filled.
extension DemoLayout {
    /// The resource whose usage trail the summary points newcomers to ("who accessed").
    static let accessedResource = "civil-affairs.household-registrations"

    /// A demo certificate: its number, the file of its electronic document (under `documents/`) and the file's text.
    struct Certificate {
        /// The certificate's id (its number).
        var id: String
        /// The document's file name.
        var document: String
        /// The document's content.
        var text: String
    }

    /// The demo citizen's marriage certificates: the first, then its re-issue (which revokes the first). The
    /// end-to-end test issues `marriage-320102-2026-0001` itself; these numbers stay clear of it.
    static let certificates: [Certificate] = ["0157", "0158"].map { number in
        Certificate(id: "marriage-320102-2026-\(number)", document: "marriage-certificate-2026-\(number).txt", text: """
            中华人民共和国结婚证 Marriage certificate of the People's Republic of China
            No. marriage-320102-2026-\(number)\(number == "0158" ? " (re-issue of marriage-320102-2026-0157)" : "")
            Holder: 张伟 Zhang Wei, ID number \(DemoLayout.citizenIDNumber)
            Issued by: Civil Affairs Bureau, Xuanwu District, Nanjing
            Synthetic demo document: drop this file on the console's certificate page to verify it.

            """)
    }

    /// The certificate in force, which the bank verified: the one the summary points newcomers to.
    static var verifiableCertificate: Certificate { certificates[1] }

    /// Loads the data-sharing, certificate and governance activity. `gateway` is Civil Affairs' node (its exchange
    /// gateway), `nil` when the devnet has no such node: then there are no accesses and no proposal.
    /// - Throws: ``DemoLoadError``, ``ClientError`` or ``CLIError``.
    func loadServices(_ submitter: DemoSubmitter, gateway: NodeClient?) async throws {
        let grant = try await shareData(submitter)
        try await issueCertificates(submitter)
        guard let gateway else { return }
        try await fetchThroughGateway(gateway, grant: grant)
        try await openProposal(submitter)
        try await DatashareTrail.waitUntilIndexed(submitter.client, seconds: 30)
    }

    /// Housing's request for household registrations (approved by Civil Affairs), the bank's for housing transactions
    /// (unconditional, granted at once) and the bank's for household registrations (left pending). Returns housing's
    /// grant and the height of its approval.
    private func shareData(_ submitter: DemoSubmitter) async throws -> (number: UInt64, height: UInt64) {
        let day: UInt64 = 86_400_000
        let housing = try await submitter.commitReturningNumber(TransactionBuilder.requestResource(RequestDraft(
            resource: Self.accessedResource, fields: ["id_number", "district"],
            purpose: "购房资格审核 Housing purchase qualification: the applicant's registered district",
            serviceItem: "housing.purchase-qualification", durationMilliseconds: 30 * day)),
            signer: key("housing-officer"), step: "housing requests household registrations")
        let approval = try await submitter.commit(
            TransactionBuilder.decideRequest(.approve, id: housing,
                                             note: "条件符合 Conditions met: named service item, no household number"),
            signer: key("civil-affairs-clerk"), step: "civil affairs approves housing's request")
        try await submitter.commit(TransactionBuilder.requestResource(RequestDraft(
            resource: "housing.transactions", purpose: "Mortgage risk: housing sales by district",
            serviceItem: "bank.mortgage-risk-review", durationMilliseconds: 90 * day)),
            signer: key("bank-officer"), step: "the bank requests housing transactions")
        try await submitter.commit(TransactionBuilder.requestResource(RequestDraft(
            resource: Self.accessedResource, fields: ["id_number", "district"],
            purpose: "Mortgage application: the borrower's registered residence",
            serviceItem: "bank.mortgage-application", durationMilliseconds: 30 * day)),
            signer: key("bank-officer"), step: "the bank requests household registrations")
        return (housing, approval.height ?? 0)
    }

    /// Housing fetches the demo citizen's and two other people's registrations through the gateway (served), then
    /// asks for a field its grant lacks (refused: `gateway.field_not_granted`); every fetch is recorded on chain.
    private func fetchThroughGateway(_ gateway: NodeClient, grant: (number: UInt64, height: UInt64)) async throws {
        // The grant was committed through another node: the gateway checks it in its own node's state.
        try await Self.waitForHeight(grant.height, on: gateway, step: "the gateway's node applies grant \(grant.number)")
        let key = try CLI.loadKey(key("housing-officer"))
        let people = [Self.citizenIDNumber] + [17, 42].map { SyntheticIdentifiers.personID($0, count: Self.gatewayPeople) }
        for person in people {
            let step = "housing fetches the household registration of \(person)"
            let result = try await gateway.fetch(resource: Self.accessedResource, grant: grant.number,
                                                 fields: ["id_number", "district"],
                                                 filter: [FieldCondition(field: "id_number", value: person)], key: key)
            guard result.rows.count == 1 else {
                throw DemoLoadError.unexpectedOutcome(step: step, detail: "\(result.rows.count) rows served, not 1")
            }
        }
        let step = "housing asks for a household number it was not granted"
        do {
            let result = try await gateway.fetch(resource: Self.accessedResource, grant: grant.number, fields: ["household"],
                                                 filter: [FieldCondition(field: "id_number", value: people[1])], key: key)
            throw DemoLoadError.unexpectedOutcome(step: step, detail: "served \(result.rows.count) rows")
        } catch let error as ClientError where error.code == "gateway.field_not_granted" {
            // Refused, and the refusal recorded on chain: what the demo shows.
        }
    }

    /// Waits, polling every 50 ms for up to 10 s, until `client`'s node has committed `height`.
    /// - Throws: ``DemoLoadError/timedOut(step:)``, or the node's error.
    private static func waitForHeight(_ height: UInt64, on client: NodeClient, step: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await client.chainInfo().height < height {
            guard ContinuousClock.now < deadline else { throw DemoLoadError.timedOut(step: step) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Civil Affairs issues the demo citizen's marriage certificate and re-issues it (the first is revoked); the
    /// holder authorizes City Commercial Bank for `mortgage`; the bank's officer verifies the re-issue once (valid).
    private func issueCertificates(_ submitter: DemoSubmitter) async throws {
        let clerk = key("civil-affairs-clerk")
        let suite = try CLI.loadKey(clerk).suite
        let salt = try CLI.readSalt(self.salt)
        let holder = Address(publicKey: try CLI.loadKey(key("citizen-zhang")).publicKey)
        let now = TransactionBuilder.wallClock().milliseconds
        func draft(_ certificate: Certificate) throws -> CertificateDraft {
            let fingerprints = TransactionBuilder.certificateFingerprints(
                document: try CLI.readBytes(documents + "/" + certificate.document), holderID: Self.citizenIDNumber,
                salt: salt, suite: suite)
            return CertificateDraft(id: certificate.id, type: "marriage", documentFingerprint: fingerprints.document,
                                    holderFingerprint: fingerprints.holder, holder: holder,
                                    validFrom: Timestamp(milliseconds: now),
                                    validUntil: Timestamp(milliseconds: now + 3650 * 86_400_000))
        }
        let (first, second) = (Self.certificates[0], Self.verifiableCertificate)
        try await submitter.commit(TransactionBuilder.issueCertificate(try draft(first)), signer: clerk,
                                   step: "civil affairs issues \(first.id)")
        try await submitter.commit(
            TransactionBuilder.reissueCertificate(first.id, reason: "证件损毁补发 Damaged certificate replaced",
                                                  as: try draft(second)),
            signer: clerk, step: "civil affairs re-issues \(first.id) as \(second.id)")
        try await submitter.commit(TransactionBuilder.authorizeVerifier(AuthorizationDraft(
            certificate: second.id, verifierOrganization: "City Commercial Bank", purpose: "mortgage",
            validUntil: Timestamp(milliseconds: now + 30 * 86_400_000))),
            signer: key("citizen-zhang"), step: "the holder authorizes the bank")
        let step = "the bank verifies \(second.id)"
        let response = try await submitter.commit(TransactionBuilder.verifyCertificate(VerifyRequest(
            certificate: second.id, documentFingerprint: suite.hash(try CLI.readBytes(documents + "/" + second.document)),
            purpose: "mortgage")), signer: key("bank-officer"), step: step)
        guard let data = response.receipt.flatMap({ Hex.decode($0.returnData) }),
              let result = try? VerifyResult(canonicalBytes: data) else { throw DemoLoadError.missingReturn(step: step) }
        guard result.isValid else { throw DemoLoadError.unexpectedOutcome(step: step, detail: "refused: \(result.outcome)") }
    }

    /// Civil Affairs' admin proposes that marriage certificates issued in Shanghai be trusted too (cross-region
    /// recognition) and votes for it; on four organizations a majority needs two more votes, so it stays open for the
    /// console's admins, with a deadline five days away.
    private func openProposal(_ submitter: DemoSubmitter) async throws {
        let proposer = DevnetLayout(directory: directory).adminKey(Self.gatewayOrganization)
        let deadline = Timestamp(milliseconds: TransactionBuilder.wallClock().milliseconds + 5 * 86_400_000)
        let change = GovernanceChange.setTrustedIssuers(certificateType: "marriage",
                                                        organizations: ["Shanghai Civil Affairs Bureau"])
        let proposal = try await submitter.commitReturningNumber(TransactionBuilder.propose(change, deadline: deadline),
                                                                 signer: proposer, step: "civil affairs proposes")
        try await submitter.commit(TransactionBuilder.vote(proposal: proposal, approve: true), signer: proposer,
                                   step: "civil affairs votes for its proposal")
    }
}
