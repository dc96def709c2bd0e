import CivicLedger
import CivicNode
import Hummingbird

extension CivicAPI {
    /// The console's routes (Docs/0017): the page at `/console/`, its files under it, `/` sending a browser there, and
    /// its API under `/v1/console/`: sign-in, the session, and transactions prepared for the person to sign.
    static func addConsoleRoutes(to router: Router<BasicRequestContext>, handlers: APIHandlers) {
        let assets = ConsoleAssets()
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/console/"]) }
        // Hummingbird treats `/console` and `/console/` as one path; the page refers to its files by absolute paths.
        router.get("/console") { _, _ in try assets.response(for: "") }
        let console = ConsoleHandlers(handlers: handlers, sessions: ConsoleSessions(clock: { [node = handlers.node] in node.clock.now().milliseconds }))
        router.post("/v1/console/challenge") { _, _ in console.challenge() }
        router.post("/v1/console/session") { request, _ in try await console.signIn(request) }
        router.get("/v1/console/session") { request, _ in try console.current(request) }
        router.delete("/v1/console/session") { request, _ in console.signOut(request) }
        router.post("/v1/console/prepare") { request, _ in try await console.prepare(request) }
        router.get("/console/**") { _, context in try assets.response(for: context.parameters.getCatchAll().joined(separator: "/")) }
    }
}
