@testable import CivicCLI
import CivicFormats
import Foundation
import Testing

/// `civic bench datashare`: the synthetic identifiers, and a tiny run of the real command whose figures must be
/// present, positive and consistent with what the chain recorded.
@Suite struct DatashareBenchTests {
    @Test func syntheticIdentifiersHaveValidCheckCharactersAndAscend() {
        // GB 11643's example and a published unified social credit code.
        #expect(SyntheticIdentifiers.isValidPersonID("11010519491231002X"))
        #expect(!SyntheticIdentifiers.isValidPersonID("110105194912310021"))
        #expect(SyntheticIdentifiers.isValidCompanyCode("91350100M000100Y43"))
        #expect(!SyntheticIdentifiers.isValidCompanyCode("91350100M000100Y44"))
        let people = (0..<2_000).map { SyntheticIdentifiers.personID($0 * 4_150, count: 8_300_000) }
        #expect(people.allSatisfy(SyntheticIdentifiers.isValidPersonID))
        #expect(people == people.sorted() && Set(people).count == people.count)
        #expect(SyntheticIdentifiers.personID(0, count: 8_300_000).hasPrefix("32010219400101"))
        let companies = (0..<2_000).map { SyntheticIdentifiers.companyCode($0 * 125, count: 250_000) }
        #expect(companies.allSatisfy(SyntheticIdentifiers.isValidCompanyCode))
        #expect(companies == companies.sorted() && Set(companies).count == companies.count)
    }

    @Test func tinyRunReportsConsistentFigures() throws {
        let directory = try CivicProcess.temporaryDirectory("datashare")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try CivicProcess.civic([
            "bench", "datashare", "--chain-suite", "intl", "--people", "1000", "--companies", "100", "--departments", "4",
            "--service-items", "8", "--certificate-types", "4", "--certificates", "20", "--duration", "2", "--rounds", "1",
            "--trail-rows", "1000", "--trail-queries", "50", "--output", "json",
        ], in: directory)
        guard let start = output.firstIndex(of: "{") else {
            Issue.record("no JSON in the output:\n\(output)")
            return
        }
        let report = try JSONFormat.decoder.decode(DatashareBenchReport.self, from: Data(output[start...].utf8))
        #expect(report.loaded.counts.departments == 4 && report.loaded.counts.people == 1_000)
        #expect(report.loaded.grants == 8 && report.loaded.approvals == 4 && report.loaded.certificateHolders == 20)
        #expect(report.loaded.offChainRows == 1_100 && report.loaded.offChainBytes > 0 && report.loaded.transactions > 0)
        #expect(report.operations.map(\.kind) == DatashareTraffic.Kind.allCases.map(\.rawValue))
        for operation in report.operations {
            #expect(operation.operationsPerSecond > 0 && operation.operations > 0, "\(operation.kind)")
            #expect(operation.latencyP50Milliseconds > 0 && operation.latencyP99Milliseconds >= operation.latencyP50Milliseconds)
            #expect(operation.failures == 0, "\(operation.kind): \(operation.firstFailure ?? "")")
            #expect(operation.positive == operation.operations, "\(operation.kind): every grant active, access served, check valid")
        }
        let byKind = Dictionary(uniqueKeysWithValues: report.operations.map { ($0.kind, $0.operations) })
        #expect(report.accessesRecordedOnChain == UInt64(byKind["gateway_access"] ?? -1))
        #expect(report.verificationsRecordedOnChain == UInt64(byKind["certificate_verification"] ?? -1))
        #expect(report.accessBytes.sampled > 0 && report.accessBytes.transactionBytes > 0 && report.accessBytes.receiptBytes > 0)
        #expect(report.accessBytes.recordBytes > 0)
        #expect(report.storeBytesPerTrafficTransaction > 0)
        #expect((report.trailRows ?? 0) >= 1_000 && (report.trailSyntheticRows ?? 0) > 0)
        #expect(report.trail.map(\.question) == ["resource", "department", "subject"])
        for query in report.trail {
            #expect(query.queries == 50 && query.latencyP50Milliseconds > 0 && query.boundP99Milliseconds == 100)
        }
    }
}
