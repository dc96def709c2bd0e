import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

/// `GET /v1/certificates/...`: certificate types, certificates, their checks and a holder's certificates, from
/// contract `certificates` (Docs/0016), each record with its state proof. Writes (issue, authorize, verify…) are
/// signed transactions sent to `POST /v1/transactions`: the node never signs for anyone.
extension CivicAPI {
    /// Most types, certificates or checks in one answer.
    public static let certificateRecordsMax = 100

    /// Adds the certificate routes to `router`.
    static func addCertificateRoutes(to router: Router<BasicRequestContext>, handlers: APIHandlers) {
        router.get("/v1/certificates/types") { _, _ in try handlers.certificateTypes() }
        router.get("/v1/certificates/by-holder/:fingerprint") { _, context in
            try handlers.holderCertificates(context.parameters.require("fingerprint"))
        }
        router.get("/v1/certificates/:id") { _, context in try handlers.certificate(context.parameters.require("id")) }
        router.get("/v1/certificates/:id/checks") { _, context in
            try handlers.certificateChecks(context.parameters.require("id"))
        }
    }
}

extension APIHandlers {
    /// `GET /v1/certificates/types`: the first ``CivicAPI/certificateRecordsMax`` types, with their trusted issuers.
    func certificateTypes() throws -> Response {
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let read = { (key: [UInt8]) throws(QueryError) -> [UInt8]? in
                try node.reader.stateProof(key: key, snapshot: snapshot).value
            }
            let (total, keys) = try CertificateContract.listKeys(
                count: CertificateContract.Key.typeCount, entry: CertificateContract.Key.typeList,
                limit: CivicAPI.certificateRecordsMax, read: read)
            var views: [CertificateTypeView] = []
            for key in keys {
                guard let id = try read(key).flatMap({ try? CanonicalString(canonicalBytes: $0) })?.value else { continue }
                let entry = try stateEntry(key: CertificateContract.stateKey(CertificateContract.Key.type(id)), snapshot: snapshot)
                guard let type = entry.value.flatMap(Hex.decode).flatMap({ try? CertificateType(canonicalBytes: $0) }) else {
                    continue
                }
                let trusted = try GovernanceContract.trustedIssuers(certificateType: id, read: read)
                views.append(CertificateTypeView(type, trustedIssuers: trusted, state: entry))
            }
            return CertificateTypeListResponse(total: total, types: views)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/certificates/{id}`: one certificate with its proof.
    func certificate(_ segment: String) throws -> Response {
        let id = try certificateID(segment)
        let view = try withFreshSnapshot { snapshot throws(QueryError) in try certificateView(id, snapshot: snapshot) }
        guard let view else {
            throw APIError(.notFound, code: "certificates.unknown", message: "There is no certificate '\(id)'.")
        }
        return JSONResponse.make(view)
    }

    /// `GET /v1/certificates/{id}/checks`: the newest ``CivicAPI/certificateRecordsMax`` checks of a certificate id
    /// (also of ids that name no certificate: those checks were refused as `certificates.unknown`).
    func certificateChecks(_ segment: String) throws -> Response {
        let id = try certificateID(segment)
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let read = { (key: [UInt8]) throws(QueryError) -> [UInt8]? in
                try node.reader.stateProof(key: key, snapshot: snapshot).value
            }
            let (total, keys) = try CertificateContract.listKeys(
                count: CertificateContract.Key.checkCount(id), entry: { CertificateContract.Key.checkOf(id, $0) },
                limit: CivicAPI.certificateRecordsMax, newestFirst: true, read: read)
            var views: [CertificateCheckView] = []
            for key in keys {
                guard let number = try read(key).flatMap({ try? UInt64(canonicalBytes: $0) }) else { continue }
                let entry = try stateEntry(key: CertificateContract.stateKey(CertificateContract.Key.check(number)),
                                           snapshot: snapshot)
                guard let check = entry.value.flatMap(Hex.decode).flatMap({ try? CertificateCheck(canonicalBytes: $0) }) else {
                    continue
                }
                views.append(CertificateCheckView(check, state: entry))
            }
            return CertificateCheckListResponse(certificate: id, total: total, checks: views)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/certificates/by-holder/{fingerprint}`: the first ``CivicAPI/certificateRecordsMax`` certificates
    /// issued to the holder with that subject fingerprint.
    func holderCertificates(_ text: String) throws -> Response {
        let holder = try parseHash(text, what: "holder fingerprint")
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let read = { (key: [UInt8]) throws(QueryError) -> [UInt8]? in
                try node.reader.stateProof(key: key, snapshot: snapshot).value
            }
            let (total, keys) = try CertificateContract.listKeys(
                count: CertificateContract.Key.holderCount(holder), entry: { CertificateContract.Key.holder(holder, $0) },
                limit: CivicAPI.certificateRecordsMax, read: read)
            var views: [ElectronicCertificateView] = []
            for key in keys {
                guard let id = try read(key).flatMap({ try? CanonicalString(canonicalBytes: $0) })?.value,
                      let view = try certificateView(id, snapshot: snapshot) else { continue }
                views.append(view)
            }
            return HolderCertificatesResponse(holder: holder.hex, total: total, certificates: views)
        }
        return JSONResponse.make(response)
    }

    /// The view of certificate `id` at `snapshot`, or `nil` when there is none.
    private func certificateView(_ id: String, snapshot: ChainSnapshot) throws(QueryError) -> ElectronicCertificateView? {
        let entry = try stateEntry(key: CertificateContract.stateKey(CertificateContract.Key.certificate(id)), snapshot: snapshot)
        guard let certificate = entry.value.flatMap(Hex.decode).flatMap({ try? ElectronicCertificate(canonicalBytes: $0) }) else {
            return nil
        }
        return ElectronicCertificateView(certificate, state: entry)
    }

    /// A certificate id from a (percent-encoded) path segment.
    private func certificateID(_ segment: String) throws(APIError) -> String {
        let id = segment.removingPercentEncoding ?? segment
        guard CertificateContract.isCertificateID(id) else {
            throw APIError.invalid("A certificate id is 1-64 of a-z, 0-9, '.', '_' and '-'.")
        }
        return id
    }
}
