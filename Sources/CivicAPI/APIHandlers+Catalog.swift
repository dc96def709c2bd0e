import CivicApps
import CivicCodec
import CivicFormats
import CivicLedger
import CivicNode
import Hummingbird

/// `GET /v1/catalog/...`: the data catalog, requests and grants, and recorded accesses of contract `catalog`
/// (Docs/0016), each record with its state proof against the answer's certified state root. Writes are signed
/// transactions (`POST /v1/transactions`); the node never acts for a department.
extension APIHandlers {
    /// Most entries a list answers.
    static let catalogPageMax = 200
    /// Most records a list reads to find its page (filters that match rarely stop there, with `next` set).
    static let catalogScanMax = 5_000

    /// `GET /v1/catalog/resources?organization=&share_type=&field=&q=&after=&limit=`: catalog entries in id order.
    /// `field` matches a field name, `q` a substring of the id, title or description.
    func resources(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.limitParameter(query["limit"], fallback: 50, maximum: Self.catalogPageMax)
        let organization = query["organization"].map(String.init)
        let field = query["field"].map(String.init)
        let text = query["q"].map(String.init)
        var shareType: ShareType?
        if let name = query["share_type"].map(String.init) {
            guard let type = ShareType(name: name) else {
                throw APIError.invalid("share_type is unconditional, conditional or not_shared.")
            }
            shareType = type
        }
        let prefix = Array("catalog/".utf8) + DataResource.key("")
        let after = query["after"].map { prefix + Array(String($0).utf8) }
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let page = try scanPage(prefix: prefix, after: after, scanMax: Self.catalogScanMax, limit: limit, snapshot: snapshot,
                                    cursor: { String(decoding: $0.dropFirst(prefix.count), as: UTF8.self) }) { key throws(QueryError) -> ResourceView? in
                let entry = try stateEntry(key: key, snapshot: snapshot)
                guard let resource = entry.value.flatMap(Hex.decode).flatMap({ try? DataResource(canonicalBytes: $0) }),
                      organization.map({ resource.organization == $0 }) ?? true,
                      shareType.map({ resource.draft.shareType == $0 }) ?? true,
                      field.map({ name in resource.draft.fields.contains { $0.name == name } }) ?? true,
                      text.map({ text in [resource.draft.id, resource.draft.title, resource.draft.description].contains { $0.contains(text) } }) ?? true
                else { return nil }
                return ResourceView(resource, state: entry)
            }
            return ResourceListResponse(resources: page.views, next: page.next)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/catalog/resources/{id}`.
    func resource(_ id: String) throws -> Response {
        let view = try withFreshSnapshot { snapshot throws(QueryError) -> ResourceView? in
            let entry = try stateEntry(key: Array("catalog/".utf8) + DataResource.key(id), snapshot: snapshot)
            return entry.value.flatMap(Hex.decode).flatMap { try? DataResource(canonicalBytes: $0) }
                .map { ResourceView($0, state: entry) }
        }
        guard let view else {
            throw APIError(.notFound, code: "catalog.unknown_resource", message: "There is no data resource '\(id)' in the catalog.")
        }
        return JSONResponse.make(view)
    }

    /// `GET /v1/catalog/requests?organization=&status=&limit=`: the newest requests in which `organization` is
    /// the provider or the consumer, newest first.
    func shareRequests(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.limitParameter(query["limit"], fallback: 50, maximum: Self.catalogPageMax)
        let organization = query["organization"].map(String.init)
        let status = query["status"].map(String.init)
        if let status, !RequestStatus.allCases.contains(where: { $0.name == status }) {
            throw APIError.invalid("status is pending, granted, rejected or revoked.")
        }
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let counter = try node.reader.stateProof(key: Array("catalog/next/request".utf8), snapshot: snapshot).value
            var id = counter.flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
            var views: [ShareRequestView] = []
            var scanned = 0
            while id > 0, views.count < limit, scanned < Self.catalogScanMax {
                defer { id -= 1; scanned += 1 }
                guard let view = try requestView(id, snapshot: snapshot),
                      organization.map({ view.provider == $0 || view.consumer == $0 }) ?? true,
                      status.map({ view.status == $0 }) ?? true
                else { continue }
                views.append(view)
            }
            return ShareRequestListResponse(requests: views)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/catalog/requests/{n}`.
    func shareRequest(_ text: String) throws -> Response {
        guard let id = UInt64(text), id > 0 else { throw APIError.invalid("A request number is a positive decimal number.") }
        let view = try withFreshSnapshot { snapshot throws(QueryError) in try requestView(id, snapshot: snapshot) }
        guard let view else {
            throw APIError(.notFound, code: "catalog.unknown_request", message: "There is no data request \(id).")
        }
        return JSONResponse.make(view)
    }

    /// `GET /v1/catalog/accesses/{n}`.
    func access(_ text: String) throws -> Response {
        guard let id = UInt64(text), id > 0 else { throw APIError.invalid("An access number is a positive decimal number.") }
        let view = try withFreshSnapshot { snapshot throws(QueryError) -> AccessView? in
            let entry = try stateEntry(key: Array("catalog/".utf8) + AccessRecord.key(id), snapshot: snapshot)
            return entry.value.flatMap(Hex.decode).flatMap { try? AccessRecord(canonicalBytes: $0) }
                .map { AccessView($0, state: entry) }
        }
        guard let view else {
            throw APIError(.notFound, code: "catalog.unknown_access", message: "There is no recorded access \(id).")
        }
        return JSONResponse.make(view)
    }

    private func requestView(_ id: UInt64, snapshot: ChainSnapshot) throws(QueryError) -> ShareRequestView? {
        let entry = try stateEntry(key: Array("catalog/".utf8) + ShareRequest.key(id), snapshot: snapshot)
        return entry.value.flatMap(Hex.decode).flatMap { try? ShareRequest(canonicalBytes: $0) }
            .map { ShareRequestView($0, now: snapshot.head.time, state: entry) }
    }
}
