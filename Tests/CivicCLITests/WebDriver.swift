import AsyncHTTPClient
@testable import CivicCLI
import Foundation
import NIOCore
import NIOHTTP1

/// A failed step of the browser harness, naming the command that failed.
struct WebDriverError: Error, CustomStringConvertible {
    /// What kind of failure it was.
    enum Code: Sendable, Equatable {
        /// chromedriver answered with this W3C error code (`no such element`, `javascript error`, `timeout`…).
        case w3c(String)
        /// Chromium or chromedriver is not installed.
        case browserMissing
        /// chromedriver did not start, or did not report ready.
        case driverDidNotStart
        /// The HTTP exchange itself failed (connection refused, deadline passed).
        case transport
        /// The answer was not what the protocol defines.
        case malformedResponse
        /// A condition the harness polled for did not hold in time.
        case timedOut
        /// An artifact (a screenshot) could not be written.
        case fileSystem
        /// The console rendered its error notice instead of the view the test waited for.
        case consoleError
    }

    /// What kind of failure it was.
    let code: Code
    /// The command that failed, for example `POST /session/{id}/element`.
    let command: String
    /// What chromedriver, the browser or the harness said.
    let message: String

    /// One line for the test log.
    var description: String { "WebDriver \(command) failed (\(code)): \(message)" }
}

/// Plain HTTP for the harness, to chromedriver and to the node: redirects are never followed and paths are sent as
/// written (`..` included), so a test sees exactly what the server answers.
enum PlainHTTP {
    /// A complete answer.
    struct Response: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]

        /// The first value of header `name` (case-insensitive).
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// The largest body the harness reads (a full-page screenshot fits).
    static let bodyBytesMax = 64 << 20

    /// One client for the test process, never shut down (as `NodeClient`'s), failing fast when nothing listens.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout.connect = .seconds(3)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends one request, with `json` as its body if given, and reads the whole answer within `timeout`.
    /// - Throws: `WebDriverError` with code `.transport`, labelled `command` (the request line by default).
    static func send(_ method: HTTPMethod, _ url: String, json: JSONValue? = nil, timeout: Duration,
                     command: String? = nil) async throws(WebDriverError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            do { request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json))) } catch {
                throw WebDriverError(code: .malformedResponse, command: command ?? "\(method) \(url)",
                                     message: "\(error)")
            }
        }
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: bodyBytesMax)
            return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
        } catch {
            throw WebDriverError(code: .transport, command: command ?? "\(method) \(url)", message: "\(error)")
        }
    }
}

/// A W3C WebDriver client driving a headless Chromium through a chromedriver it starts itself.
///
/// Each instance owns one chromedriver process and one browser session. Every command carries an HTTP deadline and
/// every wait a timeout, so a stuck browser fails the test instead of hanging CI. ``quit()`` (or ``withSession``,
/// which calls it on every path) ends the session and kills chromedriver and any browser process left behind.
final class WebDriver {
    /// A reference to a DOM element, valid while its page is.
    struct Element: Sendable, Equatable {
        /// The W3C key under which element references travel.
        static let key = "element-6066-11e4-a52e-4f735466cecf"
        /// chromedriver's identifier of the element.
        let id: String
    }

    /// Keys by their W3C code points (WebDriver §17.4.2).
    enum Key: String, Sendable {
        case backspace = "\u{E003}"
        case tab = "\u{E004}"
        case enter = "\u{E007}"
        case shift = "\u{E008}"
        case control = "\u{E009}"
        case escape = "\u{E00C}"
        case space = "\u{E00D}"
        case arrowLeft = "\u{E012}"
        case arrowUp = "\u{E013}"
        case arrowRight = "\u{E014}"
        case arrowDown = "\u{E015}"
    }

    /// One entry of the browser's console log: script errors, CSP violations, failed loads, `console.*` calls.
    struct LogEntry: Sendable, CustomStringConvertible {
        /// `SEVERE`, `WARNING`, `INFO` or `DEBUG`.
        let level: String
        /// Where it came from: `javascript`, `security` (CSP), `network`, `console-api`…
        let source: String
        let message: String

        /// `level source: message`.
        var description: String { "\(level) \(source): \(message)" }
    }

    /// How long one protocol command may take; longer than the page-load timeout given to the session.
    static let commandTimeout: Duration = .seconds(45)
    /// How often waits poll their condition.
    static let pollInterval: Duration = .milliseconds(100)

    /// The session's identifier.
    let sessionID: String
    /// The process identifier of the browser chromedriver started.
    let browserProcessID: Int32
    /// The process identifier of chromedriver.
    var driverProcessID: Int32 { driver.processIdentifier }
    private let driver: Process
    private let baseURL: String
    /// Chromium's profile folder, the harness's own so that it can always remove it.
    private let profile: String
    private var hasQuit = false

    private init(sessionID: String, browserProcessID: Int32, driver: Process, baseURL: String, profile: String) {
        self.sessionID = sessionID
        self.browserProcessID = browserProcessID
        self.driver = driver
        self.baseURL = baseURL
        self.profile = profile
    }

    /// Starts chromedriver, waits until it reports ready and opens a headless Chromium session whose viewport is
    /// `width`×`height`, with its console log recorded. chromedriver's own output goes to `logPath`.
    /// - Throws: `WebDriverError` `.browserMissing` when Chromium or chromedriver is not installed (never a skip),
    ///   `.driverDidNotStart`, or the error of the session request.
    static func start(width: Int, height: Int, logPath: String) async throws(WebDriverError) -> WebDriver {
        let chromium = try executable(named: "chromium")
        let chromedriver = try executable(named: "chromedriver")
        let process: Process
        let port: Int
        let profile: String
        do {
            port = try freePort()
            profile = try CivicProcess.temporaryDirectory("chromium-profile")
            process = try LocalProcess.start(["--port=\(port)"], logPath: logPath, executable: chromedriver)
        } catch {
            throw WebDriverError(code: .driverDidNotStart, command: chromedriver, message: "\(error)")
        }
        let baseURL = "http://127.0.0.1:\(port)"
        let driver: WebDriver
        do throws(WebDriverError) {
            try await waitUntilReady(baseURL, process: process, logPath: logPath)
            let capabilities: JSONValue = ["capabilities": ["alwaysMatch": [
                "browserName": "chrome",
                "goog:chromeOptions": ["binary": .string(chromium), "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    .string("--window-size=\(width),\(height)"), .string("--user-data-dir=\(profile)"),
                ]],
                "goog:loggingPrefs": ["browser": "ALL"],
                "timeouts": ["implicit": 0, "pageLoad": 30_000, "script": 30_000],
            ]]]
            let value = try await exchange(.POST, baseURL + "/session", body: capabilities, command: "POST /session")
            guard let sessionID = value["sessionId"]?.string,
                  let browser = value["capabilities"]?["goog:processID"]?.number else {
                throw WebDriverError(code: .malformedResponse, command: "POST /session", message: "\(value)")
            }
            driver = WebDriver(sessionID: sessionID, browserProcessID: Int32(browser), driver: process,
                               baseURL: baseURL, profile: profile)
        } catch {
            tearDown(process, profile: profile)
            throw error
        }
        do throws(WebDriverError) { try await driver.resize(width: width, height: height) } catch {
            await driver.quit()
            throw error
        }
        return driver
    }

    /// Runs `body` with a fresh session and always quits it afterwards, whether `body` returns or throws.
    static func withSession<T>(width: Int, height: Int, logPath: String,
                               _ body: (WebDriver) async throws -> T) async throws -> T {
        let driver = try await start(width: width, height: height, logPath: logPath)
        do {
            let result = try await body(driver)
            await driver.quit()
            return result
        } catch {
            await driver.quit()
            throw error
        }
    }

    /// Ends the session (Chromium closes), then kills chromedriver and anything it left, and removes the profile.
    /// Safe to call more than once.
    func quit() async {
        guard !hasQuit else { return }
        hasQuit = true
        _ = try? await Self.exchange(.DELETE, "\(baseURL)/session/\(sessionID)", body: nil,
                                     command: "DELETE /session", timeout: .seconds(10))
        Self.tearDown(driver, profile: profile)
    }

    /// The last resort when a test forgot ``quit()``: no process outlives its driver.
    deinit {
        if !hasQuit { Self.tearDown(driver, profile: profile) }
    }

    // MARK: Navigation and windows

    /// Navigates to `url` and waits for the page's load event (at most the session's 30 s page-load timeout).
    func open(_ url: String) async throws(WebDriverError) {
        _ = try await command(.POST, "url", ["url": .string(url)])
    }

    /// The address of the current page, after any redirects.
    func currentURL() async throws(WebDriverError) -> String {
        try await string(command(.GET, "url"), of: "GET url")
    }

    /// Sets the viewport (what pages lay out in and screenshots show) to `width`×`height` CSS pixels: sizes the
    /// window, measures what its frame takes from the viewport, and sizes it again by that much.
    func resize(width: Int, height: Int) async throws(WebDriverError) {
        try await setWindow(width: width, height: height)
        let measured = try await executeScript("return [window.innerWidth, window.innerHeight]")
        guard let viewport = measured.array?.compactMap(\.number), viewport.count == 2 else {
            throw WebDriverError(code: .malformedResponse, command: "resize", message: "no viewport size")
        }
        let frameWidth = width - Int(viewport[0]), frameHeight = height - Int(viewport[1])
        if frameWidth != 0 || frameHeight != 0 {
            try await setWindow(width: width + frameWidth, height: height + frameHeight)
        }
    }

    /// Sets the outer size of the window.
    private func setWindow(width: Int, height: Int) async throws(WebDriverError) {
        _ = try await command(.POST, "window/rect",
                              ["width": .number(Double(width)), "height": .number(Double(height))])
    }

    /// Saves a PNG of the viewport at `path`, creating its folder.
    func screenshot(to path: String) async throws(WebDriverError) {
        let encoded = try await string(command(.GET, "screenshot"), of: "GET screenshot")
        guard let png = Data(base64Encoded: encoded) else {
            throw WebDriverError(code: .malformedResponse, command: "GET screenshot", message: "not base64")
        }
        do {
            let file = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try png.write(to: file)
        } catch {
            throw WebDriverError(code: .fileSystem, command: "GET screenshot",
                                 message: "cannot write \(path): \(error)")
        }
    }

    /// The browser's console entries since the previous call (chromedriver hands each entry out once).
    func browserLog() async throws(WebDriverError) -> [LogEntry] {
        let value = try await command(.POST, "se/log", ["type": "browser"])
        guard let entries = value.array else {
            throw WebDriverError(code: .malformedResponse, command: "POST se/log", message: "\(value)")
        }
        return entries.map { entry in
            LogEntry(level: entry["level"]?.string ?? "?", source: entry["source"]?.string ?? "?",
                     message: entry["message"]?.string ?? "\(entry)")
        }
    }

    // MARK: Elements

    /// The first element matching CSS `selector`.
    /// - Throws: `WebDriverError` `.w3c("no such element")` when none matches.
    func find(_ selector: String) async throws(WebDriverError) -> Element {
        let value = try await command(.POST, "element", ["using": "css selector", "value": .string(selector)])
        return try element(in: value, of: "find \(selector)")
    }

    /// Every element matching CSS `selector`, in document order (none is not an error).
    func findAll(_ selector: String) async throws(WebDriverError) -> [Element] {
        let value = try await command(.POST, "elements", ["using": "css selector", "value": .string(selector)])
        guard let items = value.array else {
            throw WebDriverError(code: .malformedResponse, command: "findAll \(selector)", message: "\(value)")
        }
        var elements: [Element] = []
        for item in items { elements.append(try element(in: item, of: "findAll \(selector)")) }
        return elements
    }

    /// Polls until an element matches `selector`, and returns it.
    /// - Throws: `WebDriverError` `.timedOut` after `timeout`.
    func waitFor(_ selector: String, timeout: Duration = .seconds(10)) async throws(WebDriverError) -> Element {
        let deadline = ContinuousClock.now + timeout
        while true {
            do throws(WebDriverError) {
                return try await find(selector)
            } catch where error.code == .w3c("no such element") {
                guard ContinuousClock.now < deadline else {
                    throw WebDriverError(code: .timedOut, command: "waitFor \(selector)",
                                         message: "no match after \(timeout)")
                }
            }
            try await Self.pause()
        }
    }

    /// Polls `script` (a function body, its arguments in `arguments`) until it returns `true`; `what` names the
    /// condition in the error.
    /// - Throws: `WebDriverError` `.timedOut` after `timeout`, with the script's last answer or error.
    func waitUntil(_ script: String, arguments: [JSONValue] = [], timeout: Duration = .seconds(10),
                   _ what: String) async throws(WebDriverError) {
        let deadline = ContinuousClock.now + timeout
        var last = "nothing"
        while ContinuousClock.now < deadline {
            do {
                let value = try await executeScript(script, arguments)
                if value == .bool(true) { return }
                last = "\(value)"
            } catch {
                last = "\(error)"
            }
            try await Self.pause()
        }
        throw WebDriverError(code: .timedOut, command: "waitUntil \(what)", message: "after \(timeout), last: \(last)")
    }

    /// Clicks `element` in its centre, scrolling it into view.
    func click(_ element: Element) async throws(WebDriverError) {
        _ = try await command(.POST, "element/\(element.id)/click", [:])
    }

    /// Types `text` into `element` as key presses (after whatever it holds).
    func type(into element: Element, _ text: String) async throws(WebDriverError) {
        _ = try await command(.POST, "element/\(element.id)/value", ["text": .string(text)])
    }

    /// Empties an input or text area.
    func clear(_ element: Element) async throws(WebDriverError) {
        _ = try await command(.POST, "element/\(element.id)/clear", [:])
    }

    /// The rendered text of `element`, as a reader sees it.
    func text(of element: Element) async throws(WebDriverError) -> String {
        try await string(command(.GET, "element/\(element.id)/text"), of: "text")
    }

    /// The attribute (or, failing that, property) `name` of `element`; nil when it has neither.
    func attribute(_ name: String, of element: Element) async throws(WebDriverError) -> String? {
        try await command(.GET, "element/\(element.id)/attribute/\(name)").string
    }

    /// Chooses the file at `path` (made absolute) in the `<input type=file>` matching `selector`.
    func setFile(_ selector: String, path: String) async throws(WebDriverError) {
        let input = try await find(selector)
        _ = try await command(.POST, "element/\(input.id)/value", ["text": .string(URL(fileURLWithPath: path).path)])
    }

    /// Presses and releases `key` in the focused element, holding `modifiers` (for example Shift for Shift+Tab).
    func pressKey(_ key: Key, modifiers: [Key] = []) async throws(WebDriverError) {
        let keys = modifiers + [key]
        let down = keys.map { JSONValue.object(["type": "keyDown", "value": .string($0.rawValue)]) }
        let up = keys.reversed().map { JSONValue.object(["type": "keyUp", "value": .string($0.rawValue)]) }
        let source: JSONValue = ["type": "key", "id": "keyboard", "actions": .array(down + up)]
        _ = try await command(.POST, "actions", ["actions": [source]])
    }

    // MARK: Scripts

    /// Runs `script` as the body of a function called with `arguments`, and returns what it returns.
    func executeScript(_ script: String, _ arguments: [JSONValue] = []) async throws(WebDriverError) -> JSONValue {
        try await command(.POST, "execute/sync", ["script": .string(script), "args": .array(arguments)])
    }

    /// Runs `script` with `arguments` followed by a callback, and returns the value it passes to the callback
    /// (within the session's 30 s script timeout).
    func executeAsyncScript(_ script: String, _ arguments: [JSONValue] = []) async throws(WebDriverError) -> JSONValue {
        try await command(.POST, "execute/async", ["script": .string(script), "args": .array(arguments)])
    }

    // MARK: Protocol

    /// Sends a command of this session (`path` relative to `/session/{id}/`) and returns its `value`.
    private func command(_ method: HTTPMethod, _ path: String,
                         _ body: JSONValue? = nil) async throws(WebDriverError) -> JSONValue {
        try await Self.exchange(method, "\(baseURL)/session/\(sessionID)/\(path)", body: body,
                                command: "\(method) \(path)")
    }

    /// One protocol exchange: the answer's `value`, or its W3C error as a `WebDriverError`.
    private static func exchange(_ method: HTTPMethod, _ url: String, body: JSONValue?, command: String,
                                 timeout: Duration = commandTimeout) async throws(WebDriverError) -> JSONValue {
        let response = try await PlainHTTP.send(method, url, json: body, timeout: timeout, command: command)
        let json: JSONValue
        do { json = try JSONDecoder().decode(JSONValue.self, from: Data(response.body)) } catch {
            throw WebDriverError(code: .malformedResponse, command: command,
                                 message: "HTTP \(response.status): "
                                     + String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        let value = json["value"] ?? .null
        guard response.status == 200 else {
            throw WebDriverError(code: .w3c(value["error"]?.string ?? "http \(response.status)"), command: command,
                                 message: value["message"]?.string ?? "\(json)")
        }
        return value
    }

    /// The element reference in `value`.
    private func element(in value: JSONValue, of command: String) throws(WebDriverError) -> Element {
        guard let id = value[Element.key]?.string else {
            throw WebDriverError(code: .malformedResponse, command: command, message: "\(value)")
        }
        return Element(id: id)
    }

    /// The string in `value`.
    private func string(_ value: JSONValue, of command: String) throws(WebDriverError) -> String {
        guard let text = value.string else {
            throw WebDriverError(code: .malformedResponse, command: command, message: "\(value)")
        }
        return text
    }

    /// Waits one poll interval; cancellation ends the wait as a timeout.
    private static func pause() async throws(WebDriverError) {
        do { try await Task.sleep(for: pollInterval) } catch {
            throw WebDriverError(code: .timedOut, command: "wait", message: "cancelled")
        }
    }

    // MARK: Processes

    /// The absolute path of `name` on `PATH` (where `scripts/test.sh` looks for it).
    /// - Throws: `WebDriverError` `.browserMissing` with the way to install it.
    static func executable(named name: String) throws(WebDriverError) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw WebDriverError(code: .browserMissing, command: "start", message:
            "\(name) is not on PATH (\(path)); the console's browser tests need it: run scripts/test.sh, "
            + "which installs the chromium and chromium-driver packages")
    }

    /// Polls chromedriver's `/status` until it reports ready (at most 15 s), failing at once if it exits.
    private static func waitUntilReady(_ baseURL: String, process: Process,
                                       logPath: String) async throws(WebDriverError) {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline && process.isRunning {
            let status = try? await exchange(.GET, baseURL + "/status", body: nil, command: "GET /status",
                                             timeout: .seconds(2))
            if status?["ready"] == .bool(true) { return }
            try await pause()
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw WebDriverError(code: .driverDidNotStart, command: "GET /status",
                             message: "chromedriver \(process.isRunning ? "never reported ready" : "exited"); "
                                 + "its log:\n\(log.suffix(2_000))")
    }

    /// Kills chromedriver `process` and every process descending from it (Chromium and its helpers), reaps it,
    /// and removes Chromium's `profile` folder.
    private static func tearDown(_ process: Process, profile: String) {
        let descendants = descendants(of: process.processIdentifier)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for pid in descendants { kill(pid, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Whether process `pid` exists and has not exited (a zombie waiting to be reaped has exited).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let status = status(of: pid) else { return false }
        return status.state != "Z" && status.state != "X"
    }

    /// The processes below `root` in the process tree, read from `/proc`.
    private static func descendants(of root: Int32) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let status = status(of: pid) else { continue }
            children[status.parent, default: []].append(pid)
        }
        var found: [Int32] = []
        var queue = children[root] ?? []
        while let pid = queue.popLast() {
            found.append(pid)
            queue += children[pid] ?? []
        }
        return found
    }

    /// The state letter and parent of process `pid`, from `/proc/<pid>/stat`; nil when there is no such process.
    private static func status(of pid: Int32) -> (state: Substring, parent: Int32)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let name = stat.range(of: ")", options: .backwards) else { return nil }
        // After "pid (name)": the state, then the parent's pid.
        let fields = stat[name.upperBound...].split(separator: " ")
        guard fields.count > 1, let parent = Int32(fields[1]) else { return nil }
        return (fields[0], parent)
    }
}
