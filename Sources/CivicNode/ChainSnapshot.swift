import CivicCrypto
import CivicLedger

/// The latest committed block as readers see it: published by the block producer after each
/// commit, read by API handlers without waiting for the producer.
public struct ChainSnapshot: Sendable {
    /// The latest committed header.
    public var head: BlockHeader
    /// Its hash.
    public var headHash: Hash256
    /// Its certificate (`nil` only for the genesis block).
    public var certificate: CommitCertificate?
    /// The state tree after the head block.
    public var stateTree: StateTree
    /// The chain parameters in force for the next block (governance's, or genesis's).
    public var parameters: ChainParameters
    /// The validator set in force for the next block (governance's, or the genesis validators).
    public var validators: ValidatorSet
}

/// Why a query has no answer.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing matches.
    case notFound(String)
    /// The request is malformed (bad hash, height, key).
    case invalid(String)
    /// No block has been certified yet, so there is nothing to prove against.
    case noCertifiedBlock
    /// Storage failed or holds damaged data.
    case storage(String)
    /// A block was committed while the answer was assembled; ask again.
    case stale

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .notFound: "query.not_found"
        case .invalid: "query.invalid"
        case .noCertifiedBlock: "query.no_certified_block"
        case .storage: "query.storage"
        case .stale: "query.stale"
        }
    }

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case .notFound(let what): "\(what) was not found."
        case .invalid(let why): "The request is invalid: \(why)"
        case .noCertifiedBlock: "No block has been committed yet, so there is no certified state to prove; try again after the first block."
        case .storage(let why): "The node could not read its ledger: \(why)"
        case .stale: "A new block was committed while the answer was prepared; ask again."
        }
    }
}
