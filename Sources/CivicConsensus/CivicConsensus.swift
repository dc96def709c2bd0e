/// Tendermint-style BFT consensus as a pure, deterministic state machine.
///
/// The engine is ``ConsensusCore``; the key lives in ``VoteSigner``. A driver (the node, or
/// `CivicTesting.ConsensusDriver` in tests) owns both and runs this loop, one input at a time:
///
/// 1. Feed an input: ``ConsensusCore/tick()``, ``ConsensusCore/step(_:)`` with a peer's proposal (with the
///    driver's `valid(v)` verdict on its block), vote or decision, or ``ConsensusCore/propose(block:)``
///    in answer to ``ConsensusAction/requestBlock(height:round:)``.
/// 2. Take ``ConsensusCore/ready()`` and perform its actions **in order**:
///    - ``ConsensusAction/persistValidValue(_:)``: store the record durably (replacing the last one);
///    - ``ConsensusAction/signProposal(_:_:)`` / ``ConsensusAction/signVote(_:polRound:)``: ask the signer,
///      which saves its state durably *before* it returns the signature; on refusal skip the action;
///      otherwise broadcast the signed message and step it back into the core;
///    - ``ConsensusAction/broadcast(_:)`` / ``ConsensusAction/send(_:to:)``: hand to the network;
///    - ``ConsensusAction/commit(_:_:)``: write the block and its certificate durably, then execute it;
///    - ``ConsensusAction/equivocation(_:)``: submit it to the chain (contract `accountability`);
///    - ``ConsensusAction/timeoutScheduled(_:height:round:ticks:)``: nothing (the core keeps its timers).
/// 3. Call ``ConsensusCore/advance(_:)`` with that `Ready`; repeat 2–3 while ``ConsensusCore/hasReady``.
///
/// After a crash, rebuild the core at the last committed height + 1 from the signer's state and the last
/// valid-value record: ``ConsensusCore/init(config:validators:validatorIndex:height:restoring:validValue:)``.
public enum CivicConsensus {}
