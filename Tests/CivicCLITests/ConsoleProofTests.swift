@testable import CivicCLI
import CivicClient
import CivicCodec
import CivicCrypto
import CivicLedger
import Foundation
import Testing

/// `GET /v1/transactions/{hash}/proof?format=json` from a real 4-validator devnet, checked by the console's
/// `js/proof.js` under Node.js: a genuine proof passes every check, and each kind of tampering fails its check.
@Suite("ConsoleCrypto: transaction proofs checked in the browser", .serialized)
struct ConsoleCryptoProofTests {
    /// A proof answer and the genesis the browser holds, as JSON objects.
    struct Fixture {
        var proof: [String: Any]
        var genesis: [String: Any]
    }

    /// Commits a batch of key-value writes on a devnet of `suite` and fetches the JSON proof of one whose audit
    /// path is not empty, with `/v1/chain` as the genesis; also checks the binary form and a bad `format`.
    private func fixture(_ network: DevnetTests.Network) async throws -> Fixture {
        let transactions = try (0..<5).map { number in
            try network.admin.sign(TransactionBuilder.keyValuePut(key: Array("console-\(number)".utf8), value: [UInt8(number)]))
        }
        _ = try await network.client(0).submitBatch(transactions.map(\.canonicalBytes))
        let client = network.client(1)
        var chosen: [String: Any]?
        for transaction in transactions {
            let hash = transaction.hash(suite: network.genesis.suite)
            var response: (status: Int, body: [UInt8]) = (0, [])
            for _ in 0..<150 {
                response = try await client.raw("/v1/transactions/\(hash.hex)/proof?format=json")
                if response.status == 200 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            try #require(response.status == 200, "no proof of \(hash.hex): \(String(decoding: response.body, as: UTF8.self))")
            let proof = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let path = ((proof["transaction"] as? [String: Any])?["path"] as? [String: Any])?["path"] as? [String] ?? []
            if chosen == nil && !path.isEmpty { chosen = proof }
            let binary = try await client.raw("/v1/transactions/\(hash.hex)/proof")
            #expect(binary.status == 200 && binary.body.starts(with: Array("CIVICPROOF".utf8)))
        }
        let bad = try await client.raw("/v1/transactions/\(transactions[0].hash(suite: network.genesis.suite).hex)/proof?format=xml")
        #expect(bad.status == 400)
        let (status, chain) = try await client.raw("/v1/chain")
        try #require(status == 200)
        let genesis = try #require(try JSONSerialization.jsonObject(with: Data(chain)) as? [String: Any])
        return Fixture(proof: try #require(chosen, "no transaction of the batch has a non-empty audit path"), genesis: genesis)
    }

    /// The checks of `proof` against `genesis`, by id.
    private func checks(_ proof: Any, _ genesis: Any) throws -> [String: Bool?] {
        let answer = try ConsoleJS.run(["op": "proof", "proof": proof, "genesis": genesis])
        let list = try #require(answer["checks"] as? [[String: Any]], "\(answer)")
        var result: [String: Bool?] = [:]
        for check in list {
            let id = check["id"] as? String ?? "?"
            result[id] = check["ok"] as? Bool
            #expect(check["detail"] is String, "\(id) has no detail")
        }
        return result
    }

    /// `object` with the hex string at `path` changed by flipping the lowest bit of byte `byte`.
    private func flipping(_ object: [String: Any], _ path: [String], byte: Int) throws -> [String: Any] {
        var object = object
        if path.count == 1 {
            let text = try #require(object[path[0]] as? String)
            var bytes = try #require(Hex.decode(text))
            bytes[byte] ^= 1
            object[path[0]] = Hex.encode(bytes)
        } else {
            let inner = try #require(object[path[0]] as? [String: Any])
            object[path[0]] = try flipping(inner, Array(path.dropFirst()), byte: byte)
        }
        return object
    }

    /// Flips a bit of the first hash of the audit path under `part`.
    private func flippingPath(_ proof: [String: Any], part: String) throws -> [String: Any] {
        var proof = proof
        var section = try #require(proof[part] as? [String: Any])
        var path = try #require(section["path"] as? [String: Any])
        var hashes = try #require(path["path"] as? [String])
        let firstHex = try #require(hashes.first)
        var first = try #require(Hex.decode(firstHex))
        first[7] ^= 0x80
        hashes[0] = Hex.encode(first)
        path["path"] = hashes
        section["path"] = path
        proof[part] = section
        return proof
    }

    /// Flips a bit of the first commit signature.
    private func flippingSignature(_ proof: [String: Any]) throws -> [String: Any] {
        var proof = proof
        var certificate = try #require(proof["certificate"] as? [String: Any])
        var signatures = try #require(certificate["signatures"] as? [[String: Any]])
        signatures[0] = try flipping(signatures[0], ["signature"], byte: 10)
        certificate["signatures"] = signatures
        proof["certificate"] = certificate
        return proof
    }

    /// The same genesis with every validator's key replaced by a fresh one: another chain's validators.
    private func otherValidators(_ genesis: [String: Any], suite: CryptoSuite) throws -> [String: Any] {
        var genesis = genesis
        let validators = try #require(genesis["validators"] as? [[String: Any]])
        genesis["validators"] = validators.map { validator in
            var validator = validator
            validator["public_key"] = Hex.encode(PrivateKey.generate(suite: suite).publicKey.rawRepresentation)
            return validator
        }
        return genesis
    }

    @Test("a genuine proof passes every check; tampering fails the matching check", arguments: ["sm", "intl"])
    func proofsInTheBrowser(suite: String) async throws {
        let network = try DevnetTests.Network(suite: suite)
        defer { network.down() }
        let fixture = try await fixture(network)
        let chainSuite = network.genesis.suite
        let (proof, genesis) = (fixture.proof, fixture.genesis)

        let genuine = try checks(proof, genesis)
        let expectedIDs: Set = ["header.chain", "header.validator_set", "commit.signatures", "transaction.signature",
                                "transaction.in_block", "receipt.in_block", "validator_set.transitions", "overall"]
        #expect(Set(genuine.keys) == expectedIDs)
        for (id, ok) in genuine { #expect(ok == true, "\(id) should pass on a genuine proof") }

        // The genesis form with suite-tagged keys (66 bytes) is accepted as well.
        var tagged = genesis
        tagged["validators"] = (genesis["validators"] as? [[String: Any]] ?? []).map { validator in
            var validator = validator
            validator["public_key"] = String(format: "%02x", chainSuite.rawValue) + (validator["public_key"] as? String ?? "")
            return validator
        }
        #expect(try checks(proof, tagged)["overall"] == true)

        let cases: [(String, [String: Any], [String: Any], [String])] = [
            ("transaction bit", try flipping(proof, ["transaction", "bytes"], byte: 40), genesis,
             ["transaction.signature", "transaction.in_block", "receipt.in_block"]),
            ("transaction signature bit", try flipping(proof, ["transaction", "bytes"], byte: -1 + hexCount(proof, "transaction")),
             genesis, ["transaction.signature", "transaction.in_block"]),
            ("transaction path hash", try flippingPath(proof, part: "transaction"), genesis, ["transaction.in_block"]),
            ("receipt bit", try flipping(proof, ["receipt", "bytes"], byte: 40), genesis, ["receipt.in_block"]),
            ("header bit (block time)", try flipping(proof, ["header", "bytes"], byte: hexCount(proof, "header") - 170), genesis,
             ["commit.signatures"]),
            ("commit signature bit", try flippingSignature(proof), genesis, ["commit.signatures"]),
            ("another genesis's validators", proof, try otherValidators(genesis, suite: chainSuite),
             ["header.validator_set", "commit.signatures"]),
        ]
        for (name, tamperedProof, tamperedGenesis, failing) in cases {
            let result = try checks(tamperedProof, tamperedGenesis)
            for id in failing { #expect(result[id] == false, "\(name): \(id) should fail, got \(String(describing: result[id]))") }
            #expect(result["overall"] == false, "\(name): overall should fail")
            for (id, ok) in result where !failing.contains(id) && id != "overall" {
                #expect(ok == true, "\(name): \(id) should still pass")
            }
        }

        // Malformed input fails checks with reasons instead of throwing.
        let empty = try checks([String: Any](), genesis)
        #expect(empty["overall"] == false && empty["transaction.in_block"] == false)
        let noGenesis = try checks(proof, "not a genesis")
        #expect(noGenesis["commit.signatures"] == false && noGenesis["overall"] == false)
    }

    /// The byte count of the hex string `part.bytes`.
    private func hexCount(_ proof: [String: Any], _ part: String) -> Int {
        ((proof[part] as? [String: Any])?["bytes"] as? String ?? "").count / 2
    }
}
