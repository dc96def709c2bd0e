import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
@testable import CivicNode
import Foundation
import Logging

/// A city chain with three departments for the usage-trail tests: civil affairs publishes and serves (its gateway
/// key reports accesses), housing and tax use. Blocks are a minute apart.
struct TrailChain {
    static let day: UInt64 = 24 * 3600 * 1000
    static let marriage = "civil-affairs.marriage-records"
    static let births = "civil-affairs.birth-records"
    static let salt = Array("city-salt-2025".utf8)

    let suite: CryptoSuite
    let validatorKey: PrivateKey
    let civilKey: PrivateKey
    let housingKey: PrivateKey
    let taxKey: PrivateKey
    let genesis: Genesis
    let clock: SteppedClock

    init(suite: CryptoSuite = .sm) {
        self.suite = suite
        validatorKey = PrivateKey.generate(suite: suite)
        civilKey = PrivateKey.generate(suite: suite)
        housingKey = PrivateKey.generate(suite: suite)
        taxKey = PrivateKey.generate(suite: suite)
        genesis = Fixture.genesis(chainID: "city-trail", suite: suite, validatorKey: validatorKey, identities: [
            GenesisIdentity(name: "admin", organization: "city-hall", role: .admin,
                            publicKey: PrivateKey.generate(suite: suite).publicKey),
            GenesisIdentity(name: "civil-gateway", organization: "civil-affairs", role: .member, publicKey: civilKey.publicKey),
            GenesisIdentity(name: "housing-clerk", organization: "housing", role: .member, publicKey: housingKey.publicKey),
            GenesisIdentity(name: "tax-clerk", organization: "tax", role: .member, publicKey: taxKey.publicKey),
        ])
        clock = SteppedClock(Fixture.start)
    }

    func makeNode(store: any LedgerStore) throws -> Node {
        try Node(configuration: .init(genesis: genesis, validatorKey: validatorKey, clock: clock), store: store,
                 logger: Logger(label: "civic.test"))
    }

    /// The fingerprint of a citizen's ID number.
    func subject(_ identifier: String) -> Hash256 { SubjectFingerprint.make(identifier: identifier, salt: Self.salt, suite: suite) }

    /// Commits `catalog.method(arguments)` signed by `key` in its own block, a minute after the previous one.
    @discardableResult
    func run(_ method: String, _ arguments: some CanonicalEncodable, by key: PrivateKey, on node: Node) throws -> Receipt {
        clock.advance(byMilliseconds: 60_000)
        let body = TransactionBody(chainID: genesis.chainID, signer: key.publicKey, nonce: UInt64.random(in: .min ... .max),
                                   expiresAt: Timestamp(milliseconds: clock.now().milliseconds + 600_000),
                                   call: ContractCall(contract: "catalog", method: method, arguments: arguments.canonicalBytes))
        let receipts = try commit([try Transaction(signing: body, with: key)], on: node)
        return receipts[0]
    }

    static func resource(_ id: String, share: ShareType) -> ResourceDraft {
        ResourceDraft(id: id, title: id, description: "records", fields: [
            ResourceField(name: "id_number", type: .string, sensitivity: .personal),
            ResourceField(name: "status", type: .string, sensitivity: .internal),
        ], updateFrequency: "realtime", shareType: share, conditions: share == .conditional ? "housing checks only" : "",
        gateway: "https://civil-affairs.example:8443")
    }

    func access(_ resource: String, grant: UInt64, by key: PrivateKey, organization: String, subjects: [Hash256],
                refusal: String = "") -> AccessReport {
        AccessReport(resource: resource, grant: grant, consumer: Address(publicKey: key.publicKey),
                     consumerOrganization: organization, fields: ["id_number", "status"],
                     servedFingerprint: refusal.isEmpty ? suite.hash(Array("rows".utf8)) : Hash256(bytes: [UInt8](repeating: 0, count: 32)),
                     subjects: subjects, rows: refusal.isEmpty ? UInt32(subjects.count) : 0, refusal: refusal)
    }

    /// Publishes, requests, approves, and reports four accesses (three served, one refused), each in its own block:
    /// heights 1–5 set up the grants, 6–9 are the accesses; 8 trail rows (A and B are two citizens).
    func populate(_ node: Node) throws {
        try run("publish", Self.resource(Self.marriage, share: .conditional), by: civilKey, on: node)
        try run("publish", Self.resource(Self.births, share: .unconditional), by: civilKey, on: node)
        let request = RequestDraft(resource: Self.marriage, fields: ["id_number", "status"], purpose: "housing purchase check",
                                   serviceItem: "housing.purchase-qualification", durationMilliseconds: 30 * Self.day)
        let housingGrant = try Self.number(run("request", request, by: housingKey, on: node))
        try run("approve", CatalogContract.Decision(request: housingGrant, note: "ok"), by: civilKey, on: node)
        let birthRequest = RequestDraft(resource: Self.births, purpose: "tax household check", serviceItem: "tax.household",
                                        durationMilliseconds: 30 * Self.day)
        let taxGrant = try Self.number(run("request", birthRequest, by: taxKey, on: node))
        let a = subject("320102199001011234"), b = subject("32010219851231567X")
        try run("record_access", access(Self.marriage, grant: housingGrant, by: housingKey, organization: "housing", subjects: [a, b]),
                by: civilKey, on: node)
        try run("record_access", access(Self.marriage, grant: housingGrant, by: housingKey, organization: "housing", subjects: [a]),
                by: civilKey, on: node)
        try run("record_access", access(Self.marriage, grant: 0, by: taxKey, organization: "tax", subjects: [],
                                        refusal: "gateway.no_grant"), by: civilKey, on: node)
        try run("record_access", access(Self.births, grant: taxGrant, by: taxKey, organization: "tax", subjects: [b]),
                by: civilKey, on: node)
    }

    /// The number a catalog method returned (u64 big-endian).
    static func number(_ receipt: Receipt) throws -> UInt64 {
        guard receipt.status.isSuccess else { throw TrailTestFailure(description: "catalog call failed: \(receipt.status)") }
        return receipt.returnData.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

struct TrailTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// A temporary directory for an index file (and a ledger file).
struct TrailDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "civic-trail-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var indexPath: String { path + "/trail.sqlite" }
    var ledgerPath: String { path + "/ledger.sqlite" }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
