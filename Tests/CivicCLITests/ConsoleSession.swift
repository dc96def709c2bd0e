import Foundation
import Testing

/// A headless browser on one node's console for one flow: the WebDriver session, the node's address, and the
/// flow's artifact folder `test-artifacts/console/<flow>/`, where every step leaves a numbered screenshot.
final class ConsoleSession {
    /// The repository's root, found from this file's place in it.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// Where every flow's folder goes.
    static let artifactsRoot = repositoryRoot + "/test-artifacts/console"

    /// The browser.
    let driver: WebDriver
    /// The node's API address, for example `http://127.0.0.1:8080`.
    let nodeURL: String
    /// This flow's artifact folder, created fresh for the run.
    let artifacts: String
    private var steps = 0

    private init(driver: WebDriver, nodeURL: String, artifacts: String) {
        self.driver = driver
        self.nodeURL = nodeURL
        self.artifacts = artifacts
    }

    /// Empties the folder of `flow`, starts a browser of `width`×`height` (chromedriver's log goes into the folder),
    /// runs `body`, and always quits the browser.
    static func run<T>(flow: String, node nodeURL: String, width: Int = 1280, height: Int = 900,
                       _ body: (ConsoleSession) async throws -> T) async throws -> T {
        let artifacts = artifactsRoot + "/" + flow
        try? FileManager.default.removeItem(atPath: artifacts)
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        var processes: [Int32] = []
        let log = artifacts + "/chromedriver.log"
        let result = try await WebDriver.withSession(width: width, height: height, logPath: log) { driver in
            processes = [driver.driverProcessID, driver.browserProcessID]
            return try await body(ConsoleSession(driver: driver, nodeURL: nodeURL, artifacts: artifacts))
        }
        try await expectExited(processes)
        return result
    }

    /// Polls (at most 5 s) until `processes` have exited, and records an issue for any that has not.
    private static func expectExited(_ processes: [Int32]) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while processes.contains(where: WebDriver.isRunning) && ContinuousClock.now < deadline {
            try await Task.sleep(for: WebDriver.pollInterval)
        }
        let left = processes.filter(WebDriver.isRunning)
        #expect(left.isEmpty, "chromedriver or Chromium still runs after quit: pids \(left)")
    }

    /// Opens `path` (for example `/console/`) on the node.
    func open(_ path: String) async throws(WebDriverError) {
        try await driver.open(nodeURL + path)
    }

    /// Saves the viewport as `<NN>-<step>.png`, numbered in the order of the flow's steps, and returns its path.
    @discardableResult
    func screenshot(_ step: String) async throws(WebDriverError) -> String {
        steps += 1
        let path = artifacts + "/" + (steps < 10 ? "0" : "") + "\(steps)-\(step).png"
        try await driver.screenshot(to: path)
        return path
    }

    /// Waits until the console reports that view `name` finished rendering: `<main id="view" data-view="name">` and
    /// `data-ready="true"` on the document element (Docs/0017). Two views of one name in a row (`/blocks/3`, then
    /// `/blocks/4`) look alike to this wait: follow it with a wait for the content.
    /// - Throws: `WebDriverError` `.consoleError` when the view rendered the console's error notice (`data-error`),
    ///   `.timedOut` with the last state seen.
    func waitForView(_ name: String, timeout: Duration = .seconds(15)) async throws(WebDriverError) {
        try await driver.waitUntil("""
            const main = document.querySelector('main#view');
            const ready = document.documentElement.dataset.ready;
            if (main !== null && main.dataset.view === arguments[0] && ready === 'true') return true;
            return `data-view=${main === null ? '(no main#view)' : main.dataset.view}, data-ready=${ready}`;
            """, arguments: [.string(name)], timeout: timeout, "view \(name) ready")
        let error = try await driver.executeScript("return document.querySelector('main#view').dataset.error ?? null")
        if let code = error.string {
            throw WebDriverError(code: .consoleError, command: "waitForView \(name)",
                                 message: "the view shows error \(code)")
        }
    }

    /// Goes to the console's `route` (for example `/blocks/3`) within the page, so that the person stays signed in,
    /// and waits for `view`. The ready flag is lowered first, so the wait cannot see the previous page's.
    func go(_ route: String, view: String) async throws(WebDriverError) {
        _ = try await driver.executeScript("document.documentElement.dataset.ready = 'false'; location.hash = arguments[0]",
                                           [.string("#" + route)])
        try await waitForView(view)
    }

    /// The element with `data-testid="testid"`, waited for.
    @discardableResult
    func element(_ testid: String, timeout: Duration = .seconds(15)) async throws(WebDriverError) -> WebDriver.Element {
        try await driver.waitFor("[data-testid=\"\(testid)\"]", timeout: timeout)
    }

    /// Clicks the element with `data-testid="testid"`.
    func click(_ testid: String) async throws(WebDriverError) {
        try await driver.click(try await element(testid))
    }

    /// Types `text` into the control with `data-testid="testid"`, after clearing it.
    func fill(_ testid: String, _ text: String) async throws(WebDriverError) {
        let control = try await element(testid)
        try await driver.clear(control)
        try await driver.type(into: control, text)
    }

    /// Signs in on the sign-in page with the key file at `keyPath` and waits for the overview.
    func signIn(keyPath: String) async throws(WebDriverError) {
        try await go("/sign-in", view: "sign-in")
        try await driver.setFile("input[name=key]", path: keyPath)
        try await click("sign-in-submit")
        try await driver.waitUntil("return document.getElementById('session-label').textContent.length > 0",
                                   timeout: .seconds(20), "signed in")
        try await waitForView("overview")
    }

    /// Signs out with the header's button.
    func signOut() async throws(WebDriverError) {
        try await driver.click(try await driver.find("#sign-out-button"))
        try await driver.waitUntil("return document.getElementById('sign-out-button').hidden === true", "signed out")
    }

    /// Confirms the signing dialog the console shows before every write (after a screenshot of it).
    func confirmSigning(_ step: String) async throws(WebDriverError) {
        try await driver.waitUntil("return document.getElementById('sign-dialog').open === true", "the signing dialog")
        try await screenshot(step)
        try await driver.click(try await driver.find("#sign-dialog-confirm"))
    }

    /// The entries of the browser's console since the last call that are errors (`SEVERE`): script errors, unhandled
    /// rejections, CSP violations, failed loads, `console.error`.
    /// A 404 answer of the API is not an error of the page: it is how a lookup learns that something does not exist
    /// (search tries a height, a transaction, an evidence fingerprint...), yet Chromium logs every one as `SEVERE`.
    func browserErrors() async throws(WebDriverError) -> [WebDriver.LogEntry] {
        try await driver.browserLog().filter { entry in
            entry.level == "SEVERE" && !(entry.source == "network" && entry.message.contains("/v1/")
                && entry.message.contains("404 (Not Found)"))
        }
    }
}

/// One demo devnet (`DevnetTests.Network`) for a whole suite, started before its first test and brought down after
/// its last, shared with the tests through ``current``.
struct ConsoleDevnet: SuiteTrait, TestScoping {
    /// The running devnet, inside a suite that has this trait.
    @TaskLocal static var current: DevnetTests.Network?

    /// The cryptographic suite of the devnet (`sm` or `intl`).
    let suite: String

    /// Starts the devnet, runs the suite with it, and stops it whatever happened.
    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let network = try DevnetTests.Network(suite: suite, demo: true)
        defer { network.down() }
        try await Self.$current.withValue(network) { try await function() }
    }

    /// The running devnet, or a recorded issue when the test is outside a suite with this trait.
    static func network(sourceLocation: SourceLocation = #_sourceLocation) throws -> DevnetTests.Network {
        try #require(current, "the suite needs the .devnet(suite:) trait", sourceLocation: sourceLocation)
    }
}

extension Trait where Self == ConsoleDevnet {
    /// One demo devnet of crypto `suite` shared by every test of the suite.
    static func devnet(suite: String) -> Self { ConsoleDevnet(suite: suite) }
}
