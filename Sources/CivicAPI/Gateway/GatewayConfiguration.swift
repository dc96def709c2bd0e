import CivicApps
import CivicCrypto
import Foundation

/// What `civic node start --gateway-config FILE` reads (Docs/0016, "Exchange gateway"):
///
/// ```json
/// {
///   "key": "gateway-key.pem",
///   "salt_file": "subject-salt.bin",
///   "resources": {
///     "civil-affairs.marriage-records": {
///       "subject_field": "id_number",
///       "adapter": {"kind": "sqlite", "path": "/srv/civil/marriage.sqlite", "table": "marriages"}
///     },
///     "civil-affairs.households": {
///       "subject_field": "id_number",
///       "adapter": {"kind": "postgresql", "connection": "host=10.0.0.5 dbname=hukou user=gateway", "table": "public.households"}
///     },
///     "civil-affairs.deaths": {
///       "subject_field": "id_number",
///       "adapter": {"kind": "http", "url": "http://10.0.0.7/api/deaths", "method": "POST", "headers": {"X-Api-Key": "…"}}
///     }
///   }
/// }
/// ```
///
/// Relative paths are relative to the configuration file's directory.
public struct GatewayConfigurationFile: Codable, Sendable, Equatable {
    /// One resource's source.
    public struct Resource: Codable, Sendable, Equatable {
        /// The field naming the citizen or company of each row (fingerprinted into the trail).
        public var subjectField: String
        /// Where the rows come from.
        public var adapter: Adapter

        /// Creates an entry.
        public init(subjectField: String, adapter: Adapter) {
            self.subjectField = subjectField
            self.adapter = adapter
        }
    }

    /// An adapter's kind and settings.
    public struct Adapter: Codable, Sendable, Equatable {
        /// `sqlite`, `postgresql` or `http`.
        public var kind: String
        /// `sqlite`: the database file.
        public var path: String?
        /// `sqlite`, `postgresql`: the table (`schema.table` allowed for PostgreSQL).
        public var table: String?
        /// `postgresql`: the libpq connection string.
        public var connection: String?
        /// `http`: the endpoint.
        public var url: String?
        /// `http`: `GET` (default) or `POST`.
        public var method: String?
        /// `http`: extra request headers.
        public var headers: [String: String]?

        /// Creates settings.
        public init(kind: String, path: String? = nil, table: String? = nil, connection: String? = nil, url: String? = nil,
                    method: String? = nil, headers: [String: String]? = nil) {
            self.kind = kind
            self.path = path
            self.table = table
            self.connection = connection
            self.url = url
            self.method = method
            self.headers = headers
        }
    }

    /// The gateway's identity key (PEM): a registered member or admin of the providing department.
    public var key: String
    /// The file holding the subject-fingerprint salt the member departments share (its bytes without one trailing newline, ``SubjectFingerprint/salt(fileBytes:)``).
    public var saltFile: String
    /// Resource id → source.
    public var resources: [String: Resource]

    /// Creates a file's content.
    public init(key: String, saltFile: String, resources: [String: Resource]) {
        self.key = key
        self.saltFile = saltFile
        self.resources = resources
    }
}

/// Why a gateway configuration cannot be used.
public struct GatewayConfigurationError: Error, Sendable, CustomStringConvertible {
    /// A sentence a person understands.
    public var description: String
}

/// A resource the gateway serves: where its rows come from and which field names the subject.
public struct GatewaySource: Sendable {
    /// The adapter.
    public var adapter: any DataSourceAdapter
    /// The subject field.
    public var subjectField: String

    /// Creates a source.
    public init(adapter: any DataSourceAdapter, subjectField: String) {
        self.adapter = adapter
        self.subjectField = subjectField
    }
}

/// A loaded gateway configuration: the key, the salt and the sources.
public struct GatewayConfiguration: Sendable {
    /// Shortest accepted salt, in bytes.
    public static let saltBytesMin = 16

    /// The gateway's identity key.
    public var key: PrivateKey
    /// The subject-fingerprint salt.
    public var salt: [UInt8]
    /// Resource id → source.
    public var sources: [String: GatewaySource]

    /// Creates a configuration.
    /// - Precondition: the salt has at least ``saltBytesMin`` bytes.
    public init(key: PrivateKey, salt: [UInt8], sources: [String: GatewaySource]) {
        precondition(salt.count >= Self.saltBytesMin, "the subject salt is shorter than \(Self.saltBytesMin) bytes")
        self.key = key
        self.salt = salt
        self.sources = sources
    }

    /// Reads the JSON file at `path`, its key and its salt, and builds the adapters.
    /// - Throws: ``GatewayConfigurationError`` naming what is wrong.
    public static func load(path: String) throws(GatewayConfigurationError) -> GatewayConfiguration {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ file: String) -> String {
            file.hasPrefix("/") ? file : directory.appendingPathComponent(file).path
        }
        func fail(_ text: String) -> GatewayConfigurationError { GatewayConfigurationError(description: "\(path): \(text)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot be read") }
        let file: GatewayConfigurationFile
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            file = try decoder.decode(GatewayConfigurationFile.self, from: data)
        } catch {
            throw fail("is not a gateway configuration: \(error)")
        }
        guard let keyData = FileManager.default.contents(atPath: resolve(file.key)) else { throw fail("the key \(file.key) cannot be read") }
        let key: PrivateKey
        do { key = try PrivateKey(pemRepresentation: String(decoding: keyData, as: UTF8.self)) } catch {
            throw fail("the key \(file.key) is not usable: \(error.description)")
        }
        guard let saltFile = FileManager.default.contents(atPath: resolve(file.saltFile)) else {
            throw fail("the salt file \(file.saltFile) cannot be read")
        }
        let salt = SubjectFingerprint.salt(fileBytes: Array(saltFile))
        guard salt.count >= saltBytesMin else { throw fail("the salt file holds fewer than \(saltBytesMin) bytes") }
        var sources: [String: GatewaySource] = [:]
        for (id, resource) in file.resources {
            sources[id] = GatewaySource(adapter: try adapter(resource.adapter, resolve: resolve, fail: { fail("resource '\(id)': \($0)") }),
                                        subjectField: resource.subjectField)
        }
        return GatewayConfiguration(key: key, salt: salt, sources: sources)
    }

    private static func adapter(_ settings: GatewayConfigurationFile.Adapter, resolve: (String) -> String,
                                fail: (String) -> GatewayConfigurationError) throws(GatewayConfigurationError) -> any DataSourceAdapter {
        switch settings.kind {
        case "sqlite":
            guard let path = settings.path, let table = settings.table else { throw fail("a sqlite adapter needs 'path' and 'table'") }
            guard (try? SQLIdentifier.table(table)) != nil, !table.contains(".") else { throw fail("'\(table)' is not a plain table name") }
            return SQLiteTableAdapter(path: resolve(path), table: table)
        case "postgresql":
            guard let connection = settings.connection, let table = settings.table else {
                throw fail("a postgresql adapter needs 'connection' and 'table'")
            }
            guard (try? SQLIdentifier.table(table)) != nil else { throw fail("'\(table)' is not a table name (a-z, 0-9, _; schema.table)") }
            return PostgreSQLTableAdapter(connection: connection, table: table)
        case "http":
            guard let url = settings.url, URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) == true else {
                throw fail("an http adapter needs an http(s) 'url'")
            }
            guard let method = HTTPEndpointAdapter.Method(rawValue: (settings.method ?? "GET").uppercased()) else {
                throw fail("the http method must be GET or POST")
            }
            return HTTPEndpointAdapter(url: url, method: method, headers: settings.headers ?? [:])
        default:
            throw fail("unknown adapter kind '\(settings.kind)' (sqlite, postgresql, http)")
        }
    }
}
