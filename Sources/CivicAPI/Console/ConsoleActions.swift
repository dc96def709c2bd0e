import CivicApps
import CivicClient
import CivicCodec
import CivicContracts
import CivicCrypto
import CivicFormats
import CivicLedger
import Foundation

/// The writes the console prepares for a signed-in person to sign (Docs/0017, "Writes"): each turns the page's JSON
/// arguments into the contract calls the CLI would send for the same intent, through the same ``TransactionBuilder``
/// functions. Most actions are one call; deploying or upgrading a contract first uploads its code in chunks.
///
/// Preparing decides nothing: the contracts check who may do what when the signed transaction executes.
enum ConsoleActions {
    /// What an action may read while preparing: the chain's suite, the wall clock, and whether code is on chain.
    struct Context {
        /// The chain's suite.
        let suite: CryptoSuite
        /// Milliseconds since the Unix epoch.
        let now: UInt64
        /// Whether the chain already holds the code with this hash.
        let hasCode: @Sendable (Hash256) -> Bool
    }

    /// Builds an action's calls from its arguments.
    typealias Builder = @Sendable (ConsoleArguments, Context) throws(ConsoleError) -> [ContractCall]

    /// Every action by name.
    static let all: [String: Builder] = [
        "governance.vote": { arguments, _ throws(ConsoleError) in
            [TransactionBuilder.vote(proposal: try arguments.uint64("proposal"), approve: try arguments.bool("approve"))]
        },
        "governance.close": { arguments, _ throws(ConsoleError) in
            [TransactionBuilder.closeProposal(try arguments.uint64("proposal"))]
        },
        "governance.propose": { arguments, context throws(ConsoleError) in
            let change = try governanceChange(try arguments.object("change"))
            return [try proposal(change, arguments: arguments, context: context)]
        },
        "contract.deploy": { arguments, context throws(ConsoleError) in
            let code = try arguments.base64Bytes("wasm")
            let codeHash = context.suite.hash(code)
            let change = GovernanceChange.deployContract(name: try arguments.string("name"), codeHash: codeHash,
                                                         initArguments: try arguments.hexBytes("init_arguments_hex"))
            return upload(code, context: context) + [try proposal(change, arguments: arguments, context: context)]
        },
        "contract.upgrade": { arguments, context throws(ConsoleError) in
            let code = try arguments.base64Bytes("wasm")
            let change = GovernanceChange.upgradeContract(name: try arguments.string("name"), codeHash: context.suite.hash(code))
            return upload(code, context: context) + [try proposal(change, arguments: arguments, context: context)]
        },
        "catalog.publish": { arguments, _ throws(ConsoleError) in
            let file = try arguments.decode(ResourceDraftFile.self, "resource")
            do throws(FormatError) { return [TransactionBuilder.publishResource(try file.draft())] } catch {
                throw .invalidArguments(error.description)
            }
        },
        "catalog.withdraw": { arguments, _ throws(ConsoleError) in
            [TransactionBuilder.withdrawResource(try arguments.string("resource"))]
        },
        "catalog.request": { arguments, _ throws(ConsoleError) in
            let days = try arguments.uint64("days", default: 30)
            guard (1...366).contains(days) else { throw .invalidArguments("'days' must be between 1 and 366.") }
            return [TransactionBuilder.requestResource(RequestDraft(
                resource: try arguments.string("resource"), fields: try arguments.strings("fields"),
                purpose: try arguments.string("purpose"), serviceItem: try arguments.string("service_item"),
                durationMilliseconds: days * 86_400_000))]
        },
        "catalog.decide": { arguments, _ throws(ConsoleError) in
            let name = try arguments.string("decision")
            guard let decision = TransactionBuilder.RequestDecision(rawValue: name) else {
                throw .invalidArguments("'decision' must be approve, reject or revoke.")
            }
            return [TransactionBuilder.decideRequest(decision, id: try arguments.uint64("request"),
                                                     note: try arguments.string("note", default: ""))]
        },
        "certificates.issue": { arguments, _ throws(ConsoleError) in
            let validFrom = try arguments.uint64("valid_from_ms")
            let validUntil = try arguments.uint64("valid_until_ms")
            return [TransactionBuilder.issueCertificate(CertificateDraft(
                id: try arguments.string("certificate"), type: try arguments.string("type"),
                documentFingerprint: try arguments.hash("document_fingerprint"),
                holderFingerprint: try arguments.hash("holder_fingerprint"), holder: try arguments.address("holder"),
                validFrom: Timestamp(milliseconds: validFrom), validUntil: Timestamp(milliseconds: validUntil)))]
        },
        "certificates.status": { arguments, _ throws(ConsoleError) in
            let change = try arguments.string("change")
            guard ["suspend", "resume", "revoke"].contains(change) else {
                throw .invalidArguments("'change' must be suspend, resume or revoke.")
            }
            return [TransactionBuilder.changeCertificateStatus(change, certificate: try arguments.string("certificate"),
                                                               reason: try arguments.string("reason", default: ""))]
        },
        "certificates.authorize": { arguments, context throws(ConsoleError) in
            let days = try arguments.uint64("days", default: 30)
            guard (1...366).contains(days) else { throw .invalidArguments("'days' must be between 1 and 366.") }
            return [TransactionBuilder.authorizeVerifier(AuthorizationDraft(
                certificate: try arguments.string("certificate"), verifierOrganization: try arguments.string("verifier"),
                purpose: try arguments.string("purpose"), validUntil: Timestamp(milliseconds: context.now + days * 86_400_000)))]
        },
        "certificates.withdraw_authorization": { arguments, _ throws(ConsoleError) in
            [TransactionBuilder.withdrawAuthorization(try arguments.uint64("authorization"))]
        },
        "certificates.verify": { arguments, _ throws(ConsoleError) in
            [TransactionBuilder.verifyCertificate(VerifyRequest(
                certificate: try arguments.string("certificate"), documentFingerprint: try arguments.hash("document_fingerprint"),
                purpose: try arguments.string("purpose", default: "")))]
        },
        "evidence.put": { arguments, context throws(ConsoleError) in
            let algorithm = context.suite == .sm ? FingerprintAlgorithm.sm3 : .sha256
            return [TransactionBuilder.evidencePut(fingerprint: try arguments.hash("fingerprint"), algorithm: algorithm,
                                                   label: try arguments.string("label", default: ""))]
        },
    ]

    /// Proposes `change` with the deadline `deadline_hours` (default 72) from now.
    static func proposal(_ change: GovernanceChange, arguments: ConsoleArguments, context: Context) throws(ConsoleError) -> ContractCall {
        let hours = try arguments.uint64("deadline_hours", default: 72)
        guard (1...24 * 30).contains(hours) else { throw .invalidArguments("'deadline_hours' must be between 1 and 720.") }
        return TransactionBuilder.propose(change, deadline: Timestamp(milliseconds: context.now + hours * 3_600_000))
    }

    /// The upload calls for `code`, none when the chain already has it.
    static func upload(_ code: [UInt8], context: Context) -> [ContractCall] {
        guard !context.hasCode(context.suite.hash(code)) else { return [] }
        return CodeContract.Chunk.split(code, suite: context.suite).map {
            ContractCall(contract: "code", method: "upload", arguments: $0.canonicalBytes)
        }
    }

    /// The governance changes the console proposes, by `kind`.
    static func governanceChange(_ change: ConsoleArguments) throws(ConsoleError) -> GovernanceChange {
        let kind = try change.string("kind")
        switch kind {
        case "set_contract_frozen":
            return .setContractFrozen(name: try change.string("name"), frozen: try change.bool("frozen"))
        case "set_block_interval":
            return .setBlockIntervalMilliseconds(try uint32(change, "milliseconds"))
        case "set_block_transactions_max":
            return .setBlockTransactionsMax(try uint32(change, "count"))
        case "set_trusted_issuers":
            return .setTrustedIssuers(certificateType: try change.string("certificate_type"),
                                      organizations: try change.strings("organizations"))
        case "remove_validator":
            return .removeValidator(name: try change.string("name"))
        case "set_validator_power":
            return .setValidatorPower(name: try change.string("name"), power: try change.uint64("power"))
        case "remove_organization":
            return .removeOrganization(name: try change.string("name"))
        default:
            throw .invalidArguments("The console proposes no change of kind '\(kind)'.")
        }
    }

    private static func uint32(_ arguments: ConsoleArguments, _ field: String) throws(ConsoleError) -> UInt32 {
        let value = try arguments.uint64(field)
        guard let narrow = UInt32(exactly: value) else { throw .invalidArguments("'\(field)' is too large.") }
        return narrow
    }
}
