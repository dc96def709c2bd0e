import CivicApps
import CivicCodec
import CivicCrypto
import CivicLedger

/// The body of `POST /v1/gateway/fetch` (Docs/0016, "Exchange gateway"): a signed ``FetchRequest`` in hex.
public struct GatewayFetchBody: Codable, Sendable, Equatable {
    /// The canonical ``FetchRequest``, hex.
    public var request: String
    /// The consumer's public key (65 bytes, uncompressed), hex.
    public var signer: String
    /// The signature over `"CivicLedger/fetch/v1" || request`, hex (64 bytes, r || s).
    public var signature: String

    /// Creates a body.
    public init(request: String, signer: String, signature: String) {
        self.request = request
        self.signer = signer
        self.signature = signature
    }

    /// The body of a signed request.
    public init(_ signed: SignedFetchRequest) {
        self.init(request: Hex.encode(signed.request.canonicalBytes), signer: Hex.encode(signed.signer.rawRepresentation),
                  signature: Hex.encode(signed.signature.rawRepresentation))
    }
}

/// The gateway's answer to a served fetch: the rows sealed to the consumer, and the access record on chain.
public struct GatewayFetchResponse: Codable, Sendable, Equatable {
    /// The access number (`catalog/access/<n>`).
    public var access: UInt64
    /// The hash of the `catalog.record_access` transaction, hex.
    public var transaction: String
    /// The height it was committed at.
    public var height: UInt64
    /// The suite hash of the plaintext (the canonical JSON rows), hex, as recorded.
    public var served: String
    /// Rows served.
    public var rows: UInt32
    /// The fields served, in the order asked.
    public var fields: [String]
    /// The `SuiteEnvelope` holding the canonical JSON rows, base64.
    public var envelope: String

    /// Creates a response.
    public init(access: UInt64, transaction: String, height: UInt64, served: String, rows: UInt32, fields: [String],
                envelope: String) {
        self.access = access
        self.transaction = transaction
        self.height = height
        self.served = served
        self.rows = rows
        self.fields = fields
        self.envelope = envelope
    }
}

/// The gateway's answer to a refused fetch: the error, and for refusals the trail records, the access record.
public struct GatewayRefusalBody: Codable, Sendable, Equatable {
    /// The refusal's code and sentence.
    public var error: ErrorBody.Detail
    /// The access number of the recorded refusal, if it was recorded.
    public var access: UInt64?
    /// The recording transaction's hash, hex, if it was recorded.
    public var transaction: String?

    /// Creates a body.
    public init(code: String, message: String, access: UInt64? = nil, transaction: String? = nil) {
        error = ErrorBody.Detail(code: code, message: message)
        self.access = access
        self.transaction = transaction
    }
}
