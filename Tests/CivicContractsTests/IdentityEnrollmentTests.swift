import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import CivicTesting
import Testing

/// A stand-in for an X.509 identity certificate, so that contract tests need no OpenSSL certificate code: the
/// issuing CA's DER (as governance stores it), name, role, key, end and chain id. The node's real checker is tested
/// with real certificates in `NodeIdentityEnrollmentTests`.
struct FakeCertificate: Hashable, CanonicalCodable {
    var issuer: [UInt8]
    var name: String
    var role: Role
    var key: PublicKey
    var notAfter: Timestamp
    var chainID = ContractFixtures.chainID

    func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(bytes: issuer)
        encoder.encode(string: name)
        encoder.encode(role)
        encoder.encode(key)
        encoder.encode(notAfter)
        encoder.encode(string: chainID)
    }

    init(issuer: [UInt8], name: String, role: Role, key: PublicKey, notAfter: Timestamp) {
        self.issuer = issuer
        self.name = name
        self.role = role
        self.key = key
        self.notAfter = notAfter
    }

    init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        issuer = try decoder.decodeBytes("issuer", max: 1_000)
        name = try decoder.decodeString("name", maxBytes: 1_000)
        role = try decoder.decode(Role.self)
        key = try decoder.decode(PublicKey.self)
        notAfter = try decoder.decode(Timestamp.self)
        chainID = try decoder.decodeString("chain", maxBytes: 100)
    }
}

/// Accepts a ``FakeCertificate`` issued by one of the authorities, for the chain, before its end.
struct FakeCertificateChecker: CertificateChecker {
    func check(
        certificateDER: [UInt8], authorities: [CertificateAuthority], chainID: String, suite: CryptoSuite,
        at time: Timestamp
    ) throws(ContractFailure) -> CertifiedIdentity {
        guard let certificate = try? FakeCertificate(canonicalBytes: certificateDER) else {
            throw ContractFailure(code: "identity.malformed", message: "not a certificate")
        }
        guard let authority = authorities.first(where: { $0.certificateDER == certificate.issuer }) else {
            throw ContractFailure(code: "identity.unknown_ca", message: "unknown CA")
        }
        guard time <= certificate.notAfter else { throw ContractFailure(code: "identity.expired", message: "expired") }
        guard certificate.chainID == chainID else {
            throw ContractFailure(code: "identity.wrong_chain", message: "wrong chain")
        }
        return CertifiedIdentity(
            organization: authority.organization, name: certificate.name, role: certificate.role,
            publicKey: certificate.key, notAfter: certificate.notAfter)
    }
}

/// `identity.enroll` and the per-transaction certificate check in the executor, over the governance test chain
/// (organizations `a`…`d`, whose CA "certificates" are the bytes `ca-a`…`ca-d`).
@Suite struct IdentityEnrollmentTests {
    static let suites: [CryptoSuite] = [.sm, .intl]

    static func chain(_ suite: CryptoSuite) -> GovernanceChain {
        // Three validators, in a, b and c: organization d runs none and may be removed.
        var chain = GovernanceChain(suite, validators: 3)
        chain.executor = TransactionExecutor(certificates: FakeCertificateChecker())
        return chain
    }

    static func certificate(
        _ key: PrivateKey, _ organization: String = "a", role: Role = .member, notAfter: UInt64 = 100_000
    ) -> [UInt8] {
        FakeCertificate(issuer: Array("ca-\(organization)".utf8), name: "holder", role: role, key: key.publicKey,
                        notAfter: Timestamp(milliseconds: notAfter)).canonicalBytes
    }

    static func everyday(_ chain: inout GovernanceChain, _ key: PrivateKey) -> String {
        chain.run(key, "put", KeyValueContract.Put(key: Array("k".utf8), value: [1]).canonicalBytes, contract: "kv")
    }

    static func enroll(_ chain: inout GovernanceChain, _ key: PrivateKey, _ der: [UInt8]) -> String {
        chain.run(key, "enroll", der, contract: "identity")
    }

    @Test("Enrollment writes the certificate's organization, role, name, fingerprint and end", arguments: suites)
    func enroll(suite: CryptoSuite) throws {
        var chain = Self.chain(suite)
        let key = ContractFixtures.key(suite, 60)
        let der = Self.certificate(key, "b", role: .client)
        #expect(Self.enroll(&chain, key, der) == "ok")
        let identity = try #require(try chain.identity(key.publicKey))
        #expect(identity.organization == "b")
        #expect(identity.role == .client)
        #expect(identity.name == "holder")
        #expect(identity.registeredAt == Height(chain.height))
        #expect(identity.certificate == IdentityCertificate(
            algorithm: suite == .sm ? .sm3 : .sha256, fingerprint: suite.hash(der),
            notAfter: Timestamp(milliseconds: 100_000), enrolledAt: Height(chain.height)))
        #expect(Self.everyday(&chain, key) == "ok")
    }

    @Test("Refused enrollments write nothing", arguments: suites)
    func refusals(suite: CryptoSuite) throws {
        var chain = Self.chain(suite)
        let key = ContractFixtures.key(suite, 61)
        let cases: [(String, [UInt8])] = [
            ("identity.malformed", []),
            ("identity.malformed", [1, 2, 3]),
            ("identity.unknown_ca", Self.certificate(key, "z")),
            ("identity.key_mismatch", Self.certificate(ContractFixtures.key(suite, 62))),
            ("identity.expired", Self.certificate(key, notAfter: 5_000)),
        ]
        for (code, der) in cases {
            #expect(Self.enroll(&chain, key, der) == code)
            #expect(chain.lastWrites.isEmpty)
        }
        #expect(try chain.identity(key.publicKey) == nil)
        // A registered member of `a` cannot take a certificate of another organization.
        #expect(Self.enroll(&chain, GovernanceChain.member(suite), Self.certificate(GovernanceChain.member(suite), "b"))
            == "identity.organization_mismatch")
    }

    @Test("Without a checker, enrollment is refused; unregistered keys still call nothing else", arguments: suites)
    func defaultExecutor(suite: CryptoSuite) throws {
        var chain = GovernanceChain(suite, validators: 3)
        let key = ContractFixtures.key(suite, 63)
        #expect(Self.enroll(&chain, key, Self.certificate(key)) == "identity.enrollment_unavailable")
        #expect(Self.everyday(&chain, key) == "identity.unknown_caller")
        #expect(chain.run(key, "register", [], contract: "identity") == "identity.unknown_caller")
    }

    @Test("Per transaction: expired, revoked by a governance vote, organization removed", arguments: suites)
    func perTransactionCheck(suite: CryptoSuite) throws {
        var chain = Self.chain(suite)
        let expiring = ContractFixtures.key(suite, 64)
        let revoked = ContractFixtures.key(suite, 65)
        let removed = ContractFixtures.key(suite, 66)
        #expect(Self.enroll(&chain, expiring, Self.certificate(expiring, notAfter: 30_000)) == "ok")
        let revokedDER = Self.certificate(revoked, notAfter: 1_000_000)
        #expect(Self.enroll(&chain, revoked, revokedDER) == "ok")
        #expect(Self.enroll(&chain, removed, Self.certificate(removed, "d", notAfter: 1_000_000)) == "ok")
        for key in [expiring, revoked, removed] { #expect(Self.everyday(&chain, key) == "ok") }

        chain.time = 29_000
        #expect(Self.everyday(&chain, expiring) == "identity.certificate_expired")  // block time 30,000 = notAfter
        #expect(chain.lastWrites.isEmpty)

        let fingerprint = suite.hash(revokedDER)
        #expect(chain.pass(.revokeCertificate(algorithm: suite == .sm ? .sm3 : .sha256, fingerprint: fingerprint))
            == ["ok", "ok", "ok", "ok"])
        #expect(Self.everyday(&chain, revoked) == "identity.certificate_revoked")
        #expect(chain.lastWrites.isEmpty)

        #expect(Self.everyday(&chain, removed) == "ok")
        #expect(chain.pass(.removeOrganization(name: "d")) == ["ok", "ok", "ok", "ok"])
        #expect(Self.everyday(&chain, removed) == "identity.organization_removed")
        #expect(chain.lastWrites.isEmpty)
        // Its CA is no longer trusted for enrollment either.
        let newcomer = ContractFixtures.key(suite, 67)
        #expect(Self.enroll(&chain, newcomer, Self.certificate(newcomer, "d", notAfter: 1_000_000)) == "identity.unknown_ca")
        // Genesis identities carry no certificate and are not checked.
        #expect(Self.everyday(&chain, GovernanceChain.member(suite)) == "ok")
    }

    @Test("Renewal: a newer certificate replaces the stored one, also after expiry; older and same are refused",
          arguments: suites)
    func renewal(suite: CryptoSuite) throws {
        var chain = Self.chain(suite)
        let key = ContractFixtures.key(suite, 68)
        #expect(Self.enroll(&chain, key, Self.certificate(key, notAfter: 20_000)) == "ok")
        chain.time = 25_000
        #expect(Self.everyday(&chain, key) == "identity.certificate_expired")
        #expect(Self.enroll(&chain, key, Self.certificate(key, role: .client, notAfter: 500_000)) == "ok")
        #expect(try chain.identity(key.publicKey)?.certificate?.notAfter == Timestamp(milliseconds: 500_000))
        #expect(try chain.identity(key.publicKey)?.role == .client)
        #expect(Self.everyday(&chain, key) == "ok")
        #expect(Self.enroll(&chain, key, Self.certificate(key, role: .admin, notAfter: 400_000))
            == "identity.certificate_not_newer")
        #expect(Self.enroll(&chain, key, Self.certificate(key, role: .client, notAfter: 500_000))
            == "identity.already_enrolled")
        // A genesis identity takes a certificate of its own organization.
        let clerk = GovernanceChain.member(suite)
        #expect(Self.enroll(&chain, clerk, Self.certificate(clerk, "a", notAfter: 500_000)) == "ok")
        #expect(try chain.identity(clerk.publicKey)?.certificate != nil)
        #expect(try chain.identity(clerk.publicKey)?.registeredAt == .genesis)
    }

    @Test("A deactivated identity cannot enroll again", arguments: suites)
    func deactivatedCannotEnroll(suite: CryptoSuite) throws {
        var chain = Self.chain(suite)
        let key = ContractFixtures.key(suite, 69)
        #expect(Self.enroll(&chain, key, Self.certificate(key, notAfter: 500_000)) == "ok")
        let admin = GovernanceChain.admin(suite, "a")
        #expect(chain.run(admin, "deactivate",
                          IdentityContract.Change(address: Address(publicKey: key.publicKey), role: .member).canonicalBytes,
                          contract: "identity") == "ok")
        #expect(Self.enroll(&chain, key, Self.certificate(key, notAfter: 900_000)) == "identity.inactive")
    }

    @Test("An identity without certificate encodes as before certificates existed; one with a certificate round-trips")
    func encoding() throws {
        let key = ContractFixtures.key(.intl, 70).publicKey
        var plain = Identity(publicKey: key, name: "n", organization: "o", role: .member, active: true,
                             registeredAt: Height(7))
        var encoder = CanonicalEncoder()
        encoder.encode(key)
        encoder.encode(string: "n")
        encoder.encode(string: "o")
        encoder.encode(Role.member)
        encoder.encode(true)
        encoder.encode(Height(7))
        #expect(plain.canonicalBytes == encoder.bytes)
        #expect(try Identity(canonicalBytes: encoder.bytes) == plain)

        plain.certificate = IdentityCertificate(
            algorithm: .sha256, fingerprint: Hash256(bytes: [UInt8](repeating: 9, count: 32)),
            notAfter: Timestamp(milliseconds: 123), enrolledAt: Height(7))
        let bytes = plain.canonicalBytes
        #expect(bytes.count == encoder.bytes.count + 1 + 1 + 32 + 8 + 8)
        #expect(try Identity(canonicalBytes: bytes) == plain)
        #expect(try Identity(canonicalBytes: bytes).canonicalBytes == bytes)
        var zeroTag = encoder.bytes
        zeroTag.append(0)
        #expect(throws: CodecError.self) { try Identity(canonicalBytes: zeroTag) }
        #expect(throws: CodecError.self) { try Identity(canonicalBytes: Array(bytes.dropLast())) }
    }
}
