import Crypto

/// A public key as the suite's library holds it, built once when the ``PublicKey`` is made.
enum PublicKeyHandle: Sendable {
    /// ECDSA P-256 through swift-crypto.
    case p256(SharedKey<P256.Signing.PublicKey>)
    /// SM2 through OpenSSL.
    case sm2(EVPKey)
}

/// A private key as the suite's library holds it, built once when the ``PrivateKey`` is made.
enum PrivateKeyHandle: Sendable {
    /// ECDSA P-256 through swift-crypto.
    case p256(SharedKey<P256.Signing.PrivateKey>)
    /// SM2 through OpenSSL.
    case sm2(EVPKey)
}

/// Dispatches key and signature operations to the suite's library.
enum SignatureEngine {
    /// Validates `raw` (`04 || X || Y`) as a point of `suite`'s curve and builds the library's key.
    /// - Throws: ``CryptoError/invalidKey(_:)``.
    static func publicKeyHandle(suite: CryptoSuite, raw: [UInt8]) throws(CryptoError) -> PublicKeyHandle {
        switch suite {
        case .intl:
            do { return .p256(SharedKey(try P256.Signing.PublicKey(x963Representation: raw))) } catch {
                throw .invalidKey("not a point on P-256")
            }
        case .sm:
            return .sm2(try SM2Engine.publicKey(raw))
        }
    }

    /// Checks the scalar, derives the public point and builds the library's key pair.
    /// - Throws: ``CryptoError/invalidKey(_:)`` for a scalar outside the suite's range.
    static func privateKeyHandle(suite: CryptoSuite, scalar: [UInt8]) throws(CryptoError)
        -> (handle: PrivateKeyHandle, publicRaw: [UInt8])
    {
        switch suite {
        case .intl:
            guard scalar.count == 32,
                  let key = try? P256.Signing.PrivateKey(rawRepresentation: scalar)
            else { throw .invalidKey("not a valid P-256 private scalar") }
            return (.p256(SharedKey(key)), Array(key.publicKey.x963Representation))
        case .sm:
            let publicRaw = try SM2Engine.derivePublicKey(scalar)
            return (.sm2(try SM2Engine.privateKey(scalar: scalar, publicPoint: publicRaw)), publicRaw)
        }
    }

    /// A fresh private scalar of `suite`.
    static func generatePrivateScalar(suite: CryptoSuite) -> [UInt8] {
        switch suite {
        case .intl: Array(P256.Signing.PrivateKey().rawRepresentation)
        case .sm: SM2Engine.generatePrivateScalar()
        }
    }

    /// Signs `message` with the key behind `handle`.
    /// - Throws: ``CryptoError/library(_:)`` if the library fails.
    static func sign(_ handle: PrivateKeyHandle, message: some ContiguousBytesView) throws(CryptoError) -> Signature {
        switch handle {
        case .p256(let key):
            let raw: [UInt8]
            do {
                raw = try message.withBytes { Array(try key.value.signature(for: $0).rawRepresentation) }
            } catch {
                throw .library("P-256 signing failed: \(error)")
            }
            return try Signature(rawRepresentation: raw)
        case .sm2(let key):
            return try SM2Engine.sign(key: key, message: message)
        }
    }

    /// Whether `signature` is valid for `message` under the key behind `handle`.
    static func verify(_ handle: PublicKeyHandle, signature: Signature, message: some ContiguousBytesView) -> Bool {
        switch handle {
        case .p256(let key):
            guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature.rawRepresentation) else {
                return false
            }
            return message.withBytes { key.value.isValidSignature(ecdsa, for: $0) }
        case .sm2(let key):
            return SM2Engine.verify(key: key, signature: signature, message: message)
        }
    }
}
