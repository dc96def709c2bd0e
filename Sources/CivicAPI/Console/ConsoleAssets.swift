import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// The console's files (Docs/0017): plain HTML, CSS and JavaScript modules shipped in the API's resource bundle and
/// served as they are, with headers that keep the page to its own origin.
///
/// The files are read once, at start-up. Setting `CIVIC_CONSOLE_DIR` to a directory of the same layout serves that
/// directory instead, read on every request, so that the console can be edited without rebuilding the node.
struct ConsoleAssets: Sendable {
    /// A served file.
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    /// The headers every console answer carries. The policy allows only this origin's scripts, styles and API, no
    /// inline script, no framing, and no referrer that could carry a page's address elsewhere.
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (HTTPField.Name.contentSecurityPolicy, "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        (HTTPField.Name.xContentTypeOptions, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Cross-Origin-Opener-Policy")!, "same-origin"),
        (HTTPField.Name.cacheControl, "no-cache"),
    ]

    private let bundled: [String: Asset]
    private let overrideDirectory: String?

    /// Loads the bundled files, or notes the override directory.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        overrideDirectory = environment["CIVIC_CONSOLE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        guard overrideDirectory == nil, let root = Bundle.module.resourceURL?.appendingPathComponent("console") else {
            bundled = [:]
            return
        }
        bundled = ConsoleAssets.readTree(root.path)
    }

    /// The answer for `path`, the part after `/console/` (empty for the page itself).
    func response(for path: String) throws -> Response {
        let relative = path.isEmpty ? "index.html" : path
        guard ConsoleAssets.isSafe(relative), let asset = asset(relative) else {
            throw APIError(.notFound, code: "console.not_found", message: "The console has no file '\(relative)'.")
        }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        for (name, value) in ConsoleAssets.securityHeaders { headers[name] = value }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    private func asset(_ relative: String) -> Asset? {
        guard let overrideDirectory else { return bundled[relative] }
        let path = overrideDirectory + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Asset(bytes: Array(data), contentType: ConsoleAssets.contentType(of: relative))
    }

    /// Paths of letters, digits, `-`, `_`, `.` and `/`, with no empty, `.` or `..` segment.
    static func isSafe(_ relative: String) -> Bool {
        guard relative.utf8.count <= 200, relative.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x2F
        }) else { return false }
        return relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".." && !segment.hasPrefix(".")
        }
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last.map(String.init) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }

    private static func readTree(_ root: String) -> [String: Asset] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [:] }
        var assets: [String: Asset] = [:]
        while let relative = enumerator.nextObject() as? String {
            guard isSafe(relative), let data = FileManager.default.contents(atPath: root + "/" + relative) else { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), isDirectory.boolValue {
                continue
            }
            assets[relative] = Asset(bytes: Array(data), contentType: contentType(of: relative))
        }
        return assets
    }
}
