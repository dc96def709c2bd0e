import ArgumentParser
import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Logging

/// The demo city's people and documents: the admin's and the staff's keys, sample documents, the
/// receipts of recording them, and how they are loaded into a fresh chain.
struct DemoLayout {
    let directory: String

    var documents: String { directory + "/documents" }
    var proofs: String { directory + "/proofs" }
    func key(_ name: String) -> String { directory + "/keys/\(name).pem" }
    /// The salt the departments share for subject fingerprints (Docs/0016, "Subjects"): 64 hex digits, used as
    /// the file's bytes.
    var salt: String { directory + "/subject-salt.bin" }

    /// The departments whose staff the demo registers.
    static let staff: [(name: String, organization: String, role: Role)] = [
        ("civil-affairs-clerk", "Civil Affairs Bureau", .member),
        ("housing-officer", "Housing Bureau", .member),
        ("court-clerk", "Intermediate People's Court", .client),
        ("auditor", "Audit Office", .auditor),
        ("civil-affairs-gateway", "Civil Affairs Bureau", .member),
        ("bank-officer", "City Commercial Bank", .member),
        ("citizen-zhang", "Citizens", .client),
    ]

    /// The catalog entries the demo departments publish (the end-to-end flow publishes marriage records itself).
    static let catalog: [(publisher: String, draft: ResourceDraft)] = [
        ("civil-affairs-clerk", ResourceDraft(
            id: "civil-affairs.household-registrations", title: "户籍登记 Household registrations",
            description: "Household registration of residents, updated daily", fields: [
                ResourceField(name: "id_number", type: .string, sensitivity: .personal, description: "身份证号"),
                ResourceField(name: "household", type: .string, sensitivity: .personal, description: "户号"),
                ResourceField(name: "district", type: .string, sensitivity: .internal),
            ], updateFrequency: "daily", shareType: .conditional,
            conditions: "For eligibility checks of a named service item; household number only with the resident's consent",
            gateway: "")),
        ("housing-officer", ResourceDraft(
            id: "housing.transactions", title: "房屋交易备案 Housing transactions",
            description: "Registered housing sales, by district and month", fields: [
                ResourceField(name: "district", type: .string, sensitivity: .open),
                ResourceField(name: "month", type: .date, sensitivity: .open),
                ResourceField(name: "transactions", type: .integer, sensitivity: .open),
            ], updateFrequency: "monthly", shareType: .unconditional, gateway: "")),
        ("housing-officer", ResourceDraft(
            id: "housing.provident-fund-loans", title: "公积金贷款 Provident fund loans",
            description: "Loans of the housing provident fund", fields: [
                ResourceField(name: "id_number", type: .string, sensitivity: .personal),
                ResourceField(name: "balance", type: .decimal, sensitivity: .sensitive),
            ], updateFrequency: "daily", shareType: .notShared, gateway: "")),
    ]

    /// The sample documents the court clerk records as evidence: file name and content.
    static let evidenceSamples = [
        ("court-evidence-contract.txt", "Signed lease contract submitted as evidence in case (2026) Su 01 Min Chu 123.\n"),
        ("housing-purchase-application.txt", "Housing purchase eligibility application, applicant id fingerprint only.\n"),
        ("marriage-record-2026-0001.txt", "Marriage registration record 2026-0001, Civil Affairs Bureau.\n"),
    ]

    /// Creates the admin's and the staff's keys, the sample documents recorded as evidence and the demo certificates'
    /// documents.
    func createKeysAndDocuments(suite: CryptoSuite) throws {
        for folder in [directory, directory + "/keys", documents, proofs] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for name in ["admin"] + DemoLayout.staff.map(\.name) where !FileManager.default.fileExists(atPath: key(name)) {
            try CLI.writePrivate(PrivateKey.generate(suite: suite).pemRepresentation, to: key(name))
        }
        for (name, text) in Self.evidenceSamples + Self.certificates.map({ ($0.document, $0.text) }) {
            try CLI.write(Array(text.utf8), to: documents + "/" + name)
        }
        if !FileManager.default.fileExists(atPath: salt) {
            // 32 random bytes, written as 64 hex digits without a newline (the file's bytes are the salt).
            try CLI.writePrivate(Hex.encode(SuiteCipher.Key.generate(suite: .intl).rawRepresentation), to: salt)
        }
    }

    /// Loads the demo city into a new chain through node `url`: the staff's identities, the evidence samples (their
    /// receipts saved in `proofs/`), the catalog and the certificate types, then ``loadServices(_:gateway:)``.
    /// `gateway` is the API of Civil Affairs' node (which runs the demo exchange gateway), `nil` when there is none.
    /// - Throws: ``DemoLoadError``, ``ClientError`` or ``CLIError``.
    func loadDemoData(url: String, chainID: String, gateway: String?) async throws {
        let submitter = DemoSubmitter(client: NodeClient(baseURL: url), chainID: chainID)
        for person in DemoLayout.staff {
            let publicKey = try CLI.loadKey(key(person.name)).publicKey
            let call = TransactionBuilder.registerIdentity(publicKey, name: person.name, organization: person.organization, role: person.role)
            try await submitter.commit(call, signer: key("admin"), step: "register \(person.name)")
        }
        let algorithm: FingerprintAlgorithm = try CLI.loadKey(key("court-clerk")).suite == .sm ? .sm3 : .sha256
        for (name, _) in Self.evidenceSamples {
            let fingerprint = algorithm.suite.hash(try CLI.readBytes(documents + "/" + name))
            let response = try await submitter.commit(
                TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: algorithm, label: name),
                signer: key("court-clerk"), step: "record \(name) as evidence")
            if let hash = Hash256(validating: Hex.decode(response.hash) ?? []) {
                try CLI.write(try await submitter.client.proofFile(hash), to: proofs + "/\(name).civicproof")
            }
        }
        try await submitter.commit(TransactionBuilder.keyValuePut(key: Array("service-item".utf8),
                                                                 value: Array("housing-purchase-eligibility".utf8)),
                                   signer: key("housing-officer"), step: "housing writes a key-value entry")
        for entry in DemoLayout.catalog {
            var draft = entry.draft
            // Civil Affairs serves its resources from its own node's gateway.
            draft.gateway = entry.publisher == "civil-affairs-clerk" ? gateway ?? url : url
            try await submitter.commit(TransactionBuilder.publishResource(draft), signer: key(entry.publisher),
                                       step: "publish \(draft.id)")
        }
        for (id, name) in [("marriage", "结婚证 Marriage certificate"), ("divorce", "离婚证 Divorce certificate")] {
            try await submitter.commit(TransactionBuilder.registerCertificateType(CertificateTypeDraft(id: id, name: name)),
                                       signer: key("civil-affairs-clerk"), step: "register certificate type \(id)")
        }
        try await loadServices(submitter, gateway: gateway.map { NodeClient(baseURL: $0) })
    }
}
