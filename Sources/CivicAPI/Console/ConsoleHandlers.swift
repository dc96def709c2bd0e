import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import CivicNode
import Foundation
import Hummingbird

/// The console's API (Docs/0017): sign-in with a key, the session, and transactions prepared for the person to sign.
struct ConsoleHandlers: Sendable {
    /// Largest body of a prepare request (a contract's code travels in it, base64).
    static let prepareBodyBytesMax = 8 * 1024 * 1024

    let handlers: APIHandlers
    let sessions: ConsoleSessions

    private var node: Node { handlers.node }

    /// `POST /v1/console/challenge`.
    func challenge() -> Response {
        let (challenge, expiresAt) = sessions.challenge()
        return JSONResponse.make(ConsoleChallengeResponse(challenge: challenge, chainId: node.genesis.chainID,
                                                          suite: node.genesis.suite.name, expiresAtMs: expiresAt))
    }

    /// `POST /v1/console/session`: answers a challenge and opens a session.
    func signIn(_ request: Request) async throws -> Response {
        let body = try await handlers.collect(request, max: 4096)
        guard let answer = try? JSONFormat.decoder.decode(ConsoleSignInRequest.self, from: Data(body)) else {
            throw APIError(.badRequest, code: "request.invalid_json",
                           message: "The body must be {\"public_key\", \"challenge\", \"signature\"}.")
        }
        guard let keyBytes = Hex.decode(answer.publicKey),
              let publicKey = try? PublicKey(suite: node.genesis.suite, rawRepresentation: keyBytes) else {
            throw APIError(.badRequest, code: "console.invalid_key",
                           message: "'public_key' must be the 65-byte uncompressed point of a \(node.genesis.suite.name) key, in hex.")
        }
        guard let signatureBytes = Hex.decode(answer.signature),
              let signature = try? Signature(rawRepresentation: signatureBytes) else {
            throw APIError(.badRequest, code: "console.invalid_signature", message: "'signature' must be 64 bytes (r||s) in hex.")
        }
        do {
            let (token, session) = try sessions.signIn(chainID: node.genesis.chainID, publicKey: publicKey,
                                                       challenge: answer.challenge, signature: signature,
                                                       lookup: identity)
            return JSONResponse.make(view(session, token: token))
        } catch {
            throw error.apiError
        }
    }

    /// `GET /v1/console/session`: who is signed in.
    func current(_ request: Request) throws -> Response {
        JSONResponse.make(view(try session(request), token: nil))
    }

    /// `DELETE /v1/console/session`: signs out.
    func signOut(_ request: Request) -> Response {
        sessions.signOut(authorization: request.headers[.authorization])
        return Response(status: .noContent)
    }

    /// `POST /v1/console/prepare`: the unsigned transactions of an action, for the signed-in person to sign.
    func prepare(_ request: Request) async throws -> Response {
        let session = try session(request)
        let body = try await handlers.collect(request, max: ConsoleHandlers.prepareBodyBytesMax)
        let suite = node.genesis.suite
        let now = node.clock.now()
        do {
            let envelope = try ConsoleArguments(json: Data(body))
            let action = try envelope.string("action")
            guard let build = ConsoleActions.all[action] else { throw ConsoleError.unknownAction(action) }
            let context = ConsoleActions.Context(suite: suite, now: now.milliseconds, hasCode: hasCode)
            let calls = try build(try envelope.object("arguments"), context)
            let expiresAt = Timestamp(milliseconds: now.milliseconds + TransactionBuilder.defaultLifetimeMilliseconds)
            let prepared = calls.map { call in
                let transaction = TransactionBody(chainID: node.genesis.chainID, signer: session.identity.publicKey,
                                                  nonce: UInt64.random(in: .min ... .max), expiresAt: expiresAt, call: call)
                let signBytes = Transaction.signBytes(of: transaction)
                return ConsolePreparedResponse.Prepared(
                    body: Data(transaction.canonicalBytes).base64EncodedString(),
                    signBytes: Data(signBytes).base64EncodedString(), hash: suite.hash(signBytes).hex,
                    contract: call.contract, method: call.method, description: CallDescription.describe(call))
            }
            return JSONResponse.make(ConsolePreparedResponse(action: action, transactions: prepared,
                                                             expiresAtMs: expiresAt.milliseconds))
        } catch let error as ConsoleError {
            throw error.apiError
        }
    }

    private func session(_ request: Request) throws -> ConsoleSessions.Session {
        do { return try sessions.session(authorization: request.headers[.authorization]) } catch { throw error.apiError }
    }

    private func view(_ session: ConsoleSessions.Session, token: String?) -> ConsoleSessionResponse {
        let identity = session.identity
        return ConsoleSessionResponse(token: token, address: Address(publicKey: identity.publicKey).hex, name: identity.name,
                                      organization: identity.organization, role: identity.role.name,
                                      publicKey: Hex.encode(identity.publicKey.rawRepresentation),
                                      startedAtMs: session.startedAt)
    }

    private func identity(_ address: Address) -> Identity? {
        (try? stateValue(Identity.stateKey(address))).flatMap { $0 }.flatMap { try? Identity(canonicalBytes: $0) }
    }

    private func hasCode(_ hash: Hash256) -> Bool {
        ((try? stateValue(CodeContract.recordKey(hash))) ?? nil) != nil
    }

    private func stateValue(_ key: [UInt8]) throws -> [UInt8]? {
        try handlers.withFreshSnapshot { snapshot throws(QueryError) in try node.reader.stateProof(key: key, snapshot: snapshot).value }
    }
}
