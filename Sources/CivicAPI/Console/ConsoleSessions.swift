import CivicContracts
import CivicCrypto
import CivicLedger
import Foundation
import Synchronization

/// Who signed in to the console, and the challenges they answered (Docs/0017, "Sign-in").
///
/// A person proves they hold an identity's key by signing a fresh challenge; the node then hands out a random session
/// token that the page keeps in memory and sends as `Authorization: Bearer`. The token never appears in a URL or a
/// cookie, so another site cannot make a browser use it (no cross-site request forgery), and it authorizes nothing on
/// the chain: every write is still a transaction the person signs in the page. Challenges are single-use and expire
/// after two minutes; sessions end after 30 idle minutes, 12 hours in all, or on sign-out.
final class ConsoleSessions: Sendable {
    /// Domain tag in front of a signed challenge, so a sign-in signature can never be read as a transaction or a vote.
    static let signInDomain = Array("CivicLedger/console-sign-in/v1".utf8)
    /// How long a challenge may be answered, in milliseconds.
    static let challengeLifetimeMilliseconds: UInt64 = 2 * 60 * 1000
    /// How long a session lives without being used, in milliseconds.
    static let idleMilliseconds: UInt64 = 30 * 60 * 1000
    /// How long a session lives at most, in milliseconds.
    static let lifetimeMilliseconds: UInt64 = 12 * 60 * 60 * 1000
    /// Most challenges outstanding at once; beyond it the oldest are forgotten.
    static let challengesMax = 1024
    /// Most sessions open at once; beyond it the least recently used is ended.
    static let sessionsMax = 4096

    /// A signed-in person.
    struct Session: Sendable {
        /// Their identity as registered on chain when they signed in.
        let identity: Identity
        /// When the session began.
        let startedAt: UInt64
        /// When it was last used.
        var usedAt: UInt64
    }

    private struct State {
        var challenges: [String: UInt64] = [:]
        var sessions: [String: Session] = [:]
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> UInt64

    /// Creates an empty store; `clock` gives milliseconds since the Unix epoch.
    init(clock: @escaping @Sendable () -> UInt64) {
        self.clock = clock
    }

    /// A fresh challenge (32 random bytes, base64) and when it expires.
    func challenge() -> (challenge: String, expiresAt: UInt64) {
        let text = ConsoleSessions.randomToken()
        let now = clock()
        let expiresAt = now + ConsoleSessions.challengeLifetimeMilliseconds
        state.withLock { state in
            state.challenges = state.challenges.filter { $0.value > now }
            if state.challenges.count >= ConsoleSessions.challengesMax,
               let oldest = state.challenges.min(by: { $0.value < $1.value })?.key {
                state.challenges[oldest] = nil
            }
            state.challenges[text] = expiresAt
        }
        return (text, expiresAt)
    }

    /// The bytes a person signs to answer `challenge` on chain `chainID`.
    static func signInBytes(chainID: String, challenge: String) -> [UInt8] {
        signInDomain + Array(chainID.utf8) + [0] + Array(challenge.utf8)
    }

    /// Opens a session for the holder of `publicKey` if `signature` answers an outstanding `challenge` and `lookup`
    /// finds an active identity for the key. The challenge is used up whatever the outcome.
    /// - Throws: ``ConsoleError`` naming what failed.
    func signIn(chainID: String, publicKey: PublicKey, challenge: String, signature: Signature,
                lookup: (Address) -> Identity?) throws(ConsoleError) -> (token: String, session: Session) {
        let now = clock()
        let expiresAt = state.withLock { $0.challenges.removeValue(forKey: challenge) }
        guard let expiresAt, expiresAt > now else { throw .unknownChallenge }
        guard publicKey.isValidSignature(signature, for: ConsoleSessions.signInBytes(chainID: chainID, challenge: challenge)) else {
            throw .badSignature
        }
        guard let identity = lookup(Address(publicKey: publicKey)), identity.publicKey == publicKey else {
            throw .unknownIdentity
        }
        guard identity.active else { throw .inactiveIdentity }
        let token = ConsoleSessions.randomToken()
        let session = Session(identity: identity, startedAt: now, usedAt: now)
        state.withLock { state in
            if state.sessions.count >= ConsoleSessions.sessionsMax,
               let stalest = state.sessions.min(by: { $0.value.usedAt < $1.value.usedAt })?.key {
                state.sessions[stalest] = nil
            }
            state.sessions[token] = session
        }
        return (token, session)
    }

    /// The session of an `Authorization: Bearer <token>` header, marked as used now.
    /// - Throws: ``ConsoleError/notSignedIn`` without a header or for an unknown or ended session.
    func session(authorization: String?) throws(ConsoleError) -> Session {
        guard let token = ConsoleSessions.token(authorization) else { throw .notSignedIn }
        let now = clock()
        let session: Session? = state.withLock { state in
            guard var session = state.sessions[token] else { return nil }
            guard now < session.usedAt + ConsoleSessions.idleMilliseconds,
                  now < session.startedAt + ConsoleSessions.lifetimeMilliseconds else {
                state.sessions[token] = nil
                return nil
            }
            session.usedAt = now
            state.sessions[token] = session
            return session
        }
        guard let session else { throw .notSignedIn }
        return session
    }

    /// Ends the session of `authorization`, if there is one.
    func signOut(authorization: String?) {
        guard let token = ConsoleSessions.token(authorization) else { return }
        state.withLock { _ = $0.sessions.removeValue(forKey: token) }
    }

    /// The token of a `Bearer` authorization header.
    static func token(_ authorization: String?) -> String? {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        let token = String(authorization.dropFirst("Bearer ".count))
        return token.isEmpty ? nil : token
    }

    /// 32 random bytes from the system's generator, base64url without padding.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
