import COpenSSL
import CivicCrypto
import CivicLedger

extension TimeStampAuthority {
    /// What a verified token says.
    public struct Info: Hashable, Sendable {
        /// The time the authority vouches for (the block time), at millisecond precision.
        public let genTime: Timestamp
        /// The token's serial number.
        public let serialNumber: UInt64
        /// The TSA policy OID, dotted.
        public let policy: String
        /// The suite of the imprint's hash and the signature.
        public let suite: CryptoSuite
    }

    /// Checks a DER TimeStampToken offline, as `openssl ts -verify -digest <hex> -token_in -in <token>
    /// -CAfile <ca> -attime <genTime>` does, and returns what it says.
    ///
    /// Checked: version 1; the imprint is `digest` under the hash of `trustedCA`'s suite (SM3 or SHA-256); the
    /// SignerInfo's signature (for SM2 without `Z`, see the type's documentation) and its ESS signing certificate;
    /// the signer's certificate chains to `trustedCA` (an SM2 CA's signature without signer id, as
    /// ``OrganizationCA/issueTimeStampingCertificate(name:publicKey:chainID:validity:)`` makes it), was valid *at
    /// genTime* (the wall clock is not read, so old tokens keep verifying), and is a time-stamping certificate.
    /// Not checked: revocation of the TSA certificate, and the TSA policy (the caller compares ``Info/policy``).
    /// - Throws: ``TimeStampRefusal``.
    public static func verify(token: [UInt8], digest: [UInt8], trustedCA: X509Certificate) throws(TimeStampRefusal)
        -> Info
    {
        guard let suite = trustedCA.publicKey?.suite else {
            throw .untrustedSigner("the trusted CA's key is neither SM2 nor P-256")
        }
        let authority: X509Object
        do {
            authority = try X509Object(der: trustedCA.derRepresentation)
        } catch {
            throw .untrustedSigner(error.description)
        }
        X509Library.clearErrors()
        var info: OpaquePointer? = nil
        let result = civic_ts_verify_token(token, token.count, TimeStampAuthority.digest(suite), digest, digest.count,
                                           authority.pointer, &info)
        switch result {
        case 1:
            guard let info else { throw .malformed("OpenSSL returned no TSTInfo") }
            defer { TS_TST_INFO_free(info) }
            return try read(info, suite: suite)
        case -1:
            throw .malformed(X509Library.drainErrors("not one DER TimeStampToken"))
        case -2:
            X509Library.clearErrors()
            throw .digestMismatch
        default:
            throw refusal()
        }
    }

    /// The refusal OpenSSL's error queue describes (and the queue emptied).
    private static func refusal() -> TimeStampRefusal {
        var reasons: [(library: Int32, reason: Int32)] = []
        var messages: [String] = []
        var data: UnsafePointer<CChar>? = nil
        var flags: Int32 = 0
        while case let code = ERR_get_error_all(nil, nil, nil, &data, &flags), code != 0 {
            reasons.append((ERR_GET_LIB(code), ERR_GET_REASON(code)))
            // The reason text, and the detail OpenSSL attached ("Verify error:certificate has expired").
            var text = ERR_reason_error_string(code).map { String(cString: $0) } ?? "error \(code)"
            if flags & ERR_TXT_STRING != 0, let data, data.pointee != 0 { text += " (\(String(cString: data)))" }
            messages.append(text)
        }
        let message = messages.isEmpty ? "the token does not verify" : messages.joined(separator: "; ")
        func has(_ library: Int32, _ reason: Int32) -> Bool {
            reasons.contains { $0.library == library && $0.reason == reason }
        }
        if has(ERR_LIB_TS, TS_R_MESSAGE_IMPRINT_MISMATCH) { return .digestMismatch }
        if has(ERR_LIB_TS, TS_R_UNSUPPORTED_VERSION) { return .malformed(message) }
        if has(ERR_LIB_TS, TS_R_CERTIFICATE_VERIFY_ERROR) { return .untrustedSigner(message) }
        return .invalidSignature(message)
    }

    /// The fields of a verified TSTInfo.
    private static func read(_ info: OpaquePointer, suite: CryptoSuite) throws(TimeStampRefusal) -> Info {
        guard let time = TS_TST_INFO_get_time(info), let start = ASN1_STRING_get0_data(time) else {
            throw .malformed("the token has no genTime")
        }
        let text = String(decoding: UnsafeBufferPointer(start: start, count: Int(ASN1_STRING_length(time))),
                          as: UTF8.self)
        guard let genTime = GeneralizedTime.timestamp(text) else {
            throw .malformed("genTime '\(text)' is not UTC with at most millisecond precision")
        }
        var serialNumber: UInt64 = 0
        guard let serial = TS_TST_INFO_get_serial(info), ASN1_INTEGER_get_uint64(&serialNumber, serial) == 1 else {
            X509Library.clearErrors()
            throw .malformed("the serial number does not fit in 64 bits")
        }
        var buffer = [CChar](repeating: 0, count: 128)
        let length = civic_OBJ_text(TS_TST_INFO_get_policy_id(info), &buffer, Int32(buffer.count))
        guard length > 0 else { throw .malformed("the policy OID cannot be read") }
        let policy = String(decoding: buffer[..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Info(genTime: genTime, serialNumber: serialNumber, policy: policy, suite: suite)
    }
}
