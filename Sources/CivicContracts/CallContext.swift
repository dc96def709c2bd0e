import CivicCodec
import CivicCrypto
import CivicLedger

/// The block a transaction executes in: only what consensus agreed, never a local clock.
public struct BlockContext: Sendable {
    /// The chain id.
    public var chainID: String
    /// The chain's crypto suite.
    public var suite: CryptoSuite
    /// The block's height.
    public var height: Height
    /// The block's time.
    public var time: Timestamp

    /// Creates a block context.
    public init(chainID: String, suite: CryptoSuite, height: Height, time: Timestamp) {
        self.chainID = chainID
        self.suite = suite
        self.height = height
        self.time = time
    }
}

/// Everything a native contract sees during one call.
public struct CallContext {
    /// The block being executed.
    public let block: BlockContext
    /// The transaction's hash.
    public let transactionHash: Hash256
    /// The caller's key.
    public let caller: PublicKey
    /// The caller's address.
    public let callerAddress: Address
    /// The caller's registered identity. The executor refuses unregistered callers, except for the methods a
    /// contract lists in ``SystemContract/methodsOpenToUnregistered``: for those, when ``isCallerRegistered`` is
    /// false, this is a provisional record (the caller's key, empty name and organization, role observer, inactive)
    /// that the method must not rely on.
    public let callerIdentity: Identity
    /// Whether ``callerIdentity`` is the caller's record in the registry (always true except in methods listed in
    /// ``SystemContract/methodsOpenToUnregistered``).
    public let isCallerRegistered: Bool
    /// State in the contract's own namespace.
    public var state: ContractState
    /// Events emitted so far.
    public private(set) var events: [Event] = []

    init(block: BlockContext, transactionHash: Hash256, caller: PublicKey, callerIdentity: Identity,
         isCallerRegistered: Bool = true, state: ContractState) {
        self.block = block
        self.transactionHash = transactionHash
        self.caller = caller
        self.callerAddress = Address(publicKey: caller)
        self.callerIdentity = callerIdentity
        self.isCallerRegistered = isCallerRegistered
        self.state = state
    }

    /// Records an event in the receipt.
    /// - Throws: ``ContractFailure`` past ``Limits/eventsPerTransactionMax``.
    public mutating func emit(_ name: String, _ attributes: [EventAttribute]) throws(ContractFailure) {
        guard events.count < Limits.eventsPerTransactionMax else {
            throw ContractFailure(code: "contract.too_many_events", message: "A transaction may emit at most \(Limits.eventsPerTransactionMax) events.")
        }
        events.append(Event(contract: String(decoding: state.prefix.dropLast(), as: UTF8.self), name: name, attributes: attributes))
    }

    /// A context for a nested call into contract `contract`: the same block, transaction and caller, state in the
    /// callee's namespace over this call's current state, and the events emitted so far (the per-transaction limit
    /// counts them all). On success the caller adopts the callee's writes and events with ``adopt(_:)``.
    func nested(contract: String) -> CallContext {
        var context = CallContext(block: block, transactionHash: transactionHash, caller: caller,
                                  callerIdentity: callerIdentity, isCallerRegistered: isCallerRegistered,
                                  state: ContractState(contract: contract, overlay: StateOverlay(base: state.overlay)))
        context.events = events
        return context
    }

    /// Takes the writes and events of a nested call that succeeded.
    mutating func adopt(_ nested: CallContext) {
        state.overlay.apply(nested.state.overlay.pendingWrites)
        events = nested.events
    }

    /// Throws unless the caller has one of `roles`.
    public func require(_ roles: Set<Role>, toDo action: String) throws(ContractFailure) {
        guard roles.contains(callerIdentity.role) else {
            let needed = roles.map(\.name).sorted().joined(separator: " or ")
            throw .permissionDenied(action, role: callerIdentity.role.name, needed: "role \(needed)")
        }
    }
}

/// A contract written in Swift and compiled into every node. Execution must be deterministic:
/// no clock, randomness, floating point, I/O or dictionary iteration order.
public protocol SystemContract: Sendable {
    /// The name transactions call it by; also its state namespace.
    var name: String { get }
    /// The method names it offers, sorted.
    var methods: [String] { get }
    /// The methods a key that is not registered (or registered and inactive: no) may call, such as
    /// `identity.enroll`; empty by default. For these the executor also skips the caller's certificate check.
    var methodsOpenToUnregistered: [String] { get }
    /// Executes `method`; returns data for the receipt.
    /// - Throws: ``ContractFailure``, which becomes a failed receipt and discards the call's writes.
    func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8]
}

extension SystemContract {
    /// None: every method needs a registered, active caller.
    public var methodsOpenToUnregistered: [String] { [] }

    /// Decodes a method's arguments strictly.
    /// - Throws: ``ContractFailure/invalidArguments(_:_:)``.
    public func decodeArguments<Value: CanonicalDecodable>(_ type: Value.Type, _ bytes: [UInt8], method: String)
        throws(ContractFailure) -> Value {
        do { return try Value(canonicalBytes: bytes) } catch { throw .invalidArguments(method, error.description) }
    }
}
