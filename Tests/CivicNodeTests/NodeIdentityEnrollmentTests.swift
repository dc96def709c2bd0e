import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicNetwork
@testable import CivicNode
import Logging
import Testing

/// A one-validator chain whose only organization, `city-hall`, has a real CA in genesis; its admin (a genesis
/// identity without certificate) drives governance. Identities enroll with certificates issued by that CA.
struct EnrollmentWorld {
    static let organization = "city-hall"
    static let day: UInt64 = 86_400_000

    let suite: CryptoSuite
    let authority: OrganizationCA
    let validatorKey: PrivateKey
    let adminKey: PrivateKey
    let genesis: Genesis
    let clock: SteppedClock
    let store = MemoryLedgerStore()
    let node: Node

    init(suite: CryptoSuite) throws {
        self.suite = suite
        authority = try OrganizationCA.create(
            organization: Self.organization, suite: suite,
            validity: ValidityWindow(starting: Timestamp(milliseconds: Fixture.start.milliseconds - Self.day), days: 3650))
        validatorKey = PrivateKey.generate(suite: suite)
        adminKey = PrivateKey.generate(suite: suite)
        genesis = Genesis(
            chainID: "civic-test", suite: suite, time: Timestamp(milliseconds: Fixture.start.milliseconds - 60_000),
            validators: ValidatorSet([
                Validator(name: "validator-1", organization: Self.organization, publicKey: validatorKey.publicKey, power: 1),
            ]),
            identities: [
                GenesisIdentity(name: "admin", organization: Self.organization, role: .admin, publicKey: adminKey.publicKey),
            ],
            parameters: ChainParameters(blockTransactionsMax: 100, blockIntervalMilliseconds: 10),
            organizations: [GenesisOrganization(name: Self.organization, caCertificates: [authority.certificate.derRepresentation])])
        clock = SteppedClock(Fixture.start)
        node = try Node(configuration: .init(genesis: genesis, validatorKey: validatorKey, clock: clock),
                        store: store, logger: Logger(label: "civic.test"))
    }

    /// A certificate for `key` issued by `issuer` (the world's CA by default), valid from a day ago for `lifetime` ms.
    func issue(
        _ key: PrivateKey, role: Role = .member, name: String = "li-wei", chainID: String? = nil,
        issuer: OrganizationCA? = nil, lifetime: UInt64 = 30 * day, startingAgo: UInt64 = day, startingIn: UInt64 = 0
    ) throws -> X509Certificate {
        let start = Timestamp(milliseconds: clock.now().milliseconds - startingAgo + startingIn)
        return try (issuer ?? authority).issueIdentityCertificate(
            name: name, role: role, publicKey: key.publicKey, chainID: chainID ?? genesis.chainID,
            validity: ValidityWindow(notBefore: start, notAfter: Timestamp(milliseconds: start.milliseconds + lifetime)))
    }

    /// `call` signed by `key`, expiring ten minutes after the clock.
    func sign(_ call: ContractCall, by key: PrivateKey) throws -> Transaction {
        let body = TransactionBody(
            chainID: genesis.chainID, signer: key.publicKey, nonce: UInt64.random(in: .min ... .max),
            expiresAt: Timestamp(milliseconds: clock.now().milliseconds + 600_000), call: call)
        return try Transaction(signing: body, with: key)
    }

    /// The enrollment of `certificate`, signed by `key`.
    func enrollment(_ certificate: X509Certificate, by key: PrivateKey) throws -> Transaction {
        try sign(TransactionBuilder.enroll(certificateDER: certificate.derRepresentation), by: key)
    }

    /// Commits `transactions` in one block; returns their receipts.
    func commitAll(_ transactions: [Transaction]) throws -> [Receipt] { try commit(transactions, on: node) }

    /// A write to the key-value space signed by `key`: the everyday transaction of an enrolled identity.
    func everyday(by key: PrivateKey) throws -> Transaction {
        try sign(TransactionBuilder.keyValuePut(key: Array("k".utf8), value: Array("v".utf8)), by: key)
    }

    /// The registry's record of `key`.
    func identity(_ key: PrivateKey) throws -> Identity? {
        try store.stateValue(forKey: Identity.stateKey(Address(publicKey: key.publicKey)))
            .map { try Identity(canonicalBytes: $0) }
    }

    /// Revokes `certificate` by a governance proposal that the admin proposes and approves.
    func revoke(_ certificate: X509Certificate) throws {
        let (algorithm, fingerprint) = IdentityCertificate.fingerprint(of: certificate.derRepresentation, suite: suite)
        let deadline = Timestamp(milliseconds: clock.now().milliseconds + 600_000)
        let proposal = try commitAll([sign(
            TransactionBuilder.propose(.revokeCertificate(algorithm: algorithm, fingerprint: fingerprint), deadline: deadline),
            by: adminKey)])[0]
        #expect(proposal.status.isSuccess, "\(proposal.status)")
        let id = try UInt64(canonicalBytes: proposal.returnData)
        let vote = try commitAll([sign(TransactionBuilder.vote(proposal: id, approve: true), by: adminKey)])[0]
        #expect(vote.status.isSuccess, "\(vote.status)")
        #expect(try GovernanceContract.revocation(algorithm, fingerprint) { try store.stateValue(forKey: $0) } != nil)
    }
}

/// `identity.enroll` with real certificates, and the per-transaction certificate check, on a node.
@Suite struct NodeIdentityEnrollmentTests {
    static let suites: [CryptoSuite] = [.sm, .intl]

    @Test("Enrolling a certificate registers the key with the certificate's role, organization, name and end",
          arguments: suites)
    func enrollSucceeds(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let key = PrivateKey.generate(suite: suite)
        let certificate = try world.issue(key, role: .client, name: "Li Wei")
        let receipt = try world.commitAll([world.enrollment(certificate, by: key)])[0]
        #expect(receipt.status.isSuccess, "\(receipt.status)")
        #expect(receipt.returnData == Address(publicKey: key.publicKey).bytes)
        #expect(receipt.events.map(\.name) == ["identity.enrolled"])
        let identity = try #require(try world.identity(key))
        #expect(identity.role == .client)
        #expect(identity.organization == EnrollmentWorld.organization)
        #expect(identity.name == "Li Wei")
        #expect(identity.active)
        let stored = try #require(identity.certificate)
        #expect(stored.notAfter == certificate.validity.notAfter)
        #expect(stored.fingerprint == suite.hash(certificate.derRepresentation))
        #expect(stored.algorithm == (suite == .sm ? .sm3 : .sha256))
        // The enrolled identity signs everyday transactions, and its role is what contracts check.
        #expect(try world.commitAll([world.everyday(by: key)])[0].status.isSuccess)
        let register = try world.sign(
            TransactionBuilder.registerIdentity(PrivateKey.generate(suite: suite).publicKey, name: "x",
                                                organization: EnrollmentWorld.organization, role: .member), by: key)
        try expectRefusal(world.node, store: world.store, register.canonicalBytes, code: "permission.denied")
    }

    @Test("Enrollment is refused, with its code and nothing written, for each bad certificate", arguments: suites)
    func enrollRefusals(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let key = PrivateKey.generate(suite: suite)
        let stranger = try OrganizationCA.create(
            organization: "Ghost Bureau", suite: suite,
            validity: ValidityWindow(starting: Timestamp(milliseconds: Fixture.start.milliseconds - EnrollmentWorld.day), days: 3650))
        // Same organization name as the member, another key: a CA the chain never admitted.
        let impostor = try OrganizationCA.create(
            organization: EnrollmentWorld.organization, suite: suite,
            validity: ValidityWindow(starting: Timestamp(milliseconds: Fixture.start.milliseconds - EnrollmentWorld.day), days: 3650))
        let cases: [(String, Transaction)] = [
            ("identity.unknown_ca", try world.enrollment(world.issue(key, issuer: stranger), by: key)),
            ("identity.bad_signature", try world.enrollment(world.issue(key, issuer: impostor), by: key)),
            ("identity.key_mismatch", try world.enrollment(world.issue(PrivateKey.generate(suite: suite)), by: key)),
            ("identity.wrong_chain", try world.enrollment(world.issue(key, chainID: "other-chain"), by: key)),
            ("identity.expired",
             try world.enrollment(world.issue(key, lifetime: EnrollmentWorld.day / 2, startingAgo: EnrollmentWorld.day), by: key)),
            ("identity.not_yet_valid",
             try world.enrollment(world.issue(key, startingAgo: 0, startingIn: EnrollmentWorld.day), by: key)),
            ("identity.malformed", try world.sign(TransactionBuilder.enroll(certificateDER: [0x30, 0x03, 1, 2, 3]), by: key)),
        ]
        for (code, transaction) in cases {
            try expectRefusal(world.node, store: world.store, transaction.canonicalBytes, code: code)
            #expect(try world.identity(key) == nil, "\(code) wrote a record")
        }
    }

    @Test("A revoked certificate cannot enroll, and an enrolled one stops signing once governance revokes it",
          arguments: suites)
    func revocation(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let key = PrivateKey.generate(suite: suite)
        let certificate = try world.issue(key)
        #expect(try world.commitAll([world.enrollment(certificate, by: key)])[0].status.isSuccess)
        #expect(try world.commitAll([world.everyday(by: key)])[0].status.isSuccess)

        try world.revoke(certificate)
        let refusal = try expectRefusal(world.node, store: world.store, world.everyday(by: key).canonicalBytes,
                                        code: "identity.certificate_revoked")
        #expect(refusal?.isCertificateRefusal == true)

        // A certificate revoked before it was ever enrolled is refused at enrollment.
        let other = PrivateKey.generate(suite: suite)
        let revokedFirst = try world.issue(other)
        try world.revoke(revokedFirst)
        try expectRefusal(world.node, store: world.store, world.enrollment(revokedFirst, by: other).canonicalBytes,
                          code: "identity.certificate_revoked")
        #expect(try world.identity(other) == nil)
    }

    @Test("Once the block time passes notAfter, the identity's transactions fail with identity.certificate_expired",
          arguments: suites)
    func expiry(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let key = PrivateKey.generate(suite: suite)
        // Valid for five more minutes.
        let certificate = try world.issue(key, lifetime: EnrollmentWorld.day + 300_000)
        #expect(try world.commitAll([world.enrollment(certificate, by: key)])[0].status.isSuccess)

        // Admitted while valid, executed after the end: the receipt carries the code and nothing is written.
        let late = try world.sign(TransactionBuilder.keyValuePut(key: Array("late".utf8), value: [1]), by: key)
        try world.node.submit(late.canonicalBytes)
        world.clock.advance(byMilliseconds: 360_000)
        try world.node.produceBlock()
        let location = try #require(try world.node.reader.location(of: late.hash(suite: suite)))
        let receipt = try world.node.reader.receipts(at: location.height)[Int(location.index)]
        guard case .failure(let code, _) = receipt.status else {
            Issue.record("an expired certificate signed a successful transaction")
            return
        }
        #expect(code == "identity.certificate_expired")
        #expect(try world.store.stateValue(forKey: Array("kv/".utf8) + Address(publicKey: key.publicKey).bytes + Array("late".utf8)) == nil)

        // Admission now refuses at once, with the same code.
        let refusal = try expectRefusal(world.node, store: world.store, world.everyday(by: key).canonicalBytes,
                                        code: "identity.certificate_expired")
        #expect(refusal?.isCertificateRefusal == true)
    }

    @Test("Renewal with a newer certificate extends notAfter; an older or the same certificate is refused",
          arguments: suites)
    func renewal(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let key = PrivateKey.generate(suite: suite)
        let first = try world.issue(key, role: .member, lifetime: 10 * EnrollmentWorld.day)
        #expect(try world.commitAll([world.enrollment(first, by: key)])[0].status.isSuccess)
        let registeredAt = try #require(try world.identity(key)).registeredAt

        let second = try world.issue(key, role: .client, lifetime: 60 * EnrollmentWorld.day)
        let receipt = try world.commitAll([world.enrollment(second, by: key)])[0]
        #expect(receipt.status.isSuccess, "\(receipt.status)")
        #expect(receipt.events.map(\.name) == ["identity.renewed"])
        let renewed = try #require(try world.identity(key))
        #expect(renewed.certificate?.notAfter == second.validity.notAfter)
        #expect(renewed.certificate?.fingerprint == suite.hash(second.derRepresentation))
        #expect(renewed.role == .client)
        #expect(renewed.registeredAt == registeredAt)

        try expectRefusal(world.node, store: world.store, world.enrollment(first, by: key).canonicalBytes,
                          code: "identity.certificate_not_newer")
        try expectRefusal(world.node, store: world.store, world.enrollment(second, by: key).canonicalBytes,
                          code: "identity.already_enrolled")
    }

    @Test("Overlap window: a new key enrolls as a new identity while the old key signs until its own notAfter",
          arguments: suites)
    func overlap(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let oldKey = PrivateKey.generate(suite: suite)
        let newKey = PrivateKey.generate(suite: suite)
        #expect(try world.commitAll([world.enrollment(world.issue(oldKey, lifetime: EnrollmentWorld.day + 600_000),
                                                      by: oldKey)])[0].status.isSuccess)
        #expect(try world.commitAll([world.enrollment(world.issue(newKey, lifetime: 365 * EnrollmentWorld.day),
                                                      by: newKey)])[0].status.isSuccess)
        let both = try world.commitAll([world.everyday(by: oldKey), world.everyday(by: newKey)])
        #expect(both.allSatisfy { $0.status.isSuccess })

        world.clock.advance(byMilliseconds: 700_000)
        try expectRefusal(world.node, store: world.store, world.everyday(by: oldKey).canonicalBytes,
                          code: "identity.certificate_expired")
        #expect(try world.commitAll([world.everyday(by: newKey)])[0].status.isSuccess)
    }

    @Test("Identities without certificates (genesis, registered by an admin) are not checked", arguments: suites)
    func uncertifiedIdentitiesUnchanged(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let clerk = PrivateKey.generate(suite: suite)
        let register = try world.sign(
            TransactionBuilder.registerIdentity(clerk.publicKey, name: "clerk", organization: EnrollmentWorld.organization,
                                                role: .member), by: world.adminKey)
        #expect(try world.commitAll([register])[0].status.isSuccess)
        world.clock.advance(byMilliseconds: 400 * EnrollmentWorld.day)
        #expect(try world.identity(clerk)?.certificate == nil)
        #expect(try world.commitAll([world.everyday(by: clerk), world.everyday(by: world.adminKey)])
            .allSatisfy { $0.status.isSuccess })
    }

    @Test("The node's checker skips unusable CA records, and answers with the verifier's codes", arguments: suites)
    func checkerSkipsUnusableAuthorities(suite: CryptoSuite) throws {
        let world = try EnrollmentWorld(suite: suite)
        let key = PrivateKey.generate(suite: suite)
        let der = try world.issue(key, role: .observer, name: "Zhang San").derRepresentation
        let real = CertificateAuthority(organization: "City Hall", certificateDER: world.authority.certificate.derRepresentation)
        let junk = CertificateAuthority(organization: "Junk", certificateDER: Array("not a certificate".utf8))
        let checker = X509CertificateChecker()
        let now = world.clock.now()
        let certified = try checker.check(certificateDER: der, authorities: [junk, real], chainID: world.genesis.chainID,
                                          suite: suite, at: now)
        #expect(certified == CertifiedIdentity(organization: "City Hall", name: "Zhang San", role: .observer,
                                               publicKey: key.publicKey,
                                               notAfter: try X509Certificate(derRepresentation: der).validity.notAfter))
        let cases: [([CertificateAuthority], String, Timestamp)] = [
            ([junk], world.genesis.chainID, now),
            ([real], "other-chain", now),
            ([real], world.genesis.chainID, Timestamp(milliseconds: now.milliseconds + 60 * EnrollmentWorld.day)),
        ]
        let codes = cases.map { (authorities, chainID, time) -> String in
            do throws(ContractFailure) {
                _ = try checker.check(certificateDER: der, authorities: authorities, chainID: chainID, suite: suite, at: time)
                return "ok"
            } catch {
                return error.code
            }
        }
        #expect(codes == ["identity.unknown_ca", "identity.wrong_chain", "identity.expired"])
    }
}
