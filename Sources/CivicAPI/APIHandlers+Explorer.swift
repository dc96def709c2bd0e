import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

/// The console explorer's lists — blocks, identities, contracts — and `POST /v1/verify`, which checks a proof
/// against this node's genesis the way `civic verify` does offline.
extension APIHandlers {
    /// Most blocks one `GET /v1/blocks` answers.
    static let blockPageMax = 100
    /// Blocks one `GET /v1/blocks` answers when `limit` is not given.
    static let blockPageDefault = 20
    /// Most identities one `GET /v1/identities` answers.
    static let identityPageMax = 200
    /// Most identity records one `GET /v1/identities` reads to find its page (with `next` set when it stops there).
    static let identityScanMax = 5_000
    /// Most deployed contracts one `GET /v1/contracts` lists (`truncated` says when there are more).
    static let deployedContractsMax = 1_000
    /// Largest body `POST /v1/verify` accepts, in bytes.
    static let verifyBodyBytesMax = 4 * 1024 * 1024

    /// A `limit` query parameter: `fallback` when absent, otherwise a number from 1 to `maximum`.
    /// - Throws: `request.invalid` for anything else.
    static func limitParameter(_ text: Substring?, fallback: Int, maximum: Int) throws(APIError) -> Int {
        guard let text else { return fallback }
        guard let limit = Int(text), (1...maximum).contains(limit) else { throw APIError.invalid("limit is 1 to \(maximum).") }
        return limit
    }

    /// One page of the state records under `prefix` after key `after`, in key order: `view` turns a key into the
    /// page's entry, or `nil` to skip it (a filter). At most `scanMax` keys are read; `next` is the cursor
    /// (`cursor` of a key) to continue from: after the page's last entry when the page filled, or after the last key
    /// read when the scan stopped at `scanMax`.
    func scanPage<View>(prefix: [UInt8], after: [UInt8]?, scanMax: Int, limit: Int, snapshot: ChainSnapshot,
                        cursor: ([UInt8]) -> String,
                        view: ([UInt8]) throws(QueryError) -> View?) throws(QueryError) -> (views: [View], next: String?) {
        let keys = try node.reader.stateKeys(prefix: prefix, after: after, limit: scanMax)
        var views: [View] = []
        var lastTaken: [UInt8]?
        for key in keys {
            guard views.count < limit else { return (views, lastTaken.map(cursor)) }
            guard let entry = try view(key) else { continue }
            views.append(entry)
            lastTaken = key
        }
        let stoppedAtScanMax = keys.count == scanMax
        return (views, stoppedAtScanMax ? keys.last.map(cursor) : nil)
    }

    /// `GET /v1/blocks?before=&limit=`: summaries of the committed blocks below height `before` (from the head when
    /// absent), newest first.
    func blocks(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.limitParameter(query["limit"], fallback: Self.blockPageDefault, maximum: Self.blockPageMax)
        let head = node.snapshot.head.height.rawValue
        var top = head
        if let text = query["before"] {
            guard let before = UInt64(text), before > 0 else { throw APIError.invalid("before is a block height above 0.") }
            top = min(head, before - 1)
        }
        var summaries: [BlockSummaryView] = []
        do {
            var height = top
            while summaries.count < limit {
                let (block, certificate) = try node.reader.block(at: Height(height))
                let validators = try node.reader.validatorSet(at: Height(height))
                summaries.append(BlockSummaryView(block, certificate: certificate, validators: validators, suite: suite))
                guard height > 0 else { break }
                height -= 1
            }
        } catch { throw APIError(error) }
        let lowest = summaries.last?.height ?? 0
        return JSONResponse.make(BlockListResponse(blocks: summaries, nextBefore: lowest > 0 ? lowest : nil))
    }

    /// `GET /v1/identities?role=&organization=&after=&limit=`: registered identities in address order, filtered by
    /// role name and organization.
    func identities(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.limitParameter(query["limit"], fallback: 50, maximum: Self.identityPageMax)
        var role: Role?
        if let name = query["role"] {
            guard let named = Role(name: String(name)) else {
                throw APIError.invalid("role is one of \(Role.allCases.map(\.name).joined(separator: ", ")).")
            }
            role = named
        }
        let organization = query["organization"].map(String.init)
        let prefix = Identity.stateKeyPrefix
        var after: [UInt8]?
        if let text = query["after"] {
            guard let address = Address(hex: String(text)) else { throw APIError.invalid("after is an address: 40 hexadecimal digits.") }
            after = Identity.stateKey(address)
        }
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let page = try scanPage(prefix: prefix, after: after, scanMax: Self.identityScanMax, limit: limit, snapshot: snapshot,
                                    cursor: { Hex.encode(Array($0.dropFirst(prefix.count))) }) { key throws(QueryError) -> IdentitySummaryView? in
                guard let identity = try node.reader.stateValue(key: key, snapshot: snapshot)
                    .flatMap({ try? Identity(canonicalBytes: $0) }),
                    role.map({ identity.role == $0 }) ?? true,
                    organization.map({ identity.organization == $0 }) ?? true
                else { return nil }
                return IdentitySummaryView(identity)
            }
            return IdentityListResponse(height: snapshot.head.height.rawValue, identities: page.views, next: page.next)
        }
        return JSONResponse.make(response)
    }

    /// `GET /v1/contracts`: the native contracts, then the deployed WebAssembly contracts from the registry under
    /// `contract/` (read one with its proof at `GET /v1/contracts/{name}`).
    func contracts() throws -> Response {
        let prefix = DeployedContract.stateKey("")
        let response = try withFreshSnapshot { snapshot throws(QueryError) in
            let keys = try node.reader.stateKeys(prefix: prefix, after: nil, limit: Self.deployedContractsMax + 1)
            var views = ChainContracts.executor().contractNames.map { ContractSummaryView(native: $0) }
            for key in keys.prefix(Self.deployedContractsMax) {
                guard let record = try node.reader.stateValue(key: key, snapshot: snapshot)
                    .flatMap({ try? DeployedContract(canonicalBytes: $0) }) else { continue }
                views.append(ContractSummaryView(record))
            }
            return ContractListResponse(height: snapshot.head.height.rawValue, contracts: views,
                                        truncated: keys.count > Self.deployedContractsMax)
        }
        return JSONResponse.make(response)
    }

    /// `POST /v1/verify`: a proof file (`CIVICPROOF…` bytes) or an evidence receipt (JSON) in; whether its proof
    /// holds against this node's genesis out. A proof that does not hold is an answer (`valid: false` with the
    /// verifier's code); bytes that are neither form are refused with 400.
    func verify(_ request: Request) async throws -> Response {
        let body = try await collect(request, max: Self.verifyBodyBytesMax)
        let format: String
        let bytes: [UInt8]
        if body.starts(with: ProofFile.magic) {
            format = "proof_file"
            bytes = body
        } else if body.first == UInt8(ascii: "{") {
            do { bytes = try EvidenceReceiptFile.decode(body).contents().proof } catch {
                throw APIError(.badRequest, code: "verify.malformed", message: "The evidence receipt does not parse: \(error.description)")
            }
            format = "evidence_receipt"
        } else {
            throw APIError(.badRequest, code: "verify.malformed",
                           message: "The body must be a proof file (it starts with CIVICPROOF) or an evidence receipt (JSON).")
        }
        let file: ProofFile
        do { file = try ProofFile.decode(bytes) } catch {
            throw APIError(.badRequest, code: error.code, message: error.description)
        }
        let (kind, anchor, transactionHash): (String, CertifiedHeader, String?) = switch file {
        case .transaction(let proof): ("transaction", proof.anchor, proof.transaction.hash(suite: suite).hex)
        case .state(let proof): ("state", proof.anchor, nil)
        }
        let response: VerifyResponse
        do {
            let report = try OfflineVerifier.verify(bytes, genesis: node.genesis)
            response = VerifyResponse(valid: true, format: format, kind: report.kind, height: report.height,
                                      transactionHash: transactionHash, signers: report.signedBy,
                                      validatorSetIndex: report.validatorSetIndex, transitionsChecked: report.transitionsChecked,
                                      facts: report.facts, error: nil)
        } catch {
            response = VerifyResponse(valid: false, format: format, kind: kind, height: anchor.header.height.rawValue,
                                      transactionHash: transactionHash, signers: [], validatorSetIndex: nil,
                                      transitionsChecked: nil, facts: nil,
                                      error: ErrorBody.Detail(code: error.code, message: error.description))
        }
        return JSONResponse.make(response)
    }
}
