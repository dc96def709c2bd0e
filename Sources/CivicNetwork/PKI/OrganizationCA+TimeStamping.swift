import COpenSSL
import CivicCrypto
import CivicLedger

extension OrganizationCA {
    /// Issues the certificate of a validator's time-stamping key (RFC 3161 §2.3), the signer of the tokens a
    /// ``TimeStampAuthority`` makes.
    ///
    /// Subject `O=<organization>, OU=timestamping, CN=<name>`; `publicKey` of the chain's suite (SM2 on `sm`, P-256
    /// on `intl`); subjectAltName URI `civicledger://chain/<chainID>`; critical `CA:FALSE`; critical key usage
    /// `digitalSignature, nonRepudiation`; critical extended key usage `timeStamping` and nothing else (RFC 3161
    /// requires exactly that); SKI/AKI; a random 16-byte serial number.
    ///
    /// On `sm` chains the CA signs this certificate with SM2-with-SM3 *without* the GM/T 0009 signer id (as it
    /// signs revocation lists, Docs/0011): `openssl ts -verify` checks the TSA's chain with OpenSSL 3.0's default
    /// and has no option to pass an id, so a certificate signed with the default id would fail there
    /// (Docs/0015). Our ``TimeStampAuthority/verify(token:digest:trustedCA:)`` checks the same form.
    /// - Throws: ``PKIError/invalidInput(_:)`` for an empty name, an invalid chain id or a key of the other suite;
    ///   ``PKIError/library(_:)`` if OpenSSL fails.
    public func issueTimeStampingCertificate(
        name: String, publicKey: PublicKey, chainID: String, validity: ValidityWindow
    ) throws(PKIError) -> X509Certificate {
        guard !name.isEmpty else { throw .invalidInput("the time-stamping authority's name is empty") }
        guard publicKey.suite == suite else {
            throw .invalidInput(
                "the time-stamping key is for the '\(publicKey.suite)' suite but the CA uses '\(suite)'")
        }
        guard Genesis.isValidChainID(chainID) else {
            throw .invalidInput("'\(chainID)' is not a chain id (lower-case letters, digits and '-')")
        }
        let issuer = try X509Object(pem: certificate.pemRepresentation)
        var builder = CertificateBuilder(
            subject: [("O", organization), ("OU", CertificateProfile.timeStampingUnit), ("CN", name)],
            subjectKey: publicKey,
            validity: validity,
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature,nonRepudiation"),
                (NID_ext_key_usage, "critical,timeStamping"),
                (NID_subject_alt_name, "URI:\(CertificateProfile.chainURI(chainID))"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ]
        )
        builder.omitsSignerID = true
        let object = try builder.sign(with: privateKey, issuer: issuer)
        do {
            return try X509Certificate(object)
        } catch {
            throw .library("the new time-stamping certificate cannot be read back: \(error)")
        }
    }
}

extension CertificateProfile {
    /// The `OU` of time-stamping certificates.
    public static let timeStampingUnit = "timestamping"
}
