import COpenSSL
import CivicCrypto
import CivicLedger

extension OrganizationCA {
    /// Issues an identity certificate: the certificate a person, service or node presents with the transactions it
    /// signs (Docs/0011).
    ///
    /// Subject `O=<organization>, OU=<role>, CN=<name>`; the identity's `publicKey`, of the chain's suite (SM2 on
    /// `sm`, P-256 on `intl`); subjectAltName URI `civicledger://chain/<chainID>`; critical `CA:FALSE`; critical key
    /// usage `digitalSignature`; SKI/AKI; a random 16-byte serial number; signed by this CA (SM2-with-SM3 with the
    /// default signer id, or ECDSA-with-SHA256).
    /// - Throws: ``PKIError/invalidInput(_:)`` for an empty name, an invalid chain id or a key of the other suite;
    ///   ``PKIError/library(_:)`` if OpenSSL fails.
    public func issueIdentityCertificate(
        name: String, role: Role, publicKey: PublicKey, chainID: String, validity: ValidityWindow
    ) throws(PKIError) -> X509Certificate {
        guard !name.isEmpty else { throw .invalidInput("the identity's name is empty") }
        guard publicKey.suite == suite else {
            throw .invalidInput("the identity key is for the '\(publicKey.suite)' suite but the CA uses '\(suite)'")
        }
        guard Genesis.isValidChainID(chainID) else {
            throw .invalidInput("'\(chainID)' is not a chain id (lower-case letters, digits and '-')")
        }
        let issuer = try X509Object(pem: certificate.pemRepresentation)
        let builder = CertificateBuilder(
            subject: [("O", organization), (CertificateProfile.roleAttribute, role.name), ("CN", name)],
            subjectKey: publicKey,
            validity: validity,
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature"),
                (NID_subject_alt_name, "URI:\(CertificateProfile.chainURI(chainID))"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ]
        )
        let object = try builder.sign(with: privateKey, issuer: issuer)
        do {
            return try X509Certificate(object)
        } catch {
            throw .library("the new identity certificate cannot be read back: \(error)")
        }
    }
}

extension CertificateProfile {
    /// The subject attribute that carries an identity certificate's role: `OU` (organizationalUnitName,
    /// 2.5.4.11), holding one ``Role`` name. Hyperledger Fabric classifies identities the same way ("NodeOUs"), and
    /// `openssl x509 -subject` shows it.
    public static let roleAttribute = "OU"
}
