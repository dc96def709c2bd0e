import CivicConsensus
import CivicCrypto
import CivicLedger

extension Simulation {
    /// Checks every honest node's newly committed blocks (see the type's documentation).
    mutating func checkInvariants() throws(SimulationFailure) {
        for id in nodes.indices where nodes[id].isHonest {
            let chain = nodes[id].driver.chain
            guard chain.count >= nodes[id].checkedHeight else {
                throw failure("n\(id)'s chain shrank from \(nodes[id].checkedHeight) to \(chain.count)")
            }
            for offset in nodes[id].checkedHeight..<chain.count {
                let entry = chain[offset]
                let height = Height(UInt64(offset) + 1)
                guard entry.certificate.height == height else {
                    throw failure("n\(id) committed height \(entry.certificate.height) at position \(height)")
                }
                do {
                    try entry.certificate.verify(chainID: config.consensus.chainID, height: height,
                                                 blockHash: entry.block.hash, validators: validators)
                } catch {
                    throw failure("n\(id)'s certificate for height \(height) does not verify: \(error)")
                }
                guard entry.block.hash == CryptoSuite.intl.hash(entry.block.payload) else {
                    throw failure("n\(id) committed a block whose payload does not hash to its id at \(height)")
                }
                if offset < decided.count {
                    guard decided[offset] == entry.block.hash else {
                        throw failure("fork at height \(height): n\(id) committed "
                                      + "\(TestValidators.short(entry.block.hash)), another honest node "
                                      + "\(TestValidators.short(decided[offset]))")
                    }
                } else {
                    precondition(offset == decided.count, "honest chains are checked height by height")
                    decided.append(entry.block.hash)
                    report.transactionsCommitted += Simulation.transactions(in: entry.block).count
                }
            }
            nodes[id].checkedHeight = chain.count
        }
    }

    /// Runs `count` seeds from `firstSeed` with the given shape; returns the reports or the first failure.
    public static func runSeeds(validatorCount: Int, twinCount: Int, firstSeed: UInt64, count: Int,
                                adjust: (inout SimulationConfig) -> Void = { _ in })
        -> Result<[SimulationReport], SimulationFailure> {
        var reports: [SimulationReport] = []
        for seed in firstSeed..<firstSeed + UInt64(count) {
            var config = SimulationConfig(validatorCount: validatorCount, twinCount: twinCount, seed: seed)
            adjust(&config)
            var simulation = Simulation(config: config)
            do {
                reports.append(try simulation.run())
            } catch {
                return .failure(error)
            }
        }
        return .success(reports)
    }
}

extension Simulation {
    /// Test hook: runs the safety phase, then rewrites one honest node's last block so that it forks
    /// from the others; the invariants must report it.
    /// - Throws: ``SimulationFailure`` (always, unless the checker is broken).
    public mutating func runWithInjectedFork() throws(SimulationFailure) {
        for id in nodes.indices { handle(id, nodes[id].driver.drain()) }
        while time < config.safetyTicks { try step() }
        guard let victim = nodes.indices.first(where: { nodes[$0].isHonest && nodes[$0].driver.chain.count > 0 }) else {
            return
        }
        nodes[victim].driver.replaceLastBlockForTesting(TestValidators.block("forged"))
        nodes[victim].checkedHeight -= 1
        try checkInvariants()
    }

    /// Test hook: stops the first `count` honest nodes for good (they never restart).
    public mutating func stopHonestNodesForGood(count: Int) {
        for id in nodes.indices.filter({ nodes[$0].isHonest }).prefix(count) {
            nodes[id].driver.crash()
            nodes[id].crashed = true
            nodes[id].stopped = true
        }
    }
}
