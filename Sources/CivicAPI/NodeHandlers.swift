import CivicCodec
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNetwork
import CivicNode
import Foundation
import Hummingbird

/// `GET /v1/node` and `GET /v1/node/refusals`: this node as its operator sees it (the console's operations page).
struct NodeHandlers: Sendable {
    /// How many of the newest committed blocks the validators' signing record covers.
    static let healthWindowBlocks: UInt64 = 50
    /// Most refusals one answer lists.
    static let refusalPageMax = 500
    /// Refusals one answer lists when `limit` is not given.
    static let refusalPageDefault = 100
    /// Longest `code` filter accepted, in bytes.
    static let refusalCodeBytesMax = 128

    let node: Node
    let description: NodeDescription
    let events: EventStreamSettings
    let timeStamps: TimeStampAuthority?

    /// `GET /v1/node`.
    func status() throws -> Response {
        let snapshot = node.snapshot
        let now = node.clock.now()
        let validators = snapshot.validators
        let ownKey = node.publicKey
        let ownIndex = validators.index(of: ownKey)
        let own = ownIndex.flatMap { validators.validator(at: $0) }
        let connected = Set(node.connectedPeers.map(\.rawRepresentation))
        let endpoints = description.peerEndpoints()
        let peers = validators.validators.enumerated().map { offset, validator in
            NodeStatusResponse.Peer(
                index: UInt32(offset), name: validator.name, organization: validator.organization,
                publicKey: Hex.encode(validator.publicKey.rawRepresentation), isSelf: UInt32(offset) == ownIndex,
                connected: connected.contains(validator.publicKey.rawRepresentation),
                endpoint: endpoints.first { $0.peer == validator.publicKey }.map { $0.endpoint.description })
        }
        let ledgerBytes: UInt64
        let health: NodeStatusResponse.Health
        do {
            ledgerBytes = try node.reader.storageBytes()
            health = try validatorHealth(head: snapshot.head.height, validators: validators)
        } catch { throw APIError(error) }
        var certificates = node.certificateStatus.map(\.certificate)
        if let timeStamps {
            certificates.append(MonitoredCertificate(name: "tsa", subject: timeStamps.certificate.subject,
                                                     notAfter: timeStamps.certificate.validity.notAfter))
        }
        let response = NodeStatusResponse(
            chainId: node.genesis.chainID, suite: node.genesis.suite.name, genesisHash: node.genesis.hash.hex,
            version: CivicVersion.current,
            node: .init(publicKey: Hex.encode(ownKey.rawRepresentation), address: Address(publicKey: ownKey).hex,
                        validatorIndex: ownIndex, name: own?.name, organization: own?.organization),
            startedAtMs: node.startedAt.milliseconds,
            uptimeMs: now.milliseconds - min(now.milliseconds, node.startedAt.milliseconds),
            height: snapshot.head.height.rawValue, headHash: snapshot.headHash.hex, headTimeMs: snapshot.head.time.milliseconds,
            mempoolTransactions: node.pendingCount, peers: peers,
            unidentifiedEndpoints: endpoints.filter { $0.peer == nil }.map { $0.endpoint.description },
            validatorHealth: health,
            certificates: certificates.map { Self.view($0, now: now) },
            storage: NodeStatusResponse.Storage(files: storedFiles(), ledgerBytes: ledgerBytes),
            eventStream: .init(subscribersMax: events.subscribersMax, heartbeatSeconds: events.heartbeat.components.seconds,
                               streamDurationSecondsMax: events.streamDurationMax?.components.seconds,
                               rangeHeightsMax: events.rangeHeightsMax, rangeEventsMax: events.rangeEventsMax))
        return JSONResponse.make(response)
    }

    /// `GET /v1/node/refusals?limit=&code=`.
    func refusals(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        let limit = try APIHandlers.limitParameter(query["limit"], fallback: Self.refusalPageDefault, maximum: Self.refusalPageMax)
        let code = query["code"].map(String.init)
        if let code, code.isEmpty || code.utf8.count > Self.refusalCodeBytesMax {
            throw APIError.invalid("code is a refusal code of 1 to \(Self.refusalCodeBytesMax) bytes, such as transaction.bad_signature.")
        }
        let log = node.refusals
        let response = RefusalListResponse(
            refusals: log.newest(limit: limit, code: code).map {
                .init(timeMs: $0.time.milliseconds, source: $0.source.rawValue, code: $0.code, message: $0.message, subject: $0.subject)
            },
            countsSinceStart: log.counts.sorted { $0.key < $1.key }.map { .init(code: $0.key, count: $0.value) },
            capacity: log.capacity)
        return JSONResponse.make(response)
    }

    /// How each validator in force signed the certificates of the newest ``healthWindowBlocks`` blocks. A signature
    /// is matched by key through the set in force at its block's height, so a validator keeps its record across
    /// validator-set changes.
    private func validatorHealth(head: Height, validators: ValidatorSet) throws(QueryError) -> NodeStatusResponse.Health {
        var signed: [[UInt8]: (count: Int, last: UInt64)] = [:]
        var blocks = 0
        var lowest: UInt64?
        var height = head.rawValue
        while height > 0, head.rawValue - height < Self.healthWindowBlocks {
            defer { height -= 1 }
            guard let certificate = try node.reader.certificate(at: Height(height)) else { continue }
            let inForce = try node.reader.validatorSet(at: Height(height))
            blocks += 1
            lowest = height
            for signature in certificate.signatures {
                guard let key = inForce.validator(at: signature.validatorIndex)?.publicKey.rawRepresentation else { continue }
                signed[key, default: (0, height)].count += 1
            }
        }
        return NodeStatusResponse.Health(
            blocks: blocks, fromHeight: lowest, toHeight: blocks > 0 ? head.rawValue : nil,
            validators: validators.validators.enumerated().map { offset, validator in
                let record = signed[validator.publicKey.rawRepresentation]
                return .init(index: UInt32(offset), name: validator.name, signed: record?.count ?? 0, lastSignedHeight: record?.last)
            })
    }

    /// The described files that exist now, with their sizes.
    private func storedFiles() -> [NodeStatusResponse.StoredFile] {
        description.files.compactMap { file in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
                  let size = (attributes[.size] as? NSNumber)?.uint64Value else { return nil }
            return .init(kind: file.kind, path: file.path, bytes: size)
        }
    }

    /// A watched certificate's view at `now`: `expired`, `expiring` (within the 30-day warning band), or `ok`.
    static func view(_ certificate: MonitoredCertificate, now: Timestamp) -> NodeStatusResponse.Certificate {
        let left = Int64(certificate.notAfter.milliseconds) - Int64(now.milliseconds)
        let status = switch certificate.warning(at: now) {
        case nil: "ok"
        case .expired: "expired"
        case .withinThirtyDays, .withinSevenDays, .withinOneDay: "expiring"
        }
        return .init(name: certificate.name, subject: certificate.subject, notAfterMs: certificate.notAfter.milliseconds,
                     secondsLeft: left / 1000, status: status)
    }
}
