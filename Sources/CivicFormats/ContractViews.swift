import CivicCodec
import CivicCrypto
import CivicContracts
import CivicLedger

/// A deployed WebAssembly contract in JSON (`GET /v1/contracts/{name}`); `state` carries its registry
/// record with a state proof.
public struct ContractView: Codable, Sendable, Equatable {
    /// The contract's name.
    public var name: String
    /// 1 at deployment, +1 per upgrade.
    public var version: UInt32
    /// The suite hash of its code, hex.
    public var codeHash: String
    /// The code's size in bytes.
    public var codeBytes: Int
    /// Whether calls are refused.
    public var frozen: Bool
    /// Height of the deployment.
    public var deployedAt: UInt64
    /// Height of the latest upgrade.
    public var upgradedAt: UInt64
    /// The proposal that made the latest change.
    public var proposalId: UInt64
    /// The record with proof.
    public var state: StateResponse

    /// The view of `contract`, whose code is `codeBytes` long.
    public init(_ contract: DeployedContract, codeBytes: Int, state: StateResponse) {
        name = contract.name
        version = contract.version
        codeHash = contract.codeHash.hex
        self.codeBytes = codeBytes
        frozen = contract.frozen
        deployedAt = contract.deployedAt.rawValue
        upgradedAt = contract.upgradedAt.rawValue
        proposalId = contract.proposalID
        self.state = state
    }
}

/// What a query (`POST /v1/contracts/query`) returned: the receipt execution would give now.
public struct QueryResponse: Codable, Sendable, Equatable {
    /// The height of the committed state the call ran on.
    public var height: UInt64
    /// The receipt (status, events, return data); nothing of it is kept.
    public var receipt: ReceiptView

    /// A response.
    public init(height: UInt64, receipt: ReceiptView) {
        self.height = height
        self.receipt = receipt
    }
}
