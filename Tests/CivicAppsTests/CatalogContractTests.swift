import CivicApps
import CivicCodec
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// The catalog, requests, grants and the usage trail (Docs/0016), each refusal with its code and no change.
@Suite struct CatalogContractTests {
    static let day: UInt64 = 24 * 3600 * 1000

    static func marriageRecords(_ share: ShareType = .conditional) -> ResourceDraft {
        ResourceDraft(
            id: "civil-affairs.marriage-records", title: "婚姻登记信息 Marriage records",
            description: "Marriage registrations since 2003", fields: [
                ResourceField(name: "id_number", type: .string, sensitivity: .personal, description: "身份证号"),
                ResourceField(name: "spouse_id_number", type: .string, sensitivity: .personal),
                ResourceField(name: "status", type: .string, sensitivity: .internal),
                ResourceField(name: "registered_on", type: .date, sensitivity: .internal),
            ],
            updateFrequency: "realtime", shareType: share,
            conditions: share == .conditional ? "For housing purchase qualification checks only" : "",
            gateway: "https://civil-affairs.example:8443")
    }

    static func housingRequest(fields: [String] = ["id_number", "status"]) -> RequestDraft {
        RequestDraft(resource: "civil-affairs.marriage-records", fields: fields, purpose: "购房资格审核 housing purchase check",
                     serviceItem: "housing.purchase-qualification", durationMilliseconds: 30 * day)
    }

    static func id(_ receipt: Receipt) -> UInt64 { receipt.returnData.reduce(0) { $0 << 8 | UInt64($1) } }

    @Test func publishAndRepublishKeepsVersions() {
        var chain = AppChain()
        #expect(chain.run("civil", "catalog", "publish", Self.marriageRecords()).failureCode == nil)
        var second = Self.marriageRecords()
        second.description = "Marriage registrations since 1990"
        let receipt = chain.run("civil-admin", "catalog", "publish", second)
        #expect(receipt.attribute("catalog.published", "version") == "2")
        let current = chain.read(DataResource.self, "catalog", DataResource.key(second.id))
        #expect(current?.version == 2 && current?.organization == "civil-affairs")
        #expect(chain.read(DataResource.self, "catalog", DataResource.versionKey(second.id, 1))?.draft == Self.marriageRecords())
        // Another department cannot overwrite it; an auditor cannot publish; a bad draft is refused.
        let before = chain.state.entries
        #expect(chain.run("housing", "catalog", "publish", second).failureCode == "catalog.not_owner")
        #expect(chain.run("auditor", "catalog", "publish", second).failureCode == "permission.denied")
        var noConditions = Self.marriageRecords()
        noConditions.conditions = ""
        #expect(chain.run("civil", "catalog", "publish", noConditions).failureCode == "contract.invalid_arguments")
        #expect(chain.state.entries.filter { !$0.key.starts(with: Array("next".utf8)) } == before)
    }

    @Test func conditionalRequestWaitsForTheOwnerThenExpires() throws {
        var chain = AppChain()
        chain.run("civil", "catalog", "publish", Self.marriageRecords())
        let requested = chain.run("housing", "catalog", "request", Self.housingRequest())
        #expect(requested.failureCode == nil)
        let id = Self.id(requested)
        #expect(chain.read(ShareRequest.self, "catalog", ShareRequest.key(id))?.status == .pending)
        // Only the owner decides.
        #expect(chain.run("housing", "catalog", "approve", CatalogContract.Decision(request: id)).failureCode == "catalog.not_owner")
        let approved = chain.run("civil-admin", "catalog", "approve", CatalogContract.Decision(request: id, note: "ok"))
        #expect(approved.attribute("catalog.granted", "status") == "granted")
        let grant = try #require(chain.read(ShareRequest.self, "catalog", ShareRequest.key(id)))
        #expect(grant.isActive(at: Timestamp(milliseconds: chain.time)))
        #expect(grant.decidedBy == chain.address("civil-admin"))
        #expect(grant.expiresAt.milliseconds == chain.time + 30 * Self.day)
        #expect(!grant.isActive(at: grant.expiresAt))
        #expect(chain.run("civil", "catalog", "approve", CatalogContract.Decision(request: id)).failureCode == "catalog.wrong_status")
    }

    @Test func shareTypesDecideRequests() {
        var chain = AppChain()
        var open = Self.marriageRecords(.unconditional)
        open.id = "civil-affairs.open"
        var closed = Self.marriageRecords(.notShared)
        closed.id = "civil-affairs.closed"
        chain.run("civil", "catalog", "publish", open)
        chain.run("civil", "catalog", "publish", closed)
        var request = Self.housingRequest()
        request.resource = open.id
        let granted = chain.run("housing", "catalog", "request", request)
        #expect(granted.attribute("catalog.granted", "status") == "granted")
        request.resource = closed.id
        #expect(chain.run("housing", "catalog", "request", request).failureCode == "catalog.not_shared")
        request.resource = "nobody.nothing"
        #expect(chain.run("housing", "catalog", "request", request).failureCode == "catalog.unknown_resource")
        request.resource = open.id
        request.fields = ["salary"]
        #expect(chain.run("housing", "catalog", "request", request).failureCode == "catalog.unknown_field")
    }

    @Test func rejectAndRevoke() {
        var chain = AppChain()
        chain.run("civil", "catalog", "publish", Self.marriageRecords())
        let first = Self.id(chain.run("housing", "catalog", "request", Self.housingRequest()))
        let rejected = chain.run("civil", "catalog", "reject", CatalogContract.Decision(request: first, note: "no service item"))
        #expect(rejected.attribute("catalog.rejected", "status") == "rejected")
        let second = Self.id(chain.run("housing", "catalog", "request", Self.housingRequest()))
        chain.run("civil", "catalog", "approve", CatalogContract.Decision(request: second))
        #expect(chain.run("civil", "catalog", "revoke", CatalogContract.Decision(request: first)).failureCode == "catalog.wrong_status")
        let revoked = chain.run("civil", "catalog", "revoke", CatalogContract.Decision(request: second, note: "leak"))
        #expect(revoked.attribute("catalog.revoked", "status") == "revoked")
        #expect(chain.read(ShareRequest.self, "catalog", ShareRequest.key(second))?.isActive(at: Timestamp(milliseconds: chain.time)) == false)
        #expect(chain.run("civil", "catalog", "reject", CatalogContract.Decision(request: 99)).failureCode == "catalog.unknown_request")
    }

    @Test func accessReportsAreCheckedAgainstTheGrant() throws {
        var chain = AppChain()
        chain.run("civil", "catalog", "publish", Self.marriageRecords())
        let grant = Self.id(chain.run("housing", "catalog", "request", Self.housingRequest()))
        chain.run("civil", "catalog", "approve", CatalogContract.Decision(request: grant))
        let subject = SubjectFingerprint.make(identifier: "320102199001011234", salt: Array("salt".utf8), suite: .sm)
        let served = AccessReport(resource: "civil-affairs.marriage-records", grant: grant, consumer: chain.address("housing"),
                                  consumerOrganization: "housing", fields: ["id_number", "status"],
                                  servedFingerprint: CryptoSuite.sm.hash(Array("rows".utf8)), subjects: [subject], rows: 1, refusal: "")
        let receipt = chain.run("civil", "catalog", "record_access", served)
        #expect(receipt.failureCode == nil)
        #expect(receipt.attribute("catalog.access", "subjects") == subject.hex)
        #expect(receipt.attribute("catalog.access", "purpose") == Self.housingRequest().purpose)
        #expect(receipt.attribute("catalog.access", "outcome") == "served")
        let record = try #require(chain.read(AccessRecord.self, "catalog", AccessRecord.key(1)))
        #expect(record.report == served && record.provider == "civil-affairs")

        // The chain refuses a served report the grant does not cover: more fields, another consumer, after expiry,
        // or reported by a department that does not own the resource.
        var wider = served
        wider.fields = ["id_number", "spouse_id_number"]
        #expect(chain.run("civil", "catalog", "record_access", wider).failureCode == "catalog.access_not_granted")
        var other = served
        other.consumerOrganization = "bank"
        #expect(chain.run("civil", "catalog", "record_access", other).failureCode == "catalog.access_not_granted")
        #expect(chain.run("housing", "catalog", "record_access", served).failureCode == "catalog.not_owner")
        chain.time += 31 * Self.day
        #expect(chain.run("civil", "catalog", "record_access", served).failureCode == "catalog.access_not_granted")
        // A refused access is itself recorded.
        var refused = served
        refused.refusal = "gateway.grant_expired"
        let recorded = chain.run("civil", "catalog", "record_access", refused)
        #expect(recorded.attribute("catalog.access", "outcome") == "gateway.grant_expired")
        #expect(chain.read(AccessRecord.self, "catalog", AccessRecord.key(2))?.report.refusal == "gateway.grant_expired")
    }

    @Test func subjectFingerprintsAreSaltedHMACs() {
        let salt = Array("city-salt".utf8)
        let one = SubjectFingerprint.make(identifier: " 32010219900101123x", salt: salt, suite: .sm)
        #expect(one == SubjectFingerprint.make(identifier: "32010219900101123X", salt: salt, suite: .sm))
        #expect(one != SubjectFingerprint.make(identifier: "32010219900101123X", salt: Array("other".utf8), suite: .sm))
        #expect(one != SubjectFingerprint.make(identifier: "32010219900101123X", salt: salt, suite: .intl))
        // RFC 4231 test case 2 (HMAC-SHA-256, key "Jefe").
        let mac = SubjectFingerprint.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8), suite: .intl)
        #expect(mac.hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
