import COpenSSL
import CivicLedger

/// An owned OpenSSL `X509_CRL *` (a certificate revocation list), freed exactly once, with the reads and writes the
/// PKI needs.
///
/// Not shared across threads: each parse or issuance makes its own.
final class X509RevocationObject {
    /// The `X509_CRL *`.
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(owning pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_CRL_free(pointer) }

    /// Parses one DER CRL; trailing bytes are refused.
    /// - Throws: ``PKIError/invalidInput(_:)`` if OpenSSL cannot read it.
    convenience init(der: [UInt8]) throws(PKIError) {
        X509Library.clearErrors()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            guard let parsed = d2i_X509_CRL(nil, &cursor, buffer.count) else { return nil }
            guard cursor == start + buffer.count else {
                X509_CRL_free(parsed)
                return nil
            }
            return parsed
        }
        guard let parsed else { throw .invalidInput(X509Library.drainErrors("the bytes are not one DER X.509 CRL")) }
        self.init(owning: parsed)
    }

    /// Parses one PEM CRL (`-----BEGIN X509 CRL-----`).
    /// - Throws: ``PKIError/invalidInput(_:)``.
    convenience init(pem: String) throws(PKIError) {
        X509Library.clearErrors()
        let bytes = Array(pem.utf8)
        let parsed: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_X509_CRL(bio, nil, nil, nil)
        }
        guard let parsed else { throw .invalidInput(X509Library.drainErrors("not a PEM X.509 CRL")) }
        self.init(owning: parsed)
    }

    /// The DER encoding.
    var der: [UInt8] {
        let length = i2d_X509_CRL(pointer, nil)
        precondition(length > 0, "OpenSSL could not encode a CRL it holds")
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509_CRL(pointer, &cursor)
        }
        return out
    }

    /// The PEM encoding (`-----BEGIN X509 CRL-----`) that `openssl crl` reads.
    var pem: String {
        guard let bytes = X509Library.writeToMemory({ PEM_write_bio_X509_CRL($0, pointer) }) else {
            preconditionFailure(X509Library.drainErrors("OpenSSL could not write a CRL it holds as PEM"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The issuer in RFC 2253 form.
    var issuerText: String { X509Library.nameText(X509_CRL_get_issuer(pointer)) }

    /// Whether the CRL's issuer name equals the subject name of `authority`.
    func isNamedIssuedBy(_ authority: X509Object) -> Bool {
        X509_NAME_cmp(X509_CRL_get_issuer(pointer), X509_get_subject_name(authority.pointer)) == 0
    }

    /// Whether `authority`'s key signed the CRL (SM2-with-SM3 without a signer id, as `openssl crl -verify`
    /// checks it, or ECDSA).
    func isSigned(by authority: X509Object) -> Bool {
        guard let key = X509_get0_pubkey(authority.pointer) else {
            X509Library.clearErrors()
            return false
        }
        let verified = X509_CRL_verify(pointer, key) == 1
        X509Library.clearErrors()
        return verified
    }

    /// The CRL number, or `nil` if it has none.
    var number: UInt64? {
        let number = civic_X509_CRL_number(pointer)
        X509Library.clearErrors()
        return number >= 0 ? UInt64(number) : nil
    }

    /// `thisUpdate` and `nextUpdate`.
    /// - Throws: ``PKIError/invalidInput(_:)`` if they are missing or cannot be read.
    func updates() throws(PKIError) -> (this: Timestamp, next: Timestamp) {
        var this: Int64 = 0
        var next: Int64 = 0
        guard let thisUpdate = X509_CRL_get0_lastUpdate(pointer), let nextUpdate = X509_CRL_get0_nextUpdate(pointer),
              civic_ASN1_TIME_epoch_seconds(thisUpdate, &this) == 1,
              civic_ASN1_TIME_epoch_seconds(nextUpdate, &next) == 1, this >= 0, next >= this
        else { throw .invalidInput("the CRL's thisUpdate and nextUpdate cannot be read") }
        return (Timestamp(milliseconds: UInt64(this) * 1000), Timestamp(milliseconds: UInt64(next) * 1000))
    }

    /// The revoked entries, in the CRL's order.
    /// - Throws: ``PKIError/invalidInput(_:)`` if an entry cannot be read.
    func revokedEntries() throws(PKIError) -> [RevokedCertificate] {
        var entries: [RevokedCertificate] = []
        var buffer = [CChar](repeating: 0, count: 256)
        for index in 0..<civic_X509_CRL_revoked_count(pointer) {
            var seconds: Int64 = 0
            let length = civic_X509_CRL_revoked_at(pointer, index, &buffer, Int32(buffer.count), &seconds)
            let hex = String(decoding: buffer[..<max(0, Int(length))].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard length > 0, seconds >= 0, let serial = CertificateProfile.normalizedSerialNumber(hex) else {
                throw .invalidInput(X509Library.drainErrors("revoked entry \(index) of the CRL cannot be read"))
            }
            entries.append(RevokedCertificate(serialNumber: serial,
                                              revokedAt: Timestamp(milliseconds: UInt64(seconds) * 1000)))
        }
        return entries
    }
}
