import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger
import Foundation

/// JSON view of an event.
public struct EventView: Codable, Sendable, Equatable {
    /// Emitting contract.
    public var contract: String
    /// Event name.
    public var name: String
    /// Attributes as `[name, value]` pairs, in emission order.
    public var attributes: [[String]]

    /// The view of `event`.
    public init(_ event: Event) {
        contract = event.contract
        name = event.name
        attributes = event.attributes.map { [$0.key, $0.value] }
    }
}

/// JSON view of a receipt.
public struct ReceiptView: Codable, Sendable, Equatable {
    /// The transaction's hash.
    public var transactionHash: String
    /// `success` or `failure`.
    public var status: String
    /// The failure's stable code.
    public var code: String?
    /// The failure's sentence.
    public var message: String?
    /// Events emitted.
    public var events: [EventView]
    /// Returned data, hex.
    public var returnData: String
    /// Gas the call used (Docs/0012): 0 for native contracts.
    public var gasUsed: UInt64

    /// The view of `receipt`.
    public init(_ receipt: Receipt) {
        transactionHash = receipt.transactionHash.hex
        switch receipt.status {
        case .success:
            status = "success"
        case .failure(let code, let message):
            status = "failure"
            self.code = code
            self.message = message
        }
        events = receipt.events.map(EventView.init)
        returnData = Hex.encode(receipt.returnData)
        gasUsed = receipt.gasUsed
    }
}

/// JSON view of a transaction.
public struct TransactionView: Codable, Sendable, Equatable {
    /// The transaction's hash.
    public var hash: String
    /// Chain id.
    public var chainId: String
    /// Signer's public key, hex.
    public var signer: String
    /// Signer's address.
    public var signerAddress: String
    /// Nonce.
    public var nonce: UInt64
    /// Expiry, milliseconds since the Unix epoch.
    public var expiresAtMs: UInt64
    /// Called contract.
    public var contract: String
    /// Called method.
    public var method: String
    /// Canonical arguments, hex.
    public var arguments: String
    /// The arguments in words, for the native contracts.
    public var argumentsDecoded: [String: String]?
    /// Signature `r||s`, hex.
    public var signature: String

    /// The view of `transaction` on a chain of `suite`.
    public init(_ transaction: Transaction, suite: CryptoSuite) {
        let body = transaction.body
        hash = transaction.hash(suite: suite).hex
        chainId = body.chainID
        signer = Hex.encode(body.signer.rawRepresentation)
        signerAddress = Address(publicKey: body.signer).hex
        nonce = body.nonce
        expiresAtMs = body.expiresAt.milliseconds
        contract = body.call.contract
        method = body.call.method
        arguments = Hex.encode(body.call.arguments)
        argumentsDecoded = CallDescription.describe(body.call)
        signature = Hex.encode(transaction.signature.rawRepresentation)
    }
}

/// JSON view of a header.
public struct HeaderView: Codable, Sendable, Equatable {
    /// Block hash.
    public var hash: String
    /// Chain id.
    public var chainId: String
    /// Height.
    public var height: UInt64
    /// Block time, milliseconds since the Unix epoch.
    public var timeMs: UInt64
    /// Previous block hash.
    public var previousHash: String
    /// Proposer's validator index.
    public var proposer: UInt32
    /// Transaction count.
    public var transactionCount: UInt32
    /// Transactions root.
    public var transactionsRoot: String
    /// Receipts root.
    public var receiptsRoot: String
    /// State root.
    public var stateRoot: String
    /// Validator set hash.
    public var validatorsHash: String

    /// The view of `header` on a chain of `suite`.
    public init(_ header: BlockHeader, suite: CryptoSuite) {
        hash = header.hash(suite: suite).hex
        chainId = header.chainID
        height = header.height.rawValue
        timeMs = header.time.milliseconds
        previousHash = header.previousHash.hex
        proposer = header.proposer
        transactionCount = header.transactionCount
        transactionsRoot = header.transactionsRoot.hex
        receiptsRoot = header.receiptsRoot.hex
        stateRoot = header.stateRoot.hex
        validatorsHash = header.validatorsHash.hex
    }
}

/// JSON view of a commit certificate.
public struct CertificateView: Codable, Sendable, Equatable {
    /// One signature.
    public struct SignatureView: Codable, Sendable, Equatable {
        /// Validator index.
        public var validatorIndex: UInt32
        /// Validator name, when known.
        public var validator: String?
        /// Signature `r||s`, hex.
        public var signature: String
    }

    /// Height.
    public var height: UInt64
    /// Round.
    public var round: UInt32
    /// Certified block hash.
    public var blockHash: String
    /// The precommit signatures.
    public var signatures: [SignatureView]

    /// The view of `certificate`, naming validators from `validators`.
    public init(_ certificate: CommitCertificate, validators: ValidatorSet) {
        height = certificate.height.rawValue
        round = certificate.round.rawValue
        blockHash = certificate.blockHash.hex
        signatures = certificate.signatures.map {
            SignatureView(validatorIndex: $0.validatorIndex, validator: validators.validator(at: $0.validatorIndex)?.name,
                          signature: Hex.encode($0.signature.rawRepresentation))
        }
    }
}
