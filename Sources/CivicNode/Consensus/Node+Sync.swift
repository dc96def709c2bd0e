import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger
import CoreMetrics
import Logging
import Metrics
import Synchronization

extension Node {
    /// Asks a peer that is ahead (or, with `nil`, the highest peer known) for the blocks after the
    /// head; one request is outstanding at a time and expires after half a second (a peer that
    /// answers at most five times a second may have dropped it; the next status asks again).
    func requestSync(from peer: PublicKey?) {
        guard engine.syncRequest == nil else { return }
        guard let target = peer ?? engine.peerHeights.max(by: { $0.value < $1.value })?.key else { return }
        engine.syncRequest = (target, engine.ticks)
        send(.getBlocks(from: engine.chain.head.height.next), to: target)
    }

    /// Answers a peer's request with committed blocks from `from` on (bounded in count and bytes),
    /// at most five times a second per peer.
    func serveBlocks(from: Height, to peer: PublicKey) {
        let fifth = UInt64(max(1, 200 / configuration.tickMilliseconds))
        if let last = engine.servedAt[peer], engine.ticks - last < fifth { return }
        guard from > .genesis, from <= engine.chain.head.height,
              let blocks = storedBlocks(from: from, count: NodeMessage.blocksPerMessageMax), !blocks.isEmpty else { return }
        engine.servedAt[peer] = engine.ticks
        send(.blocks(blocks), to: peer)
    }

    /// Committed blocks with their certificates from `from` on: at most `count`, and no more bytes
    /// than a message holds (always at least one block).
    func storedBlocks(from: Height, count: Int) -> [CertifiedBlockBytes]? {
        let store = engine.chain.store
        var blocks: [CertifiedBlockBytes] = []
        var bytes = 0
        var height = from
        while blocks.count < count, height <= engine.chain.head.height {
            guard let block = try? store.blockBytes(at: height),
                  let certificate = try? store.certificateBytes(at: height) else { return nil }
            bytes += block.count + certificate.count
            if !blocks.isEmpty && bytes > Limits.messageBytesMax / 2 { break }
            blocks.append(CertifiedBlockBytes(block: block, certificate: certificate))
            height = height.next
        }
        return blocks
    }

    /// Applies certified blocks from a peer in order: each must extend the head, carry a certificate
    /// of the validator set, and re-execute to its header; its transactions' signatures are checked
    /// here since they never passed this node's admission. The first bad block ends the batch.
    func apply(_ blocks: [CertifiedBlockBytes], from peer: PublicKey) throws(NodeError) {
        let before = engine.chain.head.height
        for certified in blocks {
            let block: Block
            let certificate: CommitCertificate
            do {
                block = try Block(canonicalBytes: certified.block)
                certificate = try CommitCertificate(canonicalBytes: certified.certificate)
            } catch {
                peerFault(peer, code: BlockRejection.malformed("").code, "\(error)")
                break
            }
            let height = block.header.height
            if height <= engine.chain.head.height { continue }
            guard height == engine.chain.head.height.next else { break }
            do {
                let pending = try verifyCertified(block, certificate)
                try commit(pending, certificate)
                metrics.syncedBlocks.increment()
            } catch let rejection as BlockRejection {
                metrics.blockRejected(code: rejection.code, message: rejection.description, height: height)
                peerFault(peer, code: rejection.code, rejection.description)
                break
            } catch let error as NodeError {
                throw error
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
        guard engine.chain.head.height > before else { return }
        engine.syncRequest = nil
        let level: Logger.Level = engine.chain.head.height.rawValue - before.rawValue > 1 ? .info : .debug
        logger.log(level: level, "caught up from a peer", metadata: [
            "peer": "\(Address(publicKey: peer))", "from": "\(before.next)", "to": "\(engine.chain.head.height)",
        ])
        try resetCore()
        if let known = engine.peerHeights.values.max(), known > engine.chain.head.height { requestSync(from: peer) }
    }

    /// The checks of a block that arrives with its certificate.
    private func verifyCertified(_ block: Block, _ certificate: CommitCertificate) throws(BlockRejection) -> PendingBlock {
        let suite = genesis.suite
        let hash = block.header.hash(suite: suite)
        do {
            try certificate.verify(chainID: genesis.chainID, height: block.header.height, blockHash: hash,
                                   validators: engine.chain.validators(at: block.header.height))
        } catch {
            throw .badCertificate(error.description)
        }
        let encoded = block.transactions.map(\.canonicalBytes)
        let hashes = Node.parallelMap(encoded) { bytes -> Hash256? in
            (try? Transaction(canonicalBytes: bytes))?.verifiedHash(suite: suite)
        }
        var entries: [(transaction: Transaction, hash: Hash256, encoded: [UInt8])] = []
        entries.reserveCapacity(encoded.count)
        for (index, transaction) in block.transactions.enumerated() {
            guard let hash = hashes[index] else { throw .badTransaction(index: index, reason: "its signature does not verify") }
            entries.append((transaction, hash, encoded[index]))
        }
        return try engine.chain.validate(header: block.header, entries: entries, proposer: nil, now: nil, uncommitted: false)
    }
}
