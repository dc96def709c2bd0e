import CivicTesting
import Foundation
import Testing

/// Transcript tests: each `testdata/*.txt` is a script (`> ` lines) with its expected output. The test
/// re-runs the script and fails on any difference; `CIVIC_REWRITE_TRANSCRIPTS=1` rewrites the files
/// instead (review the diff before committing).
@Suite struct TranscriptTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("testdata")
    static let names = ["happy_path", "proposer_crash", "locking", "equivocation", "restart_keeps_votes"]

    @Test(arguments: names)
    func transcript(name: String) throws {
        let url = TranscriptTests.directory.appendingPathComponent(name + ".txt")
        let expected = try String(contentsOf: url, encoding: .utf8)
        let actual = TranscriptRunner.run(script: expected)
        if ProcessInfo.processInfo.environment["CIVIC_REWRITE_TRANSCRIPTS"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        if actual != expected {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(expectedLines.count, actualLines.count)
            let expectedLine = first < expectedLines.count ? String(expectedLines[first]) : "<end>"
            let actualLine = first < actualLines.count ? String(actualLines[first]) : "<end>"
            let message = "\(name).txt differs at line \(first + 1):\n  expected: \(expectedLine)\n"
                + "  actual:   \(actualLine)"
            Issue.record("\(message)")
        }
    }

    @Test func transcriptDetectsChangedOutput() {
        let script = "> nodes 4\n> state 0\n"
        let output = TranscriptRunner.run(script: script)
        #expect(output.contains("n0: h1 r0 propose"))
        #expect(TranscriptRunner.run(script: output) == output)
        #expect(TranscriptRunner.run(script: output + "n0: invented line\n") != output + "n0: invented line\n")
    }
}
