import CivicAPI
import CivicCrypto
import CivicFormats
import Foundation
import Testing

/// Query latency of the trail index at city scale, loaded directly (no chain): 49 departments, 20 resources each,
/// subjects drawn from 8.3M people and 250k companies. Runs only with `CIVIC_TRAIL_MEASURE_ROWS` set (e.g. 1000000);
/// prints the p50 and p99 of each question. The load goes through ``TrailIndex/apply(_:)`` exactly as committed
/// blocks do, so a benchmark command can reuse ``TrailLoad`` as it is.
extension TrailIndexTests {
    @Test("Trail query latency at city scale (CIVIC_TRAIL_MEASURE_ROWS)",
          .enabled(if: ProcessInfo.processInfo.environment["CIVIC_TRAIL_MEASURE_ROWS"] != nil))
    func measure() throws {
        let rows = Int(ProcessInfo.processInfo.environment["CIVIC_TRAIL_MEASURE_ROWS"] ?? "") ?? 100_000
        let directory = try TrailDirectory()
        defer { directory.remove() }
        let index = try TrailIndex(path: directory.indexPath)
        defer { index.close() }
        let clock = ContinuousClock()
        var load = TrailLoad()
        let loading = try clock.measure { try load.fill(index, rows: rows) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: directory.indexPath)[.size] as? Int) ?? 0
        print("trail load: \(rows) access rows in \(loading) (\(bytes / 1_048_576) MiB before checkpoint)")
        var generator = SystemRandomNumberGenerator()
        let span = load.lastTime - TrailLoad.startTime
        let questions: [(String, () throws -> Void)] = [
            ("resource, first page of 100", {
                _ = try index.rows(.resource, key: load.resourceName(Int.random(in: 0..<TrailLoad.resources, using: &generator)),
                                   limit: 100)
            }),
            ("department, usage + first page of 100", {
                let department = TrailLoad.department(Int.random(in: 0..<TrailLoad.departments, using: &generator))
                _ = try index.usage(of: department)
                _ = try index.rows(.department, key: department, limit: 100)
            }),
            ("department, one-day window in the middle, 100 rows", {
                let since = TrailLoad.startTime + UInt64.random(in: 0...span, using: &generator)
                _ = try index.rows(.department, key: TrailLoad.department(Int.random(in: 0..<TrailLoad.departments, using: &generator)),
                                   since: since, until: since + 86_400_000, limit: 100)
            }),
            ("department, 20th page via cursor", {
                let department = TrailLoad.department(Int.random(in: 0..<TrailLoad.departments, using: &generator))
                var page = try index.rows(.department, key: department, limit: 100)
                for _ in 0..<19 { page = try index.rows(.department, key: department, after: page.next, limit: 100) }
            }),
            ("subject (known), all rows", {
                _ = try index.rows(.subject, key: load.knownSubjects.randomElement(using: &generator)!.hex, limit: 100)
            }),
            ("subject (unknown)", {
                _ = try index.rows(.subject, key: TrailLoad.subject(UInt64.random(in: 0...UInt64.max, using: &generator)).hex,
                                   limit: 100)
            }),
            ("provider, first page of 100", {
                _ = try index.rows(.provider, key: TrailLoad.department(Int.random(in: 0..<TrailLoad.departments, using: &generator)),
                                   limit: 100)
            }),
        ]
        for (name, query) in questions {
            var samples: [Duration] = []
            for _ in 0..<500 { samples.append(try clock.measure(query)) }
            samples.sort()
            let p50 = samples[samples.count / 2], p99 = samples[samples.count * 99 / 100]
            print("trail query \(name): p50 \(p50), p99 \(p99), max \(samples.last!)")
            #expect(p99 < .milliseconds(100), "\(name): p99 \(p99)")
        }
    }
}

/// Synthetic access rows at city scale, written through ``TrailIndex/apply(_:)`` in blocks of 1 000 rows half an hour
/// apart.
struct TrailLoad {
    static let departments = 49
    static let resourcesPerDepartment = 20
    static let resources = departments * resourcesPerDepartment
    /// 8.3M people and 250k companies.
    static let subjects: UInt64 = 8_300_000 + 250_000
    static let startTime: UInt64 = 1_750_000_000_000
    static let rowsPerBlock = 1_000
    /// Half an hour between blocks: 48 000 accesses a day, 1M rows span three weeks.
    static let blockMilliseconds: UInt64 = 1_800_000

    var state: UInt64 = 0x5EED
    var lastTime = startTime
    /// One subject of every 1 000th row, to ask about subjects that are there.
    var knownSubjects: [Hash256] = []

    static func department(_ number: Int) -> String { "department-\(number)" }
    func resourceName(_ number: Int) -> String {
        "\(Self.department(number / Self.resourcesPerDepartment)).resource-\(number % Self.resourcesPerDepartment)"
    }

    /// A stand-in fingerprint of subject `number` (a mix of its number: fast, unique, evenly spread).
    static func subject(_ number: UInt64) -> Hash256 {
        var seed = number
        var bytes: [UInt8] = []
        for _ in 0..<4 { bytes += withUnsafeBytes(of: mix(&seed).bigEndian, Array.init) }
        return Hash256(bytes: bytes)
    }

    static func mix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: UInt64) -> UInt64 { Self.mix(&state) % bound }

    /// Loads `rows` access rows (one or two subjects each; one in 20 refused) after what the index holds.
    mutating func fill(_ index: TrailIndex, rows: Int) throws {
        var height = try index.indexedHeight()
        var written = 0
        var number: UInt64 = 0
        while written < rows {
            var blocks: [TrailBlock] = []
            for _ in 0..<20 where written < rows {
                height += 1
                lastTime += Self.blockMilliseconds
                var block = TrailBlock(height: height, time: lastTime, rows: [])
                for transaction in 0..<min(Self.rowsPerBlock, rows - written) {
                    number += 1
                    block.rows.append(TrailIndexedEvent(
                        position: EventPosition(height: height, transaction: UInt32(transaction), event: 0),
                        transactionHash: Self.subject(number &+ 1 << 60), entry: entry(number: number)))
                    written += 1
                }
                blocks.append(block)
            }
            try index.apply(blocks)
        }
    }

    private mutating func entry(number: UInt64) -> TrailEntry {
        let resource = Int(next(UInt64(Self.resources)))
        let provider = resource / Self.resourcesPerDepartment
        var consumer = Int(next(UInt64(Self.departments - 1)))
        if consumer >= provider { consumer += 1 }
        let subjects = (0..<(1 + next(2))).map { _ in Self.subject(next(Self.subjects)) }
        if number % 1_000 == 0 { knownSubjects.append(subjects[0]) }
        let refused = next(20) == 0
        let service = Int(next(4))
        return TrailEntry(
            name: "catalog.access",
            texts: [.resource: resourceName(resource), .provider: Self.department(provider),
                    .consumerOrganization: Self.department(consumer), .consumer: String(repeating: "ab", count: 20),
                    .fields: "id_number,name,status", .outcome: refused ? "gateway.grant_expired" : "served",
                    .purpose: "service item check \(service)", .serviceItem: "\(Self.department(consumer)).item-\(service)",
                    .served: refused ? "" : Self.subject(number).hex],
            integers: [.number: number, .rows: refused ? 0 : UInt64(subjects.count), .grant: UInt64(resource + 1)],
            subjects: subjects, isUse: true, isSuccess: !refused)
    }
}
