import COpenSSL
import CivicCrypto

/// An X.509 certificate (an organization CA's or a node's transport certificate) with the fields CivicLedger reads.
///
/// The DER bytes are the certificate; the other properties are read from them once, when the value is made.
public struct X509Certificate: Hashable, Sendable {
    /// The DER encoding.
    public let derRepresentation: [UInt8]
    /// The subject's common name: the organization CA's name or the node's name.
    public let commonName: String
    /// The subject's organization.
    public let organization: String
    /// The subject's organizational units (`OU`), in order: an identity certificate's role (Docs/0011).
    public let organizationalUnits: [String]
    /// The serial number as upper-case hexadecimal, whole bytes, as `openssl x509 -serial` prints it
    /// (``CertificateProfile/normalizedSerialNumber(_:)``).
    public let serialNumber: String
    /// The subject in RFC 2253 form (`CN=...,O=...`).
    public let subject: String
    /// The issuer in RFC 2253 form.
    public let issuer: String
    /// When the certificate is valid.
    public let validity: ValidityWindow
    /// The chain id carried in the subjectAltName URI `civicledger://chain/<chainID>`, if any.
    public let chainID: String?
    /// The subject public key, when it is an SM2 or P-256 key.
    public let publicKey: PublicKey?

    /// Reads a DER certificate.
    /// - Throws: ``PKIError/invalidInput(_:)`` if it cannot be read.
    public init(derRepresentation der: [UInt8]) throws(PKIError) {
        do {
            try self.init(X509Object(der: der))
        } catch {
            throw .invalidInput(error.description)
        }
    }

    /// Reads a PEM certificate (`-----BEGIN CERTIFICATE-----`), as `openssl x509` writes it.
    /// - Throws: ``PKIError/invalidInput(_:)`` if it cannot be read.
    public init(pemRepresentation pem: String) throws(PKIError) {
        let object = try X509Object(pem: pem)
        do {
            try self.init(object)
        } catch {
            throw .invalidInput(error.description)
        }
    }

    /// Reads the fields of a parsed certificate.
    init(_ object: X509Object) throws(CertificateRefusal) {
        derRepresentation = object.der
        commonName = object.subjectAttribute(NID_commonName)
        organization = object.subjectAttribute(NID_organizationName)
        organizationalUnits = object.subjectAttributes(NID_organizationalUnitName)
        serialNumber = object.serialNumber
        subject = object.subjectText
        issuer = object.issuerText
        validity = try object.validity()
        chainID = object.subjectAlternativeURIs.lazy.compactMap(CertificateProfile.chainID(fromURI:)).first
        publicKey = object.publicKey
    }

    /// The PEM encoding that `openssl x509 -in` reads.
    public var pemRepresentation: String {
        do {
            return try X509Object(der: derRepresentation).pem
        } catch {
            preconditionFailure("a certificate that was read once could not be read again: \(error)")
        }
    }
}

/// What CivicLedger puts in its certificates, in one place.
public enum CertificateProfile {
    /// The subjectAltName URI prefix that carries the chain id: `civicledger://chain/<chainID>`.
    public static let chainURIPrefix = "civicledger://chain/"

    /// The URI naming `chainID`.
    public static func chainURI(_ chainID: String) -> String { chainURIPrefix + chainID }

    /// The chain id in `uri`, or `nil` if `uri` is not a chain URI.
    public static func chainID(fromURI uri: String) -> String? {
        guard uri.hasPrefix(chainURIPrefix) else { return nil }
        return String(uri.dropFirst(chainURIPrefix.count))
    }

    /// `text` (hexadecimal, optionally `serial=`-prefixed) in the form `openssl x509 -serial` and `openssl crl -text`
    /// print a serial number: upper case, whole bytes, no leading zero byte (`"00"` for zero); `nil` if it is not
    /// 1…40 hexadecimal digits.
    public static func normalizedSerialNumber(_ text: String) -> String? {
        let digits = text.hasPrefix("serial=") ? Substring(text.dropFirst("serial=".count)) : Substring(text)
        guard (1...40).contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
        let trimmed = digits.uppercased().drop { $0 == "0" }
        return trimmed.count % 2 == 0 ? (trimmed.isEmpty ? "00" : String(trimmed)) : "0" + trimmed
    }

    /// Bytes of a random certificate serial number (RFC 5280 §4.1.2.2 allows at most 20).
    static let serialBytes = 16
}
