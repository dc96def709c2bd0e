import ArgumentParser
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

    /// The departments whose staff the demo registers.
    static let staff: [(name: String, organization: String, role: Role)] = [
        ("civil-affairs-clerk", "Civil Affairs Bureau", .member),
        ("housing-officer", "Housing Bureau", .member),
        ("court-clerk", "Intermediate People's Court", .client),
        ("auditor", "Audit Office", .auditor),
    ]

    /// Creates keys, the genesis file and demo documents.
    /// The admin's and the staff's keys, and the sample documents recorded as evidence.
    func createKeysAndDocuments(suite: CryptoSuite) throws {
        for folder in [directory, directory + "/keys", documents, proofs] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for name in ["admin"] + DemoLayout.staff.map(\.name) where !FileManager.default.fileExists(atPath: key(name)) {
            try CLI.writePrivate(PrivateKey.generate(suite: suite).pemRepresentation, to: key(name))
        }
        let samples = [
            ("marriage-record-2026-0001.txt", "Marriage registration record 2026-0001, Civil Affairs Bureau.\n"),
            ("court-evidence-contract.txt", "Signed lease contract submitted as evidence in case (2026) Su 01 Min Chu 123.\n"),
            ("housing-purchase-application.txt", "Housing purchase eligibility application, applicant id fingerprint only.\n"),
        ]
        for (name, text) in samples { try CLI.write(Array(text.utf8), to: documents + "/" + name) }
    }

    func loadDemoData(url: String, chainID: String) async throws {
        let client = NodeClient(baseURL: url)
        let admin = TransactionBuilder(chainID: chainID, key: try CLI.loadKey(key("admin")))
        for person in DemoLayout.staff {
            let publicKey = try CLI.loadKey(key(person.name)).publicKey
            let call = TransactionBuilder.registerIdentity(publicKey, name: person.name, organization: person.organization, role: person.role)
            _ = try await client.submit(try admin.sign(call), wait: true)
        }
        let clerk = TransactionBuilder(chainID: chainID, key: try CLI.loadKey(key("court-clerk")))
        let algorithm: FingerprintAlgorithm = clerk.key.suite == .sm ? .sm3 : .sha256
        for name in try FileManager.default.contentsOfDirectory(atPath: documents).sorted() {
            let fingerprint = algorithm.suite.hash(try CLI.readBytes(documents + "/" + name))
            let response = try await client.submit(
                try clerk.sign(TransactionBuilder.evidencePut(fingerprint: fingerprint, algorithm: algorithm, label: name)), wait: true)
            if let hash = Hash256(validating: Hex.decode(response.hash) ?? []) {
                try CLI.write(try await client.proofFile(hash), to: proofs + "/\(name).civicproof")
            }
        }
        let officer = TransactionBuilder(chainID: chainID, key: try CLI.loadKey(key("housing-officer")))
        _ = try await client.submit(try officer.sign(TransactionBuilder.keyValuePut(key: Array("service-item".utf8),
                                                                                    value: Array("housing-purchase-eligibility".utf8))), wait: true)
    }
}
