import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// Loads the synthetic city into a node through its HTTP API, as the departments would: every identity, catalog
/// entry, request, decision, certificate type, certificate and authorization is a signed transaction sent in batches
/// to `POST /v1/transactions/batch`, phase by phase (each phase waits for the commit of the one it depends on).
struct DatashareLoader {
    /// The keys of the city's actors.
    struct Keys: Sendable {
        /// One staff identity (role member) per department.
        var staff: [PrivateKey]
        /// One exchange-gateway identity (role member) per department.
        var gateways: [PrivateKey]
        /// One key per certificate holder (role client, organization `citizens`).
        var holders: [PrivateKey]
    }

    /// A grant the traffic uses: request number and service item.
    struct Grant: Sendable {
        var id: UInt64
        var item: DatashareCity.ServiceItem
    }

    /// What was loaded.
    struct Loaded: Sendable {
        var keys: Keys
        var grants: [Grant]
        var approvals: Int
        var transactions: Int
    }

    let client: NodeClient
    let builder: TransactionBuilder
    let city: DatashareCity
    let keys: Keys
    /// The gateway URL written in catalog entries.
    let gatewayURL: String
    let progress: Bool

    /// Transactions per batch request and concurrent batch connections.
    static let batchSize = 500
    static let connections = 4

    func load() async throws -> Loaded {
        let counts = city.counts
        var sent = 0
        let admin = builder.key

        // 1. Identities, registered by the genesis admin.
        var calls: [(PrivateKey, ContractCall)] = []
        for department in 0..<counts.departments {
            calls.append((admin, TransactionBuilder.registerIdentity(keys.staff[department].publicKey, name: "staff",
                                                                      organization: city.department(department), role: .member)))
            calls.append((admin, TransactionBuilder.registerIdentity(keys.gateways[department].publicKey, name: "gateway",
                                                                      organization: city.department(department), role: .member)))
        }
        for (index, holder) in keys.holders.enumerated() {
            calls.append((admin, TransactionBuilder.registerIdentity(holder.publicKey, name: "holder-\(index)",
                                                                      organization: "citizens", role: .client)))
        }
        sent += try await run("identities", calls)

        // 2. The catalog (three resources per department) and the certificate types.
        calls = []
        for department in 0..<counts.departments {
            for kind in DatashareCity.ResourceKind.allCases {
                calls.append((keys.staff[department],
                              TransactionBuilder.publishResource(city.resourceDraft(department, kind, gateway: gatewayURL))))
            }
        }
        for type in 0..<counts.certificateTypes {
            let (id, issuer) = city.certificateType(type)
            calls.append((keys.staff[issuer], TransactionBuilder.registerCertificateType(
                CertificateTypeDraft(id: id, name: "Certificate type \(type + 1)", description: "Synthetic e-certificate type"))))
        }
        sent += try await run("catalog and certificate types", calls)

        // 3. One request per service item, and the certificates.
        let now = TransactionBuilder.wallClock().milliseconds
        let items = (0..<counts.serviceItems).map(city.serviceItem)
        calls = items.map { item in
            (keys.staff[item.consumer], TransactionBuilder.requestResource(RequestDraft(
                resource: city.resourceID(item.provider, item.kind), purpose: "Service item \(item.id)", serviceItem: item.id,
                durationMilliseconds: 180 * 24 * 3_600_000)))
        }
        let requestCount = calls.count
        for index in 0..<counts.certificates {
            let certificate = city.certificate(index)
            calls.append((keys.staff[certificate.issuer], TransactionBuilder.issueCertificate(CertificateDraft(
                id: certificate.id, type: city.certificateType(certificate.type).id,
                documentFingerprint: city.documentFingerprint(index), holderFingerprint: city.personFingerprint(certificate.person),
                holder: Address(publicKey: keys.holders[index].publicKey),
                validFrom: Timestamp(milliseconds: now - 86_400_000), validUntil: Timestamp(milliseconds: now + 5 * 365 * 86_400_000)))))
        }
        let (requestSent, receipts) = try await runReturningHashes("requests and certificates", calls)
        sent += requestSent
        let requestNumbers = try receipts.prefix(requestCount).map(Self.returnNumber)

        // 4. The owners' approvals of conditional requests, and the holders' authorizations.
        calls = []
        var grants: [Grant] = []
        for (item, number) in zip(items, requestNumbers) {
            grants.append(Grant(id: number, item: item))
            if city.shareType(item.provider, item.kind) == .conditional {
                calls.append((keys.staff[item.provider], TransactionBuilder.decideRequest(.approve, id: number, note: "conditions met")))
            }
        }
        let approvals = calls.count
        for index in 0..<counts.certificates {
            let certificate = city.certificate(index)
            calls.append((keys.holders[index], TransactionBuilder.authorizeVerifier(AuthorizationDraft(
                certificate: certificate.id, verifierOrganization: city.department(certificate.verifier),
                purpose: "government service", validUntil: Timestamp(milliseconds: now + 300 * 86_400_000)))))
        }
        sent += try await run("approvals and authorizations", calls)
        return Loaded(keys: keys, grants: grants, approvals: approvals, transactions: sent)
    }

    // MARK: - Phases

    /// Signs, submits and waits for the commit of one phase (every receipt a success); returns how many it sent.
    private func run(_ phase: String, _ calls: [(PrivateKey, ContractCall)]) async throws -> Int {
        try await runReturningHashes(phase, calls).sent
    }

    private func runReturningHashes(_ phase: String, _ calls: [(PrivateKey, ContractCall)]) async throws
        -> (sent: Int, receipts: [ReceiptView]) {
        guard !calls.isEmpty else { return (0, []) }
        let started = ContinuousClock.now
        let transactions = try await Self.sign(calls, chainID: builder.chainID)
        let height = try await client.chainInfo().height
        let refused = try await BenchWorkload.submit(transactions.map(\.canonicalBytes), to: [client], batch: Self.batchSize,
                                                     connections: Self.connections)
        guard refused == 0 else { throw CLIError(description: "The node refused \(refused) transactions of phase '\(phase)'.") }
        let receipts = try await committedReceipts(phase, transactions.map { $0.hash(suite: city.suite).hex }, after: height)
        if progress {
            print(String(format: "loaded %@: %d transactions in %.1f s", phase, calls.count,
                         ContinuousClock.now.seconds(since: started)))
        }
        return (calls.count, receipts)
    }

    /// The receipts of the transactions `hashes` (hex), in order, read from the blocks above `height` as they commit
    /// (whole blocks: a receipt lookup per transaction would rebuild a proof each time). Every one must succeed.
    private func committedReceipts(_ phase: String, _ hashes: [String], after height: UInt64) async throws -> [ReceiptView] {
        var found: [String: ReceiptView] = [:]
        var next = height + 1
        let deadline = ContinuousClock.now + .seconds(900)
        while found.count < hashes.count {
            let head = try await client.chainInfo().height
            if next > head {
                if ContinuousClock.now > deadline { throw CLIError(description: "Phase '\(phase)' did not commit in 15 minutes.") }
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            for receipt in try await client.block(String(next)).receipts { found[receipt.transactionHash] = receipt }
            next += 1
        }
        return try hashes.enumerated().map { index, hash in
            guard let receipt = found[hash] else { throw CLIError(description: "Phase '\(phase)': transaction \(index) is missing.") }
            guard receipt.status == "success" else {
                throw CLIError(description: "Phase '\(phase)': transaction \(index) failed: \(receipt.code ?? "") \(receipt.message ?? "")")
            }
            return receipt
        }
    }

    /// The u64 big-endian number a transaction returned (a request number).
    private static func returnNumber(_ receipt: ReceiptView) throws -> UInt64 {
        guard let bytes = Hex.decode(receipt.returnData), bytes.count == 8 else {
            throw CLIError(description: "Transaction \(receipt.transactionHash) returned no request number.")
        }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    // MARK: - Keys and signatures

    /// Generates the keys on every core.
    static func generateKeys(suite: CryptoSuite, staff: Int, holders: Int) async throws -> Keys {
        let all = try await parallelMap(Array(0..<(2 * staff + holders))) { _ in PrivateKey.generate(suite: suite) }
        return Keys(staff: Array(all[0..<staff]), gateways: Array(all[staff..<2 * staff]), holders: Array(all[(2 * staff)...]))
    }

    /// Signs every call with its key, on every core.
    static func sign(_ calls: [(PrivateKey, ContractCall)], chainID: String) async throws -> [Transaction] {
        try await parallelMap(calls) { key, call in try TransactionBuilder(chainID: chainID, key: key).sign(call) }
    }

    /// `transform` applied to every element, in chunks on every core, in order.
    static func parallelMap<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @escaping @Sendable (Element) throws -> Result) async throws -> [Result] {
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(1, (elements.count + lanes - 1) / lanes)
        return try await withThrowingTaskGroup(of: (Int, [Result]).self) { group in
            for start in stride(from: 0, to: elements.count, by: chunk) {
                group.addTask { (start, try elements[start..<min(start + chunk, elements.count)].map(transform)) }
            }
            var parts: [(Int, [Result])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
