@testable import CivicCLI
import CivicClient
import CivicFormats
import CivicLedger
import Foundation
import NIOCore
import Testing

/// Governance on a devnet of real node processes, driven through the `civic` commands an operator
/// types: a fifth organization and its validator voted in, a validator voted out, a node's TLS
/// certificate rotated while transactions commit.
@Suite("Devnet governance with real node processes", .serialized)
struct DevnetGovernanceTests {
    /// The devnet, its organizations' admins and a background writer.
    struct Governed {
        let network: DevnetTests.Network
        /// Admin key files of organizations 1–4 (org 1's is the demo admin).
        let admins: [String]

        init(_ network: DevnetTests.Network) {
            self.network = network
            admins = [network.layout.demo.key("admin")]
                + DevnetLayout.organizations[1..<4].map { network.layout.adminKey($0) }
        }

        func url(_ index: Int) -> String { "http://127.0.0.1:\(network.manifest.nodes[index].apiPort)" }

        @discardableResult
        func civic(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            try CivicProcess.civic(arguments, in: network.directory, sourceLocation: sourceLocation)
        }

        /// Proposes with `change` flags as org 1's admin, then has orgs 1–3 vote for it (MAJORITY of
        /// four or five organizations); returns the proposal's id.
        func pass(_ change: [String], id: UInt64, via nodes: [Int] = [0, 1, 2]) throws {
            let output = try civic(["proposal", "create"] + change + ["--key", admins[0], "--node", url(nodes[0])])
            #expect(output.contains("proposal:    \(id)"), "unexpected proposal output: \(output)")
            for (organization, node) in zip(0..<3, nodes) {
                try civic(["proposal", "vote", "\(id)", "--key", admins[organization], "--node", url(node)])
            }
            let shown = try civic(["proposal", "show", "\(id)", "--node", url(nodes[0])])
            #expect(shown.contains("executed"), "proposal \(id) did not execute:\n\(shown)")
        }

        /// The applies-from height of the newest validator-set entry, seen by node `index`.
        func newestSetAppliesFrom(via index: Int) async throws -> UInt64 {
            try #require(try await network.client(index).validatorSets().entries.map(\.appliesFrom).max())
        }

        /// The first block at or above `from` (waiting up to `seconds`) whose certificate `validator` signed.
        func firstBlockSigned(by validator: String, from: UInt64, via index: Int, seconds: Int = 60) async throws -> UInt64? {
            let deadline = ContinuousClock.now + .seconds(seconds)
            var height = from
            var number = 10_000
            while ContinuousClock.now < deadline {
                if let block = try? await network.client(index).block("\(height)") {
                    if block.certificate?.signatures.contains(where: { $0.validator == validator }) == true { return height }
                    height += 1
                } else {
                    number += 1
                    _ = try? await network.commit(number, via: index)
                }
            }
            return nil
        }
    }

    @Test("a fifth organization is voted in and its validator joins, catches up and signs; a validator voted out leaves and the chain goes on; node-1's certificate is rotated while transactions commit",
          arguments: ["intl", "sm"])
    func fifthOrganizationJoinsAValidatorLeavesACertificateRotates(suite: String) async throws {
        let governed = Governed(try DevnetTests.Network(suite: suite))
        let network = governed.network
        defer { network.down() }
        #expect(try await network.commit(0, via: 0) != nil)

        // The fifth organization's operator creates its CA, admin, validator key and TLS certificate.
        let organization = DevnetLayout.organizations[4]
        let folder = network.directory + "/net/orgs/\(DevnetLayout.slug(organization))"
        let node = network.directory + "/net/nodes/node-5"
        try governed.civic(["org", "create", "--name", organization, "--suite", suite, "--dir", folder])
        try governed.civic(["keygen", "--suite", suite, "--out", folder + "/admin.pem"])
        try FileManager.default.createDirectory(atPath: node, withIntermediateDirectories: true)
        try governed.civic(["keygen", "--suite", suite, "--out", node + "/validator.pem"])
        try governed.civic(["org", "issue-node", "--ca-dir", folder, "--name", "node-5", "--chain-id", network.genesis.chainID,
                            "--out-dir", node])

        try governed.pass(["--add-organization", organization, "--ca", folder + "/ca.crt", "--admin-key", folder + "/admin.pem",
                           "--admin-name", "Tax admin"], id: 1)
        try governed.pass(["--add-validator", "node-5", "--validator-key", node + "/validator.pem",
                           "--organization", organization], id: 2)
        let joinsAt = try await governed.newestSetAppliesFrom(via: 0)

        // node-5 starts from genesis, is accepted by the peers (its CA is on chain now), catches up and votes.
        let apiPort = try freePort()
        var arguments = [
            "node", "start", "--genesis", network.layout.genesis, "--key", node + "/validator.pem", "--data", node + "/data",
            "--listen", "127.0.0.1:\(apiPort)", "--p2p-listen", "127.0.0.1:\(try freePort())",
            "--tls-cert", node + "/node-5-tls.crt", "--tls-key", node + "/node-5-tls.key", "--log-level", "notice",
        ]
        for peer in network.manifest.nodes { arguments += ["--peer", "127.0.0.1:\(peer.p2pPort)"] }
        let fifth = try LocalProcess.start(arguments, logPath: node + "/node.log", executable: CivicProcess.binary)
        defer { fifth.terminate() }
        let signed = try await governed.firstBlockSigned(by: "node-5", from: joinsAt, via: 0)
        let log = (try? String(contentsOfFile: node + "/node.log", encoding: .utf8)) ?? ""
        #expect(signed != nil, "node-5 never signed a commit certificate; its log:\n\(log.suffix(3_000))")
        let fifthClient = NodeClient(baseURL: "http://127.0.0.1:\(apiPort)", timeout: .seconds(10))
        let fifthInfo = try await fifthClient.chainInfo()
        #expect(fifthInfo.validatorIndex == 4)
        #expect(fifthInfo.height >= joinsAt)

        // node-4 is voted out; once its removal applies it is stopped and the chain goes on with four.
        try governed.pass(["--remove-validator", "node-4"], id: 3)
        let leavesAt = try await governed.newestSetAppliesFrom(via: 0)
        var height: UInt64 = 0
        for number in 1...20 where height < leavesAt { height = try #require(try await network.commit(number, via: 0)) }
        _ = await LocalProcess.stop(pid: try #require(network.manifest.nodes[3].pid))
        for number in 21...25 { height = try #require(try await network.commit(number, via: number % 3)) }
        #expect(height >= leavesAt)
        let last = try await network.client(0).block("\(height)")
        let signers = Set(last.certificate?.signatures.compactMap(\.validator) ?? [])
        #expect(!signers.contains("node-4") && signers.isSubset(of: ["node-1", "node-2", "node-3", "node-5"]))
        #expect(try await fifthClient.chainInfo().validators.map(\.name) == ["node-1", "node-2", "node-3", "node-5"])
        try await network.expectNoFork(upTo: height, on: [0, 1, 2])

        // node-1's TLS certificate is rotated while a writer keeps committing through node-2.
        let before = try await network.client(0).chainInfo()
        let oldNotAfter = try #require(before.certificates.first { $0.name == "tls" }?.notAfterMs)
        let writer = Task {
            var (committed, failed) = (0, 0)
            var number = 20_000
            while !Task.isCancelled {
                number += 1
                let height = (try? await network.commit(number, via: 1)) ?? nil
                // A request cut short by the cancellation at the end is not a failure of the chain.
                if height != nil { committed += 1 } else if !Task.isCancelled { failed += 1 }
            }
            return (committed, failed)
        }
        let staging = network.directory + "/rotation"
        try governed.civic(["org", "issue-node", "--ca-dir", network.directory + "/net/orgs/\(DevnetLayout.slug(DevnetLayout.organizations[0]))",
                            "--name", "node-1", "--chain-id", network.genesis.chainID, "--out-dir", staging, "--days", "200"])
        let first = network.manifest.nodes[0].name
        for (file, target) in [("node-1-tls.key", network.layout.tlsKey(first)), ("node-1-tls.crt", network.layout.tlsCertificate(first))] {
            #expect(rename(staging + "/" + file, target) == 0)
        }
        var rotated: ChainInfoResponse?
        let deadline = ContinuousClock.now + .seconds(30)
        while rotated == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            let info = try await network.client(0).chainInfo()
            if let notAfter = info.certificates.first(where: { $0.name == "tls" })?.notAfterMs, notAfter < oldNotAfter - 86_400_000 {
                rotated = info
            }
        }
        try await Task.sleep(for: .seconds(1))
        writer.cancel()
        let (committed, failed) = await writer.value
        let firstLog = (try? String(contentsOfFile: network.layout.log(first), encoding: .utf8)) ?? ""
        #expect(rotated != nil, "node-1 did not take the new certificate:\n\(firstLog.suffix(2_000))")
        #expect(firstLog.contains("transport certificate replaced"))
        #expect(committed > 0 && failed == 0, "during the rotation \(committed) committed, \(failed) failed")
        #expect(rotated?.connectedPeers == before.connectedPeers, "links dropped during the rotation")

        // A new connection to node-1 authenticates with the new certificate: node-2 restarts and links again.
        _ = await LocalProcess.stop(pid: try #require(network.manifest.nodes[1].pid))
        let second = try network.restart(1)
        defer { second.terminate() }
        var relinked = false
        let relinkDeadline = ContinuousClock.now + .seconds(30)
        while !relinked && ContinuousClock.now < relinkDeadline {
            try await Task.sleep(for: .milliseconds(250))
            relinked = (try? await network.client(0).chainInfo().connectedPeers) == before.connectedPeers
        }
        #expect(relinked, "node-2 did not link to node-1 again after node-1's rotation")
        #expect(try await network.commit(30_000, via: 1) != nil)
        await LocalProcess.stop(second)
        await LocalProcess.stop(fifth)
    }
}
