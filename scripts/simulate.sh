#!/usr/bin/env bash
# Runs the deterministic consensus simulation over as many seeds as you like (CI runs a fixed budget):
#   scripts/simulate.sh [SEEDS_PER_SHAPE] [FIRST_SEED]
# Each of the shapes n = 4, 7, 10 with f Twins runs SEEDS_PER_SHAPE seeds with the usual faults and as
# many with harsh ones. A failing run prints its seed; add it to the regression seeds in
# Tests/CivicConsensusTests/SimulationTests.swift.
set -euo pipefail
cd "$(dirname "$0")/.."
export CIVIC_SIM_SEEDS="${1:-200}"
export CIVIC_SIM_FIRST_SEED="${2:-0}"
swift build --build-tests
exec swift test --skip-build --filter "SimulationTests"
