@testable import CivicAPI
import CivicApps
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL 15 server the test starts in a temporary directory on a free port, and stops.
final class TemporaryPostgreSQL {
    static let binaries = "/usr/lib/postgresql/15/bin"
    let directory: String
    let port: Int
    /// Commands run as `postgres` when the tests run as root (the server refuses root).
    private let asUser: [String]

    init() throws {
        for tool in ["initdb", "pg_ctl", "psql"] where !FileManager.default.isExecutableFile(atPath: "\(Self.binaries)/\(tool)") {
            throw FixtureError("""
                PostgreSQL 15 is not installed: \(Self.binaries)/\(tool) is missing. Install the Debian package \
                postgresql-15 (scripts/test.sh does) to run the PostgreSQL adapter's tests.
                """)
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        asUser = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        if getuid() == 0 { try Self.run(["/bin/chown", "postgres", directory]) }
        port = try Self.freePort()
        try run(["\(Self.binaries)/initdb", "-D", "\(directory)/data", "-U", "civic", "--auth=trust", "-E", "UTF8",
                 "--locale=C"])
        try run(["\(Self.binaries)/pg_ctl", "-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-t", "60",
                 "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1", "start"])
    }

    /// The libpq connection string of the `postgres` database.
    var connection: String { "host=127.0.0.1 port=\(port) dbname=postgres user=civic connect_timeout=5" }

    /// Runs SQL with psql.
    func execute(_ sql: String) throws {
        try run(["\(Self.binaries)/psql", "-h", "127.0.0.1", "-p", "\(port)", "-U", "civic", "-d", "postgres",
                 "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
    }

    func stop() {
        _ = try? run(["\(Self.binaries)/pg_ctl", "-D", "\(directory)/data", "-m", "fast", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> String { try Self.run(asUser + arguments) }

    /// Runs a command to completion with posix_spawn and waitpid, its output in a file. Foundation's `Process`
    /// cannot be used for `pg_ctl start`: on Linux it notices a child's exit when the child's inherited descriptors
    /// close, and the server that `pg_ctl` leaves running keeps them open.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("civic-pg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw FixtureError("cannot start \(arguments[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw FixtureError("waitpid failed: \(errno)") }
        }
        let text = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        // WIFEXITED and WEXITSTATUS are macros Swift cannot import.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw FixtureError("\(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
        return text
    }

    /// A TCP port nobody listens on now (bound to port 0, read back, closed).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw FixtureError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        guard bound == 0 else { throw FixtureError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard named == 0 else { throw FixtureError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("PostgreSQL adapter", .serialized)
struct PostgreSQLTableAdapterTests {
    @Test("Against a real PostgreSQL 15: parameterized filters, text comparison, NULL, limit, names checked, and a gateway fetch")
    func realServer() async throws {
        let server: TemporaryPostgreSQL
        do { server = try TemporaryPostgreSQL() } catch {
            Issue.record("\(error)")
            return
        }
        defer { server.stop() }
        var sql = """
            CREATE SCHEMA civil;
            CREATE TABLE civil.marriages (id_number text PRIMARY KEY, name text NOT NULL, marriage_status text,
                                          registered_on date, children integer, internal_note text);
            """
        for (index, person) in GatewayFixture.people.enumerated() {
            let status = person.2.map { "'\($0)'" } ?? "NULL"
            sql += "INSERT INTO civil.marriages VALUES ('\(person.0)', '\(person.1)', \(status), '\(person.3)', \(index), '\(person.4)');"
        }
        try server.execute(sql)
        let adapter = PostgreSQLTableAdapter(connection: server.connection, table: "civil.marriages")
        let schema: Set<String> = ["id_number", "name", "marriage_status", "registered_on", "children"]

        let one = try await adapter.rows(for: AdapterQuery(
            fields: ["name", "marriage_status", "registered_on"],
            filter: [FieldCondition(field: "id_number", value: GatewayFixture.people[1].0)], limit: 10, schema: schema))
        #expect(one == [["name": "李四", "marriage_status": nil, "registered_on": "2010-01-02"]])
        let byNumber = try await adapter.rows(for: AdapterQuery(
            fields: ["name"], filter: [FieldCondition(field: "children", value: "2")], limit: 10, schema: schema))
        #expect(byNumber == [["name": "王五"]], "an integer column matches its decimal text")
        let injection = try await adapter.rows(for: AdapterQuery(
            fields: ["name"], filter: [FieldCondition(field: "id_number", value: "x' OR '1'='1")], limit: 10, schema: schema))
        #expect(injection.isEmpty)
        let limited = try await adapter.rows(for: AdapterQuery(fields: ["id_number"], filter: [], limit: 2, schema: schema))
        #expect(limited.count == 2)
        await #expect(throws: AdapterError.self) {
            try await adapter.rows(for: AdapterQuery(fields: ["internal_note"], filter: [], limit: 1, schema: schema))
        }
        // The session is read-only: the adapter cannot change the provider's data even if a statement tried.
        let wrong = PostgreSQLTableAdapter(connection: server.connection, table: "civil.nothing")
        await #expect(throws: AdapterError.self) {
            try await wrong.rows(for: AdapterQuery(fields: ["name"], filter: [], limit: 1, schema: schema))
        }

        // The same source behind the gateway.
        let fixture = try GatewayFixture(suite: .sm)
        defer { fixture.removeFiles() }
        let gateway = try fixture.makeGateway(adapter: PostgreSQLTableAdapter(connection: server.connection, table: "civil.marriages"))
        try await withRunningNode(fixture.node) {
            let grants = try await fixture.setUpCatalog()
            let request = fixture.request(grant: grants.active, fields: ["name", "marriage_status"],
                                          filter: [FieldCondition(field: "id_number", value: GatewayFixture.people[2].0)])
            let response = try await gateway.fetch(try request.signed(with: fixture.housingKey))
            let envelope = Array(try #require(Data(base64Encoded: response.envelope)))
            let plaintext = try SuiteEnvelope.open(envelope, with: fixture.housingKey, associatedData: request.envelopeAssociatedData)
            #expect(plaintext == Array(#"[{"marriage_status":"divorced","name":"王五"}]"#.utf8))
            let record = try #require(try fixture.accessRecord(response.access))
            #expect(record.report.servedFingerprint == CryptoSuite.sm.hash(plaintext))
            #expect(record.report.subjects == [SubjectFingerprint.make(identifier: GatewayFixture.people[2].0, salt: fixture.salt, suite: .sm)])
        }
    }
}
