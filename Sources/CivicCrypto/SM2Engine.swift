import COpenSSL

/// SM2 through OpenSSL libcrypto 3.0. (Being filled in by the crypto work: see Docs.)
enum SM2Engine {
    static func validatePublicKey(_ raw: [UInt8]) throws(CryptoError) {
        preconditionFailure("SM2 engine pending")
    }
    static func derivePublicKey(_ privateKey: [UInt8]) throws(CryptoError) -> [UInt8] {
        preconditionFailure("SM2 engine pending")
    }
    static func generatePrivateScalar() -> [UInt8] {
        preconditionFailure("SM2 engine pending")
    }
    static func sign(privateKey: [UInt8], message: some ContiguousBytesView) throws(CryptoError) -> Signature {
        preconditionFailure("SM2 engine pending")
    }
    static func verify(publicKey: [UInt8], signature: Signature, message: some ContiguousBytesView) -> Bool {
        preconditionFailure("SM2 engine pending")
    }
}
