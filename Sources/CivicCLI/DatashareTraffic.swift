import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// The mixed traffic of `civic bench datashare`: closed-loop workers, a third each doing grant checks, gateway
/// accesses and certificate verifications, for a fixed time.
struct DatashareTraffic: Sendable {
    /// The three kinds of operation.
    enum Kind: String, CaseIterable, Codable, Sendable {
        /// `GET /v1/catalog/requests/{n}`: a consumer checks its grant is active before fetching.
        case grantCheck = "grant_check"
        /// One person's or company's row fetched under a grant; the access is recorded on chain (commit awaited).
        case access = "gateway_access"
        /// A signed `certificates.verify`, commit awaited.
        case verification = "certificate_verification"
    }

    /// One kind's samples in one round.
    struct Samples: Sendable {
        var latenciesMilliseconds: [Double] = []
        var failures = 0
        /// Verifications that found the certificate valid; accesses served.
        var positive = 0
        var firstFailure: String?

        mutating func merge(_ other: Samples) {
            latenciesMilliseconds += other.latenciesMilliseconds
            failures += other.failures
            positive += other.positive
            firstFailure = firstFailure ?? other.firstFailure
        }
    }

    let client: NodeClient
    let chainID: String
    let city: DatashareCity
    let keys: DatashareLoader.Keys
    let grants: [DatashareLoader.Grant]
    let access: DatashareAccessPath
    let concurrency: Int

    /// Runs every worker for `seconds`; returns each kind's samples.
    func round(seconds: Double) async -> [Kind: Samples] {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        return await withTaskGroup(of: (Kind, Samples).self) { group in
            for worker in 0..<concurrency {
                let kind = Kind.allCases[worker % Kind.allCases.count]
                group.addTask { (kind, await work(kind, until: deadline)) }
            }
            var result: [Kind: Samples] = [:]
            for await (kind, samples) in group { result[kind, default: Samples()].merge(samples) }
            return result
        }
    }

    private func work(_ kind: Kind, until deadline: ContinuousClock.Instant) async -> Samples {
        var samples = Samples()
        var session: DatashareAccessPath.Session?
        while ContinuousClock.now < deadline {
            let started = ContinuousClock.now
            do {
                let positive: Bool
                switch kind {
                case .grantCheck: positive = try await checkGrant()
                case .verification: positive = try await verify()
                case .access:
                    if session == nil { session = try access.session() }
                    positive = try await performAccess(session!)
                }
                samples.latenciesMilliseconds.append(ContinuousClock.now.seconds(since: started) * 1000)
                if positive { samples.positive += 1 }
            } catch {
                samples.failures += 1
                samples.firstFailure = samples.firstFailure ?? "\(error)"
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        return samples
    }

    /// A random grant; `true` when the node says it is active.
    private func checkGrant() async throws -> Bool {
        let grant = grants.randomElement()!
        let view = try await client.shareRequest(grant.id)
        guard view.id == grant.id else { throw CLIError(description: "The node answered request \(view.id) for \(grant.id).") }
        return view.active
    }

    /// A random certificate checked by the department its holder authorized; `true` when valid.
    private func verify() async throws -> Bool {
        let index = Int.random(in: 0..<city.counts.certificates)
        let certificate = city.certificate(index)
        let call = TransactionBuilder.verifyCertificate(VerifyRequest(certificate: certificate.id,
                                                                      documentFingerprint: city.documentFingerprint(index)))
        let receipt = try await Self.commit(call, key: keys.staff[certificate.verifier], chainID: chainID, client: client)
        guard let bytes = Hex.decode(receipt.returnData), let result = try? VerifyResult(canonicalBytes: bytes) else {
            throw CLIError(description: "A verification returned no result.")
        }
        return result.isValid
    }

    /// One row of a random subject under a random grant of a resource with rows.
    private func performAccess(_ session: DatashareAccessPath.Session) async throws -> Bool {
        let grant = grants.filter { $0.item.kind != .cases }.randomElement()!
        let subject = grant.item.kind == .residents
            ? SyntheticIdentifiers.personID(Int.random(in: 0..<city.counts.people), count: city.counts.people)
            : SyntheticIdentifiers.companyCode(Int.random(in: 0..<city.counts.companies), count: city.counts.companies)
        return try await session.fetch(grant: grant, subject: subject)
    }

    /// Signs `call`, submits it and waits for its commit; returns the receipt of a successful transaction.
    static func commit(_ call: ContractCall, key: PrivateKey, chainID: String, client: NodeClient) async throws -> ReceiptView {
        let transaction = try TransactionBuilder(chainID: chainID, key: key).sign(call)
        let response = try await client.submit(transaction, wait: true)
        guard response.status == "committed", let receipt = response.receipt else {
            throw CLIError(description: "Transaction \(response.hash) is \(response.status): \(response.error?.message ?? "")")
        }
        guard receipt.status == "success" else {
            throw CLIError(description: "Transaction \(response.hash) failed: \(receipt.code ?? "") \(receipt.message ?? "")")
        }
        return receipt
    }
}

/// How the traffic's accesses reach the data: the way the bench records them.
struct DatashareAccessPath: Sendable {
    let client: NodeClient
    let chainID: String
    let city: DatashareCity
    let keys: DatashareLoader.Keys
    /// The off-chain rows.
    let registryPath: String

    /// One worker's state (its own SQLite connection).
    final class Session {
        let path: DatashareAccessPath
        let registry: OffChainRegistry

        init(path: DatashareAccessPath) throws {
            self.path = path
            registry = try OffChainRegistry(path: path.registryPath)
        }

        /// Reads the row as the provider's gateway would, then records the access with the provider's gateway key
        /// (`catalog.record_access`) and waits for the commit. `true` when served.
        func fetch(grant: DatashareLoader.Grant, subject: String) async throws -> Bool {
            let city = path.city
            let table = grant.item.kind == .residents ? OffChainRegistry.peopleTable : OffChainRegistry.companiesTable
            guard let row = try registry.row(in: table, key: subject) else {
                throw CLIError(description: "No row \(subject) in \(table.name).")
            }
            let served = row.map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
            let report = AccessReport(
                resource: city.resourceID(grant.item.provider, grant.item.kind), grant: grant.id,
                consumer: Address(publicKey: path.keys.staff[grant.item.consumer].publicKey),
                consumerOrganization: city.department(grant.item.consumer), fields: row.map(\.0),
                servedFingerprint: city.suite.hash(Array(served.utf8)),
                subjects: [SubjectFingerprint.make(identifier: subject, salt: city.salt, suite: city.suite)], rows: 1, refusal: "")
            _ = try await DatashareTraffic.commit(TransactionBuilder.recordAccess(report), key: path.keys.gateways[grant.item.provider],
                                                  chainID: path.chainID, client: path.client)
            return true
        }
    }

    /// A session for one worker.
    func session() throws -> Session { try Session(path: self) }

    /// How accesses are made, for the report.
    var description: String { "recorded by the bench as the provider's gateway (catalog.record_access; no gateway process)" }
}
