import Hummingbird

extension CivicAPI {
    /// The console's routes (Docs/0017): its files under `/console/`, and `/` and `/console` sending a browser there.
    static func addConsoleRoutes(to router: Router<BasicRequestContext>) {
        let assets = ConsoleAssets()
        let toConsole: @Sendable (Request, BasicRequestContext) -> Response = { _, _ in
            Response(status: .seeOther, headers: [.location: "/console/"])
        }
        router.get("/", use: toConsole)
        router.get("/console", use: toConsole)
        router.get("/console/") { _, _ in try assets.response(for: "") }
        router.get("/console/**") { _, context in try assets.response(for: context.parameters.getCatchAll().joined(separator: "/")) }
    }
}
