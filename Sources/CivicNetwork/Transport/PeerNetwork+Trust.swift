import CivicCrypto
import CivicLedger
import Logging
import NIOConcurrencyHelpers
import NIOCore

extension PeerNetwork {
    /// The trust peers' transport certificates are checked against now: the chain's organization CAs and the
    /// revoked fingerprints (initially ``PeerNetworkConfiguration/trust`` and no revocation).
    public var trust: TransportTrust { state.withLockedValue { $0.trust } }

    /// The transport certificate new connections present (initially
    /// ``PeerNetworkConfiguration/transportCertificate``).
    public var transportCertificate: X509Certificate { state.withLockedValue { $0.transportCertificate } }

    /// The transport certificate `peer` presented on its current link, or `nil` without a link.
    public func transportCertificate(of peer: PublicKey) -> X509Certificate? {
        guard let der = state.withLockedValue({ $0.links[peer]?.peerCertificateDER }) else { return nil }
        return try? X509Certificate(derRepresentation: der)
    }

    /// Replaces the chain's organization CAs and the revoked transport certificates, after a governance vote added
    /// or removed an organization or revoked a certificate.
    ///
    /// New handshakes are checked against the new trust at once. Every open connection whose peer certificate the
    /// new trust no longer accepts at ``PeerNetworkConfiguration/now`` (CA removed, fingerprint revoked, expired)
    /// is closed and logged at warning with the refusal's code (`certificate.unknown_ca`, `certificate.revoked`,
    /// ...), as is every link whose peer `isMember` no longer accepts (see ``revalidateLinks()``). Links still
    /// accepted are untouched. The closing happens on the links' event loops right after this returns. Callable
    /// from any thread or task.
    ///
    /// A certificate is revoked when its ``CertificateFingerprint`` (the hash of its DER with a suite's hash
    /// function, SM3 or SHA-256) is in `revoked`; pass the complete set each time, it replaces the previous one.
    /// - Parameters:
    ///   - verifier: the organization CAs now on chain; same chain id and suite as the configuration's.
    ///   - revoked: the fingerprints of every revoked transport certificate.
    /// - Throws: ``NetworkError/invalidTrust(_:)`` if `verifier` is for another chain or suite; nothing changes.
    public func updateTrust(
        _ verifier: CertificateVerifier, revoked: Set<CertificateFingerprint> = []
    ) throws(NetworkError) {
        guard verifier.chainID == configuration.chainID else {
            throw .invalidTrust("it is for chain '\(verifier.chainID)', this node runs '\(configuration.chainID)'")
        }
        guard verifier.suite == configuration.trust.suite else {
            throw .invalidTrust(
                "it is for the '\(verifier.suite)' suite, the chain uses '\(configuration.trust.suite)'")
        }
        let trust = TransportTrust(verifier: verifier, revoked: revoked)
        let own = state.withLockedValue { state in
            state.trust = trust
            return state.transportCertificate
        }
        configuration.logger.info("peer trust updated", metadata: [
            "authorities": .stringConvertible(verifier.authorities.count),
            "revoked": .stringConvertible(revoked.count),
        ])
        do {
            _ = try trust.verify(leafDER: own.derRepresentation, at: configuration.now())
        } catch {
            configuration.logger.error("""
                this node's own transport certificate is not accepted by the new trust; peers will refuse new \
                connections from it: \(error.description) Rotate in a new certificate.
                """, metadata: ["code": .string(error.code)])
        }
        revalidateLinks()
    }

    /// Checks every open connection again: its peer's transport certificate against the current ``trust`` at
    /// ``PeerNetworkConfiguration/now`` and, for authenticated links, the peer's identity key against
    /// ``PeerNetworkConfiguration/isMember``. Each that fails is closed and logged at warning with its refusal code
    /// (`peer.not_member` for a member removed on chain); the others are untouched.
    ///
    /// `isMember` is consulted at each hello; call this after the membership it reads changed (for example when a
    /// validator was removed) so that links of former members close too. The checks run on the links' event loops
    /// right after this returns. Callable from any thread or task.
    public func revalidateLinks() {
        let now = configuration.now()
        for link in state.withLockedValue({ Array($0.openLinks.values) }) {
            link.channel.eventLoop.execute { link.handler.value.revalidate(at: now) }
        }
    }

    /// Makes new inbound and outbound connections present `certificate`, with TLS key `key`, before the current
    /// transport certificate expires; links already open keep theirs and stay up (no restart, no dropped link).
    ///
    /// Each connection binds its hello to the certificate its own TLS context presented, so links opened before and
    /// after the replacement both authenticate. Callable from any thread or task, before or after ``start()``.
    /// - Throws: nothing changes when it throws:
    ///   - ``NetworkError/invalidTransportIdentity(_:)`` if `key` is not a P-256 key or not `certificate`'s key;
    ///   - ``NetworkError/transportCertificateRefused(_:)`` if the current ``trust`` does not accept `certificate`
    ///     now: unknown CA, expired or not yet valid, another chain, revoked, ...;
    ///   - ``NetworkError/tlsSetupFailed(_:)`` if TLS cannot use them.
    public func replaceTransportIdentity(certificate: X509Certificate, key: PrivateKey) throws(NetworkError) {
        guard key.suite == .intl else {
            throw .invalidTransportIdentity("the transport key is a '\(key.suite)' key; TLS needs a P-256 key")
        }
        guard certificate.publicKey == key.publicKey else {
            throw .invalidTransportIdentity("the key does not belong to the certificate '\(certificate.subject)'")
        }
        do {
            _ = try trust.verify(leafDER: certificate.derRepresentation, at: configuration.now())
        } catch {
            throw .transportCertificateRefused(error)
        }
        let tls = try TLSContexts(certificate: certificate, key: key)
        let previous = state.withLockedValue { state in
            let previous = state.transportCertificate
            state.tls = tls
            state.transportCertificate = certificate
            return previous
        }
        configuration.logger.notice("transport certificate replaced; new connections present it", metadata: [
            "subject": .string(certificate.subject),
            "serial": .string(certificate.serialNumber),
            "not_after": .string(UTCTime.text(certificate.validity.notAfter)),
            "previous_serial": .string(previous.serialNumber),
        ])
    }
}
