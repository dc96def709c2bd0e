import CivicConsensus
import CivicTesting
import Testing

/// Deterministic simulation: a fixed budget of seeds per cluster shape for CI; more with `CIVIC_SIM_SEEDS`.
@Suite struct SimulationTests {
    @Test(arguments: [(4, 1, 0 as UInt64, 6), (7, 2, 100, 3), (10, 3, 200, 2)])
    func seedsWithTwinsAndCrashes(shape: (validators: Int, twins: Int, firstSeed: UInt64, seeds: Int)) {
        let clock = ContinuousClock()
        let started = clock.now
        switch Simulation.runSeeds(validatorCount: shape.validators, twinCount: shape.twins,
                                   firstSeed: shape.firstSeed, count: shape.seeds) {
        case .success(let reports):
            for report in reports { print("n=\(shape.validators): \(report)") }
            print("n=\(shape.validators) took \(clock.now - started)")
        case .failure(let failure):
            Issue.record("\(failure)")
        }
    }
}
