import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import Foundation

/// The body of every refused request: `{"error": {"code": …, "message": …}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// A stable code and a sentence.
    public struct Detail: Codable, Sendable, Equatable {
        /// Stable machine-readable code, such as `transaction.bad_signature`.
        public var code: String
        /// A sentence a person understands.
        public var message: String

        /// Creates a detail.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// The error.
    public var error: Detail

    /// Creates a body.
    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}

/// Answer to a submitted transaction.
public struct SubmitResponse: Codable, Sendable, Equatable {
    /// The transaction's hash.
    public var hash: String
    /// `pending` (admitted; not waited for), `committed`, `dropped` or `timed_out`.
    public var status: String
    /// Block height, when committed.
    public var height: UInt64?
    /// Position in the block, when committed.
    public var index: UInt32?
    /// The receipt, when committed.
    public var receipt: ReceiptView?
    /// Why it was dropped.
    public var error: ErrorBody.Detail?

    /// Creates a response.
    public init(hash: String, status: String, height: UInt64? = nil, index: UInt32? = nil, receipt: ReceiptView? = nil,
                error: ErrorBody.Detail? = nil) {
        self.hash = hash
        self.status = status
        self.height = height
        self.index = index
        self.receipt = receipt
        self.error = error
    }
}

/// Answer to a batch of transactions: one result per transaction, in order.
public struct BatchSubmitResponse: Codable, Sendable, Equatable {
    /// One transaction's result: its hash, or the refusal.
    public struct Item: Codable, Sendable, Equatable {
        /// Hash, when admitted.
        public var hash: String?
        /// Refusal, when refused.
        public var error: ErrorBody.Detail?

        /// Creates an item.
        public init(hash: String? = nil, error: ErrorBody.Detail? = nil) {
            self.hash = hash
            self.error = error
        }
    }

    /// How many were admitted.
    public var accepted: Int
    /// How many were refused.
    public var refused: Int
    /// Per-transaction results.
    public var results: [Item]

    /// Creates a response.
    public init(results: [Item]) {
        self.results = results
        accepted = results.filter { $0.hash != nil }.count
        refused = results.count - accepted
    }
}

/// A committed transaction with everything needed to check it.
public struct TransactionResponse: Codable, Sendable, Equatable {
    /// The transaction.
    public var transaction: TransactionView
    /// Its receipt.
    public var receipt: ReceiptView
    /// The block's header.
    public var header: HeaderView
    /// The block's commit certificate.
    public var certificate: CertificateView
    /// Position in the block.
    public var index: UInt64
    /// The canonical proof file (`ProofFile`), base64: save it and run `civic verify`.
    public var proof: String

    /// Creates a value.
    public init(transaction: TransactionView, receipt: ReceiptView, header: HeaderView, certificate: CertificateView, index: UInt64, proof: String) {
        self.transaction = transaction
        self.receipt = receipt
        self.header = header
        self.certificate = certificate
        self.index = index
        self.proof = proof
    }
}

/// A block with its certificate.
public struct BlockResponse: Codable, Sendable, Equatable {
    /// The header.
    public var header: HeaderView
    /// The certificate (absent for genesis).
    public var certificate: CertificateView?
    /// The transactions.
    public var transactions: [TransactionView]
    /// Their receipts.
    public var receipts: [ReceiptView]

    /// Creates a value.
    public init(header: HeaderView, certificate: CertificateView?, transactions: [TransactionView], receipts: [ReceiptView]) {
        self.header = header
        self.certificate = certificate
        self.transactions = transactions
        self.receipts = receipts
    }
}

/// A state entry (or its absence) with a proof against a certified state root.
public struct StateResponse: Codable, Sendable, Equatable {
    /// Full state key, hex.
    public var key: String
    /// Whether the key holds a value.
    public var present: Bool
    /// The value, hex.
    public var value: String?
    /// The value in words, for records of the native contracts.
    public var decoded: [String: String]?
    /// The height the proof is anchored at.
    public var height: UInt64
    /// The state root at that height.
    public var stateRoot: String
    /// The canonical proof file (`ProofFile`), base64.
    public var proof: String

    /// Creates a value.
    public init(key: String, present: Bool, value: String?, decoded: [String: String]?, height: UInt64, stateRoot: String, proof: String) {
        self.key = key
        self.present = present
        self.value = value
        self.decoded = decoded
        self.height = height
        self.stateRoot = stateRoot
        self.proof = proof
    }
}

/// Misbehavior records (contract `accountability`), newest first, each with its state proof.
public struct MisbehaviorResponse: Codable, Sendable, Equatable {
    /// How many records there are in all (of the validator asked about, if one was).
    public var total: UInt64
    /// The newest records, newest first; at most the API's bound, so possibly fewer than `total`.
    public var records: [StateResponse]

    /// Creates a value.
    public init(total: UInt64, records: [StateResponse]) {
        self.total = total
        self.records = records
    }
}

/// What a node tells about its chain.
public struct ChainInfoResponse: Codable, Sendable, Equatable {
    /// A validator.
    public struct ValidatorView: Codable, Sendable, Equatable {
        /// Name.
        public var name: String
        /// Organization.
        public var organization: String
        /// Public key, hex.
        public var publicKey: String
        /// Voting power.
        public var power: UInt64

        /// Creates a value.
        public init(name: String, organization: String, publicKey: String, power: UInt64) {
            self.name = name
            self.organization = organization
            self.publicKey = publicKey
            self.power = power
        }
    }

    /// Chain id.
    public var chainId: String
    /// `sm` or `intl`.
    public var suite: String
    /// Hash of the canonical genesis.
    public var genesisHash: String
    /// Latest committed height.
    public var height: UInt64
    /// Latest block hash.
    public var headHash: String
    /// Latest block time.
    public var headTimeMs: UInt64
    /// Latest state root.
    public var stateRoot: String
    /// Validators.
    public var validators: [ValidatorView]
    /// Most transactions per block.
    public var blockTransactionsMax: UInt32
    /// Block interval in milliseconds.
    public var blockIntervalMs: UInt32
    /// Transactions waiting.
    public var pendingTransactions: Int
    /// Contracts available.
    public var contracts: [String]
    /// This node's software version.
    public var version: String
    /// This node's index among the validators, absent when it only follows the chain.
    public var validatorIndex: UInt32?
    /// The peers this node is connected to: validator names, or key addresses of other members.
    public var connectedPeers: [String]
    /// The certificates this node depends on and how close each is to expiry.
    public var certificates: [CertificateView]

    /// A watched certificate.
    public struct CertificateView: Codable, Sendable, Equatable {
        /// What it is for (`tls`).
        public var name: String
        /// Its subject.
        public var subject: String
        /// End of validity, milliseconds since the Unix epoch.
        public var notAfterMs: UInt64
        /// `expires within 30 days`, `… 7 days`, `… 1 day`, `expired`, or absent when further off.
        public var warning: String?

        /// Creates a value.
        public init(name: String, subject: String, notAfterMs: UInt64, warning: String?) {
            self.name = name
            self.subject = subject
            self.notAfterMs = notAfterMs
            self.warning = warning
        }
    }

    /// Creates a value.
    public init(chainId: String, suite: String, genesisHash: String, height: UInt64, headHash: String, headTimeMs: UInt64, stateRoot: String, validators: [ValidatorView], blockTransactionsMax: UInt32, blockIntervalMs: UInt32, pendingTransactions: Int, contracts: [String], version: String, validatorIndex: UInt32?, connectedPeers: [String], certificates: [CertificateView]) {
        self.certificates = certificates
        self.validatorIndex = validatorIndex
        self.connectedPeers = connectedPeers
        self.chainId = chainId
        self.suite = suite
        self.genesisHash = genesisHash
        self.height = height
        self.headHash = headHash
        self.headTimeMs = headTimeMs
        self.stateRoot = stateRoot
        self.validators = validators
        self.blockTransactionsMax = blockTransactionsMax
        self.blockIntervalMs = blockIntervalMs
        self.pendingTransactions = pendingTransactions
        self.contracts = contracts
        self.version = version
    }
}

extension ProofFile {
    /// The proof file's bytes in base64, as carried in JSON.
    public var base64: String { Data(canonicalBytes).base64EncodedString() }
}
