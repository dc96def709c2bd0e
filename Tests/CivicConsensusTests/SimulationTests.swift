import CivicConsensus
import CivicTesting
import Foundation
import Testing

/// Deterministic simulation: a fixed budget of seeds per cluster shape for CI; `CIVIC_SIM_SEEDS=N` runs
/// N seeds per shape instead (`CIVIC_SIM_FIRST_SEED` moves the window) for long runs.
@Suite struct SimulationTests {
    /// Cluster shapes: validators, Byzantine validators run as Twins (f of them), first seed, CI budget.
    static let shapes: [(validators: Int, twins: Int, firstSeed: UInt64, seeds: Int)] = [
        (4, 1, 1_000, 40), (7, 2, 2_000, 24), (10, 3, 3_000, 12),
    ]

    static var environmentSeeds: Int? {
        ProcessInfo.processInfo.environment["CIVIC_SIM_SEEDS"].flatMap(Int.init)
    }

    static var environmentFirstSeed: UInt64 {
        ProcessInfo.processInfo.environment["CIVIC_SIM_FIRST_SEED"].flatMap(UInt64.init) ?? 0
    }

    @Test("CI budget of seeds with f Twins, crashes, partitions, drops, duplicates", arguments: shapes)
    func budget(shape: (validators: Int, twins: Int, firstSeed: UInt64, seeds: Int)) {
        run(validators: shape.validators, twins: shape.twins, firstSeed: shape.firstSeed, count: shape.seeds)
    }

    @Test("CIVIC_SIM_SEEDS seeds per shape", .enabled(if: environmentSeeds != nil), arguments: shapes)
    func long(shape: (validators: Int, twins: Int, firstSeed: UInt64, seeds: Int)) {
        run(validators: shape.validators, twins: shape.twins,
            firstSeed: SimulationTests.environmentFirstSeed + shape.firstSeed * 1_000,
            count: SimulationTests.environmentSeeds ?? 0)
    }

    /// Seeds that failed during development (liveness lost to unrelayed proofs of lock, to a twin's
    /// conflicting prevote hiding a proof of lock, and to a restarted validator forgetting its valid value).
    @Test("regression seeds", arguments: [(4, 1, 0 as UInt64), (4, 1, 1), (4, 1, 2), (7, 2, 100), (10, 3, 200),
                                          (10, 3, 201)])
    func regression(seed: (validators: Int, twins: Int, seed: UInt64)) {
        run(validators: seed.validators, twins: seed.twins, firstSeed: seed.seed, count: 1)
    }

    /// Harsher faults for long runs (`CIVIC_SIM_SEEDS` set): more loss, duplicates and crashes, up to f
    /// honest nodes down at once besides the f twins (safety must hold; liveness is checked after healing).
    @Test("CIVIC_SIM_SEEDS seeds per shape, harsh faults", .enabled(if: environmentSeeds != nil), arguments: shapes)
    func harsh(shape: (validators: Int, twins: Int, firstSeed: UInt64, seeds: Int)) {
        run(validators: shape.validators, twins: shape.twins,
            firstSeed: SimulationTests.environmentFirstSeed + shape.firstSeed * 1_000 + 500_000,
            count: SimulationTests.environmentSeeds ?? 0) { config in
            config.dropPerMille = 300
            config.duplicatePerMille = 150
            config.crashPerMille = 25
            config.crashedMax = shape.twins
            config.partitionPerMille = 30
        }
    }

    @Test("honest-only clusters with crashes and heavier loss", arguments: [4, 7])
    func honestOnly(validators: Int) {
        run(validators: validators, twins: 0, firstSeed: 5_000, count: 3) { config in
            config.dropPerMille = 250
            config.crashPerMille = 15
        }
    }

    /// One seed, one run: replaying a seed gives the same run (so a failing seed is a regression test).
    @Test func aSeedReplaysExactly() throws {
        var config = SimulationConfig(validatorCount: 4, twinCount: 1, seed: 77)
        config.safetyTicks = 150
        var first = Simulation(config: config)
        var second = Simulation(config: config)
        let one = try first.run()
        let other = try second.run()
        #expect(one.description == other.description)
        var shifted = Simulation(config: SimulationConfig(validatorCount: 4, twinCount: 1, seed: 78))
        #expect(try shifted.run().description != one.description)
    }

    /// The invariant checker must be able to fail: a fork injected by hand is caught.
    @Test func forkIsDetected() {
        var simulation = Simulation(config: SimulationConfig(validatorCount: 4, twinCount: 0, seed: 9))
        #expect(throws: SimulationFailure.self) { try simulation.runWithInjectedFork() }
    }

    /// Liveness must be able to fail: with two of four validators down for good nothing commits.
    @Test func stalledClusterFailsLiveness() {
        var config = SimulationConfig(validatorCount: 4, twinCount: 0, seed: 11)
        config.safetyTicks = 20
        config.livenessTicks = 150
        config.partitionPerMille = 0
        config.crashPerMille = 0
        var simulation = Simulation(config: config)
        simulation.stopHonestNodesForGood(count: 2)
        #expect(throws: SimulationFailure.self) { print(try simulation.run()) }
    }

    func run(validators: Int, twins: Int, firstSeed: UInt64, count: Int,
             adjust: (inout SimulationConfig) -> Void = { _ in }) {
        switch Simulation.runSeeds(validatorCount: validators, twinCount: twins, firstSeed: firstSeed, count: count,
                                   adjust: adjust) {
        case .success(let reports):
            #expect(reports.count == count)
            for report in reports {
                print("n=\(validators) twins=\(twins): \(report)")
                #expect(report.heightMin >= 3, "seed \(report.seed) committed too little")
            }
        case .failure(let failure):
            Issue.record("\(failure)")
        }
    }
}
