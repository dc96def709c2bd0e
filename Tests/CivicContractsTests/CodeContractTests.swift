import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// Uploading contract code in chunks, and the lifecycle changes' refusals that need no module.
@Suite("Contract code upload and lifecycle refusals")
struct CodeContractTests {
    private func upload(_ chunk: CodeContract.Chunk, by signer: PrivateKey, on chain: inout GovernanceChain) -> String {
        chain.run(signer, "upload", chunk.canonicalBytes, contract: "code")
    }

    @Test("A module uploaded in chunks, in any order, is readable once complete; each refusal has its code", arguments: [CryptoSuite.intl, .sm])
    func chunkedUpload(suite: CryptoSuite) throws {
        var chain = GovernanceChain(suite)
        let admin = GovernanceChain.admin(suite, "b")
        let code = (0..<(2 * CodeContract.chunkBytes + 100)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let chunks = CodeContract.Chunk.split(code, suite: suite)
        #expect(chunks.count == 3)
        let hash = suite.hash(code)
        // Members may not upload; a chunk of the wrong length or position is refused.
        #expect(upload(chunks[0], by: GovernanceChain.member(suite), on: &chain) == "permission.denied")
        var short = chunks[0]
        short.bytes.removeLast()
        #expect(upload(short, by: admin, on: &chain) == "code.invalid_chunk")
        var beyond = chunks[2]
        beyond.index = 3
        #expect(upload(beyond, by: admin, on: &chain) == "code.invalid_chunk")
        var huge = chunks[0]
        huge.size = UInt32(CodeContract.codeBytesMax + 1)
        #expect(upload(huge, by: admin, on: &chain) == "contract.code_too_large")
        #expect(chain.state.entries.keys.allSatisfy { !$0.starts(with: Array("code/".utf8)) }, "a refused chunk was stored")

        // Out of order; the module is not readable until its last chunk arrives.
        #expect(upload(chunks[2], by: admin, on: &chain) == "ok")
        #expect(upload(chunks[0], by: admin, on: &chain) == "ok")
        #expect(CodeContract.code(hash, read: { chain.state.value(forKey: $0) }) == nil)
        // A wrong last chunk fails the whole-module hash and is not kept.
        var wrong = chunks[1]
        wrong.bytes[0] ^= 1
        #expect(upload(wrong, by: admin, on: &chain) == "code.hash_mismatch")
        #expect(upload(chunks[1], by: admin, on: &chain) == "ok")
        #expect(CodeContract.code(hash, read: { chain.state.value(forKey: $0) }) == code)
        #expect(upload(chunks[1], by: admin, on: &chain) == "code.exists")
    }

    @Test("Deploy, upgrade and freeze refuse bad names, unknown code and unknown contracts at the proposal, changing nothing")
    func lifecycleRefusals() throws {
        var chain = GovernanceChain(.intl)
        let admin = GovernanceChain.admin(.intl, "a")
        let missing = CryptoSuite.intl.hash([1, 2, 3])
        for name in ["Token", "9lives", "my-token", "kv", "governance", "code", "contract", String(repeating: "a", count: 65)] {
            #expect(chain.propose(admin, .deployContract(name: name, codeHash: missing, initArguments: [])) == "governance.invalid_change",
                    "name \(name)")
        }
        #expect(chain.propose(admin, .deployContract(name: "token", codeHash: missing, initArguments: [])) == "governance.unknown_code")
        #expect(chain.propose(admin, .upgradeContract(name: "token", codeHash: missing)) == "governance.unknown_contract")
        #expect(chain.propose(admin, .setContractFrozen(name: "token", frozen: true)) == "governance.unknown_contract")
        #expect(chain.proposalCount == 0)
        #expect(DeployedContract.load("token", read: { chain.state.value(forKey: $0) }) == nil)
    }

    @Test("Lifecycle changes round-trip through the canonical codec and are governed by contract_deploy")
    func lifecycleChangeCodec() throws {
        let hash = CryptoSuite.sm.hash([9])
        for change in [GovernanceChange.deployContract(name: "token", codeHash: hash, initArguments: [1, 2]),
                       .upgradeContract(name: "token", codeHash: hash), .setContractFrozen(name: "token", frozen: true)] {
            #expect(try GovernanceChange(canonicalBytes: change.canonicalBytes) == change)
            #expect(change.resource == .contractDeploy)
        }
        let record = DeployedContract(name: "token", version: 2, codeHash: hash, frozen: true, deployedAt: Height(3),
                                      upgradedAt: Height(9), proposalID: 4)
        #expect(try DeployedContract(canonicalBytes: record.canonicalBytes) == record)
    }
}
