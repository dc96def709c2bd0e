import CivicConsensus
import CivicCrypto
import CivicLedger

extension Simulation {
    /// Whether a message from node `from` reaches node `to` now.
    func reachable(_ from: Int, _ to: Int) -> Bool {
        guard from != to, !nodes[to].crashed, !nodes[from].crashed else { return false }
        if twinsIsolated, nodes[from].twinSide != 0 || nodes[to].twinSide != 0,
           nodes[from].group != nodes[to].group {
            return false
        }
        if let partition, partition.blocks(from, to) { return false }
        return true
    }

    /// Queues `outgoing` for its recipients with a random delay; faults may drop or duplicate it.
    mutating func route(from id: Int, _ outgoing: Outgoing) {
        switch outgoing {
        case .broadcast(let message):
            for to in nodes.indices where to != id { enqueue(from: id, to: to, message) }
        case .send(let message, let index):
            for to in nodes.indices where to != id && nodes[to].validatorIndex == index {
                enqueue(from: id, to: to, message)
            }
        }
    }

    mutating func enqueue(from: Int, to: Int, _ message: ConsensusMessage) {
        if faultsOn, random.chance(perMille: config.dropPerMille) {
            report.dropped += 1
            return
        }
        let copies = faultsOn && random.chance(perMille: config.duplicatePerMille) ? 2 : 1
        for _ in 0..<copies {
            let delay = faultsOn ? random.within(1...config.delayTicksMax) : random.within(1...2)
            sequence += 1
            envelopes.append(Envelope(deliverAt: time + UInt64(delay), sequence: sequence, from: from, to: to,
                                      message: message))
        }
    }

    /// Delivers every message due by now, in (time, sequence) order.
    mutating func deliverDue() {
        var due: [Envelope] = []
        var later: [Envelope] = []
        for envelope in envelopes {
            if envelope.deliverAt <= time { due.append(envelope) } else { later.append(envelope) }
        }
        envelopes = later
        due.sort { ($0.deliverAt, $0.sequence) < ($1.deliverAt, $1.sequence) }
        for envelope in due {
            guard reachable(envelope.from, envelope.to) else {
                report.dropped += 1
                continue
            }
            report.delivered += 1
            let line = "n\(envelope.from)->n\(envelope.to) " + TraceFormat.describe(envelope.message)
            record(line)
            let input: ConsensusInput
            switch envelope.message {
            case .proposal(let signed, let block):
                input = .proposal(signed, block,
                                  blockIsValid: Simulation.isValid(block, height: signed.proposal.height))
            case .vote(let signed):
                input = .vote(signed)
            case .decision(let block, let certificate):
                input = .decision(block, certificate)
            }
            handle(envelope.to, nodes[envelope.to].driver.receive(input))
        }
    }

    /// Block sync: each live node asks one random peer for the next block it lacks.
    mutating func syncBlocks() {
        for id in nodes.indices where !nodes[id].crashed {
            let peer = random.below(nodes.count)
            let have = nodes[id].driver.chain.count
            guard peer != id, nodes[peer].driver.chain.count > have else { continue }
            let entry = nodes[peer].driver.chain[have]
            enqueue(from: peer, to: id, .decision(entry.block, entry.certificate))
        }
    }

    /// The safety phase's faults: partitions start and end, honest nodes crash.
    mutating func injectFaults() {
        if let active = partition, active.until <= time {
            partition = nil
            record("partition healed")
        }
        if partition == nil, random.chance(perMille: config.partitionPerMille) {
            var groupOf = nodes.map { _ in random.below(2) }
            if Set(groupOf).count == 1 { groupOf[random.below(groupOf.count)] ^= 1 }
            let oneWay = random.chance(perMille: 400)
            let until = time + UInt64(random.within(5...config.partitionTicksMax))
            partition = Partition(groupOf: groupOf, oneWay: oneWay, until: until)
            report.partitions += 1
            record("partition \(oneWay ? "one-way" : "symmetric") groups \(groupOf) until t\(until)")
        }
        let down = nodes.filter { $0.isHonest && $0.crashed }.count
        if down < config.crashedMax, random.chance(perMille: config.crashPerMille) {
            let honest = nodes.indices.filter { nodes[$0].isHonest && !nodes[$0].crashed }
            let id = honest[random.below(honest.count)]
            nodes[id].driver.crash()
            nodes[id].crashed = true
            nodes[id].mempool = []
            nodes[id].restartAt = time + UInt64(random.within(5...config.crashTicksMax))
            report.crashes += 1
            let line = "crash n\(id) until t\(nodes[id].restartAt)"
            record(line)
        }
    }

    /// Restarts a crashed node from its signer's store and its chain.
    mutating func restart(_ id: Int) {
        nodes[id].crashed = false
        let key = keys[Int(nodes[id].validatorIndex)]
        nodes[id].driver.restart(config: config.consensus, validators: validators, key: key)
        let signerState = nodes[id].driver.signer.state
        let line = "restart n\(id) at h\(nodes[id].driver.chain.count + 1) "
            + "signer h\(signerState.height) r\(signerState.round)"
        record(line)
        handle(id, nodes[id].driver.drain())
    }

    /// Ends the safety phase: faults stop, partitions heal, crashed nodes restart, the second instance
    /// of every twin stops for good.
    mutating func heal() {
        faultsOn = false
        partition = nil
        twinsIsolated = false
        record("heal")
        for id in nodes.indices {
            if nodes[id].twinSide == 2 {
                nodes[id].driver.crash()
                nodes[id].crashed = true
                nodes[id].stopped = true
            } else if nodes[id].crashed && !nodes[id].stopped {
                restart(id)
            }
        }
    }
}
