import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// A committed block in a list (`GET /v1/blocks`): enough to show a row and link to `GET /v1/blocks/{id}`.
public struct BlockSummaryView: Codable, Sendable, Equatable {
    /// The validator that proposed a block: its index in the set in force at the block's height and its name.
    public struct ProposerView: Codable, Sendable, Equatable {
        /// Index in the validator set in force at the block's height.
        public var index: UInt32
        /// Its name, when the set has a validator at that index.
        public var name: String?

        /// Creates a value.
        public init(index: UInt32, name: String?) {
            self.index = index
            self.name = name
        }
    }

    /// The block's height.
    public var height: UInt64
    /// The block's hash, hex.
    public var hash: String
    /// The block's time, milliseconds since the Unix epoch.
    public var timeMs: UInt64
    /// How many transactions it holds.
    public var transactionCount: UInt32
    /// The consensus round that decided it (absent for genesis, which has no certificate).
    public var round: UInt32?
    /// Who proposed it.
    public var proposer: ProposerView
    /// Its canonical encoding's size in bytes.
    public var sizeBytes: Int
    /// The state root after it, hex.
    public var stateRoot: String

    /// The summary of `block`, certified by `certificate` (`nil` for genesis), with `validators` in force at its height.
    public init(_ block: Block, certificate: CommitCertificate?, validators: ValidatorSet, suite: CryptoSuite) {
        let header = block.header
        height = header.height.rawValue
        hash = header.hash(suite: suite).hex
        timeMs = header.time.milliseconds
        transactionCount = UInt32(block.transactions.count)
        round = certificate?.round.rawValue
        proposer = ProposerView(index: header.proposer, name: validators.validator(at: header.proposer)?.name)
        sizeBytes = block.canonicalBytes.count
        stateRoot = header.stateRoot.hex
    }
}

/// A page of blocks, newest first (`GET /v1/blocks`).
public struct BlockListResponse: Codable, Sendable, Equatable {
    /// The blocks, newest first.
    public var blocks: [BlockSummaryView]
    /// The `before` that asks for the next (older) page; absent once genesis is on this page.
    public var nextBefore: UInt64?

    /// Creates a page.
    public init(blocks: [BlockSummaryView], nextBefore: UInt64?) {
        self.blocks = blocks
        self.nextBefore = nextBefore
    }
}

/// A registered identity in a list (`GET /v1/identities`).
public struct IdentitySummaryView: Codable, Sendable, Equatable {
    /// Its address, hex.
    public var address: String
    /// A person's or service's name.
    public var name: String
    /// Its organization.
    public var organization: String
    /// Its role's name.
    public var role: String
    /// Whether it may still sign transactions.
    public var active: Bool
    /// Its public key, hex.
    public var publicKey: String
    /// The height it was registered at.
    public var registeredAt: UInt64
    /// The end of its identity certificate's validity (ms since the Unix epoch), when it enrolled with one.
    public var certificateNotAfterMs: UInt64?

    /// The view of `identity`.
    public init(_ identity: Identity) {
        address = identity.address.hex
        name = identity.name
        organization = identity.organization
        role = identity.role.name
        active = identity.active
        publicKey = Hex.encode(identity.publicKey.rawRepresentation)
        registeredAt = identity.registeredAt.rawValue
        certificateNotAfterMs = identity.certificate?.notAfter.milliseconds
    }
}

/// A page of identities in address order (`GET /v1/identities`).
public struct IdentityListResponse: Codable, Sendable, Equatable {
    /// The height of the committed state read.
    public var height: UInt64
    /// The identities.
    public var identities: [IdentitySummaryView]
    /// The `after` that asks for the next page; absent when the scan reached the end.
    public var next: String?

    /// Creates a page.
    public init(height: UInt64, identities: [IdentitySummaryView], next: String?) {
        self.height = height
        self.identities = identities
        self.next = next
    }
}

/// A contract the chain runs, in a list (`GET /v1/contracts`): a native one, or a deployed WebAssembly one with its
/// registry record (read it with its proof at `GET /v1/contracts/{name}`).
public struct ContractSummaryView: Codable, Sendable, Equatable {
    /// The name transactions call it by.
    public var name: String
    /// `native` or `wasm`.
    public var kind: String
    /// `active`, or `frozen` for a deployed contract that refuses calls.
    public var status: String
    /// Deployed contracts: 1 at deployment, +1 per upgrade.
    public var version: UInt32?
    /// Deployed contracts: the suite hash of the code, hex.
    public var codeHash: String?
    /// Deployed contracts: the height of the deployment.
    public var deployedAt: UInt64?
    /// Deployed contracts: the height of the latest upgrade.
    public var upgradedAt: UInt64?
    /// Deployed contracts: the governance proposal that made the latest change.
    public var proposalId: UInt64?

    /// A native contract called `name`.
    public init(native name: String) {
        self.name = name
        kind = "native"
        status = "active"
    }

    /// A deployed contract.
    public init(_ contract: DeployedContract) {
        name = contract.name
        kind = "wasm"
        status = contract.frozen ? "frozen" : "active"
        version = contract.version
        codeHash = contract.codeHash.hex
        deployedAt = contract.deployedAt.rawValue
        upgradedAt = contract.upgradedAt.rawValue
        proposalId = contract.proposalID
    }
}

/// Every contract the chain runs (`GET /v1/contracts`): native ones in name order, then deployed ones in name order.
public struct ContractListResponse: Codable, Sendable, Equatable {
    /// The height of the committed state read.
    public var height: UInt64
    /// The contracts.
    public var contracts: [ContractSummaryView]
    /// Whether more deployed contracts exist than one answer lists.
    public var truncated: Bool

    /// Creates a list.
    public init(height: UInt64, contracts: [ContractSummaryView], truncated: Bool) {
        self.height = height
        self.contracts = contracts
        self.truncated = truncated
    }
}

/// The node's check of a proof it was sent (`POST /v1/verify`), against its own genesis.
public struct VerifyResponse: Codable, Sendable, Equatable {
    /// Whether the proof holds.
    public var valid: Bool
    /// The form sent: `proof_file` or `evidence_receipt`.
    public var format: String
    /// `transaction` or `state`, from the decoded proof.
    public var kind: String
    /// The certified height the proof is anchored at.
    public var height: UInt64
    /// The proven transaction's hash, for a transaction proof.
    public var transactionHash: String?
    /// The names of the validators whose signatures certify the block (when valid).
    public var signers: [String]
    /// The index of the validator set in force at the height (when valid).
    public var validatorSetIndex: UInt64?
    /// How many validator-set transitions were checked (when valid).
    public var transitionsChecked: Int?
    /// The facts proved, as name/value pairs (when valid).
    public var facts: [String: String]?
    /// Why the proof does not hold (when not valid).
    public var error: ErrorBody.Detail?

    /// Creates a value.
    public init(valid: Bool, format: String, kind: String, height: UInt64, transactionHash: String?, signers: [String],
                validatorSetIndex: UInt64?, transitionsChecked: Int?, facts: [String: String]?, error: ErrorBody.Detail?) {
        self.valid = valid
        self.format = format
        self.kind = kind
        self.height = height
        self.transactionHash = transactionHash
        self.signers = signers
        self.validatorSetIndex = validatorSetIndex
        self.transitionsChecked = transitionsChecked
        self.facts = facts
        self.error = error
    }
}
