import CivicCrypto
import CivicNetwork
import Synchronization

/// The node's view of its network: authenticated peers named by their keys, best-effort delivery.
///
/// The real implementation is `CivicNetwork`'s mutual-TLS transport; ``LoopbackHub`` links nodes in
/// one process for tests. Sends never block and may be lost (consensus re-broadcasts).
public protocol PeerLink: Sendable {
    /// Sends `frame` to `peer` if it is connected.
    func send(_ frame: [UInt8], to peer: PublicKey)
    /// Sends `frame` to every connected peer.
    func broadcast(_ frame: [UInt8])
    /// Frames from peers, in arrival order per peer.
    var inbound: AsyncStream<InboundFrame> { get }
    /// The peers connected now.
    var connectedPeers: [PublicKey] { get }
}

/// In-process links between nodes, with partitions: a test double of the transport.
public final class LoopbackHub: Sendable {
    private struct Endpoint {
        var continuation: AsyncStream<InboundFrame>.Continuation
    }

    private let state = Mutex<(endpoints: [PublicKey: Endpoint], cut: Set<PublicKey>, noGossip: Set<PublicKey>)>(([:], [], []))

    /// An empty hub.
    public init() {}

    /// Attaches a node: its link sends to every other attached node.
    public func attach(_ key: PublicKey) -> LoopbackLink {
        let (frames, continuation) = AsyncStream.makeStream(of: InboundFrame.self)
        state.withLock { $0.endpoints[key] = Endpoint(continuation: continuation) }
        return LoopbackLink(hub: self, key: key, inbound: frames)
    }

    /// Detaches a node (as if it stopped): frames to it are lost and its stream ends.
    public func detach(_ key: PublicKey) {
        let endpoint = state.withLock { $0.endpoints.removeValue(forKey: key) }
        endpoint?.continuation.finish()
    }

    /// Cuts a node off (both directions) or heals it.
    public func setIsolated(_ key: PublicKey, _ isolated: Bool) {
        state.withLock { state in
            if isolated { state.cut.insert(key) } else { state.cut.remove(key) }
        }
    }

    /// Stops (or resumes) delivering transaction gossip to a node, so that it must fetch the bodies
    /// a proposal names from the proposer.
    public func setDropsGossip(to key: PublicKey, _ drops: Bool) {
        state.withLock { state in
            if drops { state.noGossip.insert(key) } else { state.noGossip.remove(key) }
        }
    }

    fileprivate func peers(of key: PublicKey) -> [PublicKey] {
        state.withLock { state in
            state.cut.contains(key) ? [] : state.endpoints.keys.filter { $0 != key && !state.cut.contains($0) }
        }
    }

    fileprivate func deliver(_ bytes: [UInt8], from sender: PublicKey, to receivers: [PublicKey]?) {
        let gossip = NodeMessage.isTransactions(bytes)
        let targets = state.withLock { state -> [AsyncStream<InboundFrame>.Continuation] in
            guard !state.cut.contains(sender) else { return [] }
            let keys = receivers ?? Array(state.endpoints.keys)
            return keys.compactMap { key in
                key == sender || state.cut.contains(key) || (gossip && state.noGossip.contains(key))
                    ? nil : state.endpoints[key]?.continuation
            }
        }
        for target in targets { target.yield(InboundFrame(peer: sender, bytes: bytes)) }
    }
}

/// One node's end of a ``LoopbackHub``.
public struct LoopbackLink: PeerLink {
    let hub: LoopbackHub
    let key: PublicKey
    /// Frames from the other nodes on the hub.
    public let inbound: AsyncStream<InboundFrame>

    /// Delivers to `peer` unless either side is cut off.
    public func send(_ frame: [UInt8], to peer: PublicKey) { hub.deliver(frame, from: key, to: [peer]) }

    /// Delivers to every other attached node that is not cut off.
    public func broadcast(_ frame: [UInt8]) { hub.deliver(frame, from: key, to: nil) }

    /// The other attached nodes, unless either side is cut off.
    public var connectedPeers: [PublicKey] { hub.peers(of: key) }
}

/// The mutual-TLS transport is the node's network.
extension PeerNetwork: PeerLink {}
