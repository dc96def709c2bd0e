import CivicCodec
import CivicCrypto
import CivicLedger

/// `GET /v1/transactions/{hash}/proof?format=json`: a transaction proof (Docs/0003) in the form a browser checks
/// itself, holding only the chain's genesis validators (the console's `js/proof.js`).
///
/// Everything the checks hash or verify is sent as canonical bytes in hex, never as a JSON rendering of them:
/// - `transaction.bytes` is the Merkle leaf (`canonical(signed transaction)` = body ‖ 64-byte signature); the
///   sign bytes are `"CivicLedger/tx/v1" ‖ body`, and the body starts with version u8 ‖ chain id ‖ suite-tagged signer;
/// - `receipt.bytes` is the receipt's leaf; its first 32 bytes are the transaction hash it names;
/// - `header.bytes` is `canonical(header)`. No byte offsets are sent: the layout is fixed and short (version u8,
///   chain id as varint length ‖ UTF-8, height u64, time u64, previous hash, proposer u32, transaction count u32,
///   transactions root, receipts root, state root, validators hash; integers big-endian, hashes 32 bytes), so the
///   client decodes the bytes itself and nothing here can disagree with what was hashed. `header.fields` is the
///   same header decoded by the node, for display only;
/// - the precommit every certificate signature signs is `"CivicLedger/vote/v1" ‖ chain id ‖ kind 2 ‖ height u64 ‖
///   round u32 ‖ 1 ‖ block hash`; the client builds it from the genesis chain id, the header's height, `round` and
///   its own hash of `header.bytes`. `certificate.signed_bytes` is the node's copy, for display and comparison.
///
/// `validator_set` is the set in force at the header's height, as the node knows it; a client that checks for
/// itself compares signatures with the genesis validators instead. `transitions` counts the validator-set changes
/// the proof depends on: when it is not zero the set has changed since genesis and following the changes is left
/// to the node (`civic verify` with the binary proof file from the same route).
public struct TransactionProofView: Codable, Sendable, Equatable {
    /// An RFC 6962 audit path.
    public struct PathView: Codable, Sendable, Equatable {
        /// The leaf's zero-based index.
        public var leafIndex: UInt64
        /// Sibling hashes from the leaf level up, hex.
        public var path: [String]

        /// The view of `proof`.
        public init(_ proof: MerkleProof) {
            leafIndex = proof.leafIndex
            path = proof.path.map(\.hex)
        }
    }

    /// The transaction: its leaf bytes, what its signer signed, and its path.
    public struct TransactionPart: Codable, Sendable, Equatable {
        /// `canonical(signed transaction)`, hex: the Merkle leaf.
        public var bytes: String
        /// `"CivicLedger/tx/v1" ‖ canonical(body)`, hex: the bytes the signature covers.
        public var signBytes: String
        /// The suite hash of ``signBytes``.
        public var hash: String
        /// The path from the leaf to the header's transactions root.
        public var path: PathView
        /// The transaction in words, for display.
        public var decoded: TransactionView
    }

    /// The receipt: its leaf bytes and its path.
    public struct ReceiptPart: Codable, Sendable, Equatable {
        /// `canonical(receipt)`, hex: the Merkle leaf.
        public var bytes: String
        /// The path from the leaf to the header's receipts root.
        public var path: PathView
        /// The receipt in words, for display.
        public var decoded: ReceiptView
    }

    /// The certified header.
    public struct HeaderPart: Codable, Sendable, Equatable {
        /// `canonical(header)`, hex.
        public var bytes: String
        /// The block hash, `H("CivicLedger/header/v1" ‖ bytes)`.
        public var hash: String
        /// The header decoded by the node, for display only.
        public var fields: HeaderView
    }

    /// The commit certificate.
    public struct CertificatePart: Codable, Sendable, Equatable {
        /// The certified height.
        public var height: UInt64
        /// The round the block was decided in.
        public var round: UInt32
        /// The certified block hash.
        public var blockHash: String
        /// `"CivicLedger/vote/v1" ‖ chain id ‖ canonical(precommit)`, hex: what every signature signs.
        public var signedBytes: String
        /// The signatures, by increasing validator index.
        public var signatures: [CertificateView.SignatureView]
    }

    /// The validator set in force at the header's height, as the node knows it.
    public struct ValidatorSetPart: Codable, Sendable, Equatable {
        /// `H("CivicLedger/validators/v1" ‖ canonical(set))`.
        public var hash: String
        /// The validators, in set order (signatures name them by index); keys are 65-byte points in hex.
        public var validators: [ChainInfoResponse.ValidatorView]
    }

    /// The view's format name, `civic.transaction-proof.v1`.
    public var format: String
    /// The chain id.
    public var chainId: String
    /// The chain's suite, `sm` or `intl`.
    public var suite: String
    /// The transaction.
    public var transaction: TransactionPart
    /// The receipt.
    public var receipt: ReceiptPart
    /// The certified header.
    public var header: HeaderPart
    /// The commit certificate.
    public var certificate: CertificatePart
    /// The validator set in force at the header's height.
    public var validatorSet: ValidatorSetPart
    /// How many validator-set changes since genesis the proof depends on (0: the genesis set certifies it).
    public var transitions: Int

    /// The view's format name.
    public static let formatName = "civic.transaction-proof.v1"

    /// The view of `proof` on a chain of `suite`, where `validators` is the set in force at the proof's height.
    public init(_ proof: TransactionProof, suite: CryptoSuite, validators: ValidatorSet) {
        let header = proof.anchor.header
        let certificate = proof.anchor.certificate
        format = TransactionProofView.formatName
        chainId = header.chainID
        self.suite = suite.name
        transaction = TransactionPart(
            bytes: Hex.encode(proof.transaction.canonicalBytes), signBytes: Hex.encode(proof.transaction.signBytes),
            hash: proof.transaction.hash(suite: suite).hex, path: PathView(proof.transactionPath),
            decoded: TransactionView(proof.transaction, suite: suite))
        receipt = ReceiptPart(bytes: Hex.encode(proof.receipt.canonicalBytes), path: PathView(proof.receiptPath),
                              decoded: ReceiptView(proof.receipt))
        self.header = HeaderPart(bytes: Hex.encode(header.canonicalBytes), hash: header.hash(suite: suite).hex,
                                 fields: HeaderView(header, suite: suite))
        self.certificate = CertificatePart(
            height: certificate.height.rawValue, round: certificate.round.rawValue, blockHash: certificate.blockHash.hex,
            signedBytes: Hex.encode(certificate.precommit.signBytes(chainID: header.chainID)),
            signatures: CertificateView(certificate, validators: validators).signatures)
        validatorSet = ValidatorSetPart(hash: validators.hash(suite: suite).hex,
                                        validators: validators.validators.map(ChainInfoResponse.ValidatorView.init))
        transitions = proof.transitions.count
    }
}

extension ChainInfoResponse.ValidatorView {
    /// The view of `validator`: name, organization, the 65-byte point in hex, power.
    public init(_ validator: Validator) {
        self.init(name: validator.name, organization: validator.organization,
                  publicKey: Hex.encode(validator.publicKey.rawRepresentation), power: validator.power)
    }
}
