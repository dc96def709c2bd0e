import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger
import CoreMetrics
import Logging
import Metrics

extension Node {
    /// How long a report of equivocation stays valid while it waits for a block.
    static let reportLifetimeMilliseconds: UInt64 = 10 * 60 * 1000

    /// Submits two conflicting votes of one validator to the chain's accountability contract,
    /// signed with this node's key, once per offence. Any node that sees them does so; the chain
    /// records the first report and refuses the others as duplicates.
    func report(_ evidence: Equivocation) {
        let offender = engine.chain.validators(at: evidence.first.vote.height).validator(at: evidence.validatorIndex)
        metrics.equivocations.increment()
        logger.error("validator equivocated", metadata: [
            "validator": "\(offender?.name ?? "#\(evidence.validatorIndex)")",
            "organization": "\(offender?.organization ?? "?")",
            "height": "\(evidence.first.vote.height)", "round": "\(evidence.first.vote.round)",
            "kind": "\(evidence.first.vote.kind)",
        ])
        let bytes = evidence.canonicalBytes
        guard engine.reported.insert(bytes).inserted else { return }
        let now = configuration.clock.now()
        let body = TransactionBody(
            chainID: genesis.chainID, signer: engine.nodeKey.publicKey, nonce: UInt64.random(in: .min ... .max),
            expiresAt: Timestamp(milliseconds: now.milliseconds + Node.reportLifetimeMilliseconds),
            call: ContractCall(contract: "accountability", method: "report", arguments: bytes))
        do {
            let transaction = try Transaction(signing: body, with: engine.nodeKey)
            try submit(transaction.canonicalBytes)
        } catch {
            logger.warning("the equivocation report was not admitted", metadata: ["reason": "\(error)"])
        }
    }
}
