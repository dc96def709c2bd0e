import ArgumentParser
@testable import CivicCLI
import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import Foundation
import Testing

/// `civic cert` and `civic proposal create --set-trusted-issuers` without a node: what they would put on chain.
@Suite struct CertificateCommandTests {
    @Test func issueFingerprintsTheDocumentAndTheHolderLocally() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let document = directory.appendingPathComponent("marriage.pdf").path
        let salt = directory.appendingPathComponent("salt").path
        try Data("%PDF 结婚证".utf8).write(to: URL(fileURLWithPath: document))
        try Data("city-salt".utf8).write(to: URL(fileURLWithPath: salt))
        let holder = Address(bytes: Array(1...20))
        let command = try CertificateCommand.Issue.parse([
            "--type", "marriage", "--id", "marriage-1", "--document", document, "--holder-id", "35050319900101123x",
            "--salt-file", salt, "--holder-address", holder.hex, "--valid-from", "2024-01-01", "--valid-days", "10",
            "--key", "unused.pem",
        ])
        let draft = try command.draft.draft(type: command.type, suite: .sm)
        #expect(draft.documentFingerprint == CryptoSuite.sm.hash(Array("%PDF 结婚证".utf8)))
        #expect(draft.holderFingerprint
            == SubjectFingerprint.make(identifier: "35050319900101123X", salt: Array("city-salt".utf8), suite: .sm))
        #expect(draft.holder == holder && draft.validFrom.milliseconds == 1_704_067_200_000)
        #expect(draft.validUntil.milliseconds == 1_704_067_200_000 + 10 * 86_400_000)
        #expect(try CertificateCommand.parseTime("2024-01-01T08:00:00+08:00", option: "x").milliseconds == 1_704_067_200_000)
        #expect(throws: (any Error).self) { try CertificateCommand.parseTime("yesterday", option: "--valid-from") }
    }

    @Test func trustedIssuersAreProposedSortedAndDistinct() throws {
        #expect(try ProposalCommand.parseTrustedIssuers("marriage=quanzhou, nanjing,quanzhou")
            == .setTrustedIssuers(certificateType: "marriage", organizations: ["nanjing", "quanzhou"]))
        #expect(try ProposalCommand.parseTrustedIssuers("marriage=")
            == .setTrustedIssuers(certificateType: "marriage", organizations: []))
        #expect(throws: (any Error).self) { try ProposalCommand.parseTrustedIssuers("=a") }
    }
}
