import CivicCrypto
import CivicLedger
import CivicNetwork
import Foundation
import Testing

/// Organization CAs and transport certificates: interoperability with `openssl` and every refusal kind.
@Suite struct CertificateVerifierTests {
    /// Flags OpenSSL 3.0 needs to check SM2-signed certificates: it does not apply the GM/T 0009 default signer id
    /// on its own, so `openssl verify` must be given `-vfyopt distid:1234567812345678` (without it: error 7,
    /// certificate signature failure). ECDSA certificates need no flag.
    static func verifyFlags(_ suite: CryptoSuite) -> [String] {
        suite == .sm ? ["-vfyopt", "distid:1234567812345678"] : []
    }

    @Test(arguments: CryptoSuite.allCases)
    func opensslAcceptsWhatWeIssue(suite: CryptoSuite) throws {
        let authority = try OrganizationCA.create(organization: "Nanjing Courts", suite: suite,
                                                  validity: NetworkTestSupport.currentWindow())
        let transportKey = PrivateKey.generate(suite: .intl)
        let leaf = try authority.issueTransportCertificate(
            nodeName: "node-1", chainID: "nanjing-gov", transportKey: transportKey.publicKey,
            validity: NetworkTestSupport.currentWindow(days: 10))
        let directory = try NetworkTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try authority.certificate.pemRepresentation.write(to: directory.appendingPathComponent("ca.pem"),
                                                          atomically: true, encoding: .utf8)
        try leaf.pemRepresentation.write(to: directory.appendingPathComponent("node.pem"),
                                         atomically: true, encoding: .utf8)

        let verified = try NetworkTestSupport.openssl(
            ["verify"] + Self.verifyFlags(suite) + ["-CAfile", "ca.pem", "node.pem"], in: directory)
        #expect(verified.status == 0, "\(verified.output) \(verified.error)")
        #expect(verified.output.contains("node.pem: OK"))
        if suite == .sm {
            // Without the signer id OpenSSL 3.0 computes another Z value and the SM2 signature fails.
            let bare = try NetworkTestSupport.openssl(["verify", "-CAfile", "ca.pem", "node.pem"], in: directory)
            #expect(bare.status != 0)
        }

        let text = try NetworkTestSupport.openssl(["x509", "-in", "node.pem", "-noout", "-text"], in: directory)
        #expect(text.status == 0)
        #expect(text.output.contains("Signature Algorithm: \(suite == .sm ? "SM2-with-SM3" : "ecdsa-with-SHA256")"))
        #expect(text.output.contains("Subject: O = Nanjing Courts, CN = node-1"))
        #expect(text.output.contains("Issuer: O = Nanjing Courts, CN = Nanjing Courts CA"))
        #expect(text.output.contains("URI:civicledger://chain/nanjing-gov"))
        #expect(text.output.contains("CA:FALSE"))
        #expect(text.output.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(text.output.contains("NIST CURVE: P-256"))

        let caText = try NetworkTestSupport.openssl(["x509", "-in", "ca.pem", "-noout", "-text"], in: directory)
        #expect(caText.output.contains("CA:TRUE"))
        #expect(caText.output.contains(suite == .sm ? "ASN1 OID: SM2" : "NIST CURVE: P-256"))
    }

    @Test(arguments: CryptoSuite.allCases)
    func acceptsOwnCertificateAndReadsItsFields(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        let leaf = try fixture.issue(validity: NetworkTestSupport.currentWindow())
        let accepted = try fixture.verifier.verify(leafDER: leaf.derRepresentation, at: fixture.now)
        #expect(accepted.commonName == "node-1")
        #expect(accepted.organization == "Shenzhen Tax")
        #expect(accepted.chainID == "sz-invoices")
        #expect(accepted.publicKey?.suite == .intl)
        #expect(try X509Certificate(pemRepresentation: leaf.pemRepresentation) == leaf)
    }

    @Test(arguments: CryptoSuite.allCases)
    func caRoundTripsThroughPEM(suite: CryptoSuite) throws {
        let authority = try OrganizationCA.create(organization: "Beijing Data", suite: suite,
                                                  validity: NetworkTestSupport.currentWindow())
        let loaded = try OrganizationCA(certificatePEM: authority.certificate.pemRepresentation,
                                        privateKeyPEM: authority.privateKey.pemRepresentation)
        #expect(loaded.certificate == authority.certificate)
        #expect(loaded.organization == "Beijing Data")
        let other = PrivateKey.generate(suite: suite)
        #expect(throws: PKIError.self) {
            try OrganizationCA(certificatePEM: authority.certificate.pemRepresentation,
                               privateKeyPEM: other.pemRepresentation)
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func expiredCertificateIsRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        let start = Timestamp(milliseconds: fixture.now.milliseconds - 10 * 86_400_000)
        let past = ValidityWindow(starting: start, days: 2)
        let leaf = try fixture.issue(validity: past)
        let refusal = fixture.refusal(leaf)
        #expect(refusal == .expired(notAfter: leaf.validity.notAfter))
        #expect(refusal?.code == "certificate.expired")
        #expect(refusal?.description.contains("expired at") == true)
    }

    @Test(arguments: CryptoSuite.allCases)
    func futureCertificateIsRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        let start = Timestamp(milliseconds: fixture.now.milliseconds + 5 * 86_400_000)
        let future = ValidityWindow(starting: start, days: 2)
        let leaf = try fixture.issue(validity: future)
        #expect(fixture.refusal(leaf) == .notYetValid(notBefore: leaf.validity.notBefore))
        #expect(fixture.refusal(leaf)?.code == "certificate.not_yet_valid")
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateOfAnotherOrganizationsCAIsRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        let stranger = try OrganizationCA.create(organization: "Unlisted Bank", suite: suite,
                                                 validity: NetworkTestSupport.currentWindow())
        let leaf = try stranger.issueTransportCertificate(
            nodeName: "intruder", chainID: "sz-invoices", transportKey: PrivateKey.generate(suite: .intl).publicKey,
            validity: NetworkTestSupport.currentWindow())
        let refusal = fixture.refusal(leaf)
        #expect(refusal == .unknownCA(issuer: "CN=Unlisted Bank CA,O=Unlisted Bank"))
        #expect(refusal?.code == "certificate.unknown_ca")
        #expect(refusal?.description.contains("not one of this chain's organization CAs") == true)
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateFromACAWithATrustedNameButAnotherKeyIsRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        let impostor = try OrganizationCA.create(organization: "Shenzhen Tax", suite: suite,
                                                 validity: NetworkTestSupport.currentWindow())
        let leaf = try impostor.issueTransportCertificate(
            nodeName: "node-9", chainID: "sz-invoices", transportKey: PrivateKey.generate(suite: .intl).publicKey,
            validity: NetworkTestSupport.currentWindow())
        #expect(fixture.refusal(leaf) == .badSignature)
        #expect(fixture.refusal(leaf)?.code == "certificate.bad_signature")
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateFromAnExpiredCAIsRefused(suite: CryptoSuite) throws {
        let now = NetworkTestSupport.nowMilliseconds()
        let lapsed = ValidityWindow(starting: Timestamp(milliseconds: now - 30 * 86_400_000), days: 10)
        let authority = try OrganizationCA.create(organization: "Old Office", suite: suite, validity: lapsed)
        let verifier = try CertificateVerifier(chainID: "c", suite: suite,
                                               authorities: [authority.certificate])
        let leaf = try authority.issueTransportCertificate(
            nodeName: "n", chainID: "c", transportKey: PrivateKey.generate(suite: .intl).publicKey,
            validity: NetworkTestSupport.currentWindow())
        do {
            _ = try verifier.verify(leafDER: leaf.derRepresentation, at: Timestamp(milliseconds: now))
            Issue.record("a certificate of an expired CA was accepted")
        } catch {
            #expect(error == .authorityNotValid(authority: "CN=Old Office CA,O=Old Office",
                                                validity: authority.certificate.validity))
            #expect(error.code == "certificate.ca_not_valid")
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func certificateForAnotherChainIsRefused(suite: CryptoSuite) throws {
        let fixture = try Fixture(suite: suite)
        let leaf = try fixture.authority.issueTransportCertificate(
            nodeName: "node-1", chainID: "sz-testnet", transportKey: PrivateKey.generate(suite: .intl).publicKey,
            validity: NetworkTestSupport.currentWindow())
        let refusal = fixture.refusal(leaf)
        #expect(refusal == .wrongChain(expected: "sz-invoices", found: "sz-testnet"))
        #expect(refusal?.code == "certificate.wrong_chain")
        #expect(refusal?.description.contains("'sz-testnet'") == true)
    }

    @Test func garbageIsMalformed() throws {
        let fixture = try Fixture(suite: .sm)
        #expect(throws: CertificateRefusal.self) {
            try fixture.verifier.verify(leafDER: [0x30, 0x03, 0x02, 0x01, 0x01], at: fixture.now)
        }
        let leaf = try fixture.issue(validity: NetworkTestSupport.currentWindow())
        do {
            _ = try fixture.verifier.verify(leafDER: leaf.derRepresentation + [0], at: fixture.now)
            Issue.record("trailing bytes were accepted")
        } catch {
            #expect(error.code == "certificate.malformed")
        }
        do {
            _ = try fixture.verifier.verify(leafDER: fixture.authority.certificate.derRepresentation, at: fixture.now)
            Issue.record("a CA certificate was accepted as a transport certificate")
        } catch {
            #expect(error.code == "certificate.malformed")
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func trustStoreFromGenesisOrganizations(suite: CryptoSuite) throws {
        let courts = try OrganizationCA.create(organization: "Courts", suite: suite,
                                               validity: NetworkTestSupport.currentWindow())
        let tax = try OrganizationCA.create(organization: "Tax", suite: suite,
                                            validity: NetworkTestSupport.currentWindow())
        let identity = PrivateKey.generate(suite: suite)
        let genesis = Genesis(
            chainID: "city-chain", suite: suite, time: Timestamp(milliseconds: 0),
            validators: ValidatorSet([Validator(name: "v", organization: "Courts", publicKey: identity.publicKey,
                                                power: 1)]),
            identities: [], parameters: ChainParameters(),
            organizations: [
                GenesisOrganization(name: "Courts", caCertificates: [courts.certificate.derRepresentation]),
                GenesisOrganization(name: "Tax", caCertificates: [tax.certificate.derRepresentation]),
            ])
        let verifier = try CertificateVerifier(genesis: genesis)
        #expect(verifier.chainID == "city-chain")
        #expect(verifier.authorities == [courts.certificate, tax.certificate])
        let leaf = try tax.issueTransportCertificate(
            nodeName: "tax-1", chainID: "city-chain", transportKey: PrivateKey.generate(suite: .intl).publicKey,
            validity: NetworkTestSupport.currentWindow())
        let now = Timestamp(milliseconds: NetworkTestSupport.nowMilliseconds())
        #expect(try verifier.verify(leafDER: leaf.derRepresentation, at: now).organization == "Tax")
    }

    @Test func trustStoreRefusesACAOfTheOtherSuite() throws {
        let intl = try OrganizationCA.create(organization: "Org", suite: .intl,
                                             validity: NetworkTestSupport.currentWindow())
        #expect(throws: PKIError.self) {
            try CertificateVerifier(chainID: "c", suite: .sm, authorityPEMs: [intl.certificate.pemRepresentation])
        }
    }

    /// One organization CA of `suite` trusted for chain `sz-invoices`.
    struct Fixture {
        let authority: OrganizationCA
        let verifier: CertificateVerifier
        let now = Timestamp(milliseconds: NetworkTestSupport.nowMilliseconds())

        init(suite: CryptoSuite) throws {
            authority = try OrganizationCA.create(organization: "Shenzhen Tax", suite: suite,
                                                  validity: NetworkTestSupport.currentWindow(days: 365))
            let other = try OrganizationCA.create(organization: "Shenzhen Courts", suite: suite,
                                                  validity: NetworkTestSupport.currentWindow(days: 365))
            verifier = try CertificateVerifier(
                chainID: "sz-invoices", suite: suite,
                authorityPEMs: [other.certificate.pemRepresentation, authority.certificate.pemRepresentation])
        }

        func issue(validity: ValidityWindow) throws -> X509Certificate {
            try authority.issueTransportCertificate(
                nodeName: "node-1", chainID: "sz-invoices", transportKey: PrivateKey.generate(suite: .intl).publicKey,
                validity: validity)
        }

        func refusal(_ leaf: X509Certificate) -> CertificateRefusal? {
            do {
                _ = try verifier.verify(leafDER: leaf.derRepresentation, at: now)
                return nil
            } catch {
                return error
            }
        }
    }
}
