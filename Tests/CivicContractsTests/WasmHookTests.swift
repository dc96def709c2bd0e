import CivicCodec
@testable import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// The lifecycle's way in: hooks run through ``WasmRuntime/run(_:code:input:context:gasLimit:)`` in a context the
/// lifecycle code builds (here a nested context of a `governance` call, as the deploy and upgrade code will).
@Suite struct WasmHookTests {
    static func governanceContext(_ state: any StateReader) -> CallContext {
        let admin = ContractFixtures.admin()
        let identity = Identity(publicKey: admin.publicKey, name: "admin", organization: "city-hall", role: .admin,
                                active: true, registeredAt: .genesis)
        return CallContext(block: ContractFixtures.block(), transactionHash: Hash256(bytes: [UInt8](repeating: 7, count: 32)),
                           caller: admin.publicKey, callerIdentity: identity,
                           state: ContractState(contract: "governance", overlay: StateOverlay(base: state)))
    }

    @Test func initRunsInTheContractsNamespaceAndIsAdoptedOnSuccess() {
        let runtime = TransactionExecutor().wasm
        let code = WasmFixtures.wasm(WasmFixtures.demo)
        var governance = Self.governanceContext(DictionaryState())
        var hook = governance.nested(contract: "demo")
        let outcome = runtime.run(.initialize, code: code, input: [], context: &hook, gasLimit: 1_000_000)
        #expect(throws: Never.self) { try outcome.result.get() }
        #expect(outcome.gasUsed > 2_000 && outcome.gasUsed < 1_000_000)
        governance.adopt(hook)
        #expect(governance.state.overlay.value(forKey: Array("demo/noted".utf8)) == Array("again".utf8))
    }

    @Test func missingMigrateAndLowGasFail() {
        let runtime = TransactionExecutor().wasm
        let code = WasmFixtures.wasm(WasmFixtures.demo)
        var hook = Self.governanceContext(DictionaryState()).nested(contract: "demo")
        let migrate = runtime.run(.migrate, code: code, input: [1, 0, 0, 0], context: &hook, gasLimit: 1_000_000)
        #expect(migrate.result.failureCode == "contract.unknown_method")
        let starved = runtime.run(.initialize, code: code, input: [], context: &hook, gasLimit: 100)
        #expect(starved.result.failureCode == "contract.out_of_gas")
        #expect(starved.gasUsed == 100)
        #expect(hook.state.overlay.pendingWrites.isEmpty)
    }
}

extension Result where Failure == ContractFailure {
    var failureCode: String? {
        if case .failure(let failure) = self { return failure.code }
        return nil
    }
}
