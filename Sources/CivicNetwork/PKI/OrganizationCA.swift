import COpenSSL
import CivicCrypto
import CivicLedger

/// An organization's certificate authority: a self-signed CA certificate listed in genesis and its key, which
/// issues the transport certificates of the organization's nodes.
///
/// The CA key is of the chain's suite: SM2 (signing SM2-with-SM3, GM/T 0009 default signer id
/// `1234567812345678`) on `sm` chains, ECDSA P-256 (ECDSA-with-SHA256) on `intl` chains. Node transport keys are
/// P-256 on both suites, because the TLS libraries available cannot use SM2 keys (Docs/0006).
public struct OrganizationCA: Sendable {
    /// The CA's self-signed certificate (its PEM goes into genesis).
    public let certificate: X509Certificate
    /// The CA's signing key.
    public let privateKey: PrivateKey

    /// The organization's name (the certificate's `O`).
    public var organization: String { certificate.organization }

    /// The CA's suite.
    public var suite: CryptoSuite { privateKey.suite }

    /// Creates a self-signed CA certificate `CN=<organization> CA, O=<organization>` for `privateKey` (by default a
    /// fresh key of `suite`), marked critical `CA:TRUE, pathlen:0`, key usage `keyCertSign, cRLSign`.
    /// - Throws: ``PKIError/invalidInput(_:)`` for an empty name or a key of the other suite, ``PKIError/library(_:)``
    ///   if OpenSSL fails.
    public static func create(
        organization: String, suite: CryptoSuite, validity: ValidityWindow, privateKey: PrivateKey? = nil
    ) throws(PKIError) -> OrganizationCA {
        guard !organization.isEmpty else { throw .invalidInput("the organization name is empty") }
        let key = privateKey ?? PrivateKey.generate(suite: suite)
        guard key.suite == suite else {
            throw .invalidInput("the CA key is for the '\(key.suite)' suite but the chain uses '\(suite)'")
        }
        let builder = CertificateBuilder(
            subject: [("O", organization), ("CN", "\(organization) CA")],
            subjectKey: key.publicKey,
            validity: validity,
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE,pathlen:0"),
                (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"),
            ]
        )
        let object = try builder.sign(with: key, issuer: nil)
        do {
            return OrganizationCA(certificate: try X509Certificate(object), privateKey: key)
        } catch {
            throw .library("the new CA certificate cannot be read back: \(error)")
        }
    }

    /// Loads a CA from its certificate and key PEM files.
    /// - Throws: ``PKIError/invalidInput(_:)`` if either cannot be read, the certificate is not a CA, or the key
    ///   does not belong to the certificate.
    public init(certificatePEM: String, privateKeyPEM: String) throws(PKIError) {
        let certificate = try X509Certificate(pemRepresentation: certificatePEM)
        let key: PrivateKey
        do {
            key = try PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw .invalidInput(error.description)
        }
        guard try X509Object(pem: certificatePEM).isAuthority else {
            throw .invalidInput("the certificate '\(certificate.subject)' is not a CA certificate")
        }
        guard certificate.publicKey == key.publicKey else {
            throw .invalidInput("the private key does not belong to the CA certificate '\(certificate.subject)'")
        }
        self.init(certificate: certificate, privateKey: key)
    }

    private init(certificate: X509Certificate, privateKey: PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Issues a node's transport certificate: subject `CN=<nodeName>, O=<organization>`, the P-256
    /// `transportKey`, subjectAltName URI `civicledger://chain/<chainID>`, critical `CA:FALSE`, key usage
    /// `digitalSignature`, extended key usage `serverAuth, clientAuth` (each node is both), signed by this CA.
    /// - Throws: ``PKIError/invalidInput(_:)`` for an empty node name, an invalid chain id or a transport key that
    ///   is not P-256; ``PKIError/library(_:)`` if OpenSSL fails.
    public func issueTransportCertificate(
        nodeName: String, chainID: String, transportKey: PublicKey, validity: ValidityWindow
    ) throws(PKIError) -> X509Certificate {
        guard !nodeName.isEmpty else { throw .invalidInput("the node name is empty") }
        guard transportKey.suite == .intl else {
            throw .invalidInput("a transport key must be a P-256 key (TLS cannot use SM2 keys here, see Docs/0006)")
        }
        guard Genesis.isValidChainID(chainID) else {
            throw .invalidInput("'\(chainID)' is not a chain id (lower-case letters, digits and '-')")
        }
        let issuer = try X509Object(pem: certificate.pemRepresentation)
        let builder = CertificateBuilder(
            subject: [("O", organization), ("CN", nodeName)],
            subjectKey: transportKey,
            validity: validity,
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature"),
                (NID_ext_key_usage, "serverAuth,clientAuth"),
                (NID_subject_alt_name, "URI:\(CertificateProfile.chainURI(chainID))"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ]
        )
        let object = try builder.sign(with: privateKey, issuer: issuer)
        do {
            return try X509Certificate(object)
        } catch {
            throw .library("the new transport certificate cannot be read back: \(error)")
        }
    }
}
