import CivicAPI
import CivicFormats
import CivicLedger
import Foundation

/// The demo city's exchange gateway: Civil Affairs serves its marriage and household records from a SQLite file of
/// synthetic people through its node (Docs/0016, "Exchange gateway").
extension DemoLayout {
    /// The department whose node runs the demo gateway.
    static let gatewayOrganization = "Civil Affairs Bureau"
    /// The demo citizen's synthetic ID number (the holder of the demo marriage certificate).
    static let citizenIDNumber = "320102199001011234"
    /// Synthetic people in the demo tables.
    static let gatewayPeople = 200

    /// Writes `directory/gateway.json` (the gateway key is the demo's `civil-affairs-gateway`, the salt the demo's)
    /// and `directory/civil-affairs.sqlite` with tables `marriages` and `households`; returns the configuration's path.
    func createGateway(in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = directory + "/civil-affairs.sqlite"
        try? FileManager.default.removeItem(atPath: database)
        do {
            let connection = try SQLiteConnection(path: database)
            defer { connection.close() }
            try connection.execute("""
                CREATE TABLE marriages (id_number TEXT PRIMARY KEY, spouse_id_number TEXT, status TEXT, registered_on TEXT);
                CREATE TABLE households (id_number TEXT PRIMARY KEY, household TEXT, district TEXT);
                BEGIN;
                """)
            let marriage = try connection.statement("INSERT INTO marriages VALUES (?, ?, ?, ?)")
            let household = try connection.statement("INSERT INTO households VALUES (?, ?, ?)")
            for index in 0..<Self.gatewayPeople {
                let person = index == 0 ? Self.citizenIDNumber : SyntheticIdentifiers.personID(index, count: Self.gatewayPeople)
                let district = ["Xuanwu", "Qinhuai", "Gulou", "Jianye"][index % 4]
                marriage.reset()
                try marriage.bind(1, person)
                try marriage.bind(2, SyntheticIdentifiers.personID(Self.gatewayPeople + index, count: 2 * Self.gatewayPeople))
                try marriage.bind(3, index % 7 == 3 ? "divorced" : "married")
                try marriage.bind(4, String(format: "20%02d-%02d-%02d", 5 + index % 20, 1 + index % 12, 1 + index % 28))
                _ = try marriage.step()
                household.reset()
                try household.bind(1, person)
                try household.bind(2, String(format: "H%08d", 3_201_000 + index))
                try household.bind(3, district)
                _ = try household.step()
            }
            try connection.execute("COMMIT")
        } catch {
            throw CLIError(description: "Cannot write the demo gateway's table \(database): \(error)")
        }
        func source(_ table: String) -> GatewayConfigurationFile.Resource {
            GatewayConfigurationFile.Resource(subjectField: "id_number",
                                              adapter: .init(kind: "sqlite", path: "civil-affairs.sqlite", table: table))
        }
        // Absolute paths: the node resolves relative ones against the configuration's own folder.
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        let configuration = GatewayConfigurationFile(
            key: absolute(key("civil-affairs-gateway")), saltFile: absolute(salt),
            resources: ["civil-affairs.marriage-records": source("marriages"),
                        "civil-affairs.household-registrations": source("households")])
        let path = directory + "/gateway.json"
        try CLI.write(Array(try JSONFormat.encoder.encode(configuration)), to: path)
        return path
    }
}
