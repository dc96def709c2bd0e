@testable import CivicCLI
import Foundation
import NIOHTTP1
import Testing

/// The web console (Docs/0017) in a real headless Chromium, driven through chromedriver, against one demo devnet
/// of four real node processes shared by the suite. Every step leaves a screenshot in `test-artifacts/console/`.
@Suite("ConsoleBrowser: the web console in headless Chromium on a devnet", .serialized, .devnet(suite: "sm"),
       .timeLimit(.minutes(3)))
struct ConsoleBrowserTests {
    /// The view `/console/` shows first: the explorer's overview.
    static let landingView = "overview"

    /// The API address of the devnet's first node.
    static func nodeURL() throws -> String {
        "http://127.0.0.1:\(try ConsoleDevnet.network().manifest.nodes[0].apiPort)"
    }

    @Test("/ leads to /console/, which loads with no browser error; an inline script is refused by CSP")
    func consoleLoadsCleanly() async throws {
        try await ConsoleSession.run(flow: "landing", node: try Self.nodeURL()) { console in
            try await console.open("/")
            #expect(try await console.driver.currentURL() == console.nodeURL + "/console/")
            try await console.waitForView(Self.landingView)
            // What a first load costs, printed for the notes (a figure, not a bound: timings belong to benches).
            let load = try await console.driver.executeScript("""
                const resources = performance.getEntriesByType('resource').filter(r => r.name.includes('/console/'));
                return `console files ${resources.length}, ${Math.round(resources.reduce((n, r) => n + r.decodedBodySize, 0) / 1024)} KiB; `
                    + `overview ready ${Math.round(performance.now())} ms after navigation start`;
                """)
            print("first load: \(load.string ?? "\(load)")")
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
            let refusal = errors.contains { $0.source == "security" && $0.message.contains("Content Security Policy") }
            #expect(refusal, "\(errors)")
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
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"),
                    "\(path): \(policy)")
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
            #expect(response.status == 404 && body.contains("console.not_found"),
                    "\(path): \(response.status) \(body.prefix(200))")
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

    @Test("the harness drives the console's shell: keys, typing, clicks, the language switch, a file choice, async script")
    func harnessDrivesTheShell() async throws {
        let network = try ConsoleDevnet.network()
        try await ConsoleSession.run(flow: "shell", node: try Self.nodeURL()) { console in
            let driver = console.driver
            try await console.open("/console/")
            try await console.waitForView(Self.landingView)

            // Keyboard: from the skip link, Tab reaches the brand link next.
            _ = try await driver.executeScript("document.getElementById('skip-link').focus()")
            try await driver.pressKey(.tab)
            #expect(try await driver.executeScript("return document.activeElement.id") == "brand-link")

            // Typing and Enter: the search box leads to the search route.
            let search = try await driver.find("#search-input")
            #expect(try await driver.attribute("placeholder", of: search)?.isEmpty == false)
            try await driver.type(into: search, "42")
            try await driver.pressKey(.enter)
            try await driver.waitUntil("return location.hash === '#/search/42'", "search navigated")
            try await driver.clear(search)
            #expect(try await driver.executeScript("return document.getElementById('search-input').value") == "")
            #expect(try await driver.findAll("#nav a").count >= 10)

            // A click: the language switch turns the shell Chinese.
            try await driver.click(try await driver.find("#language-button"))
            try await driver.waitUntil("return document.getElementById('language-button').textContent === 'English'",
                                       "the shell switched to Chinese")
            let signIn = try await driver.text(of: try await driver.waitFor("#sign-in-link"))
            #expect(signIn.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(signIn)")
            try await console.screenshot("chinese-shell")

            // A file chosen in the sign-in page's key input.
            try await console.open("/console/#/sign-in")
            try await console.waitForView("sign-in")
            try await driver.setFile("input[name=key]", path: network.layout.demo.key("citizen-zhang"))
            let chosen = try await driver.executeScript("return document.querySelector('input[name=key]').files[0].name")
            #expect(chosen.string?.hasSuffix(".pem") == true, "\(chosen)")
            try await console.screenshot("sign-in-key-chosen")

            // An asynchronous script: the page's own origin answers fetch.
            let suite = try await driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/v1/chain').then(response => response.json())
                    .then(chain => done(chain.suite), error => done(String(error)));
                """)
            #expect(suite == "sm")
            #expect(try await console.browserErrors().isEmpty)
        }
    }
}
