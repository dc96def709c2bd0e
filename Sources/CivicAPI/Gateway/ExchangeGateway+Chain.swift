import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicNode

/// The committed state the gateway checks a fetch against: the node's latest snapshot.
struct ChainView {
    let node: Node
    /// The latest committed block time: grants are judged at it.
    let time: Timestamp

    init(node: Node) throws(GatewayError) {
        self.node = node
        let snapshot = node.snapshot
        guard snapshot.certificate != nil else {
            throw GatewayError(.chainUnavailable, "The node has no committed block yet, so no grant can be checked.")
        }
        time = snapshot.head.time
    }

    /// The committed value under a full state key (retried when a block lands during the read).
    func value(_ key: [UInt8]) throws(GatewayError) -> [UInt8]? {
        var attempt = 0
        while true {
            do {
                return try node.reader.stateProof(key: key, snapshot: node.snapshot).value
            } catch .stale where attempt < 5 {
                attempt += 1
            } catch {
                throw GatewayError(.chainUnavailable, "The node could not read its state: \(error.description)")
            }
        }
    }

    func identity(_ address: Address) -> Identity? {
        (try? value(Identity.stateKey(address))).flatMap { $0 }.flatMap { try? Identity(canonicalBytes: $0) }
    }

    func resource(_ id: String) -> DataResource? {
        (try? value(Self.catalog + DataResource.key(id))).flatMap { $0 }.flatMap { try? DataResource(canonicalBytes: $0) }
    }

    func grant(_ number: UInt64) -> ShareRequest? {
        (try? value(Self.catalog + ShareRequest.key(number))).flatMap { $0 }.flatMap { try? ShareRequest(canonicalBytes: $0) }
    }

    /// The catalog contract's namespace.
    static let catalog = Array("catalog/".utf8)
}

/// One fetch past the signer checks: who asks, for what resource.
struct Attempt {
    let request: FetchRequest
    let consumer: Address
    let organization: String
    let resource: DataResource

    /// The grant checks, in order: exists for this resource, not revoked, not expired at `time`, held by the
    /// signer's department, covers every field asked for and filtered on.
    func check(_ grant: ShareRequest?, at time: Timestamp) throws(GatewayError) -> ShareRequest {
        guard let grant, grant.draft.resource == request.resource, grant.status == .granted || grant.status == .revoked else {
            throw GatewayError(.noGrant, "There is no grant \(request.grant) of '\(request.resource)'.")
        }
        guard grant.status != .revoked else {
            throw GatewayError(.grantRevoked, "Grant \(grant.id) was revoked by \(grant.provider).")
        }
        guard grant.isActive(at: time) else {
            throw GatewayError(.grantExpired, "Grant \(grant.id) expired at \(grant.expiresAt.milliseconds) ms (block time \(time.milliseconds) ms).")
        }
        guard grant.consumer == organization else {
            throw GatewayError(.wrongConsumer, "Grant \(grant.id) is held by \(grant.consumer), not by \(organization).")
        }
        let granted = Set(grant.draft.fields)
        if let field = (request.fields + request.filter.map(\.field)).first(where: { !granted.contains($0) }) {
            throw GatewayError(.fieldNotGranted, "Grant \(grant.id) does not cover the field '\(field)'.")
        }
        return grant
    }

    /// The fields to serve: those asked for, or every field of the grant.
    func fields(of grant: ShareRequest) -> [String] { request.fields.isEmpty ? grant.draft.fields : request.fields }
}

/// A committed access record.
struct Recorded {
    let access: UInt64
    let hash: Hash256
    let height: Height
}

/// Why an access record is not on chain.
enum RecordFailure: Error {
    /// The chain refused a served report: no active grant covers it (it ended since the gateway looked).
    case notGranted
    /// Anything else: refused at admission, dropped, not committed in time.
    case failed(String)
}

extension ExchangeGateway {
    /// Signs `catalog.record_access(report)` with the gateway key, submits it to this node and waits for its
    /// commit; returns the access number from the receipt.
    func record(_ report: AccessReport) async throws(RecordFailure) -> Recorded {
        let body = TransactionBody(
            chainID: node.genesis.chainID, signer: configuration.key.publicKey, nonce: UInt64.random(in: .min ... .max),
            expiresAt: Timestamp(milliseconds: clock.now().milliseconds + Self.recordLifetimeMilliseconds),
            call: ContractCall(contract: "catalog", method: "record_access", arguments: report))
        let transaction: Transaction
        do { transaction = try Transaction(signing: body, with: configuration.key) } catch {
            throw .failed("the gateway key cannot sign: \(error.description)")
        }
        let hash: Hash256
        let outcome: CommitOutcome
        do { (hash, outcome) = try await node.submitAndWait(transaction.canonicalBytes, timeout: Self.recordWait) } catch {
            if case .rejected(let failure) = error, failure.code == "catalog.access_not_granted" { throw .notGranted }
            throw .failed(error.description)
        }
        switch outcome {
        case .committed(let height, _, let receipt):
            switch receipt.status {
            case .success:
                guard let access = try? UInt64(canonicalBytes: receipt.returnData) else {
                    throw .failed("the receipt of \(hash.hex) holds no access number")
                }
                return Recorded(access: access, hash: hash, height: height)
            case .failure(let code, _) where code == "catalog.access_not_granted":
                throw .notGranted
            case .failure(let code, let message):
                throw .failed("\(code): \(message)")
            }
        case .dropped(let error):
            throw .failed("the record was dropped: \(error.description)")
        case .timedOut:
            throw .failed("the record \(hash.hex) was not committed within \(Self.recordWait); it may still be")
        }
    }
}
