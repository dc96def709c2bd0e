import CivicApps
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting

/// A chain of the government services for tests: departments with staff, the chain's executor, and a clock that
/// tests move.
struct AppChain {
    static let chainID = "city-test"
    let suite: CryptoSuite
    let executor = ChainContracts.executor()
    var state: DictionaryState
    var height: UInt64 = 1
    var time: UInt64 = 1_000_000
    var nonce: UInt64 = 0

    /// Staff: `name` → (organization, role, key number).
    static let staff: [String: (organization: String, role: Role, key: UInt8)] = [
        "civil": ("civil-affairs", .member, 30), "civil-admin": ("civil-affairs", .admin, 31),
        "housing": ("housing", .member, 32), "bank": ("bank", .member, 33), "auditor": ("audit-office", .auditor, 34),
        "citizen": ("citizens", .client, 35), "stranger": ("nobody", .observer, 36),
    ]

    static func key(_ suite: CryptoSuite, _ name: String) -> PrivateKey {
        let number = staff[name]!.key
        do { return try PrivateKey(suite: suite, rawRepresentation: [UInt8](repeating: 0, count: 31) + [number]) } catch {
            fatalError("fixed test key refused: \(error)")
        }
    }

    init(_ suite: CryptoSuite = .sm) {
        self.suite = suite
        var writes: [(key: [UInt8], value: [UInt8]?)] = []
        for (name, entry) in Self.staff where name != "stranger" {
            let identity = Identity(publicKey: Self.key(suite, name).publicKey, name: name, organization: entry.organization,
                                    role: entry.role, active: true, registeredAt: .genesis)
            writes.append((Identity.stateKey(identity.address), identity.canonicalBytes))
        }
        state = DictionaryState(writes)
    }

    func address(_ name: String) -> Address { Address(publicKey: Self.key(suite, name).publicKey) }

    /// Executes `contract.method(arguments)` signed by staff member `signer` in a new block; keeps the writes.
    @discardableResult
    mutating func run(_ signer: String, _ contract: String, _ method: String, _ arguments: [UInt8]) -> Receipt {
        nonce += 1
        height += 1
        let key = Self.key(suite, signer)
        let body = TransactionBody(chainID: Self.chainID, signer: key.publicKey, nonce: nonce,
                                   expiresAt: Timestamp(milliseconds: time + 60_000),
                                   call: ContractCall(contract: contract, method: method, arguments: arguments))
        let transaction: Transaction
        do { transaction = try Transaction(signing: body, with: key) } catch { fatalError("signing failed: \(error)") }
        var overlay = StateOverlay(base: state)
        let receipt = executor.execute(transaction, hash: transaction.hash(suite: suite),
                                       block: BlockContext(chainID: Self.chainID, suite: suite, height: Height(height),
                                                           time: Timestamp(milliseconds: time)),
                                       state: &overlay)
        state.apply(overlay.sortedWrites)
        return receipt
    }

    /// ``run(_:_:_:_:)`` with canonical arguments.
    @discardableResult
    mutating func run(_ signer: String, _ contract: String, _ method: String, _ arguments: some CanonicalEncodable) -> Receipt {
        run(signer, contract, method, arguments.canonicalBytes)
    }

    /// The value under a full state key, decoded.
    func read<Value: CanonicalDecodable>(_ type: Value.Type, _ contract: String, _ key: [UInt8]) -> Value? {
        state.value(forKey: Array("\(contract)/".utf8) + key).flatMap { try? Value(canonicalBytes: $0) }
    }
}

extension Receipt {
    /// The failure's code, or `nil` on success.
    var failureCode: String? {
        if case .failure(let code, _) = status { return code }
        return nil
    }

    /// The value of attribute `key` of the first event named `event`.
    func attribute(_ event: String, _ key: String) -> String? {
        events.first { $0.name == event }?.attributes.first { $0.key == key }?.value
    }
}
