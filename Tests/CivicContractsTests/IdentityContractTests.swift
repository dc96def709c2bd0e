import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

@Suite struct IdentityContractTests {
    static func register(_ signer: PrivateKey, _ key: PublicKey, role: Role = .member, name: String = "new",
                         organization: String = "dept", nonce: UInt64 = 0) -> Transaction {
        ContractFixtures.transaction(signer, "identity", "register",
                                     IdentityContract.Register(publicKey: key, name: name, organization: organization, role: role).canonicalBytes,
                                     nonce: nonce)
    }

    static func change(_ signer: PrivateKey, _ method: String, _ target: PublicKey, role: Role = .auditor, nonce: UInt64 = 0) -> Transaction {
        ContractFixtures.transaction(signer, "identity", method,
                                     IdentityContract.Change(address: Address(publicKey: target), role: role).canonicalBytes, nonce: nonce)
    }

    static func stored(_ execution: BlockExecution, _ key: PublicKey) throws -> Identity? {
        guard let write = execution.writes.first(where: { $0.key == Identity.stateKey(Address(publicKey: key)) }),
              let value = write.value else { return nil }
        return try Identity(canonicalBytes: value)
    }

    @Test(arguments: CryptoSuite.allCases)
    func adminRegistersAnIdentity(suite: CryptoSuite) throws {
        let newcomer = ContractFixtures.key(suite, 40).publicKey
        let block = ContractFixtures.block(suite, height: 3)
        let execution = TransactionExecutorTests.execute(
            [Self.register(ContractFixtures.admin(suite), newcomer, role: .client, name: "Portal", organization: "IT")],
            block: block, base: DictionaryState(GenesisState.writes(for: ContractFixtures.genesis(suite))))
        let receipt = execution.receipts[0]
        #expect(receipt.status == .success)
        let address = Address(publicKey: newcomer)
        #expect(receipt.returnData == address.bytes)
        #expect(try Self.stored(execution, newcomer) == Identity(publicKey: newcomer, name: "Portal", organization: "IT",
                                                                 role: .client, active: true, registeredAt: Height(3)))
        #expect(receipt.events == [Event(contract: "identity", name: "identity.registered", attributes: [
            EventAttribute("address", address.hex), EventAttribute("name", "Portal"), EventAttribute("organization", "IT"),
            EventAttribute("role", "client"),
        ])])
        #expect(execution.writes.count == 1)
    }

    @Test func nonAdminsMayNotRegister() {
        let newcomer = ContractFixtures.key(.intl, 40).publicKey
        for signer in [ContractFixtures.member(), ContractFixtures.auditor(), ContractFixtures.client()] {
            let execution = TransactionExecutorTests.execute([Self.register(signer, newcomer)])
            #expect(TransactionExecutorTests.codes(execution) == ["permission.denied"])
            #expect(execution.writes.isEmpty)
        }
    }

    @Test func registeringAKnownKeyIsRefused() {
        let admin = ContractFixtures.admin()
        let newcomer = ContractFixtures.key(.intl, 40).publicKey
        let execution = TransactionExecutorTests.execute([
            Self.register(admin, ContractFixtures.member().publicKey, nonce: 1),
            Self.register(admin, newcomer, nonce: 2),
            Self.register(admin, newcomer, role: .admin, nonce: 3),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["identity.exists", "ok", "identity.exists"])
    }

    @Test func keyOfTheOtherSuiteIsRefused() {
        let execution = TransactionExecutorTests.execute([Self.register(ContractFixtures.admin(), ContractFixtures.key(.sm, 40).publicKey)])
        #expect(TransactionExecutorTests.codes(execution) == ["identity.wrong_suite"])
    }

    @Test func invalidArgumentsAreRefused() {
        let admin = ContractFixtures.admin()
        let valid = IdentityContract.Register(publicKey: ContractFixtures.key(.intl, 40).publicKey, name: "n", organization: "o",
                                              role: .member).canonicalBytes
        var badRole = valid
        badRole[badRole.count - 1] = 9
        let arguments: [[UInt8]] = [
            [], [1, 2, 3], valid + [0], Array(valid.dropLast()), badRole,
            IdentityContract.Register(publicKey: ContractFixtures.key(.intl, 40).publicKey, name: "", organization: "o",
                                      role: .member).canonicalBytes,
        ]
        let execution = TransactionExecutorTests.execute(arguments.enumerated().map { index, bytes in
            ContractFixtures.transaction(admin, "identity", "register", bytes, nonce: UInt64(index))
        } + [ContractFixtures.transaction(admin, "identity", "set_role", [0], nonce: 99)])
        #expect(TransactionExecutorTests.codes(execution) == Array(repeating: "contract.invalid_arguments", count: 7))
        #expect(execution.writes.isEmpty)
    }

    @Test func adminChangesRolesAndDeactivates() throws {
        let admin = ContractFixtures.admin()
        let member = ContractFixtures.member()
        let execution = TransactionExecutorTests.execute([
            Self.change(admin, "set_role", member.publicKey, role: .auditor, nonce: 1),
            // As an auditor the former member may no longer write.
            TransactionExecutorTests.kvPut(member, "k", "v", nonce: 2),
            Self.change(admin, "deactivate", member.publicKey, nonce: 3),
            ContractFixtures.transaction(member, "evidence", "put", [], nonce: 4),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["ok", "permission.denied", "ok", "identity.inactive"])
        let identity = try #require(try Self.stored(execution, member.publicKey))
        #expect(identity.role == .auditor)
        #expect(!identity.active)
        #expect(identity.registeredAt == .genesis)
        #expect(execution.receipts[0].events.map(\.name) == ["identity.role_changed"])
        #expect(execution.receipts[2].events.map(\.name) == ["identity.deactivated"])
        #expect(execution.receipts[0].events[0].attributes.last == EventAttribute("role", "auditor"))
    }

    @Test func deactivatedAdminIsRefusedEverywhere() {
        let admin = ContractFixtures.admin()
        let second = ContractFixtures.secondAdmin()
        let execution = TransactionExecutorTests.execute([
            Self.change(second, "deactivate", admin.publicKey, nonce: 1),
            Self.register(admin, ContractFixtures.key(.intl, 40).publicKey, nonce: 2),
            Self.change(admin, "set_role", second.publicKey, role: .member, nonce: 3),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["ok", "identity.inactive", "identity.inactive"])
    }

    @Test(arguments: ["set_role", "deactivate"])
    func adminMayNotChangeThemselves(method: String) {
        let admin = ContractFixtures.admin()
        let execution = TransactionExecutorTests.execute([Self.change(admin, method, admin.publicKey, role: .member)])
        #expect(TransactionExecutorTests.codes(execution) == ["identity.self_change"])
        #expect(execution.writes.isEmpty)
    }

    @Test(arguments: ["set_role", "deactivate"])
    func changesNeedAdminAndAKnownIdentity(method: String) {
        let execution = TransactionExecutorTests.execute([
            Self.change(ContractFixtures.member(), method, ContractFixtures.client().publicKey, nonce: 1),
            Self.change(ContractFixtures.admin(), method, ContractFixtures.stranger().publicKey, nonce: 2),
        ])
        #expect(TransactionExecutorTests.codes(execution) == ["permission.denied", "identity.not_found"])
    }
}
