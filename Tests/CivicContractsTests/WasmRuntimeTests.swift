import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// Deployed WebAssembly contracts doing what Docs/0012 lets them do.
@Suite struct WasmRuntimeTests {
    static func keys(_ listed: [UInt8]) -> [String] {
        var keys: [String] = []
        var index = 0
        while index < listed.count {
            let length = Int(listed[index])
            keys.append(String(decoding: listed[(index + 1)..<(index + 1 + length)], as: UTF8.self))
            index += 1 + length
        }
        return keys
    }

    @Test func inspectListsMethodsAndHooks() throws {
        let info = try TransactionExecutor().wasm.inspect(code: WasmFixtures.wasm(WasmFixtures.demo))
        #expect(info.methods == ["again", "boom", "crash", "deep", "del", "divide", "escape", "get", "grow", "hash",
                                 "info", "key", "list", "mix", "nest", "note", "oob", "put", "spin", "verify", "who"])
        #expect(info.hasInit && !info.hasMigrate)
    }

    @Test func stateSetGetDeleteAndReturnData() {
        var chain = WasmChain()
        let put = chain.run("demo", "put", putArguments("colour", "blue"))
        #expect(put.receipt.status == .success)
        #expect(put.gas > 2_000)
        #expect(chain.value("demo", "colour") == Array("blue".utf8))
        #expect(chain.run("demo", "get", Array("colour".utf8)).receipt.returnData == [1] + Array("blue".utf8))
        #expect(chain.run("demo", "del", Array("colour".utf8)).receipt.status == .success)
        #expect(chain.value("demo", "colour") == nil)
        #expect(chain.run("demo", "get", Array("colour".utf8)).receipt.returnData == [0])
    }

    @Test func stateNextIteratesInKeyOrderWithOwnWritesAndDeletes() {
        var chain = WasmChain()
        for (key, value) in [("zz", "1"), ("oops", "2"), ("a", "3"), ("ab", "4")] {
            chain.run("demo", "put", putArguments(key, value))
        }
        chain.run("demo", "del", Array("ab".utf8))
        #expect(Self.keys(chain.run("demo", "list").receipt.returnData) == ["a", "oops", "zz"])
        // Writes "noted", deletes "oops", lists: its own write appears, its own delete hides a committed key.
        let mixed = chain.run("demo", "mix")
        #expect(Self.keys(mixed.receipt.returnData) == ["a", "noted", "zz"])
        #expect(Self.keys(chain.run("demo", "list").receipt.returnData) == ["a", "noted", "zz"])
    }

    @Test(arguments: CryptoSuite.allCases)
    func callerBlockAndHash(suite: CryptoSuite) throws {
        var chain = WasmChain(suite)
        let receipt = chain.run("demo", "info", height: 42, time: 99_001).receipt
        #expect(receipt.status == .success)
        let info = receipt.returnData
        try #require(info.count == 40 + "civil-affairs".utf8.count)
        #expect(info[0..<4] == [1, 0, 0, 0])  // member
        #expect(info[4..<12] == [42, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(info[12..<20]) == withUnsafeBytes(of: UInt64(99_001).littleEndian, Array.init))
        #expect(Array(info[20..<40]) == Address(publicKey: ContractFixtures.member(suite).publicKey).bytes)
        #expect(String(decoding: info[40...], as: UTF8.self) == "civil-affairs")
        let admin = chain.run("demo", "info", signer: ContractFixtures.admin(suite)).receipt.returnData
        #expect(admin[0..<4] == [0, 0, 0, 0])
        #expect(chain.run("demo", "key").receipt.returnData == ContractFixtures.member(suite).publicKey.rawRepresentation)
        let message = Array("the chain's hash".utf8)
        #expect(chain.run("demo", "hash", message).receipt.returnData == suite.hash(message).bytes)
    }

    @Test(arguments: CryptoSuite.allCases)
    func verifySignature(suite: CryptoSuite) throws {
        var chain = WasmChain(suite)
        let key = ContractFixtures.client(suite)
        let message = Array("approve permit 7".utf8)
        let signature = try key.signature(for: message).rawRepresentation
        let raw = key.publicKey.rawRepresentation
        let valid = chain.run("demo", "verify", [UInt8(raw.count)] + raw + signature + message)
        #expect(valid.receipt.returnData == [1])
        let tampered = chain.run("demo", "verify", [UInt8(raw.count)] + raw + signature + message + [0])
        #expect(tampered.receipt.returnData == [0])
        let garbageKey = chain.run("demo", "verify", [3, 1, 2, 3] + signature + message)
        #expect(garbageKey.receipt.returnData == [0])
        #expect(valid.gas > (suite == .sm ? 150_000 : 50_000))
    }

    @Test func eventsCarryTheContractName() {
        var chain = WasmChain()
        func field(_ text: String) -> [UInt8] {
            withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian, Array.init) + Array(text.utf8)
        }
        let receipt = chain.run("demo", "note", field("permit") + field("7") + field("by") + field("clerk")).receipt
        #expect(receipt.events == [Event(contract: "demo", name: "noted",
                                         attributes: [EventAttribute("permit", "7"), EventAttribute("by", "clerk")])])
        let broken = chain.run("demo", "note", [9, 0, 0, 0, 1]).receipt
        #expect(broken.failureCode == "contract.invalid_event")
    }

    @Test func nestedCallKeepsTheCalleesWritesOnSuccess() {
        let code = WasmFixtures.wasm(WasmFixtures.demo)
        var chain = WasmChain(contracts: ["demo": code, "other": code])
        let put = chain.run("demo", "nest", nestArguments("other", "put", putArguments("k", "v")))
        #expect(put.receipt.status == .success)
        #expect(put.receipt.returnData == [0])
        #expect(chain.value("other", "k") == Array("v".utf8))
        #expect(chain.value("demo", "k") == nil)
        #expect(chain.run("demo", "nest", nestArguments("other", "who")).receipt.returnData == [0] + Array("demo".utf8))
        #expect(chain.run("demo", "who").receipt.returnData == [])
        let got = chain.run("demo", "nest", nestArguments("other", "get", Array("k".utf8)))
        #expect(got.receipt.returnData == [0, 1] + Array("v".utf8))
    }

    @Test func nestedCallFailureIsReportedAndRolledBack() {
        let code = WasmFixtures.wasm(WasmFixtures.demo)
        var chain = WasmChain(contracts: ["demo": code, "other": code, "cold": code], frozen: ["cold"])
        let failed = chain.run("demo", "nest", nestArguments("other", "boom"))
        #expect(failed.receipt.status == .success)
        #expect(failed.receipt.returnData == [1] + Array("other.oops\nbad thing".utf8))
        #expect(chain.value("other", "oops") == nil)
        #expect(failed.writes.isEmpty)
        for (callee, code) in [("kv", "contract.call_refused"), ("nobody", "contract.unknown"), ("cold", "contract.frozen")] {
            let data = chain.run("demo", "nest", nestArguments(callee, "put", putArguments("k", "v"))).receipt.returnData
            #expect(data.first == 1)
            #expect(String(decoding: data.dropFirst(), as: UTF8.self).hasPrefix(code + "\n"), "\(callee)")
        }
        let trapped = chain.run("demo", "nest", nestArguments("other", "crash")).receipt.returnData
        #expect(String(decoding: trapped.dropFirst(), as: UTF8.self).hasPrefix("contract.trap\n"))
    }

    @Test func sameCallTwiceGivesTheSameReceiptWritesAndGas() {
        let code = WasmFixtures.wasm(WasmFixtures.demo)
        let arguments = nestArguments("other", "put", putArguments("k", "v"))
        var first = WasmChain(contracts: ["demo": code, "other": code])
        var second = WasmChain(contracts: ["demo": code, "other": code])
        let one = first.run("demo", "nest", arguments)
        let two = second.run("demo", "nest", arguments)
        #expect(one.receipt == two.receipt)
        #expect(one.gas == two.gas)
        #expect(one.writes.map(\.key) == two.writes.map(\.key))
        #expect(one.writes.map(\.value) == two.writes.map(\.value))
        let spinOne = first.run("demo", "spin")
        let spinTwo = second.run("demo", "spin")
        #expect(spinOne.receipt == spinTwo.receipt && spinOne.gas == spinTwo.gas)
    }

    /// Through ``StateOverlay/set(_:_:)`` (a scan of pending writes) and ``StateOverlay/apply(_:)`` (a sorted
    /// index), and as the base of another overlay.
    @Test(arguments: [false, true])
    func overlayNextKeyMergesPendingWritesAndDeletes(applied: Bool) {
        let base = DictionaryState([(key: Array("n/a".utf8), value: [1]), (key: Array("n/c".utf8), value: [1]),
                                    (key: Array("n/e".utf8), value: [1]), (key: Array("o/a".utf8), value: [1])])
        var overlay = StateOverlay(base: base)
        let writes: [[UInt8]: [UInt8]?] = [Array("n/b".utf8): [2], Array("n/c".utf8): nil, Array("n/e".utf8): nil,
                                           Array("n/f".utf8): nil, Array("m/z".utf8): [3], Array("n/".utf8): nil]
        if applied {
            overlay.apply(writes)
        } else {
            for (key, value) in writes { overlay.set(key, value) }
        }
        var top = StateOverlay(base: overlay)
        top.set(Array("n/d".utf8), [4])
        top.set(Array("n/a".utf8), nil)
        #expect(top.nextKey(after: Array("n/".utf8), prefix: Array("n/".utf8)) == Array("n/b".utf8))
        #expect(top.nextKey(after: Array("n/b".utf8), prefix: Array("n/".utf8)) == Array("n/d".utf8))
        #expect(top.nextKey(after: Array("n/d".utf8), prefix: Array("n/".utf8)) == nil)
        #expect(overlay.nextKey(after: [], prefix: Array("n/".utf8)) == Array("n/a".utf8))
        var keys: [String] = []
        var cursor = Array("n/".utf8)
        while let next = overlay.nextKey(after: cursor, prefix: Array("n/".utf8)) {
            keys.append(String(decoding: next, as: UTF8.self))
            cursor = next
        }
        #expect(keys == ["n/a", "n/b"])
        #expect(overlay.nextKey(after: Array("n/b".utf8), prefix: Array("o/".utf8)) == Array("o/a".utf8))
    }
}
