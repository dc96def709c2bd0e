/// This node's status for an operator (`GET /v1/node`): who it is, how long it has run, where the chain is, its
/// peers, the validators' signing record, its certificates and its files.
public struct NodeStatusResponse: Codable, Sendable, Equatable {
    /// Who this node is.
    public struct Identity: Codable, Sendable, Equatable {
        /// Its key, hex.
        public var publicKey: String
        /// Its key's address, hex.
        public var address: String
        /// Its index in the validator set in force, if it is a validator.
        public var validatorIndex: UInt32?
        /// Its validator name, if it is a validator.
        public var name: String?
        /// Its validator's organization, if it is a validator.
        public var organization: String?

        /// Creates a value.
        public init(publicKey: String, address: String, validatorIndex: UInt32?, name: String?, organization: String?) {
            self.publicKey = publicKey
            self.address = address
            self.validatorIndex = validatorIndex
            self.name = name
            self.organization = organization
        }
    }

    /// A validator of the set in force, as a peer of this node.
    public struct Peer: Codable, Sendable, Equatable {
        /// Index in the validator set in force.
        public var index: UInt32
        /// The validator's name.
        public var name: String
        /// Its organization.
        public var organization: String
        /// Its key, hex.
        public var publicKey: String
        /// Whether it is this node.
        public var isSelf: Bool
        /// Whether a peer link to it is open now (always false for this node itself).
        public var connected: Bool
        /// The configured p2p endpoint (HOST:PORT) this node dials it at, once a link through it identified it.
        public var endpoint: String?

        /// Creates a value.
        public init(index: UInt32, name: String, organization: String, publicKey: String, isSelf: Bool, connected: Bool,
                    endpoint: String?) {
            self.index = index
            self.name = name
            self.organization = organization
            self.publicKey = publicKey
            self.isSelf = isSelf
            self.connected = connected
            self.endpoint = endpoint
        }
    }

    /// How a validator of the set in force signed the recent commit certificates.
    public struct ValidatorHealth: Codable, Sendable, Equatable {
        /// Index in the validator set in force.
        public var index: UInt32
        /// The validator's name.
        public var name: String
        /// How many certificates of the window it signed.
        public var signed: Int
        /// The height of the newest certificate in the window it signed.
        public var lastSignedHeight: UInt64?

        /// Creates a value.
        public init(index: UInt32, name: String, signed: Int, lastSignedHeight: UInt64?) {
            self.index = index
            self.name = name
            self.signed = signed
            self.lastSignedHeight = lastSignedHeight
        }
    }

    /// The signing record over the newest committed blocks.
    public struct Health: Codable, Sendable, Equatable {
        /// How many certified blocks the window holds (at most the window size; fewer on a young chain).
        public var blocks: Int
        /// The lowest height in the window (absent when no block is certified yet).
        public var fromHeight: UInt64?
        /// The highest height in the window.
        public var toHeight: UInt64?
        /// One entry per validator of the set in force.
        public var validators: [ValidatorHealth]

        /// Creates a value.
        public init(blocks: Int, fromHeight: UInt64?, toHeight: UInt64?, validators: [ValidatorHealth]) {
            self.blocks = blocks
            self.fromHeight = fromHeight
            self.toHeight = toHeight
            self.validators = validators
        }
    }

    /// A certificate the node depends on.
    public struct Certificate: Codable, Sendable, Equatable {
        /// What it is for: `tls` (peer transport), `tsa` (time-stamp authority)…
        public var name: String
        /// Its subject.
        public var subject: String
        /// The end of its validity, ms since the Unix epoch.
        public var notAfterMs: UInt64
        /// Seconds until then (negative once expired).
        public var secondsLeft: Int64
        /// `ok`, `expiring` (less than 30 days left) or `expired`.
        public var status: String

        /// Creates a value.
        public init(name: String, subject: String, notAfterMs: UInt64, secondsLeft: Int64, status: String) {
            self.name = name
            self.subject = subject
            self.notAfterMs = notAfterMs
            self.secondsLeft = secondsLeft
            self.status = status
        }
    }

    /// A file the node keeps.
    public struct StoredFile: Codable, Sendable, Equatable {
        /// What it holds: `ledger`, `trail`, `consensus`, `gateway`…
        public var kind: String
        /// Its path.
        public var path: String
        /// Its size in bytes.
        public var bytes: UInt64

        /// Creates a value.
        public init(kind: String, path: String, bytes: UInt64) {
            self.kind = kind
            self.path = path
            self.bytes = bytes
        }
    }

    /// The node's files and their total size.
    public struct Storage: Codable, Sendable, Equatable {
        /// The files that exist now.
        public var files: [StoredFile]
        /// Their total size in bytes.
        public var totalBytes: UInt64
        /// What the ledger store reports it uses, in bytes (the only figure for a store without files).
        public var ledgerBytes: UInt64

        /// Creates a value; the total is the files' sum.
        public init(files: [StoredFile], ledgerBytes: UInt64) {
            self.files = files
            totalBytes = files.reduce(0) { $0 + $1.bytes }
            self.ledgerBytes = ledgerBytes
        }
    }

    /// The limits of the event endpoints.
    public struct EventStream: Codable, Sendable, Equatable {
        /// Most streams open at once.
        public var subscribersMax: Int
        /// Seconds of silence before a heartbeat comment.
        public var heartbeatSeconds: Int64
        /// Longest a stream stays open, in seconds, if limited.
        public var streamDurationSecondsMax: Int64?
        /// Most blocks one range request reads.
        public var rangeHeightsMax: Int
        /// Most events one range request returns.
        public var rangeEventsMax: Int

        /// Creates a value.
        public init(subscribersMax: Int, heartbeatSeconds: Int64, streamDurationSecondsMax: Int64?, rangeHeightsMax: Int,
                    rangeEventsMax: Int) {
            self.subscribersMax = subscribersMax
            self.heartbeatSeconds = heartbeatSeconds
            self.streamDurationSecondsMax = streamDurationSecondsMax
            self.rangeHeightsMax = rangeHeightsMax
            self.rangeEventsMax = rangeEventsMax
        }
    }

    /// The chain id.
    public var chainId: String
    /// `sm` or `intl`.
    public var suite: String
    /// The hash of the genesis block, hex.
    public var genesisHash: String
    /// The software version.
    public var version: String
    /// Who this node is.
    public var node: Identity
    /// When the node started, ms since the Unix epoch.
    public var startedAtMs: UInt64
    /// How long it has run, in ms.
    public var uptimeMs: UInt64
    /// The committed height.
    public var height: UInt64
    /// The head block's hash, hex.
    public var headHash: String
    /// The head block's time, ms since the Unix epoch.
    public var headTimeMs: UInt64
    /// Transactions waiting in the mempool.
    public var mempoolTransactions: Int
    /// Every validator of the set in force, as a peer.
    public var peers: [Peer]
    /// Configured p2p endpoints whose peer is not identified yet (no link through them has opened).
    public var unidentifiedEndpoints: [String]
    /// Who signed the newest commit certificates.
    public var validatorHealth: Health
    /// The certificates the node depends on.
    public var certificates: [Certificate]
    /// The node's files.
    public var storage: Storage
    /// The event endpoints' limits.
    public var eventStream: EventStream

    /// Creates a value.
    public init(chainId: String, suite: String, genesisHash: String, version: String, node: Identity, startedAtMs: UInt64,
                uptimeMs: UInt64, height: UInt64, headHash: String, headTimeMs: UInt64, mempoolTransactions: Int,
                peers: [Peer], unidentifiedEndpoints: [String], validatorHealth: Health, certificates: [Certificate],
                storage: Storage, eventStream: EventStream) {
        self.chainId = chainId
        self.suite = suite
        self.genesisHash = genesisHash
        self.version = version
        self.node = node
        self.startedAtMs = startedAtMs
        self.uptimeMs = uptimeMs
        self.height = height
        self.headHash = headHash
        self.headTimeMs = headTimeMs
        self.mempoolTransactions = mempoolTransactions
        self.peers = peers
        self.unidentifiedEndpoints = unidentifiedEndpoints
        self.validatorHealth = validatorHealth
        self.certificates = certificates
        self.storage = storage
        self.eventStream = eventStream
    }
}

/// The newest refusals this node made (`GET /v1/node/refusals`).
public struct RefusalListResponse: Codable, Sendable, Equatable {
    /// One refusal.
    public struct Entry: Codable, Sendable, Equatable {
        /// When, ms since the Unix epoch.
        public var timeMs: UInt64
        /// Where: `admission`, `peer_message`, `block`, `signer` or `gateway`.
        public var source: String
        /// The stable code.
        public var code: String
        /// The sentence explaining it.
        public var message: String
        /// What it concerned, when known (a peer, a block height, a resource).
        public var subject: String?

        /// Creates a value.
        public init(timeMs: UInt64, source: String, code: String, message: String, subject: String?) {
            self.timeMs = timeMs
            self.source = source
            self.code = code
            self.message = message
            self.subject = subject
        }
    }

    /// How many refusals of one code the node made since it started.
    public struct CodeCount: Codable, Sendable, Equatable {
        /// The stable code.
        public var code: String
        /// How many, including those no longer kept.
        public var count: UInt64

        /// Creates a value.
        public init(code: String, count: UInt64) {
            self.code = code
            self.count = count
        }
    }

    /// The newest refusals kept, newest first (filtered by code when asked).
    public var refusals: [Entry]
    /// Refusals by code since the node started, in code order (every code, whatever the filter).
    public var countsSinceStart: [CodeCount]
    /// How many refusals the node keeps.
    public var capacity: Int

    /// Creates a value.
    public init(refusals: [Entry], countsSinceStart: [CodeCount], capacity: Int) {
        self.refusals = refusals
        self.countsSinceStart = countsSinceStart
        self.capacity = capacity
    }
}
