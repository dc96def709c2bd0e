import CivicConsensus
import CivicTesting
import Testing

@Test(arguments: ["drop", "dup", "partition", "crash", "twins", "all"])
func debugFaults(kind: String) {
    let result = Simulation.runSeeds(validatorCount: 7, twinCount: kind == "twins" ? 2 : 0, firstSeed: 1, count: 4) { config in
        if kind != "drop" && kind != "all" { config.dropPerMille = 0 }
        if kind != "dup" && kind != "all" { config.duplicatePerMille = 0 }
        if kind != "partition" && kind != "all" { config.partitionPerMille = 0 }
        if kind != "crash" && kind != "all" { config.crashPerMille = 0 }
        config.traceTailCount = 30
    }
    switch result {
    case .success(let r): Issue.record("OK \(kind) \(r.map(\.heightMax))")
    case .failure(let f): Issue.record("\(kind): \(f.reason)")
    }
}
