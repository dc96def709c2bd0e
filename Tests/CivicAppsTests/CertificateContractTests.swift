import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// Electronic certificates (Docs/0016), the Quanzhou/Nanjing flow: civil affairs registers `marriage` and issues a
/// certificate to a citizen, the citizen authorizes the bank for a mortgage, the bank verifies. Every refused check is
/// a successful transaction that records the check and changes nothing else; every refused call fails with its code
/// and changes nothing.
@Suite struct CertificateContractTests {
    static let day: UInt64 = 24 * 3600 * 1000
    static let salt = Array("city-salt".utf8)
    static let document = CryptoSuite.sm.hash(Array("结婚证 PDF of 2024-0001".utf8))

    static func marriage(_ id: String = "marriage-2024-0001", from: UInt64 = 1_000_000, days: UInt64 = 3650,
                         document: Hash256 = document) -> CertificateDraft {
        CertificateDraft(id: id, type: "marriage", documentFingerprint: document,
                         holderFingerprint: SubjectFingerprint.make(identifier: "350503199001011234", salt: salt, suite: .sm),
                         holder: AppChain().address("citizen"), validFrom: Timestamp(milliseconds: from),
                         validUntil: Timestamp(milliseconds: from + days * day))
    }

    /// A chain where civil affairs registered `marriage` and issued ``marriage(_:from:days:document:)`` to the
    /// citizen, who authorized the bank for `mortgage` for 30 days (authorization 1).
    static func issuedChain() -> AppChain {
        var chain = AppChain()
        let registered = chain.run("civil", "certificates", "register_type",
                                   CertificateTypeDraft(id: "marriage", name: "结婚证 Marriage certificate", description: "Both spouses, date"))
        #expect(registered.attribute("certificates.type_registered", "issuer") == "civil-affairs")
        #expect(chain.run("civil", "certificates", "issue", marriage()).failureCode == nil)
        #expect(authorize(&chain).failureCode == nil)
        return chain
    }

    @discardableResult
    static func authorize(_ chain: inout AppChain, _ certificate: String = "marriage-2024-0001",
                          organization: String = "bank", purpose: String = "mortgage", days: UInt64 = 30) -> Receipt {
        chain.run("citizen", "certificates", "authorize",
                  AuthorizationDraft(certificate: certificate, verifierOrganization: organization, purpose: purpose,
                                     validUntil: Timestamp(milliseconds: chain.time + days * day)))
    }

    /// Runs `verify` as `verifier`; expects the transaction to succeed with `outcome`, the event and the check record
    /// to say so, and nothing but the check's records to change.
    @discardableResult
    static func expectCheck(_ chain: inout AppChain, _ outcome: String, verifier: String = "bank",
                            certificate: String = "marriage-2024-0001", document: Hash256 = document, purpose: String = "",
                            sourceLocation: SourceLocation = #_sourceLocation) -> CertificateCheck? {
        let before = chain.state.entries
        let receipt = chain.run(verifier, "certificates", "verify",
                                VerifyRequest(certificate: certificate, documentFingerprint: document, purpose: purpose))
        #expect(receipt.failureCode == nil, sourceLocation: sourceLocation)
        let result = try? VerifyResult(canonicalBytes: receipt.returnData)
        #expect(result?.outcome == outcome, sourceLocation: sourceLocation)
        #expect(receipt.attribute("certificates.verified", "outcome") == outcome, sourceLocation: sourceLocation)
        #expect(receipt.attribute("certificates.verified", "verifier") == chain.address(verifier).hex, sourceLocation: sourceLocation)
        let checkKeys = ["check/", "check-count/", "check-of/", "next/check"].map { Array("certificates/\($0)".utf8) }
        let changed = chain.state.entries.filter { before[$0.key] != $0.value }.map(\.key)
        #expect(changed.allSatisfy { key in checkKeys.contains { key.starts(with: $0) } }, sourceLocation: sourceLocation)
        #expect(before.keys.allSatisfy { chain.state.entries[$0] != nil }, sourceLocation: sourceLocation)
        guard let result else { return nil }
        let check = chain.read(CertificateCheck.self, "certificates", CertificateContract.Key.check(result.check))
        #expect(check?.outcome == outcome && check?.request.certificate == certificate, sourceLocation: sourceLocation)
        return check
    }

    /// Runs a call expected to fail with `code` and change nothing.
    static func expectFailure(_ chain: inout AppChain, _ code: String, _ signer: String, _ method: String,
                              _ arguments: some CanonicalEncodable, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = chain.state.entries
        #expect(chain.run(signer, "certificates", method, arguments).failureCode == code, sourceLocation: sourceLocation)
        #expect(chain.state.entries == before, sourceLocation: sourceLocation)
    }

    @Test func holderAuthorizesTheBankWhichVerifies() throws {
        var chain = Self.issuedChain()
        let certificate = try #require(chain.read(ElectronicCertificate.self, "certificates",
                                                  CertificateContract.Key.certificate("marriage-2024-0001")))
        #expect(certificate.issuer == "civil-affairs" && certificate.status == .active)
        #expect(chain.read(CertificateAuthorization.self, "certificates", CertificateContract.Key.authorization(1))?.holder
            == chain.address("citizen"))
        let check = try #require(Self.expectCheck(&chain, "valid"))
        #expect(check.authorization == 1 && check.purpose == "mortgage" && check.verifierOrganization == "bank")
        #expect(check.holderFingerprint == Self.marriage().holderFingerprint && check.issuer == "civil-affairs")
        // The purpose, when the verifier states one, must be the authorized one.
        Self.expectCheck(&chain, "valid", purpose: "mortgage")
        Self.expectCheck(&chain, "certificates.not_authorized", purpose: "car-loan")
        // The checks are listed under the certificate.
        #expect(chain.read(UInt64.self, "certificates", CertificateContract.Key.checkCount("marriage-2024-0001")) == 3)
        #expect(chain.read(UInt64.self, "certificates", CertificateContract.Key.checkOf("marriage-2024-0001", 2)) == 3)
        // And the certificate under its holder.
        #expect(chain.read(CanonicalString.self, "certificates",
                           CertificateContract.Key.holder(Self.marriage().holderFingerprint, 0))?.value == "marriage-2024-0001")
    }

    @Test func refusedChecksAreRecordedEachWithItsCode() {
        var chain = Self.issuedChain()
        Self.expectCheck(&chain, "certificates.unknown", certificate: "marriage-2024-9999")
        Self.expectCheck(&chain, "certificates.forged", document: CryptoSuite.sm.hash(Array("altered".utf8)))
        Self.expectCheck(&chain, "certificates.not_authorized", verifier: "housing")
        chain.run("civil", "certificates", "suspend", CertificateContract.StatusChange(certificate: "marriage-2024-0001", reason: "inquiry"))
        Self.expectCheck(&chain, "certificates.suspended")
        chain.run("civil-admin", "certificates", "resume", CertificateContract.StatusChange(certificate: "marriage-2024-0001"))
        Self.expectCheck(&chain, "valid")
        // Withdrawn by the holder: not authorized any more.
        let withdrawn = chain.run("citizen", "certificates", "withdraw_authorization", UInt64(1))
        #expect(withdrawn.attribute("certificates.authorization_withdrawn", "verifier_organization") == "bank")
        Self.expectCheck(&chain, "certificates.not_authorized")
        Self.authorize(&chain)
        Self.expectCheck(&chain, "valid")
        // The authorization runs out after 30 days.
        chain.time += 31 * Self.day
        Self.expectCheck(&chain, "certificates.not_authorized")
        Self.authorize(&chain)
        let revoked = chain.run("civil", "certificates", "revoke",
                                CertificateContract.StatusChange(certificate: "marriage-2024-0001", reason: "divorce"))
        #expect(revoked.attribute("certificates.revoked", "reason") == "divorce")
        Self.expectCheck(&chain, "certificates.revoked")
    }

    @Test func validityPeriodIsCheckedAtBlockTime() {
        var chain = Self.issuedChain()
        chain.run("civil", "certificates", "issue", Self.marriage("marriage-short", days: 10))
        chain.run("civil", "certificates", "issue", Self.marriage("marriage-later", from: chain.time + 5 * Self.day))
        Self.authorize(&chain, "marriage-short")
        Self.authorize(&chain, "marriage-later")
        Self.expectCheck(&chain, "valid", certificate: "marriage-short")
        Self.expectCheck(&chain, "certificates.not_yet_valid", certificate: "marriage-later")
        chain.time += 11 * Self.day
        Self.expectCheck(&chain, "certificates.expired", certificate: "marriage-short")
        Self.expectCheck(&chain, "valid", certificate: "marriage-later")
    }

    @Test func reissueRevokesTheOldAndLinksTheNew() throws {
        var chain = Self.issuedChain()
        let new = Self.marriage("marriage-2024-0001-r1", document: CryptoSuite.sm.hash(Array("reissued PDF".utf8)))
        let reissue = CertificateContract.Reissue(replaced: "marriage-2024-0001", reason: "lost", certificate: new)
        Self.expectFailure(&chain, "certificates.not_issuer", "housing", "reissue", reissue)
        var otherType = reissue
        otherType.certificate.type = "degree"
        Self.expectFailure(&chain, "contract.invalid_arguments", "civil", "reissue", otherType)
        let receipt = chain.run("civil", "certificates", "reissue", reissue)
        #expect(receipt.failureCode == nil)
        #expect(receipt.attribute("certificates.reissued", "replaced_by") == new.id)
        #expect(receipt.attribute("certificates.issued", "certificate") == new.id)
        let old = try #require(chain.read(ElectronicCertificate.self, "certificates",
                                          CertificateContract.Key.certificate("marriage-2024-0001")))
        #expect(old.status == .revoked && old.replacedBy == new.id && old.reason == "lost")
        #expect(chain.read(ElectronicCertificate.self, "certificates", CertificateContract.Key.certificate(new.id))?.replaces
            == "marriage-2024-0001")
        Self.expectCheck(&chain, "certificates.revoked")
        // Authorizations belong to one certificate: the holder authorizes the new one.
        Self.expectCheck(&chain, "certificates.not_authorized", certificate: new.id, document: new.documentFingerprint)
        Self.authorize(&chain, new.id)
        Self.expectCheck(&chain, "valid", certificate: new.id, document: new.documentFingerprint)
        Self.expectFailure(&chain, "certificates.wrong_status", "civil", "reissue", reissue)
    }

    @Test func issuersAreTrustedByRegistrationOrByGovernance() throws {
        var chain = Self.issuedChain()
        chain.enableGovernance()
        // Another city's civil affairs bureau (here: department `housing`) issues a marriage certificate.
        #expect(chain.run("housing", "certificates", "issue", Self.marriage("nanjing-marriage-1")).failureCode == nil)
        Self.authorize(&chain, "nanjing-marriage-1")
        Self.expectCheck(&chain, "certificates.untrusted_issuer", certificate: "nanjing-marriage-1")
        #expect(chain.govern(.setTrustedIssuers(certificateType: "marriage", organizations: ["housing"])) == nil)
        #expect(chain.state.value(forKey: GovernanceContract.stateKey(GovernanceContract.Key.trustedIssuers("marriage")))
            .flatMap { try? GovernanceContract.decodeNames($0) } == ["housing"])
        Self.expectCheck(&chain, "valid", certificate: "nanjing-marriage-1")
        Self.expectCheck(&chain, "valid")
        // Withdrawing the recognition leaves the registering issuer trusted.
        #expect(chain.govern(.setTrustedIssuers(certificateType: "marriage", organizations: [])) == nil)
        Self.expectCheck(&chain, "certificates.untrusted_issuer", certificate: "nanjing-marriage-1")
        Self.expectCheck(&chain, "valid")
        // Unsorted lists do not decode.
        #expect(throws: CodecError.self) {
            try GovernanceChange(canonicalBytes: GovernanceChange.setTrustedIssuers(
                certificateType: "marriage", organizations: ["b", "a"]).canonicalBytes)
        }
        #expect(GovernanceChange.setTrustedIssuers(certificateType: "marriage", organizations: []).resource == .certificateRecognition)
    }

    @Test func refusedCallsFailWithTheirCodesAndChangeNothing() {
        var chain = Self.issuedChain()
        let type = CertificateTypeDraft(id: "marriage", name: "again")
        Self.expectFailure(&chain, "certificates.duplicate", "housing", "register_type", type)
        Self.expectFailure(&chain, "permission.denied", "citizen", "register_type", CertificateTypeDraft(id: "degree", name: "学位证"))
        Self.expectFailure(&chain, "contract.invalid_arguments", "civil", "register_type", CertificateTypeDraft(id: "Bad Id", name: "x"))
        var unknownType = Self.marriage("degree-1")
        unknownType.type = "degree"
        Self.expectFailure(&chain, "certificates.unknown_type", "civil", "issue", unknownType)
        Self.expectFailure(&chain, "certificates.duplicate", "civil", "issue", Self.marriage())
        Self.expectFailure(&chain, "permission.denied", "citizen", "issue", Self.marriage("marriage-2"))
        Self.expectFailure(&chain, "contract.invalid_arguments", "civil", "issue", Self.marriage("types"))
        Self.expectFailure(&chain, "contract.invalid_arguments", "civil", "issue", Self.marriage("marriage-3", days: 0))
        let change = CertificateContract.StatusChange(certificate: "marriage-2024-0001")
        Self.expectFailure(&chain, "certificates.not_issuer", "housing", "suspend", change)
        Self.expectFailure(&chain, "certificates.wrong_status", "civil", "resume", change)
        Self.expectFailure(&chain, "certificates.unknown", "civil", "revoke", CertificateContract.StatusChange(certificate: "nothing"))
        Self.expectFailure(&chain, "permission.denied", "auditor", "revoke", change)
        let draft = AuthorizationDraft(certificate: "marriage-2024-0001", verifierOrganization: "bank", purpose: "mortgage",
                                       validUntil: Timestamp(milliseconds: chain.time + Self.day))
        Self.expectFailure(&chain, "certificates.not_holder", "bank", "authorize", draft)
        var tooLong = draft
        tooLong.validUntil = Timestamp(milliseconds: chain.time + 367 * Self.day)
        Self.expectFailure(&chain, "contract.invalid_arguments", "citizen", "authorize", tooLong)
        Self.expectFailure(&chain, "certificates.not_holder", "housing", "withdraw_authorization", UInt64(1))
        Self.expectFailure(&chain, "certificates.unknown_authorization", "citizen", "withdraw_authorization", UInt64(9))
        chain.run("citizen", "certificates", "withdraw_authorization", UInt64(1))
        Self.expectFailure(&chain, "certificates.wrong_status", "citizen", "withdraw_authorization", UInt64(1))
        let request = VerifyRequest(certificate: "marriage-2024-0001", documentFingerprint: Self.document)
        Self.expectFailure(&chain, "permission.denied", "citizen", "verify", request)
        Self.expectFailure(&chain, "permission.denied", "auditor", "verify", request)
        Self.expectFailure(&chain, "contract.invalid_arguments", "bank", "verify", CanonicalString("marriage"))
        chain.run("civil", "certificates", "revoke", change)
        Self.expectFailure(&chain, "certificates.wrong_status", "civil", "revoke", change)
        Self.expectFailure(&chain, "certificates.wrong_status", "citizen", "authorize", draft)
    }

    @Test func recordsRoundTrip() throws {
        let chain = Self.issuedChain()
        let certificate = try #require(chain.read(ElectronicCertificate.self, "certificates",
                                                  CertificateContract.Key.certificate("marriage-2024-0001")))
        #expect(try ElectronicCertificate(canonicalBytes: certificate.canonicalBytes) == certificate)
        let reissue = CertificateContract.Reissue(replaced: "a", reason: "lost", certificate: Self.marriage())
        #expect(try CertificateContract.Reissue(canonicalBytes: reissue.canonicalBytes) == reissue)
        let result = VerifyResult(check: 7, outcome: "certificates.forged")
        #expect(try VerifyResult(canonicalBytes: result.canonicalBytes) == result && !result.isValid)
    }
}

extension AppChain {
    /// Writes governance's genesis state for the chain's staff: one member organization (`civil-affairs`, whose admin
    /// is `civil-admin`), so that MAJORITY is its one vote.
    mutating func enableGovernance() {
        let identities = Self.staff.filter { $0.value.role == .admin }.map { name, entry in
            GenesisIdentity(name: name, organization: entry.organization, role: entry.role, publicKey: Self.key(suite, name).publicKey)
        }
        let validator = Validator(name: "v1", organization: "civil-affairs", publicKey: Self.key(suite, "civil").publicKey, power: 1)
        let genesis = Genesis(chainID: Self.chainID, suite: suite, time: Timestamp(milliseconds: 0),
                              validators: ValidatorSet([validator]), identities: identities, parameters: ChainParameters())
        state.apply(GovernanceContract.genesisWrites(genesis))
    }

    /// Proposes `change` as `civil-admin` and votes for it; returns the first failure code, or `nil` once executed.
    mutating func govern(_ change: GovernanceChange) -> String? {
        let proposed = run("civil-admin", "governance", "propose",
                           GovernanceContract.Propose(change: change, deadline: Timestamp(milliseconds: time + 3_600_000)))
        guard proposed.failureCode == nil, let id = try? UInt64(canonicalBytes: proposed.returnData) else {
            return proposed.failureCode ?? "no proposal id"
        }
        let voted = run("civil-admin", "governance", "vote", GovernanceContract.Vote(proposalID: id, approve: true))
        guard voted.failureCode == nil else { return voted.failureCode }
        return voted.events.contains { $0.name == "governance.executed" } ? nil : "not executed"
    }
}
