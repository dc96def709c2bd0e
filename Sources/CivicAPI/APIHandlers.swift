import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird
import Prometheus

/// The request handlers behind ``CivicAPI/router(node:metrics:)``.
struct APIHandlers: Sendable {
    let node: Node
    let metrics: PrometheusCollectorRegistry?

    var suite: CryptoSuite { node.genesis.suite }

    func health() -> Response {
        let snapshot = node.snapshot
        return JSONResponse.make(["status": "ok", "height": String(snapshot.head.height.rawValue)])
    }

    func metricsText() -> Response {
        let text = metrics?.emitToBuffer() ?? []
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }

    func openAPI() throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let data = try? Data(contentsOf: url) else {
            throw APIError(.internalServerError, code: "api.openapi_missing", message: "The OpenAPI document is missing from this build.")
        }
        return Response(status: .ok, headers: [.contentType: "application/yaml"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    func chainInfo() -> Response {
        let snapshot = node.snapshot
        let genesis = node.genesis
        let info = ChainInfoResponse(
            chainId: genesis.chainID, suite: genesis.suite.name, genesisHash: genesis.hash.hex,
            height: snapshot.head.height.rawValue, headHash: snapshot.headHash.hex, headTimeMs: snapshot.head.time.milliseconds,
            stateRoot: snapshot.head.stateRoot.hex,
            validators: snapshot.validators.validators.map {
                .init(name: $0.name, organization: $0.organization, publicKey: Hex.encode($0.publicKey.rawRepresentation), power: $0.power)
            },
            blockTransactionsMax: snapshot.parameters.blockTransactionsMax,
            blockIntervalMs: snapshot.parameters.blockIntervalMilliseconds,
            pendingTransactions: node.pendingCount, contracts: ChainContracts.executor().contractNames,
            version: CivicVersion.current, validatorIndex: node.validatorIndex,
            connectedPeers: node.connectedPeers.map { key in
                snapshot.validators.index(of: key).flatMap { snapshot.validators.validator(at: $0)?.name } ?? "\(Address(publicKey: key))"
            }.sorted(),
            certificates: node.certificateStatus.map { entry in
                .init(name: entry.certificate.name, subject: entry.certificate.subject,
                      notAfterMs: entry.certificate.notAfter.milliseconds, warning: entry.warning.map { "\($0)" })
            })
        return JSONResponse.make(info)
    }

    func transaction(_ hashText: String) throws -> Response {
        let proof = try transactionProof(hashText)
        let validators: ValidatorSet
        do { validators = try node.reader.validatorSet(at: proof.anchor.header.height) } catch { throw APIError(error) }
        let response = TransactionResponse(
            transaction: TransactionView(proof.transaction, suite: suite), receipt: ReceiptView(proof.receipt),
            header: HeaderView(proof.anchor.header, suite: suite),
            certificate: CertificateView(proof.anchor.certificate, validators: validators),
            index: proof.transactionPath.leafIndex, proof: ProofFile.transaction(proof).base64)
        return JSONResponse.make(response)
    }

    func transactionProofFile(_ hashText: String) throws -> Response {
        let bytes = ProofFile.transaction(try transactionProof(hashText)).canonicalBytes
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The proof of the committed transaction whose hash is `hashText`.
    /// - Throws: ``APIError`` when the hash is malformed or the transaction is not committed.
    func transactionProof(_ hashText: String) throws -> TransactionProof {
        let hash = try parseHash(hashText, what: "transaction hash")
        do { return try node.reader.transactionProof(hash) } catch { throw APIError(error) }
    }

    func block(_ id: String) throws -> Response {
        let found: (block: Block, certificate: CommitCertificate?)
        do {
            if let height = UInt64(id) {
                found = try node.reader.block(at: Height(height))
            } else {
                found = try node.reader.block(hash: try parseHash(id, what: "block height or hash"))
            }
        } catch let error as QueryError { throw APIError(error) }
        let receipts: [Receipt]
        do { receipts = try node.reader.receipts(at: found.block.header.height) } catch { throw APIError(error) }
        let validators: ValidatorSet
        do { validators = try node.reader.validatorSet(at: found.block.header.height) } catch { throw APIError(error) }
        let response = BlockResponse(
            header: HeaderView(found.block.header, suite: suite),
            certificate: found.certificate.map { CertificateView($0, validators: validators) },
            transactions: found.block.transactions.map { TransactionView($0, suite: suite) },
            receipts: receipts.map(ReceiptView.init))
        return JSONResponse.make(response)
    }

    func state(keyHex: String) throws -> Response {
        guard let key = Hex.decode(keyHex), !key.isEmpty else { throw APIError.invalid("The state key must be non-empty hexadecimal.") }
        return try stateResponse(key: key)
    }

    func evidence(algorithm: String, fingerprint: String) throws -> Response {
        guard let algorithm = FingerprintAlgorithm(name: algorithm) else {
            throw APIError.invalid("The fingerprint algorithm must be 'sm3' or 'sha256'.")
        }
        let digest = try parseHash(fingerprint, what: "fingerprint")
        return try stateResponse(key: EvidenceRecord.stateKey(algorithm: algorithm, fingerprint: digest))
    }

    func identity(_ addressText: String) throws -> Response {
        guard let address = Address(hex: addressText) else { throw APIError.invalid("An address is 40 hexadecimal digits.") }
        return try stateResponse(key: Identity.stateKey(address))
    }

    func keyValue(address addressText: String, keyHex: String) throws -> Response {
        guard let address = Address(hex: addressText) else { throw APIError.invalid("An address is 40 hexadecimal digits.") }
        guard let key = Hex.decode(keyHex), !key.isEmpty else { throw APIError.invalid("The key must be non-empty hexadecimal.") }
        return try stateResponse(key: KeyValueContract.stateKey(owner: address, key: key))
    }

    /// A state entry with its proof.
    private func stateResponse(key: [UInt8]) throws -> Response {
        let entry = try withFreshSnapshot { snapshot throws(QueryError) in
            try stateEntry(key: key, snapshot: snapshot)
        }
        return JSONResponse.make(entry)
    }

    /// The entry under `key` at `snapshot`, with its proof and its value in words.
    func stateEntry(key: [UInt8], snapshot: ChainSnapshot) throws(QueryError) -> StateResponse {
        let proof = try node.reader.stateProof(key: key, snapshot: snapshot)
        return StateResponse(
            key: Hex.encode(key), present: proof.value != nil, value: proof.value.map { Hex.encode($0) },
            decoded: proof.value.flatMap { StateDescription.describe(key: key, value: $0) },
            height: snapshot.head.height.rawValue, stateRoot: snapshot.head.stateRoot.hex,
            proof: ProofFile.state(proof).base64)
    }

    /// Runs `body` on the latest snapshot; starts again when a block lands while the answer is assembled.
    func withFreshSnapshot<T>(_ body: (ChainSnapshot) throws(QueryError) -> T) throws(APIError) -> T {
        var attempt = 0
        while true {
            do {
                return try body(node.snapshot)
            } catch .stale where attempt < 5 {
                attempt += 1
            } catch {
                throw APIError(error)
            }
        }
    }

    func parseHash(_ text: String, what: String) throws -> Hash256 {
        guard let bytes = Hex.decode(text), let hash = Hash256(validating: bytes) else {
            throw APIError.invalid("The \(what) must be 64 hexadecimal digits.")
        }
        return hash
    }
}
