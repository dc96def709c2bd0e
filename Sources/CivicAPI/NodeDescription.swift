import CivicCrypto
import CivicNetwork

/// What only the process that starts a node knows about it — its files and its configured peer endpoints — handed
/// to ``CivicAPI/router(node:metrics:events:timeStamps:trail:gateway:description:)`` for `GET /v1/node`.
public struct NodeDescription: Sendable {
    /// A file the node keeps, sized when asked.
    public struct StoredFile: Sendable, Equatable {
        /// What it holds: `ledger`, `trail`, `consensus`, `gateway`…
        public var kind: String
        /// Its path.
        public var path: String

        /// Creates a value.
        public init(kind: String, path: String) {
            self.kind = kind
            self.path = path
        }

        /// A SQLite database at `path` with its write-ahead log and shared-memory files.
        public static func sqlite(kind: String, path: String) -> [StoredFile] {
            ["", "-wal", "-shm"].map { StoredFile(kind: kind, path: path + $0) }
        }
    }

    /// The node's files (those missing when asked are left out of the answer).
    public var files: [StoredFile]
    /// The configured p2p endpoints and the peer each was last found to be (`nil` until identified).
    public var peerEndpoints: @Sendable () -> [(endpoint: PeerEndpoint, peer: PublicKey?)]

    /// Describes a node; the defaults describe one with no files and no configured peers (a test node).
    public init(files: [StoredFile] = [],
                peerEndpoints: @escaping @Sendable () -> [(endpoint: PeerEndpoint, peer: PublicKey?)] = { [] }) {
        self.files = files
        self.peerEndpoints = peerEndpoints
    }
}
