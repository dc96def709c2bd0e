@testable import CivicAPI
import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
@testable import CivicNode
import CSQLite
import Foundation
import Logging
import Synchronization
import Testing

/// A node clock the test moves by hand.
final class SteppedClock: NodeClock {
    private let milliseconds: Mutex<UInt64>
    init(_ start: Timestamp) { milliseconds = Mutex(start.milliseconds) }
    func now() -> Timestamp { Timestamp(milliseconds: milliseconds.withLock { $0 }) }
    func advance(byMilliseconds step: UInt64) { milliseconds.withLock { $0 += step } }
}

/// A chain with a civil-affairs department that publishes marriage records, a housing department that holds grants,
/// a bank that holds none, and civil affairs' gateway over a real SQLite file.
struct GatewayFixture {
    static let start = Timestamp(milliseconds: 1_750_000_000_000)
    static let resource = "civil-affairs.marriage-records"
    static let table = "marriages"
    /// Rows of the provider's table: id_number, name, marriage_status, registered_on, internal_note.
    static let people: [(String, String, String?, String, String)] = [
        ("320102199001011234", "张三", "married", "2015-05-01", "secret-a"),
        ("32010219850202567X", "李四", nil, "2010-01-02", "secret-b"),
        ("320102197003033456", "王五", "divorced", "1999-09-09", "secret-c"),
    ]

    let suite: CryptoSuite
    let validatorKey: PrivateKey
    /// civil-affairs: publishes and decides.
    let civilKey: PrivateKey
    /// civil-affairs: the gateway's identity.
    let gatewayKey: PrivateKey
    /// housing: the consumer.
    let housingKey: PrivateKey
    /// bank: another department.
    let bankKey: PrivateKey
    /// Not registered.
    let outsiderKey: PrivateKey
    let genesis: Genesis
    let clock = SteppedClock(start)
    let store = MemoryLedgerStore()
    let node: Node
    let salt: [UInt8] = Array("civic-test-subject-salt-0123456789".utf8)
    let directory: String

    init(suite: CryptoSuite) throws {
        self.suite = suite
        validatorKey = PrivateKey.generate(suite: suite)
        civilKey = PrivateKey.generate(suite: suite)
        gatewayKey = PrivateKey.generate(suite: suite)
        housingKey = PrivateKey.generate(suite: suite)
        bankKey = PrivateKey.generate(suite: suite)
        outsiderKey = PrivateKey.generate(suite: suite)
        genesis = Genesis(
            chainID: "civic-gateway-test", suite: suite, time: Timestamp(milliseconds: Self.start.milliseconds - 60_000),
            validators: ValidatorSet([Validator(name: "validator-1", organization: "city-it", publicKey: validatorKey.publicKey, power: 1)]),
            identities: [
                GenesisIdentity(name: "admin", organization: "city-hall", role: .admin,
                                publicKey: PrivateKey.generate(suite: suite).publicKey),
                GenesisIdentity(name: "civil-clerk", organization: "civil-affairs", role: .member, publicKey: civilKey.publicKey),
                GenesisIdentity(name: "civil-gateway", organization: "civil-affairs", role: .member, publicKey: gatewayKey.publicKey),
                GenesisIdentity(name: "housing-clerk", organization: "housing", role: .member, publicKey: housingKey.publicKey),
                GenesisIdentity(name: "bank-clerk", organization: "bank", role: .member, publicKey: bankKey.publicKey),
            ],
            parameters: ChainParameters(blockTransactionsMax: 100, blockIntervalMilliseconds: 10))
        node = try Node(configuration: .init(genesis: genesis, validatorKey: validatorKey, clock: clock), store: store,
                        logger: Logger(label: "civic.test"))
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-gateway-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.makeSQLite(path: sqlitePath)
    }

    var sqlitePath: String { directory + "/civil.sqlite" }

    func removeFiles() { try? FileManager.default.removeItem(atPath: directory) }

    /// The provider's legacy table, with a column the catalog does not publish.
    static func makeSQLite(path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let handle else { throw FixtureError("cannot create \(path)") }
        defer { sqlite3_close(handle) }
        var sql = """
            CREATE TABLE marriages (id_number TEXT PRIMARY KEY, name TEXT NOT NULL, marriage_status TEXT,
                                    registered_on TEXT, internal_note TEXT);
            """
        for person in people {
            let status = person.2.map { "'\($0)'" } ?? "NULL"
            sql += "INSERT INTO marriages VALUES ('\(person.0)', '\(person.1)', \(status), '\(person.3)', '\(person.4)');"
        }
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw FixtureError(String(cString: sqlite3_errmsg(handle)))
        }
    }

    /// The published catalog entry.
    static var draft: ResourceDraft {
        ResourceDraft(
            id: resource, title: "婚姻登记记录", description: "Marriage registrations",
            fields: [
                ResourceField(name: "id_number", type: .string, sensitivity: .personal),
                ResourceField(name: "name", type: .string, sensitivity: .personal),
                ResourceField(name: "marriage_status", type: .string, sensitivity: .personal),
                ResourceField(name: "registered_on", type: .date, sensitivity: .internal),
            ],
            updateFrequency: "daily", shareType: .unconditional, gateway: "http://civil.example/")
    }

    /// The gateway, with the SQLite source unless told otherwise.
    func makeGateway(adapter: (any DataSourceAdapter)? = nil) throws -> ExchangeGateway {
        let source = GatewaySource(adapter: adapter ?? SQLiteTableAdapter(path: sqlitePath, table: Self.table),
                                   subjectField: "id_number")
        return try ExchangeGateway(node: node, configuration: GatewayConfiguration(key: gatewayKey, salt: salt,
                                                                                     sources: [Self.resource: source]),
                                   clock: clock)
    }

    /// Signs `call` with `key` and waits for its commit (the node must be running).
    @discardableResult
    func commit(_ call: ContractCall, by key: PrivateKey) async throws -> Receipt {
        let body = TransactionBody(chainID: genesis.chainID, signer: key.publicKey, nonce: UInt64.random(in: .min ... .max),
                                   expiresAt: Timestamp(milliseconds: clock.now().milliseconds + 600_000), call: call)
        let (_, outcome) = try await node.submitAndWait(try Transaction(signing: body, with: key).canonicalBytes,
                                                        timeout: .seconds(20))
        guard case .committed(_, _, let receipt) = outcome else { throw FixtureError("not committed: \(outcome)") }
        return receipt
    }

    /// Grants of the tests, by their request numbers.
    struct Grants {
        /// housing: id_number, name, marriage_status for a day.
        var active: UInt64
        /// housing: name; revoked.
        var revoked: UInt64
        /// housing: name, id_number for one second; expired.
        var expired: UInt64
    }

    /// Publishes the resource, has housing request three grants, revokes one, and lets one expire (the clock moves
    /// two seconds and a block is committed after that).
    func setUpCatalog() async throws -> Grants {
        let published = try await commit(ContractCall(contract: "catalog", method: "publish", arguments: Self.draft), by: civilKey)
        #expect(published.status == .success)
        func request(_ fields: [String], _ milliseconds: UInt64) async throws -> UInt64 {
            let draft = RequestDraft(resource: Self.resource, fields: fields, purpose: "housing purchase qualification",
                                     serviceItem: "housing.purchase-qualification", durationMilliseconds: milliseconds)
            let receipt = try await commit(ContractCall(contract: "catalog", method: "request", arguments: draft), by: housingKey)
            #expect(receipt.status == .success, "\(receipt.status)")
            return try UInt64(canonicalBytes: receipt.returnData)
        }
        let grants = Grants(active: try await request(["id_number", "name", "marriage_status"], 86_400_000),
                            revoked: try await request(["name"], 86_400_000),
                            expired: try await request(["name", "id_number"], 1_000))
        clock.advance(byMilliseconds: 2_000)
        let revoked = try await commit(ContractCall(contract: "catalog", method: "revoke",
                                                    arguments: CatalogContract.Decision(request: grants.revoked, note: "ended")),
                                       by: civilKey)
        #expect(revoked.status == .success)
        return grants
    }

    /// A fetch request issued now.
    func request(grant: UInt64, fields: [String] = [], filter: [FieldCondition] = [], limit: UInt32 = 0,
                 resource: String = GatewayFixture.resource, chainID: String? = nil, issuedAt: Timestamp? = nil) -> FetchRequest {
        FetchRequest(chainID: chainID ?? genesis.chainID, resource: resource, grant: grant, fields: fields, filter: filter,
                     limit: limit, nonce: UInt64.random(in: .min ... .max), issuedAt: issuedAt ?? clock.now())
    }

    /// The access record `number`, read from committed state.
    func accessRecord(_ number: UInt64) throws -> AccessRecord? {
        let proof = try node.reader.stateProof(key: Array("catalog/".utf8) + AccessRecord.key(number), snapshot: node.snapshot)
        return try proof.value.map { try AccessRecord(canonicalBytes: $0) }
    }

    /// Every state entry, to compare before and after a refusal.
    func stateEntries() throws -> [[UInt8]: [UInt8]] {
        Dictionary(uniqueKeysWithValues: try store.stateEntries(after: nil, limit: 1_000_000).map { ($0.key, $0.value) })
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` while `node` produces blocks.
func withRunningNode<T: Sendable>(_ node: Node, _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await node.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}
