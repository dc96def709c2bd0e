@testable import CivicCLI
import CivicClient
import CivicFormats
import Foundation
import Testing

/// The Nanjing flow of issue "government data sharing" on a four-node devnet, through the `civic` commands staff
/// type: civil affairs publishes marriage records (conditional), housing requests them for a housing-purchase
/// service item, civil affairs approves; the usage trail shows every access with proofs checked offline; a
/// marriage certificate is issued, authorized by its holder to a bank, verified, revoked and then refused.
@Suite("The Nanjing data-sharing flow on a devnet", .serialized)
struct NanjingFlowTests {
    static let resource = "civil-affairs.marriage-records"

    @Test("publish, request, approve, trail with offline proofs; certificate issued, authorized, verified, revoked, refused",
          arguments: ["sm", "intl"])
    func nanjingFlow(suite: String) async throws {
        let network = try DevnetTests.Network(suite: suite, demo: true)
        defer { network.down() }
        let demo = network.layout.demo
        func url(_ index: Int) -> String { "http://127.0.0.1:\(network.manifest.nodes[index].apiPort)" }
        @discardableResult
        func civic(_ arguments: [String], expect status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            try CivicProcess.civic(arguments, in: network.directory, expect: status, sourceLocation: sourceLocation)
        }
        let civil = demo.key("civil-affairs-clerk"), housing = demo.key("housing-officer")
        let bank = demo.key("bank-officer"), citizen = demo.key("citizen-zhang")

        // Civil affairs publishes its marriage records as a conditional resource, on its own node (node 3).
        let resourceFile = network.directory + "/marriage-records.json"
        try Data("""
            {"id": "\(Self.resource)", "title": "婚姻登记信息 Marriage records",
             "description": "Marriage registrations of the city since 2003",
             "fields": [{"name": "id_number", "type": "string", "sensitivity": "personal", "description": "身份证号"},
                        {"name": "spouse_id_number", "type": "string", "sensitivity": "personal"},
                        {"name": "status", "type": "string", "sensitivity": "internal"},
                        {"name": "registered_on", "type": "date", "sensitivity": "internal"}],
             "update_frequency": "realtime", "share_type": "conditional",
             "conditions": "Housing purchase qualification checks only", "gateway": "\(url(2))"}
            """.utf8).write(to: URL(fileURLWithPath: resourceFile))
        try civic(["catalog", "publish", resourceFile, "--key", civil, "--node", url(2)])
        let shown = try civic(["catalog", "show", Self.resource, "--node", url(0)])
        #expect(shown.contains("v1 [conditional]") && shown.contains("Civil Affairs Bureau"), "\(shown)")
        let catalog = try civic(["catalog", "list", "--organization", "Civil Affairs Bureau", "--node", url(1)])
        #expect(catalog.contains(Self.resource) && catalog.contains("civil-affairs.household-registrations"), "\(catalog)")

        // Housing requests it for a service item; it waits for civil affairs, who approves.
        let requested = try civic(["share", "request", "--resource", Self.resource, "--fields", "id_number,status",
                                   "--purpose", "购房资格审核 housing purchase qualification",
                                   "--service-item", "housing.purchase-qualification", "--days", "30",
                                   "--key", housing, "--node", url(3)])
        let requestLine = try #require(requested.split(separator: "\n").first { $0.hasPrefix("request:") })
        let request = try #require(UInt64(requestLine.split(separator: " ").last.map(String.init) ?? ""))
        #expect(try civic(["share", "show", "\(request)", "--node", url(0)]).contains("pending"))
        // Housing cannot approve its own request; a not-shared resource is refused at once.
        try civic(["share", "decide", "approve", "\(request)", "--key", housing, "--node", url(3)], expect: 4)
        let refused = try civic(["share", "request", "--resource", "housing.provident-fund-loans", "--purpose", "x",
                                 "--service-item", "housing.purchase-qualification", "--key", civil, "--node", url(2)], expect: 4)
        #expect(refused.contains("catalog.not_shared") || refused.contains("not shared"), "\(refused)")
        try civic(["share", "decide", "approve", "\(request)", "--note", "条件符合", "--key", civil, "--node", url(2)])
        let granted = try civic(["share", "show", "\(request)", "--node", url(1)])
        #expect(granted.contains("granted (active)"), "\(granted)")

        // Housing fetches a citizen's record through civil affairs' gateway: the rows come sealed to housing's key
        // and only after the access is recorded on chain; the fingerprint checks against the chain.
        let fetched = try civic(["gateway", "fetch", "--gateway", url(2), "--resource", Self.resource, "--grant", "\(request)",
                                 "--fields", "id_number,status", "--where", "id_number=\(DemoLayout.citizenIDNumber)",
                                 "--key", housing, "--node", url(0)])
        #expect(fetched.contains(DemoLayout.citizenIDNumber) && fetched.contains("married"), "\(fetched)")
        #expect(fetched.contains("matches the chain"), "\(fetched)")
        #expect(!fetched.contains("spouse_id_number"), "a field outside the grant was served:\n\(fetched)")
        let second = try civic(["gateway", "fetch", "--gateway", url(2), "--resource", Self.resource, "--grant", "\(request)",
                                "--fields", "status", "--limit", "5", "--key", housing])
        #expect(second.contains("5 row(s)"), "\(second)")
        // Refused, and recorded: a field outside the grant, and the bank presenting housing's grant.
        let wider = try civic(["gateway", "fetch", "--gateway", url(2), "--resource", Self.resource, "--grant", "\(request)",
                               "--fields", "spouse_id_number", "--key", housing], expect: 4)
        #expect(wider.contains("gateway.field_not_granted"), "\(wider)")
        let borrowed = try civic(["gateway", "fetch", "--gateway", url(2), "--resource", Self.resource, "--grant", "\(request)",
                                  "--fields", "status", "--key", bank], expect: 4)
        #expect(borrowed.contains("gateway.wrong_consumer"), "\(borrowed)")

        // The trail shows the request, the grant and every access, served and refused, and each row's proof
        // verifies offline with the genesis file alone.
        let proofs = network.directory + "/trail-proofs"
        try FileManager.default.createDirectory(atPath: proofs, withIntermediateDirectories: true)
        let trail = try civic(["trail", "resource", Self.resource, "--proofs", proofs, "--genesis", network.layout.genesis,
                               "--node", url(1)])
        for outcome in ["catalog.requested", "catalog.granted", "served", "gateway.field_not_granted", "gateway.wrong_consumer"] {
            #expect(trail.contains(outcome), "the trail misses '\(outcome)':\n\(trail)")
        }
        #expect(trail.contains("proofs: 6 of 6 rows verified offline"), "\(trail)")
        let saved = try FileManager.default.contentsOfDirectory(atPath: proofs).filter { $0.hasSuffix(".civicproof") }
        #expect(saved.count == 6)
        for file in saved.prefix(1) {
            #expect(try civic(["verify", proofs + "/" + file, "--genesis", network.layout.genesis]).contains("VALID"))
        }
        // By the citizen's ID number (fingerprinted locally with the shared salt): the first fetch named them.
        let subject = try civic(["trail", "subject", "--identifier", DemoLayout.citizenIDNumber, "--salt-file", demo.salt,
                                 "--node", url(3)])
        #expect(subject.contains(Self.resource) && subject.contains("served"), "\(subject)")
        let department = try civic(["trail", "department", "Housing Bureau", "--node", url(0)])
        #expect(department.contains("housing.purchase-qualification"), "\(department)")

        // A marriage certificate: issued by civil affairs, authorized by its holder to the bank, verified,
        // revoked, and then refused.
        let document = network.directory + "/marriage-certificate-0001.ofd"
        try Data("结婚证 J320102-2026-0001 张三 李四".utf8).write(to: URL(fileURLWithPath: document))
        let certificate = "marriage-320102-2026-0001"
        try civic(["cert", "issue", "--type", "marriage", "--id", certificate, "--document", document,
                   "--holder-id", "320102199001011234", "--salt-file", demo.salt, "--holder-address", citizen,
                   "--key", civil, "--node", url(2)])
        // Without the holder's authorization the bank's check is refused (and recorded).
        let unauthorized = try civic(["cert", "verify", certificate, "--document", document, "--key", bank, "--node", url(0)], expect: 3)
        #expect(unauthorized.contains("certificates.not_authorized"), "\(unauthorized)")
        try civic(["cert", "authorize", certificate, "--verifier", "City Commercial Bank", "--purpose", "mortgage",
                   "--days", "30", "--key", citizen, "--node", url(1)])
        let valid = try civic(["cert", "verify", certificate, "--document", document, "--purpose", "mortgage", "--key", bank, "--node", url(0)])
        #expect(valid.contains("valid"), "\(valid)")
        let forged = network.directory + "/forged.ofd"
        try Data("结婚证 J320102-2026-0001 张三 王五".utf8).write(to: URL(fileURLWithPath: forged))
        let forgery = try civic(["cert", "verify", certificate, "--document", forged, "--key", bank, "--node", url(0)], expect: 3)
        #expect(forgery.contains("certificates.forged"), "\(forgery)")
        try civic(["cert", "revoke", certificate, "--reason", "issued in error", "--key", civil, "--node", url(2)])
        let revoked = try civic(["cert", "verify", certificate, "--document", document, "--key", bank, "--node", url(0)], expect: 3)
        #expect(revoked.contains("certificates.revoked"), "\(revoked)")
        let checks = try civic(["cert", "show", certificate, "--checks", "--node", url(3)])
        for outcome in ["certificates.not_authorized", "valid", "certificates.forged", "certificates.revoked"] {
            #expect(checks.contains(outcome), "the check '\(outcome)' is not recorded:\n\(checks)")
        }
    }
}
