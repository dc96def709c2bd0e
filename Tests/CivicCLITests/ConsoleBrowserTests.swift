@testable import CivicCLI
import Foundation
import NIOHTTP1
import Testing

/// The web console (Docs/0017) in a real headless Chromium, driven through chromedriver, against one demo devnet
/// of four real node processes shared by the suite. Every step leaves a screenshot in `test-artifacts/console/`.
@Suite("ConsoleBrowser: the web console in headless Chromium on a devnet", .serialized, .devnet(suite: "sm"),
       .timeLimit(.minutes(3)))
struct ConsoleBrowserTests {
    /// The view `/console/` shows first. The explorer registers no route for `/` yet, so it is the console's
    /// not-found view; it becomes the explorer's overview when that lands.
    static let landingView = "not-found"

    /// The API address of the devnet's first node.
    static func nodeURL() throws -> String {
        "http://127.0.0.1:\(try ConsoleDevnet.network().manifest.nodes[0].apiPort)"
    }

    @Test("/ leads to /console/, which loads its style and script with no browser error; an inline script is refused by CSP")
    func consoleLoadsCleanly() async throws {
        try await ConsoleSession.run(flow: "landing", node: try Self.nodeURL()) { console in
            try await console.open("/")
            #expect(try await console.driver.currentURL() == console.nodeURL + "/console/")
            try await console.waitForView(Self.landingView)
            try await console.screenshot("console")
            #expect(try await console.browserErrors().isEmpty)
            let styled = try await console.driver.executeScript(
                "return document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0")
            #expect(styled == .bool(true), "console.css did not load")

            // The harness sees what CSP refuses: an injected inline script does not run, and the log says why.
            let ran = try await console.driver.executeScript("""
                const script = document.createElement('script');
                script.textContent = 'window.inlineRan = true';
                document.head.append(script);
                return window.inlineRan === true;
                """)
            #expect(ran == .bool(false), "an inline script ran despite script-src 'self'")
            let errors = try await console.browserErrors()
            #expect(errors.contains { $0.source == "security" && $0.message.contains("Content Security Policy") }, "\(errors)")
        }
    }

    @Test("the console's files carry the security headers; traversal and hidden files are refused")
    func securityHeadersAndTraversal() async throws {
        let node = try Self.nodeURL()
        let files = [("/console/", "text/html"), ("/console", "text/html"), ("/console/js/app.js", "text/javascript"),
                     ("/console/console.css", "text/css"), ("/console/favicon.svg", "image/svg+xml")]
        for (path, type) in files {
            let response = try await PlainHTTP.send(.GET, node + path, timeout: .seconds(10))
            #expect(response.status == 200, "\(path)")
            #expect(response.header("Content-Type")?.hasPrefix(type) == true, "\(path): \(response.headers)")
            let policy = response.header("Content-Security-Policy") ?? ""
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"), "\(path): \(policy)")
            #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "\(path): \(policy)")
            #expect(response.header("X-Content-Type-Options") == "nosniff", "\(path)")
            #expect(response.header("X-Frame-Options") == "DENY", "\(path)")
        }
        let root = try await PlainHTTP.send(.GET, node + "/", timeout: .seconds(10))
        #expect(root.status == 303 && root.header("Location") == "/console/", "/: \(root.status) \(root.headers)")
        let traversals = ["/console/../openapi.yaml", "/console/%2e%2e/openapi.yaml", "/console/js/../../openapi.yaml",
                          "/console/.hidden", "/console/js/.app.js", "/console/%2Fetc%2Fpasswd",
                          "/console/js%2F..%2F..%2Fopenapi.yaml"]
        for path in traversals {
            let response = try await PlainHTTP.send(.GET, node + path, timeout: .seconds(10))
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 404 && body.contains("console.not_found"), "\(path): \(response.status) \(body.prefix(200))")
        }
    }

    @Test("at phone width (390×844) the console fills the viewport without horizontal scrolling")
    func phoneWidth() async throws {
        try await ConsoleSession.run(flow: "phone", node: try Self.nodeURL()) { console in
            try await console.driver.resize(width: 390, height: 844)
            let viewport = try await console.driver.executeScript("return [window.innerWidth, window.innerHeight]")
            #expect(viewport == [390, 844])
            try await console.open("/console/")
            try await console.waitForView(Self.landingView)
            let overflow = try await console.driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth")
            #expect(overflow == .bool(false), "the page scrolls sideways at 390 px")
            try await console.screenshot("console-phone")
            #expect(try await console.browserErrors().isEmpty)
        }
    }
}
