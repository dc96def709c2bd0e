/// A sign-in challenge (`POST /v1/console/challenge`): the page signs
/// `"CivicLedger/console-sign-in/v1" || chain id || 0x00 || challenge` (the challenge's text as UTF-8).
public struct ConsoleChallengeResponse: Codable, Sendable, Equatable {
    /// 43 characters of base64url.
    public var challenge: String
    /// The chain the signature is bound to.
    public var chainId: String
    /// The chain's suite, which the key must use.
    public var suite: String
    /// The challenge may be answered until then, in milliseconds since the Unix epoch.
    public var expiresAtMs: UInt64

    /// Creates a value.
    public init(challenge: String, chainId: String, suite: String, expiresAtMs: UInt64) {
        self.challenge = challenge
        self.chainId = chainId
        self.suite = suite
        self.expiresAtMs = expiresAtMs
    }
}

/// The answer to a challenge (`POST /v1/console/session`).
public struct ConsoleSignInRequest: Codable, Sendable, Equatable {
    /// The 65-byte uncompressed public key, 130 hexadecimal digits.
    public var publicKey: String
    /// The challenge answered.
    public var challenge: String
    /// The signature `r || s`, 128 hexadecimal digits.
    public var signature: String

    /// Creates a value.
    public init(publicKey: String, challenge: String, signature: String) {
        self.publicKey = publicKey
        self.challenge = challenge
        self.signature = signature
    }
}

/// A signed-in person (`POST` and `GET /v1/console/session`).
public struct ConsoleSessionResponse: Codable, Sendable, Equatable {
    /// The session token, sent back as `Authorization: Bearer`; only in the answer to sign-in.
    public var token: String?
    /// The identity's address.
    public var address: String
    /// Its name.
    public var name: String
    /// Its organization.
    public var organization: String
    /// Its role.
    public var role: String
    /// Its public key, 130 hexadecimal digits.
    public var publicKey: String
    /// When the session began, in milliseconds since the Unix epoch.
    public var startedAtMs: UInt64

    /// Creates a value.
    public init(token: String?, address: String, name: String, organization: String, role: String, publicKey: String,
                startedAtMs: UInt64) {
        self.token = token
        self.address = address
        self.name = name
        self.organization = organization
        self.role = role
        self.publicKey = publicKey
        self.startedAtMs = startedAtMs
    }
}

/// Transactions prepared for the signed-in person to sign in the page (`POST /v1/console/prepare`).
public struct ConsolePreparedResponse: Codable, Sendable, Equatable {
    /// One transaction to sign.
    public struct Prepared: Codable, Sendable, Equatable {
        /// The canonical transaction body, base64; the signed transaction is these bytes followed by the 64-byte
        /// signature.
        public var body: String
        /// The bytes to sign, base64: `"CivicLedger/tx/v1" || body`.
        public var signBytes: String
        /// The transaction's hash, hex.
        public var hash: String
        /// The contract called.
        public var contract: String
        /// The method called.
        public var method: String
        /// The call's arguments in words, where the console knows them.
        public var description: [String: String]?

        /// Creates a value.
        public init(body: String, signBytes: String, hash: String, contract: String, method: String,
                    description: [String: String]?) {
            self.body = body
            self.signBytes = signBytes
            self.hash = hash
            self.contract = contract
            self.method = method
            self.description = description
        }
    }

    /// The action prepared.
    public var action: String
    /// Its transactions, to be signed and submitted in order.
    public var transactions: [Prepared]
    /// They must be committed before then, in milliseconds since the Unix epoch.
    public var expiresAtMs: UInt64

    /// Creates a value.
    public init(action: String, transactions: [Prepared], expiresAtMs: UInt64) {
        self.action = action
        self.transactions = transactions
        self.expiresAtMs = expiresAtMs
    }
}
