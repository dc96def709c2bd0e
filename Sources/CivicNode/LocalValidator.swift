import CivicCrypto
import CivicLedger

/// The single validator of a one-node chain: it certifies each block it builds by signing the
/// precommit for it. The consensus engine replaces it when a chain has several validators.
struct LocalValidator: Sendable {
    let key: PrivateKey
    let index: UInt32
    let chainID: String

    /// Finds `key` among `genesis`'s validators.
    /// - Throws: ``NodeError/configuration(_:)`` if the key is not the chain's only validator.
    init(key: PrivateKey, genesis: Genesis) throws(NodeError) {
        guard let index = genesis.validators.index(of: key.publicKey) else {
            throw .configuration("the node's validator key is not listed among the genesis validators")
        }
        guard genesis.validators.validator(at: index)!.power >= genesis.validators.quorumPower else {
            throw .configuration("genesis lists \(genesis.validators.count) validators; a single node cannot certify blocks alone (start a devnet instead)")
        }
        self.key = key
        self.index = index
        self.chainID = genesis.chainID
    }

    /// A certificate for `pending`: this validator's precommit signature.
    func certify(_ pending: PendingBlock) throws(NodeError) -> CommitCertificate {
        let height = pending.block.header.height
        let vote = Vote(kind: .precommit, height: height, round: Round(0), blockHash: pending.hash)
        do {
            let signature = try key.signature(for: vote.signBytes(chainID: chainID))
            return CommitCertificate(height: height, round: Round(0), blockHash: pending.hash,
                                     signatures: [CommitSignature(validatorIndex: index, signature: signature)])
        } catch {
            throw .configuration("the validator key could not sign: \(error.description)")
        }
    }
}
