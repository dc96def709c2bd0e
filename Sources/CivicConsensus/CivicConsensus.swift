/// Tendermint-style BFT consensus as a pure, deterministic state machine.
///
/// Namespace for the module's documentation; the engine lives in the files beside this one.
public enum CivicConsensus {}
