/// Test doubles shipped as a product: a reference driver (``ConsensusDriver``), a seeded deterministic
/// cluster simulation (``Simulation``) and a transcript runner (``TranscriptRunner``) for consensus.
public enum CivicTesting {}
