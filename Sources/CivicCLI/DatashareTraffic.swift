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
        let servable = access.servable(grants)
        while ContinuousClock.now < deadline {
            let started = ContinuousClock.now
            do {
                let positive: Bool
                switch kind {
                case .grantCheck: positive = try await checkGrant()
                case .verification: positive = try await verify()
                case .access:
                    guard let grant = servable.randomElement() else { throw CLIError(description: "No grant of the gateway's resources.") }
                    positive = try await access.fetch(grant: grant)
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

/// How the traffic's accesses reach the data: a signed fetch through the provider's exchange gateway
/// (`POST /v1/gateway/fetch`, Docs/0016), which checks the grant, reads the row from its SQLite table adapter, records
/// the access with `catalog.record_access` and waits for the commit before it answers; the client then opens the
/// envelope and checks its fingerprint against the access record on chain (``NodeClient/fetch``).
struct DatashareAccessPath: Sendable {
    let client: NodeClient
    let chainID: String
    let city: DatashareCity
    let keys: DatashareLoader.Keys
    /// The department whose gateway runs on the bench's node (a gateway serves its own department's resources).
    let provider: Int

    /// The grants the gateway can serve: its department's resources with rows.
    func servable(_ grants: [DatashareLoader.Grant]) -> [DatashareLoader.Grant] {
        grants.filter { $0.item.provider == provider && $0.item.kind != .cases }
    }

    /// One row, of a random person or company, under `grant`, fetched with the consumer's staff key; `true` when
    /// one row was served and checked against the chain.
    func fetch(grant: DatashareLoader.Grant) async throws -> Bool {
        let (field, subject) = grant.item.kind == .residents
            ? ("id_number", SyntheticIdentifiers.personID(Int.random(in: 0..<city.counts.people), count: city.counts.people))
            : ("credit_code", SyntheticIdentifiers.companyCode(Int.random(in: 0..<city.counts.companies), count: city.counts.companies))
        let result = try await client.fetch(resource: city.resourceID(grant.item.provider, grant.item.kind), grant: grant.id,
                                            filter: [FieldCondition(field: field, value: subject)], limit: 1,
                                            key: keys.staff[grant.item.consumer], chainID: chainID)
        return result.rows.count == 1 && result.rows[0][field] == subject
    }

    /// How accesses are made, for the report.
    var description: String {
        "signed fetches of one row through \(city.department(provider))'s exchange gateway (SQLite table adapter), "
            + "each recorded on chain before it is answered and checked by the client against the record"
    }
}
