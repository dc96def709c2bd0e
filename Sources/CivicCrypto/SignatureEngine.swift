import Crypto

/// Dispatches key and signature operations to the suite's library.
enum SignatureEngine {
    static func validatePublicKey(suite: CryptoSuite, raw: [UInt8]) throws(CryptoError) {
        switch suite {
        case .intl:
            do { _ = try P256.Signing.PublicKey(x963Representation: raw) } catch {
                throw .invalidKey("not a point on P-256")
            }
        case .sm:
            try SM2Engine.validatePublicKey(raw)
        }
    }

    static func derivePublicKey(suite: CryptoSuite, privateKey: [UInt8]) throws(CryptoError) -> [UInt8] {
        switch suite {
        case .intl:
            do { return Array(try P256.Signing.PrivateKey(rawRepresentation: privateKey).publicKey.x963Representation) } catch {
                throw .invalidKey("not a valid P-256 private scalar")
            }
        case .sm:
            return try SM2Engine.derivePublicKey(privateKey)
        }
    }

    static func generatePrivateScalar(suite: CryptoSuite) -> [UInt8] {
        switch suite {
        case .intl: Array(P256.Signing.PrivateKey().rawRepresentation)
        case .sm: SM2Engine.generatePrivateScalar()
        }
    }

    static func sign(suite: CryptoSuite, privateKey: [UInt8], message: some ContiguousBytesView) throws(CryptoError) -> Signature {
        switch suite {
        case .intl:
            do {
                let key = try P256.Signing.PrivateKey(rawRepresentation: privateKey)
                let signature = try message.withBytes { try key.signature(for: $0) }
                return try Signature(rawRepresentation: Array(signature.rawRepresentation))
            } catch let error as CryptoError {
                throw error
            } catch {
                throw .library("P-256 signing failed: \(error)")
            }
        case .sm:
            return try SM2Engine.sign(privateKey: privateKey, message: message)
        }
    }

    static func verify(suite: CryptoSuite, publicKey: [UInt8], signature: Signature, message: some ContiguousBytesView) -> Bool {
        switch suite {
        case .intl:
            guard let key = try? P256.Signing.PublicKey(x963Representation: publicKey),
                  let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature.rawRepresentation)
            else { return false }
            return message.withBytes { key.isValidSignature(ecdsa, for: $0) }
        case .sm:
            return SM2Engine.verify(publicKey: publicKey, signature: signature, message: message)
        }
    }
}
