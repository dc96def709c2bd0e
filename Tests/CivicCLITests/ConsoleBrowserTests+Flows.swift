@testable import CivicCLI
import CivicCrypto
import Foundation
import Testing

/// The console's flows of issue 7 in headless Chromium on the suite's demo devnet: the explorer (a block, a
/// transaction whose proof is checked in the browser and by the node), an admin voting a proposal, Civil Affairs
/// publishing a resource and approving a request, evidence dropped as a file, and a newcomer's two questions
/// (who accessed a resource last week; is this certificate genuine). Every write is signed in the page.
extension ConsoleBrowserTests {
    /// A person's key file in the demo devnet.
    static func key(_ name: String) throws -> String { try ConsoleDevnet.network().layout.demo.key(name) }

    @Test("explorer: the overview, a block found from the list, a transaction whose proof verifies in the browser and on the node")
    func explorerFlow() async throws {
        try await ConsoleSession.run(flow: "explorer", node: try Self.nodeURL()) { console in
            let driver = console.driver
            try await console.open("/console/")
            try await console.waitForView("overview")
            try await console.element("latest-tx-row")
            try await console.screenshot("overview")

            try await console.go("/blocks", view: "blocks")
            try await console.screenshot("blocks")
            try await driver.click(try await driver.waitFor("[data-testid=block-row] a"))
            try await console.waitForView("block")
            try await console.element("block-header")
            try await console.element("block-signature-summary")
            try await console.screenshot("block")

            try await console.go("/", view: "overview")
            try await driver.click(try await driver.waitFor("[data-testid=latest-tx-row] a"))
            try await console.waitForView("transaction")
            let receipt = try await console.element("tx-receipt")
            #expect(try await driver.attribute("data-status", of: receipt) == "success")
            try await console.click("tx-verify")
            try await driver.waitUntil("""
                const browser = document.querySelector('[data-testid=verify-browser-result]').dataset.result;
                const node = document.querySelector('[data-testid=verify-node-result]').dataset.result;
                return (browser === 'valid' && node === 'valid') || `browser ${browser}, node ${node}`;
                """, timeout: .seconds(30), "both proof checks")
            let checks = try await driver.executeScript("""
                return [...document.querySelectorAll('[data-testid=verify-check]')].map(c => c.dataset.check + ':' + c.dataset.ok)
                """)
            for check in ["header.chain", "transaction.signature", "transaction.in_block", "receipt.in_block", "commit.signatures"] {
                #expect(checks.array?.contains(.string(check + ":true")) == true, "\(check) in \(checks)")
            }
            #expect(try await driver.text(of: try await console.element("verify-command")).hasPrefix("civic verify "))
            try await console.element("proof-download")
            try await console.screenshot("transaction-verified")
            #expect(try await console.browserErrors().isEmpty)
        }
    }

    @Test("an admin signs in with a key file and votes a proposal; the vote is a transaction signed in the page")
    func adminVotesProposal() async throws {
        try await ConsoleSession.run(flow: "governance", node: try Self.nodeURL()) { console in
            try await console.open("/console/")
            try await console.waitForView("overview")
            try await console.go("/governance/proposals/1", view: "proposal")
            #expect(try await console.driver.findAll("[data-testid=vote-approve]").isEmpty, "a visitor is offered a vote")
            try await console.element("write-hint")
            try await console.signIn(keyPath: try Self.key("admin"))
            try await console.screenshot("signed-in")
            try await console.go("/governance/proposals/1", view: "proposal")
            try await console.screenshot("proposal")
            try await console.click("vote-approve")
            try await console.confirmSigning("sign-vote")
            try await console.element("write-result", timeout: .seconds(30))
            try await console.screenshot("voted")
            try await console.go("/governance", view: "governance")
            try await console.screenshot("governance")
            try await console.go("/operations", view: "operations")
            try await console.element("node-status")
            try await console.screenshot("operations")
            try await console.go("/identities", view: "identities")
            try await console.screenshot("identities")
            try await console.go("/contracts", view: "contracts")
            try await console.screenshot("contracts")
            #expect(try await console.browserErrors().isEmpty)
        }
    }

    @Test("Civil Affairs publishes a catalog entry and approves a pending request, each signed in the page")
    func civilAffairsPublishesAndApproves() async throws {
        try await ConsoleSession.run(flow: "catalog", node: try Self.nodeURL()) { console in
            try await console.open("/console/")
            try await console.waitForView("overview")
            try await console.signIn(keyPath: try Self.key("civil-affairs-clerk"))
            try await console.go("/catalog", view: "catalog")
            try await console.fill("catalog-publish-id", "civil-affairs.adoption-registrations")
            try await console.fill("catalog-publish-title", "收养登记 Adoption registrations")
            let description = try await console.driver.find("[data-testid=catalog-publish] textarea[name=description]")
            try await console.driver.type(into: description, "Adoption registrations of the city, updated weekly")
            try await console.fill("catalog-publish-update_frequency", "weekly")
            try await console.fill("catalog-publish-conditions", "For adoption eligibility checks of a named service item")
            let names = try await console.driver.findAll("[data-testid=catalog-publish-field] input[name=field_name]")
            let first = try #require(names.first, "the publish form has a field row")
            try await console.driver.clear(first)
            try await console.driver.type(into: first, "district")
            try await console.screenshot("publish-form")
            try await console.click("catalog-publish-submit")
            try await console.confirmSigning("sign-publish")
            try await console.element("catalog-publish-result", timeout: .seconds(30))
            try await console.screenshot("published")

            try await console.go("/requests", view: "requests")
            try await console.element("requests-waiting")
            try await console.screenshot("requests")
            try await console.go("/requests/3", view: "request")
            try await console.fill("request-note", "同意，用于贷款审核 Approved for the loan check")
            try await console.click("request-approve")
            try await console.confirmSigning("sign-approve")
            try await console.element("request-decide-result", timeout: .seconds(30))
            try await console.screenshot("approved")
            #expect(try await console.browserErrors().isEmpty)
        }
    }

    @Test("evidence: a dropped file is fingerprinted in the page, recorded by a signed transaction, then found")
    func evidenceFromAFile() async throws {
        let network = try ConsoleDevnet.network()
        let file = network.directory + "/lease-contract-\(UInt32.random(in: 0 ... .max)).txt"
        try Data("Lease contract signed on 2026-11-21, case (2026) Su 01 Min Chu 456.\n".utf8).write(to: URL(fileURLWithPath: file))
        try await ConsoleSession.run(flow: "evidence", node: try Self.nodeURL()) { console in
            try await console.open("/console/")
            try await console.waitForView("overview")
            try await console.signIn(keyPath: try Self.key("court-clerk"))
            try await console.go("/evidence", view: "evidence")
            try await console.driver.setFile("[data-testid=evidence-file]", path: file)
            try await console.element("evidence-not-found")
            let fingerprint = try await console.driver.attribute("data-fingerprint", of: try await console.element("evidence-fingerprint"))
            let expected = CryptoSuite.sm.hash(Array(try Data(contentsOf: URL(fileURLWithPath: file)))).hex
            #expect(fingerprint == expected, "the page's SM3 fingerprint")
            try await console.screenshot("not-recorded")
            try await console.click("evidence-put-submit")
            try await console.confirmSigning("sign-evidence")
            try await console.element("evidence-put-result", timeout: .seconds(30))
            try await console.element("evidence-found")
            try await console.screenshot("recorded")
            #expect(try await console.browserErrors().isEmpty)
        }
    }

    @Test("a newcomer finds who accessed a resource in the last week, and verifies a certificate by dropping its document")
    func newcomerQuestions() async throws {
        let network = try ConsoleDevnet.network()
        let certificate = DemoLayout.verifiableCertificate
        try await ConsoleSession.run(flow: "newcomer", node: try Self.nodeURL()) { console in
            let driver = console.driver
            try await console.open("/console/")
            try await console.waitForView("overview")
            try await console.go("/catalog", view: "catalog")
            try await driver.click(try await driver.waitFor("a[href='#/catalog/\(DemoLayout.accessedResource)']"))
            try await console.waitForView("catalog-resource")
            let accesses = try await driver.text(of: try await console.element("catalog-access-table"))
            #expect(accesses.contains("Housing Bureau"), "\(accesses)")
            #expect(try await driver.executeScript("return document.querySelector('[data-testid=trail-window]').value") == "7")
            try await console.screenshot("who-accessed")

            try await console.go("/certificates", view: "certificates")
            try await console.fill("verify-certificate", certificate.id)
            try await driver.setFile("[data-testid=verify-document]", path: network.layout.demo.documents + "/" + certificate.document)
            try await console.click("verify-submit")
            let result = try await console.element("verify-result", timeout: .seconds(20))
            let verdict = try await driver.text(of: result)
            #expect(try await driver.attribute("data-valid", of: result) == "true", "\(verdict)")
            _ = try await driver.executeScript("document.querySelector('[data-testid=verify-result]').scrollIntoView()")
            try await console.screenshot("certificate-genuine")

            // The same in Chinese, as most staff read it.
            try await driver.click(try await driver.find("#language-button"))
            try await console.waitForView("certificates")
            try await console.screenshot("certificates-zh")
            #expect(try await console.browserErrors().isEmpty)
        }
    }
}
