import CivicLedger

/// One entry of a revocation list: a certificate's serial number and when its organization CA revoked it.
public struct RevokedCertificate: Hashable, Sendable {
    /// The serial number, upper-case hexadecimal as `openssl crl -text` prints it.
    public let serialNumber: String
    /// When the certificate stopped being valid (one-second precision).
    public let revokedAt: Timestamp

    /// An entry.
    /// - Precondition: `serialNumber` is normalized (``CertificateProfile/normalizedSerialNumber(_:)``).
    public init(serialNumber: String, revokedAt: Timestamp) {
        precondition(CertificateProfile.normalizedSerialNumber(serialNumber) == serialNumber,
                     "a revoked serial number must be normalized")
        self.serialNumber = serialNumber
        self.revokedAt = revokedAt
    }
}

/// An organization CA's certificate revocation list: a signed X.509 v2 CRL (RFC 5280 §5) read into the fields
/// CivicLedger uses.
///
/// ```
/// CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm AlgorithmIdentifier,
///                                signatureValue BIT STRING }
/// TBSCertList ::= SEQUENCE { version Version OPTIONAL, signature AlgorithmIdentifier, issuer Name,
///     thisUpdate Time, nextUpdate Time OPTIONAL,
///     revokedCertificates SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber,
///                                                revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
///         OPTIONAL,
///     crlExtensions [0] EXPLICIT Extensions OPTIONAL }
/// ```
///
/// CivicLedger's lists always carry `nextUpdate`, a CRL number and an authorityKeyIdentifier. Reading a list does
/// not check its signature: ``IdentityVerifier`` checks it against the chain's CAs before it uses the list.
public struct RevocationList: Hashable, Sendable {
    /// The DER encoding.
    public let derRepresentation: [UInt8]
    /// The issuing CA's subject in RFC 2253 form.
    public let issuer: String
    /// The CRL number: 1 for a CA's first list, one more for each list after it.
    public let number: UInt64
    /// When the list was issued.
    public let thisUpdate: Timestamp
    /// When the next list is due.
    public let nextUpdate: Timestamp
    /// The revoked certificates, by serial number.
    public let entries: [RevokedCertificate]

    /// Reads a DER CRL.
    /// - Throws: ``PKIError/invalidInput(_:)`` if it is not a CRL with the fields above.
    public init(derRepresentation der: [UInt8]) throws(PKIError) {
        try self.init(X509RevocationObject(der: der))
    }

    /// Reads a PEM CRL (`-----BEGIN X509 CRL-----`), as `openssl crl` writes it.
    /// - Throws: ``PKIError/invalidInput(_:)`` if it is not a CRL with the fields above.
    public init(pemRepresentation pem: String) throws(PKIError) {
        try self.init(X509RevocationObject(pem: pem))
    }

    /// Reads the fields of a parsed CRL.
    init(_ object: X509RevocationObject) throws(PKIError) {
        guard let number = object.number else { throw .invalidInput("the CRL has no CRL number") }
        let updates = try object.updates()
        derRepresentation = object.der
        issuer = object.issuerText
        self.number = number
        thisUpdate = updates.this
        nextUpdate = updates.next
        entries = try object.revokedEntries()
    }

    /// The PEM encoding that `openssl crl -in` reads.
    public var pemRepresentation: String {
        do {
            return try X509RevocationObject(der: derRepresentation).pem
        } catch {
            preconditionFailure("a CRL that was read once could not be read again: \(error)")
        }
    }

    /// The entry revoking the certificate with `serialNumber` (any form ``CertificateProfile`` normalizes), if any.
    public func entry(forSerialNumber serialNumber: String) -> RevokedCertificate? {
        guard let normalized = CertificateProfile.normalizedSerialNumber(serialNumber) else { return nil }
        return entries.first { $0.serialNumber == normalized }
    }

    /// Whether `authority` issued this list: its subject is the list's issuer and its key signed the list.
    public func isIssued(by authority: X509Certificate) -> Bool {
        guard let list = try? X509RevocationObject(der: derRepresentation),
              let certificate = try? X509Object(der: authority.derRepresentation)
        else { return false }
        return list.isNamedIssuedBy(certificate) && list.isSigned(by: certificate)
    }
}
