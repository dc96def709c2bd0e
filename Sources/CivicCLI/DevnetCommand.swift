import ArgumentParser
import CivicClient
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct DevnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet", abstract: "Run a local network of validator processes (one organization each).",
        subcommands: [Up.self, Down.self, Status.self])

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (first time) and start a local network, load demo data, print the API addresses.",
            discussion: """
                Generates one organization per node with its CA (SM2 on an sm chain), each node's validator key and \
                its TLS certificate, and the genesis file, in DIR; starts the nodes on loopback. Run it again to \
                restart the same network. Stop it with `civic devnet down`, or with Ctrl-C when --foreground.
                """)

        @Option(help: "Number of validators for a new network (1-10).")
        var nodes: Int = 4

        @Option(help: "Crypto suite for a new network: sm or intl.")
        var suite: String = "sm"

        @Option(help: "The network's folder.")
        var dir: String = "devnet"

        @Option(help: "First API port (node i listens on PORT + i − 1 when those are free).")
        var apiPort: Int = 8080

        @Option(help: "Block interval of a new chain, in milliseconds.")
        var blockIntervalMs: UInt32 = ChainParameters().blockIntervalMilliseconds

        @Option(help: "Most transactions per block of a new chain.")
        var blockTransactionsMax: UInt32 = ChainParameters().blockTransactionsMax

        @Flag(inversion: .prefixedNo, help: "Load demo identities and evidence into a new chain.")
        var demo = true

        @Flag(help: "Stay attached: Ctrl-C (or SIGTERM) stops the network.")
        var foreground = false

        @Option(help: "The nodes' log level.")
        var logLevel: String = "info"

        func run() async throws {
            guard let suite = CryptoSuite(name: suite) else { throw ValidationError("--suite must be 'sm' or 'intl'.") }
            let layout = DevnetLayout(directory: dir)
            let parameters = ChainParameters(blockTransactionsMax: blockTransactionsMax, blockIntervalMilliseconds: blockIntervalMs)
            var manifest = try layout.load() ?? layout.create(count: nodes, suite: suite, apiPortBase: apiPort, parameters: parameters)
            if let running = manifest.nodes.first(where: { $0.pid.map(LocalProcess.isAlive) ?? false }) {
                throw CLIError(description: "\(running.name) of the devnet in \(dir) is already running (pid \(running.pid!)); stop it with `civic devnet down --dir \(dir)`.")
            }
            var processes: [Process] = []
            for index in manifest.nodes.indices {
                let entry = manifest.nodes[index]
                let process = try LocalProcess.start(layout.startArguments(entry, in: manifest, logLevel: logLevel),
                                                     logPath: layout.log(entry.name), append: true)
                manifest.nodes[index].pid = process.processIdentifier
                processes.append(process)
            }
            try layout.write(manifest)
            let urls = manifest.nodes.map { "http://127.0.0.1:\($0.apiPort)" }
            for (entry, url) in zip(manifest.nodes, urls) {
                guard await LocalProcess.waitForHealth(url, seconds: 60) else {
                    throw CLIError(description: "\(entry.name) did not answer at \(url) within 60 s; see \(layout.log(entry.name)).")
                }
            }
            let genesis: Genesis
            do { genesis = try GenesisFile.load(path: layout.genesis) } catch { throw CLIError(description: error.description) }
            if demo, try await NodeClient(baseURL: urls[0]).chainInfo().height == 0 {
                let gateway = zip(manifest.nodes, urls).first { $0.0.organization == DemoLayout.gatewayOrganization }?.1
                try await layout.demo.loadDemoData(url: urls[0], chainID: genesis.chainID, gateway: gateway)
            }
            printSummary(manifest, urls: urls, layout: layout, genesis: genesis)
            guard foreground else { return }
            await LocalProcess.waitForTerminationSignal()
            await stopAll(processes)
            var stopped = manifest
            for index in stopped.nodes.indices { stopped.nodes[index].pid = nil }
            try layout.write(stopped)
        }

        private func stopAll(_ processes: [Process]) async {
            await withTaskGroup(of: Void.self) { group in
                for process in processes { group.addTask { await LocalProcess.stop(process) } }
            }
        }

        /// Where a newcomer starts in the console: the resource whose accesses to look at, and the certificate and
        /// document to verify (the demo data of ``DemoLayout/loadServices(_:gateway:)``).
        private func newcomerLines(_ demo: DemoLayout) -> String {
            let certificate = DemoLayout.verifiableCertificate
            return """
                  who accessed:  in the console, "Who accessed" → resource \(DemoLayout.accessedResource)
                  verify a certificate:  in the console, Certificates → \(certificate.id), drop \(demo.documents)/\(certificate.document)

                """
        }

        private func printSummary(_ manifest: DevnetLayout.Manifest, urls: [String], layout: DevnetLayout, genesis: Genesis) {
            var text = "\nCivicLedger devnet '\(genesis.chainID)' (suite \(genesis.suite)), \(manifest.nodes.count) validators:\n"
            for (entry, url) in zip(manifest.nodes, urls) {
                text += "  \(entry.name)  \(entry.organization.padding(toLength: 28, withPad: " ", startingAt: 0))  API \(url)  p2p 127.0.0.1:\(entry.p2pPort)  pid \(entry.pid ?? 0)\n"
            }
            text += """
                  console:     open \(urls[0])/console in a browser; sign in with a key from \(layout.directory)/keys

                """
            if demo { text += newcomerLines(layout.demo) }
            text += """
                  chain info:  curl \(urls[0])/v1/chain
                  status:      swift run civic status --node \(urls.last!)
                  verify a receipt offline:
                    swift run civic verify \(layout.demo.proofs)/court-evidence-contract.txt.civicproof --genesis \(layout.genesis)
                  record a file as evidence, verify its receipt offline, fetch an RFC 3161 token:
                    swift run civic evidence put README.md --key \(layout.demo.key("court-clerk")) --node \(urls[min(1, urls.count - 1)])
                    swift run civic evidence verify README.md --genesis \(layout.genesis)
                    swift run civic evidence timestamp README.md --node \(urls[min(1, urls.count - 1)])
                  logs:        \(layout.directory)/nodes/*/node.log
                \(foreground ? "Stop with Ctrl-C." : "Stop with: swift run civic devnet down --dir \(layout.directory)")

                """
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the nodes of a devnet (its data stays).")

        @Option(help: "The network's folder.")
        var dir: String = "devnet"

        func run() async throws {
            let layout = DevnetLayout(directory: dir)
            guard var manifest = try layout.load() else { throw CLIError(description: "There is no devnet in \(dir).") }
            for index in manifest.nodes.indices {
                guard let pid = manifest.nodes[index].pid else { continue }
                let stopped = await LocalProcess.stop(pid: pid)
                print("\(manifest.nodes[index].name): \(stopped ? "stopped" : "was not running") (pid \(pid))")
                manifest.nodes[index].pid = nil
            }
            try layout.write(manifest)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each devnet node's process and committed height.")

        @Option(help: "The network's folder.")
        var dir: String = "devnet"

        func run() async throws {
            let layout = DevnetLayout(directory: dir)
            guard let manifest = try layout.load() else { throw CLIError(description: "There is no devnet in \(dir).") }
            for entry in manifest.nodes {
                let alive = entry.pid.map(LocalProcess.isAlive) ?? false
                var line = "\(entry.name)  \(entry.organization)  \(alive ? "running (pid \(entry.pid!))" : "stopped")"
                if alive, let info = try? await NodeClient(baseURL: "http://127.0.0.1:\(entry.apiPort)").chainInfo() {
                    line += "  height \(info.height)"
                }
                print(line)
            }
        }
    }
}
