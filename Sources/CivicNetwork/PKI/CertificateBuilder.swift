import COpenSSL
import CivicCrypto
import CivicLedger

/// Builds and signs one X.509 v3 certificate through OpenSSL (the `openssl x509 -req` steps, in code).
struct CertificateBuilder {
    /// Subject attributes in order, as (`"O"`/`"CN"`, value).
    var subject: [(field: String, value: String)]
    /// The subject's public key.
    var subjectKey: PublicKey
    /// When the certificate is valid.
    var validity: ValidityWindow
    /// Extensions as (NID, configuration text as in an `openssl` extension file).
    var extensions: [(nid: Int32, value: String)]
    /// For an SM2 signing key: sign without the GM/T 0009 signer id (`Z` from an empty id, OpenSSL 3.0's default),
    /// the only form OpenSSL's time-stamp verification can check, as it has no way to pass an id (Docs/0015).
    var omitsSignerID = false

    /// Signs the certificate with `signingKey`: SM2-with-SM3 (default signer id unless ``omitsSignerID``) for an SM2
    /// key, ECDSA-SHA256 for a P-256 key. `issuer` is the issuing CA's certificate; `nil` makes the certificate
    /// self-signed.
    /// - Throws: ``PKIError/library(_:)`` if OpenSSL fails at any step.
    func sign(with signingKey: PrivateKey, issuer: X509Object?) throws(PKIError) -> X509Object {
        X509Library.clearErrors()
        guard let pointer = X509_new() else { throw .library("X509_new failed") }
        let certificate = X509Object(owning: pointer)
        let subjectEVP = try X509Library.makeKey(subjectKey)
        let signingEVP = try X509Library.makeKey(signingKey.publicKey, privateKey: signingKey)
        guard X509_set_version(pointer, 2) == 1, try setSerial(pointer), setValidity(pointer),
              let name = X509_get_subject_name(pointer),
              subject.allSatisfy({ civic_X509_NAME_add_utf8(name, $0.field, $0.value) == 1 }),
              X509_set_issuer_name(pointer, issuer.map { X509_get_subject_name($0.pointer) } ?? name) == 1,
              X509_set_pubkey(pointer, subjectEVP.pointer) == 1
        else { throw .library(X509Library.drainErrors("could not fill in the certificate")) }
        for (nid, value) in extensions {
            guard civic_X509_add_ext(pointer, issuer?.pointer ?? pointer, nid, value) == 1 else {
                throw .library(X509Library.drainErrors("could not add extension '\(value)'"))
            }
        }
        let signed = omitsSignerID && signingKey.suite == .sm
            ? X509_sign(pointer, signingEVP.pointer, EVP_sm3()) > 0
            : civic_X509_sign(pointer, signingEVP.pointer, signingKey.suite == .sm ? 1 : 0) == 1
        guard signed else {
            let algorithm = signingKey.suite.signatureName
            throw .library(X509Library.drainErrors("could not sign the certificate with \(algorithm)"))
        }
        return certificate
    }

    /// A random positive serial number of ``CertificateProfile/serialBytes`` bytes.
    private func setSerial(_ pointer: OpaquePointer) throws(PKIError) -> Bool {
        var serial = [UInt8](repeating: 0, count: CertificateProfile.serialBytes)
        guard RAND_bytes(&serial, Int32(serial.count)) == 1 else { throw .library("OpenSSL's random generator failed") }
        serial[0] = serial[0] & 0x7F | 0x01
        guard let number = BN_bin2bn(serial, Int32(serial.count), nil) else { return false }
        defer { BN_free(number) }
        return BN_to_ASN1_INTEGER(number, X509_get_serialNumber(pointer)) != nil
    }

    /// Writes `validity` at one-second precision.
    private func setValidity(_ pointer: OpaquePointer) -> Bool {
        ASN1_TIME_set(X509_getm_notBefore(pointer), time_t(validity.notBefore.milliseconds / 1000)) != nil
            && ASN1_TIME_set(X509_getm_notAfter(pointer), time_t(validity.notAfter.milliseconds / 1000)) != nil
    }
}
