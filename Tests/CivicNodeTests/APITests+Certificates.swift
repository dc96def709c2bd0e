import CivicAPI
import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicNode

/// Contract `certificates` as the API shows it: civil affairs (the fixture's clerk) registers and issues, the citizen
/// portal's key holds and authorizes city hall, whose admin verifies.
extension APITests {
    @Test("GET /v1/certificates/* show types, certificates, checks and a holder's certificates, with proofs",
          arguments: suites)
    func certificates(suite: CryptoSuite) async throws {
        let fixture = Fixture(suite: suite)
        let (app, node) = try makeApp(fixture)
        let holder = SubjectFingerprint.make(identifier: "350503199001011234", salt: Array("salt".utf8), suite: suite)
        let document = suite.hash(Array("结婚证.pdf".utf8))
        let now = fixture.clock.now().milliseconds
        let day: UInt64 = 86_400_000
        let draft = CertificateDraft(id: "marriage-1", type: "marriage", documentFingerprint: document,
                                     holderFingerprint: holder, holder: Address(publicKey: fixture.clientKey.publicKey),
                                     validFrom: Timestamp(milliseconds: now - day), validUntil: Timestamp(milliseconds: now + 365 * day))
        let calls: [(ContractCall, PrivateKey)] = [
            (TransactionBuilder.registerCertificateType(CertificateTypeDraft(id: "marriage", name: "结婚证")), fixture.memberKey),
            (TransactionBuilder.issueCertificate(draft), fixture.memberKey),
            (TransactionBuilder.authorizeVerifier(AuthorizationDraft(
                certificate: "marriage-1", verifierOrganization: "city-hall", purpose: "mortgage",
                validUntil: Timestamp(milliseconds: now + 30 * day))), fixture.clientKey),
            (TransactionBuilder.verifyCertificate(VerifyRequest(certificate: "marriage-1", documentFingerprint: document)),
             fixture.adminKey),
            (TransactionBuilder.verifyCertificate(VerifyRequest(certificate: "marriage-1",
                                                                documentFingerprint: Fixture.randomHash())), fixture.adminKey),
        ]
        var receipts: [Receipt] = []
        for (call, key) in calls { receipts += try commit([try fixture.sign(call, by: key)], on: node) }
        #expect(receipts.map(\.status) == Array(repeating: .success, count: calls.count))
        #expect(receipts.suffix(2).map { try? VerifyResult(canonicalBytes: $0.returnData).outcome }
            == ["valid", "certificates.forged"])

        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/certificates/types", method: .get) { response in
                let body = try Self.decode(CertificateTypeListResponse.self, response)
                #expect(body.total == 1 && body.types.map(\.id) == ["marriage"])
                #expect(body.types.first?.organization == "civil-affairs" && body.types.first?.trustedIssuers == [])
                #expect(body.types.first?.state?.present == true)
            }
            try await client.execute(uri: "/v1/certificates/marriage-1", method: .get) { response in
                let body = try Self.decode(ElectronicCertificateView.self, response)
                #expect(body.status == "active" && body.issuer == "civil-affairs" && body.holder == holder.hex)
                #expect(body.documentFingerprint == document.hex && body.state?.present == true)
            }
            try await client.execute(uri: "/v1/certificates/marriage-1/checks", method: .get) { response in
                let body = try Self.decode(CertificateCheckListResponse.self, response)
                #expect(body.total == 2)
                #expect(body.checks.map(\.outcome) == ["certificates.forged", "valid"], "newest first")
                #expect(body.checks.last?.purpose == "mortgage" && body.checks.last?.verifierOrganization == "city-hall")
            }
            try await client.execute(uri: "/v1/certificates/by-holder/\(holder.hex)", method: .get) { response in
                let body = try Self.decode(HolderCertificatesResponse.self, response)
                #expect(body.total == 1 && body.certificates.map(\.id) == ["marriage-1"])
            }
            try await client.execute(uri: "/v1/certificates/marriage-2", method: .get) { response in
                try Self.expectError(response, .notFound, code: "certificates.unknown")
            }
            try await client.execute(uri: "/v1/certificates/Bad%20Id", method: .get) { response in
                try Self.expectError(response, .badRequest, code: "request.invalid")
            }
            try await client.execute(uri: "/v1/certificates/by-holder/xyz", method: .get) { response in
                try Self.expectError(response, .badRequest, code: "request.invalid")
            }
        }
    }
}
