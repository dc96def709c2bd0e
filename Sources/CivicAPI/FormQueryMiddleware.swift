import Foundation
import Hummingbird

/// Reads `+` in a query string as a space, as HTML forms and every browser's `URLSearchParams` write it
/// (`application/x-www-form-urlencoded`): `?organization=Civil+Affairs+Bureau` names Civil Affairs Bureau. A literal
/// plus sign is sent as `%2B`, as that encoding requires.
struct FormQueryMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Rewrites each `+` of the query to `%20` before the route reads its parameters.
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = request.head.path, let query = path.firstIndex(of: "?"), path[query...].contains("+") else {
            return try await next(request, context)
        }
        var head = request.head
        head.path = String(path[..<query]) + path[query...].replacingOccurrences(of: "+", with: "%20")
        return try await next(Request(head: head, body: request.body), context)
    }
}
