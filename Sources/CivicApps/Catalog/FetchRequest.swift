import CivicCodec
import CivicCrypto
import CivicLedger

/// One equality condition of a fetch: rows whose `field` equals `value` (compared as text).
public struct FieldCondition: Hashable, Sendable, CanonicalCodable {
    /// A field of the resource (and of the grant).
    public var field: String
    /// The value the field must have, e.g. an ID card number.
    public var value: String

    /// Creates a condition.
    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }

    /// Parses `field=value` (the CLI's `--where`); `nil` without `=` or with a field that is not a field name.
    public init?(parsing text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let field = String(text[..<equals])
        guard CatalogContract.isName(field) else { return nil }
        self.init(field: field, value: String(text[text.index(after: equals)...]))
    }

    /// field, value.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: field)
        encoder.encode(string: value)
    }

    /// Reads a condition.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        field = try decoder.decodeString("fetch.filter.field", maxBytes: Limits.nameBytesMax)
        value = try decoder.decodeString("fetch.filter.value", maxBytes: FetchRequest.filterValueBytesMax)
        guard CatalogContract.isName(field) else {
            throw .invalidValue(field: "fetch.filter.field", reason: "use 1-64 of a-z, 0-9 and _")
        }
    }
}

/// What a consuming department asks a provider's exchange gateway for (Docs/0016, "Exchange gateway"): rows of a
/// granted resource, some fields, an equality filter. Signed by the consumer's key in the chain's suite and
/// never put on chain; the gateway records the access it answers.
///
/// ```
/// FetchRequest = chainID (string) || resource (string) || grant (u64) || fields (seq of string)
///             || filter (seq of FieldCondition) || limit (u32) || nonce (u64) || issuedAt (u64 ms)
/// signed bytes = "CivicLedger/fetch/v1" || FetchRequest
/// ```
public struct FetchRequest: Hashable, Sendable, CanonicalCodable {
    /// Domain tag in front of the signed bytes, so a fetch signature can never be read as a transaction or a vote.
    public static let domain = Array("CivicLedger/fetch/v1".utf8)
    /// Domain tag of the envelope's associated data.
    public static let envelopeDomain = Array("CivicLedger/fetch-envelope/v1".utf8)
    /// Most conditions in one filter.
    public static let filterConditionsMax = 8
    /// Longest value of a condition, in UTF-8 bytes.
    public static let filterValueBytesMax = 256

    /// The chain the grant lives on.
    public var chainID: String
    /// The resource's id.
    public var resource: String
    /// The grant (request number) the consumer holds.
    public var grant: UInt64
    /// The fields wanted; empty means every field of the grant.
    public var fields: [String]
    /// Equality conditions, all of which a row must meet.
    public var filter: [FieldCondition]
    /// Most rows wanted; 0 means as many as one access may name (``CatalogContract/subjectsPerAccessMax``).
    public var limit: UInt32
    /// A random number the gateway refuses to see twice within its freshness window.
    public var nonce: UInt64
    /// When the consumer signed, in milliseconds since the epoch (checked against the gateway's clock).
    public var issuedAt: Timestamp

    /// Creates a request.
    public init(chainID: String, resource: String, grant: UInt64, fields: [String] = [], filter: [FieldCondition] = [],
                limit: UInt32 = 0, nonce: UInt64, issuedAt: Timestamp) {
        self.chainID = chainID
        self.resource = resource
        self.grant = grant
        self.fields = fields
        self.filter = filter
        self.limit = limit
        self.nonce = nonce
        self.issuedAt = issuedAt
    }

    /// All fields in order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(string: chainID)
        encoder.encode(string: resource)
        encoder.encode(grant)
        encoder.encode(sequence: fields.map(CanonicalString.init))
        encoder.encode(sequence: filter)
        encoder.encode(limit)
        encoder.encode(nonce)
        encoder.encode(issuedAt)
    }

    /// Reads a request.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        chainID = try decoder.decodeString("fetch.chain_id", maxBytes: Limits.chainIDBytesMax)
        resource = try decoder.decodeString("fetch.resource", maxBytes: Limits.nameBytesMax)
        grant = try decoder.decodeUInt64("fetch.grant")
        fields = try decoder.decodeSequence(CanonicalString.self, "fetch.fields", max: CatalogContract.fieldsMax).map(\.value)
        filter = try decoder.decodeSequence(FieldCondition.self, "fetch.filter", max: Self.filterConditionsMax)
        limit = try decoder.decodeUInt32("fetch.limit")
        nonce = try decoder.decodeUInt64("fetch.nonce")
        issuedAt = try decoder.decode(Timestamp.self)
        guard fields.allSatisfy(CatalogContract.isName), Set(fields).count == fields.count else {
            throw .invalidValue(field: "fetch.fields", reason: "distinct field names of a-z, 0-9 and _")
        }
    }

    /// The bytes the consumer signs: `"CivicLedger/fetch/v1" || canonical(request)`.
    public var signBytes: [UInt8] { domainTaggedBytes(Self.domain) }

    /// Signs the request with the consumer's key.
    /// - Throws: ``CryptoError`` if signing fails.
    public func signed(with key: PrivateKey) throws(CryptoError) -> SignedFetchRequest {
        SignedFetchRequest(request: self, signer: key.publicKey, signature: try key.signature(for: signBytes))
    }

    /// The associated data of the envelope that answers this request: the domain tag, chain id, resource, grant and
    /// nonce, so an envelope cannot be passed off as the answer to another request.
    public var envelopeAssociatedData: [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(fixed: Self.envelopeDomain)
        encoder.encode(string: chainID)
        encoder.encode(string: resource)
        encoder.encode(grant)
        encoder.encode(nonce)
        return encoder.bytes
    }
}

/// A fetch request with the consumer's key and signature.
public struct SignedFetchRequest: Hashable, Sendable {
    /// What is asked.
    public var request: FetchRequest
    /// The consumer's public key (its address names it in the trail; the answer is sealed to it).
    public var signer: PublicKey
    /// The signature over ``FetchRequest/signBytes``.
    public var signature: Signature

    /// Wraps a request and its signature.
    public init(request: FetchRequest, signer: PublicKey, signature: Signature) {
        self.request = request
        self.signer = signer
        self.signature = signature
    }

    /// Whether the signature is the signer's over the request.
    public var hasValidSignature: Bool { signer.isValidSignature(signature, for: request.signBytes) }
}
