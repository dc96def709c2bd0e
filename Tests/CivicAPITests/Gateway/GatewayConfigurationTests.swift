@testable import CivicAPI
import CivicCrypto
import Foundation
import Testing

/// `--gateway-config`: the documented JSON, relative paths, and refusals that name the problem.
@Suite("Gateway configuration")
struct GatewayConfigurationTests {
    static func write(_ files: [String: [UInt8]]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-gwconf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in files { FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data(bytes)) }
        return directory
    }

    static func config(adapter: String, salt: String = "salt.bin") -> [UInt8] {
        Array("""
            {"key": "gateway.pem", "salt_file": "\(salt)", "resources": {
              "civil-affairs.marriage-records": {"subject_field": "id_number", "adapter": \(adapter)}}}
            """.utf8)
    }

    @Test("The documented file loads, with the key, the salt and each adapter kind")
    func loads() throws {
        let key = PrivateKey.generate(suite: .sm)
        for (adapter, type) in [
            (#"{"kind": "sqlite", "path": "civil.sqlite", "table": "marriages"}"#, "SQLiteTableAdapter"),
            (#"{"kind": "postgresql", "connection": "host=127.0.0.1 dbname=x", "table": "public.marriages"}"#, "PostgreSQLTableAdapter"),
            (#"{"kind": "http", "url": "http://10.0.0.7/api/people", "method": "post"}"#, "HTTPEndpointAdapter"),
        ] {
            let directory = try Self.write(["gateway.pem": Array(key.pemRepresentation.utf8), "salt.bin": Array(repeating: 7, count: 32),
                                            "gateway.json": Self.config(adapter: adapter)])
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let loaded = try GatewayConfiguration.load(path: "\(directory)/gateway.json")
            #expect(loaded.key.publicKey == key.publicKey)
            #expect(loaded.salt == Array(repeating: 7, count: 32))
            let source = try #require(loaded.sources["civil-affairs.marriage-records"])
            #expect(source.subjectField == "id_number")
            #expect("\(Swift.type(of: source.adapter))" == type)
            if let sqlite = source.adapter as? SQLiteTableAdapter { #expect(sqlite.path == "\(directory)/civil.sqlite") }
        }
    }

    @Test("Unusable settings are refused with a sentence", arguments: [
        (#"{"kind": "oracle"}"#, "unknown adapter kind"),
        (#"{"kind": "sqlite", "path": "x.sqlite", "table": "t; DROP TABLE t"}"#, "not a plain table name"),
        (#"{"kind": "postgresql", "table": "t"}"#, "needs 'connection' and 'table'"),
        (#"{"kind": "http", "url": "file:///etc/passwd"}"#, "http(s) 'url'"),
    ])
    func refused(adapter: String, reason: String) throws {
        let directory = try Self.write(["gateway.pem": Array(PrivateKey.generate(suite: .intl).pemRepresentation.utf8),
                                        "salt.bin": Array(repeating: 1, count: 16), "short.bin": [1, 2, 3],
                                        "gateway.json": Self.config(adapter: adapter),
                                        "short.json": Self.config(adapter: #"{"kind": "sqlite", "path": "a", "table": "b"}"#, salt: "short.bin")])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: GatewayConfigurationError.self) { try GatewayConfiguration.load(path: "\(directory)/gateway.json") }
        do { _ = try GatewayConfiguration.load(path: "\(directory)/gateway.json") } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
        do { _ = try GatewayConfiguration.load(path: "\(directory)/short.json") } catch {
            #expect(error.description.contains("fewer than 16 bytes"), "\(error.description)")
        }
    }
}
