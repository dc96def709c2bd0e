import COpenSSL
import CivicCrypto
import CivicLedger

extension OrganizationCA {
    /// Issues this CA's next revocation list: every entry of `previous` (with its original time) plus the
    /// certificates with `serialNumbers`, revoked at `time`.
    ///
    /// The list is an X.509 v2 CRL: issuer = the CA's subject, `thisUpdate` = `time`, `nextUpdate` = `time` +
    /// `days`, entries sorted by serial number, extensions authorityKeyIdentifier and CRL number (`previous`'s + 1,
    /// or 1). It is signed ECDSA-with-SHA256, or SM2-with-SM3 *without* a signer id, the form OpenSSL 3.0's
    /// `openssl crl -verify` and `openssl verify -crl_check` check (Docs/0011).
    /// - Throws: ``PKIError/invalidInput(_:)`` if a serial number is not hexadecimal or `previous` is not this
    ///   CA's; ``PKIError/library(_:)`` if OpenSSL fails.
    public func revoke(
        serialNumbers: [String], at time: Timestamp, previous: RevocationList?, days: UInt64
    ) throws(PKIError) -> RevocationList {
        if let previous, !previous.isIssued(by: certificate) {
            throw .invalidInput("the previous revocation list was not issued by '\(certificate.subject)'")
        }
        var entries = previous?.entries ?? []
        for text in serialNumbers {
            guard let serial = CertificateProfile.normalizedSerialNumber(text) else {
                throw .invalidInput("'\(text)' is not a certificate serial number (hexadecimal)")
            }
            if !entries.contains(where: { $0.serialNumber == serial }) {
                entries.append(RevokedCertificate(serialNumber: serial, revokedAt: time))
            }
        }
        entries.sort { ($0.serialNumber.count, $0.serialNumber) < ($1.serialNumber.count, $1.serialNumber) }
        let next = Timestamp(milliseconds: time.milliseconds + days * 86_400_000)
        let list = try signRevocationList(entries, thisUpdate: time, nextUpdate: next,
                                          number: (previous?.number ?? 0) + 1)
        do {
            return try RevocationList(list)
        } catch {
            throw .library("the new revocation list cannot be read back: \(error)")
        }
    }

    /// Revokes `certificates`, which this CA must have issued; see ``revoke(serialNumbers:at:previous:days:)``.
    /// - Throws: ``PKIError/invalidInput(_:)`` for a certificate this CA did not issue, and what
    ///   ``revoke(serialNumbers:at:previous:days:)`` throws.
    public func revoke(
        _ certificates: [X509Certificate], at time: Timestamp, previous: RevocationList?, days: UInt64
    ) throws(PKIError) -> RevocationList {
        let authority = try X509Object(pem: certificate.pemRepresentation)
        for revoked in certificates {
            let object: X509Object
            do { object = try X509Object(der: revoked.derRepresentation) } catch {
                throw .invalidInput(error.description)
            }
            guard object.isNamedIssuedBy(authority), object.isSigned(by: authority) else {
                throw .invalidInput("'\(revoked.subject)' (serial \(revoked.serialNumber)) was not issued by "
                    + "'\(certificate.subject)'")
            }
        }
        return try revoke(serialNumbers: certificates.map(\.serialNumber), at: time, previous: previous, days: days)
    }

    /// Builds and signs the CRL.
    private func signRevocationList(
        _ entries: [RevokedCertificate], thisUpdate: Timestamp, nextUpdate: Timestamp, number: UInt64
    ) throws(PKIError) -> X509RevocationObject {
        X509Library.clearErrors()
        let authority = try X509Object(pem: certificate.pemRepresentation)
        let signingKey = try X509Library.makeKey(privateKey.publicKey, privateKey: privateKey)
        guard let pointer = X509_CRL_new() else { throw .library("X509_CRL_new failed") }
        let list = X509RevocationObject(owning: pointer)
        guard let this = ASN1_TIME_set(nil, time_t(thisUpdate.milliseconds / 1000)) else {
            throw .library("ASN1_TIME_set failed")
        }
        defer { ASN1_TIME_free(this) }
        guard let next = ASN1_TIME_set(nil, time_t(nextUpdate.milliseconds / 1000)) else {
            throw .library("ASN1_TIME_set failed")
        }
        defer { ASN1_TIME_free(next) }
        guard X509_CRL_set_version(pointer, 1) == 1,
              X509_CRL_set_issuer_name(pointer, X509_get_subject_name(authority.pointer)) == 1,
              X509_CRL_set1_lastUpdate(pointer, this) == 1, X509_CRL_set1_nextUpdate(pointer, next) == 1,
              entries.allSatisfy({
                  civic_X509_CRL_add_revoked(pointer, $0.serialNumber, Int64($0.revokedAt.milliseconds / 1000)) == 1
              }),
              X509_CRL_sort(pointer) == 1,
              civic_X509_CRL_add_ext(pointer, authority.pointer, NID_authority_key_identifier, "keyid:always") == 1,
              number <= UInt64(Int.max), civic_X509_CRL_set_number(pointer, Int(number)) == 1
        else { throw .library(X509Library.drainErrors("could not fill in the revocation list")) }
        guard civic_X509_CRL_sign(pointer, signingKey.pointer, suite == .sm ? 1 : 0) == 1 else {
            throw .library(X509Library.drainErrors("could not sign the revocation list with \(suite.signatureName)"))
        }
        return list
    }
}
