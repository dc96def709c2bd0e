import COpenSSL
import CivicCrypto
import CivicLedger

/// An owned OpenSSL `X509 *`, freed exactly once, with the reads the PKI needs.
///
/// Not shared across threads: each parse or issuance makes its own.
final class X509Object {
    /// The `X509 *`.
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(owning pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_free(pointer) }

    /// Parses DER.
    /// - Throws: ``CertificateRefusal/malformed(_:)`` if OpenSSL cannot read it.
    convenience init(der: [UInt8]) throws(CertificateRefusal) {
        X509Library.clearErrors()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            guard let parsed = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            // Trailing bytes after the certificate are refused: one certificate has one encoding.
            guard cursor == start + buffer.count else {
                X509_free(parsed)
                return nil
            }
            return parsed
        }
        guard let parsed else {
            throw .malformed(X509Library.drainErrors("the bytes are not one DER X.509 certificate"))
        }
        self.init(owning: parsed)
    }

    /// Parses one PEM certificate (`-----BEGIN CERTIFICATE-----`).
    /// - Throws: ``PKIError/invalidInput(_:)``.
    convenience init(pem: String) throws(PKIError) {
        X509Library.clearErrors()
        let bytes = Array(pem.utf8)
        let parsed: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_X509(bio, nil, nil, nil)
        }
        guard let parsed else { throw .invalidInput(X509Library.drainErrors("not a PEM certificate")) }
        self.init(owning: parsed)
    }

    /// The DER encoding.
    var der: [UInt8] {
        let length = i2d_X509(pointer, nil)
        precondition(length > 0, "OpenSSL could not encode a certificate it holds")
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(pointer, &cursor)
        }
        return out
    }

    /// The PEM encoding (`-----BEGIN CERTIFICATE-----`) that `openssl x509` reads.
    var pem: String {
        guard let bytes = X509Library.writeToMemory({ PEM_write_bio_X509($0, pointer) }) else {
            preconditionFailure(X509Library.drainErrors("OpenSSL could not write a certificate it holds as PEM"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first attribute `nid` (for example `NID_commonName`) of the subject, or `""`.
    func subjectAttribute(_ nid: Int32) -> String {
        X509Library.nameAttribute(X509_get_subject_name(pointer), nid)
    }

    /// Every attribute `nid` (for example `NID_organizationalUnitName`) of the subject, in order.
    func subjectAttributes(_ nid: Int32) -> [String] {
        X509Library.nameAttributes(X509_get_subject_name(pointer), nid)
    }

    /// The serial number in ``CertificateProfile/normalizedSerialNumber(_:)`` form, or `""` if it cannot be read.
    var serialNumber: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let length = civic_X509_serial_hex(pointer, &buffer, Int32(buffer.count))
        guard length >= 0 else {
            X509Library.clearErrors()
            return ""
        }
        let hex = String(decoding: buffer[..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return CertificateProfile.normalizedSerialNumber(hex) ?? ""
    }

    /// The subject in RFC 2253 form, `CN=...,O=...`.
    var subjectText: String { X509Library.nameText(X509_get_subject_name(pointer)) }

    /// The issuer in RFC 2253 form.
    var issuerText: String { X509Library.nameText(X509_get_issuer_name(pointer)) }

    /// Whether the issuer name of `self` equals the subject name of `authority`.
    func isNamedIssuedBy(_ authority: X509Object) -> Bool {
        X509_NAME_cmp(X509_get_issuer_name(pointer), X509_get_subject_name(authority.pointer)) == 0
    }

    /// Whether the certificate says it is a CA (basicConstraints CA:TRUE).
    var isAuthority: Bool { X509_check_ca(pointer) != 0 }

    /// The validity window.
    /// - Throws: ``CertificateRefusal/malformed(_:)`` if a date cannot be read.
    func validity() throws(CertificateRefusal) -> ValidityWindow {
        var notBefore: Int64 = 0
        var notAfter: Int64 = 0
        guard civic_ASN1_TIME_epoch_seconds(X509_get0_notBefore(pointer), &notBefore) == 1,
              civic_ASN1_TIME_epoch_seconds(X509_get0_notAfter(pointer), &notAfter) == 1,
              notBefore >= 0, notAfter >= notBefore
        else { throw .malformed("its validity dates cannot be read") }
        return ValidityWindow(notBefore: .init(milliseconds: UInt64(notBefore) * 1000),
                              notAfter: .init(milliseconds: UInt64(notAfter) * 1000))
    }

    /// The URIs of the subjectAltName extension, in order.
    var subjectAlternativeURIs: [String] {
        var uris: [String] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let length = civic_X509_san_uri(pointer, Int32(uris.count), &buffer, Int32(buffer.count))
            guard length >= 0 else { break }
            uris.append(String(decoding: buffer[..<Int(length)], as: UTF8.self))
        }
        X509Library.clearErrors()
        return uris
    }

    /// The subject public key as a ``PublicKey`` (SM2 or P-256), or `nil` for other key types.
    var publicKey: PublicKey? {
        guard let key = X509_get0_pubkey(pointer) else {
            X509Library.clearErrors()
            return nil
        }
        guard let pem = X509Library.writeToMemory({ PEM_write_bio_PUBKEY($0, key) }) else { return nil }
        return try? PublicKey(pemRepresentation: String(decoding: pem, as: UTF8.self))
    }

    /// Whether `authority`'s key signed `self` (SM2-with-SM3 with the default signer id, or ECDSA).
    func isSigned(by authority: X509Object) -> Bool {
        guard let key = X509_get0_pubkey(authority.pointer) else {
            X509Library.clearErrors()
            return false
        }
        let verified = civic_X509_verify(pointer, key) == 1
        X509Library.clearErrors()
        return verified
    }
}
