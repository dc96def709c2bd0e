import CivicCodec
import CivicContracts
import CivicCrypto
import CivicLedger

/// Arguments, state keys and reads of ``CertificateContract``.
extension CertificateContract {
    /// Arguments of `suspend`, `resume` and `revoke`.
    public struct StatusChange: Hashable, Sendable, CanonicalCodable {
        /// The certificate's id.
        public var certificate: String
        /// Why (kept on the certificate and in the event).
        public var reason: String

        /// Creates arguments.
        public init(certificate: String, reason: String = "") {
            self.certificate = certificate
            self.reason = reason
        }

        /// certificate, reason.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(string: certificate)
            encoder.encode(string: reason)
        }

        /// Reads arguments.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            certificate = try decoder.decodeString("status_change.certificate", maxBytes: Limits.nameBytesMax)
            reason = try decoder.decodeString("status_change.reason", maxBytes: CatalogContract.titleBytesMax)
        }
    }

    /// Arguments of `reissue`: the certificate replaced, why, and its successor (same type and issuer).
    public struct Reissue: Hashable, Sendable, CanonicalCodable {
        /// The certificate replaced (revoked by the re-issue).
        public var replaced: String
        /// Why (lost, damaged, corrected).
        public var reason: String
        /// The new certificate.
        public var certificate: CertificateDraft

        /// Creates arguments.
        public init(replaced: String, reason: String, certificate: CertificateDraft) {
            self.replaced = replaced
            self.reason = reason
            self.certificate = certificate
        }

        /// replaced, reason, certificate.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(string: replaced)
            encoder.encode(string: reason)
            encoder.encode(certificate)
        }

        /// Reads arguments.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            replaced = try decoder.decodeString("reissue.replaced", maxBytes: Limits.nameBytesMax)
            reason = try decoder.decodeString("reissue.reason", maxBytes: CatalogContract.titleBytesMax)
            certificate = try decoder.decode(CertificateDraft.self)
        }
    }

    /// State keys relative to `certificates/`; ``stateKey(_:)`` makes them full. Numbers in keys are 8 bytes
    /// big-endian; counts are canonical u64.
    public enum Key {
        /// Type `id` (``CertificateType``).
        public static func type(_ id: String) -> [UInt8] { Array("type/\(id)".utf8) }
        /// The count of registered types.
        public static let typeCount = Array("type-count".utf8)
        /// The `index`-th registered type's id (from 0, in registration order).
        public static func typeList(_ index: UInt64) -> [UInt8] { Array("type-list/".utf8) + bigEndian(index) }
        /// Certificate `id` (``ElectronicCertificate``).
        public static func certificate(_ id: String) -> [UInt8] { Array("certificate/\(id)".utf8) }
        /// The count of certificates issued to the holder with fingerprint `holder`.
        public static func holderCount(_ holder: Hash256) -> [UInt8] { Array("holder-count/".utf8) + holder.bytes }
        /// The `index`-th certificate id issued to `holder` (from 0).
        public static func holder(_ holder: Hash256, _ index: UInt64) -> [UInt8] {
            Array("holder/".utf8) + holder.bytes + bigEndian(index)
        }
        /// Authorization `id` (``CertificateAuthorization``).
        public static func authorization(_ id: UInt64) -> [UInt8] { Array("authorization/".utf8) + bigEndian(id) }
        /// The count of authorizations of certificate `certificate` for `organization`.
        public static func authorizationCount(_ certificate: String, _ organization: String) -> [UInt8] {
            Array("authorization-count/\(certificate)/\(organization)".utf8)
        }
        /// The `index`-th authorization number of `certificate` for `organization` (from 0).
        public static func authorizationOf(_ certificate: String, _ organization: String, _ index: UInt64) -> [UInt8] {
            Array("authorization-of/\(certificate)/\(organization)/".utf8) + bigEndian(index)
        }
        /// Check `id` (``CertificateCheck``).
        public static func check(_ id: UInt64) -> [UInt8] { Array("check/".utf8) + bigEndian(id) }
        /// The count of checks of the certificate id `certificate` (presented, whether it exists or not).
        public static func checkCount(_ certificate: String) -> [UInt8] { Array("check-count/\(certificate)".utf8) }
        /// The `index`-th check number of `certificate` (from 0).
        public static func checkOf(_ certificate: String, _ index: UInt64) -> [UInt8] {
            Array("check-of/\(certificate)/".utf8) + bigEndian(index)
        }
        /// The counter of numbered records (`authorization`, `check`).
        public static func next(_ name: String) -> [UInt8] { Array("next/\(name)".utf8) }

        static func bigEndian(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    }

    /// The full state key of a key relative to the contract's namespace.
    public static func stateKey(_ relative: [UInt8]) -> [UInt8] { Array("certificates/".utf8) + relative }

    // MARK: - Reading committed state (API)

    /// Type `id`, or `nil`. `read` returns the value under a full state key.
    public static func type<Failure: Error>(
        _ id: String, read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> CertificateType? {
        try read(stateKey(Key.type(id))).flatMap { try? CertificateType(canonicalBytes: $0) }
    }

    /// The full keys of the first `limit` entries of a counted list, oldest first, and the count.
    public static func listKeys<Failure: Error>(
        count: [UInt8], entry: (UInt64) -> [UInt8], limit: Int, newestFirst: Bool = false,
        read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> (total: UInt64, keys: [[UInt8]]) {
        let total = try read(stateKey(count)).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
        let shown = min(total, UInt64(max(limit, 0)))
        let indices = newestFirst ? Array((total - shown..<total).reversed()) : Array(0..<shown)
        return (total, indices.map { stateKey(entry($0)) })
    }

    // MARK: - Reading state during a call

    /// Certificate `id`, through the contract's state.
    static func certificate(_ id: String, in state: ContractState) -> ElectronicCertificate? {
        state.get(Key.certificate(id)).flatMap { try? ElectronicCertificate(canonicalBytes: $0) }
    }

    /// Type `id`, through the contract's state.
    static func type(_ id: String, in state: ContractState) -> CertificateType? {
        state.get(Key.type(id)).flatMap { try? CertificateType(canonicalBytes: $0) }
    }

    /// The u64 under `key` (0 when absent).
    static func count(_ key: [UInt8], in state: ContractState) -> UInt64 {
        state.get(key).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
    }

    /// Appends `value` to the counted list (`count`, `entry`); returns its index.
    @discardableResult
    static func append(_ value: [UInt8], count: [UInt8], entry: (UInt64) -> [UInt8],
                       _ state: inout ContractState) throws(ContractFailure) -> UInt64 {
        let index = Self.count(count, in: state)
        try state.put(entry(index), value)
        try state.put(count, (index + 1).canonicalBytes)
        return index
    }

    /// The next number of counter `name` (from 1), stored back.
    static func next(_ name: String, _ state: inout ContractState) throws(ContractFailure) -> UInt64 {
        let number = count(Key.next(name), in: state) + 1
        try state.put(Key.next(name), number.canonicalBytes)
        return number
    }
}
