import CivicCodec
import CivicCrypto
import CivicLedger

/// Contract code uploaded to the chain, in chunks that fit a transaction and a state value, before a
/// governance proposal deploys or upgrades a contract with it by its hash.
///
/// State: `code/<32-byte hash>/chunk/<u32 index>` → the chunk's bytes (``CodeContract/chunkBytes`` each,
/// the last one shorter); `code/<32-byte hash>` → ``CodeRecord``, written when the last missing chunk
/// arrives and the chunks hash to the announced code hash. Only admins of member organizations upload
/// (an upload costs state that stays).
public struct CodeContract: SystemContract {
    /// The size of every chunk but the last.
    public static let chunkBytes = 16 * 1024
    /// The largest module, in bytes (Docs/0012).
    public static let codeBytesMax = 512 * 1024

    /// Arguments of `upload`: one chunk of the code whose hash (the chain suite's) is `codeHash`.
    public struct Chunk: Hashable, Sendable, CanonicalCodable {
        /// The suite hash of the whole module.
        public var codeHash: Hash256
        /// The whole module's size, in bytes.
        public var size: UInt32
        /// This chunk's position, from 0.
        public var index: UInt32
        /// Bytes `index * chunkBytes ..<` of the module.
        public var bytes: [UInt8]

        /// Creates a chunk.
        public init(codeHash: Hash256, size: UInt32, index: UInt32, bytes: [UInt8]) {
            self.codeHash = codeHash
            self.size = size
            self.index = index
            self.bytes = bytes
        }

        /// The chunks of `code`, in order.
        public static func split(_ code: [UInt8], suite: CryptoSuite) -> [Chunk] {
            let hash = suite.hash(code)
            return stride(from: 0, to: max(code.count, 1), by: chunkBytes).enumerated().map { index, start in
                Chunk(codeHash: hash, size: UInt32(code.count), index: UInt32(index),
                      bytes: Array(code[start..<min(code.count, start + chunkBytes)]))
            }
        }

        /// code hash, size, index, bytes.
        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(codeHash)
            encoder.encode(size)
            encoder.encode(index)
            encoder.encode(bytes: bytes)
        }

        /// Reads a chunk: at most ``CodeContract/chunkBytes`` bytes.
        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            codeHash = try decoder.decode(Hash256.self)
            size = try decoder.decodeUInt32("code.size")
            index = try decoder.decodeUInt32("code.index")
            bytes = try decoder.decodeBytes("code.bytes", max: CodeContract.chunkBytes)
        }
    }

    /// `code`.
    public let name = "code"
    /// `upload`.
    public let methods = ["upload"]

    /// Creates the contract.
    public init() {}

    /// The full state key of the record of the code whose hash is `hash`.
    public static func recordKey(_ hash: Hash256) -> [UInt8] { Array("code/".utf8) + relativeRecordKey(hash) }

    private static func relativeRecordKey(_ hash: Hash256) -> [UInt8] { hash.bytes }

    private static func relativeChunkKey(_ hash: Hash256, _ index: UInt32) -> [UInt8] {
        hash.bytes + Array("/chunk/".utf8) + index.canonicalBytes
    }

    /// How many chunks a module of `size` bytes has.
    static func chunkCount(size: UInt32) -> UInt32 {
        max(1, (size + UInt32(chunkBytes) - 1) / UInt32(chunkBytes))
    }

    /// The complete code whose hash is `hash`, or `nil` when it was not (completely) uploaded. `read`
    /// returns the value under a full state key.
    public static func code(_ hash: Hash256, read: ([UInt8]) -> [UInt8]?) -> [UInt8]? {
        guard let record = read(recordKey(hash)).flatMap({ try? CodeRecord(canonicalBytes: $0) }) else { return nil }
        var code: [UInt8] = []
        code.reserveCapacity(Int(record.size))
        for index in 0..<chunkCount(size: record.size) {
            guard let chunk = read(Array("code/".utf8) + relativeChunkKey(hash, index)) else { return nil }
            code += chunk
        }
        return code.count == Int(record.size) ? code : nil
    }

    /// The state entries of `code` completely uploaded (its chunks and record), for tools that seed
    /// state directly: tests and benchmarks.
    public static func stateEntries(for code: [UInt8], suite: CryptoSuite, uploader: Address, at height: Height)
        -> [(key: [UInt8], value: [UInt8])] {
        let chunks = Chunk.split(code, suite: suite)
        let prefix = Array("code/".utf8)
        let record = CodeRecord(size: UInt32(code.count), uploader: uploader, uploadedAt: height)
        return chunks.map { (key: prefix + relativeChunkKey($0.codeHash, $0.index), value: $0.bytes) }
            + [(key: recordKey(suite.hash(code)), value: record.canonicalBytes)]
    }

    /// Stores one chunk; the chunk that completes the module checks the whole module's hash and
    /// writes its ``CodeRecord``. Admins only.
    /// - Throws: `code.invalid_chunk`, `code.hash_mismatch`, `code.exists`, `permission.denied`.
    public func execute(method: String, arguments: [UInt8], context: inout CallContext) throws(ContractFailure) -> [UInt8] {
        guard methods.contains(method) else { throw .unknownMethod(name, method) }
        try context.require([.admin], toDo: "upload contract code")
        let chunk = try decodeArguments(Chunk.self, arguments, method: method)
        guard chunk.size > 0, chunk.size <= UInt32(CodeContract.codeBytesMax) else {
            throw ContractFailure(code: "contract.code_too_large",
                                  message: "A module is 1 to \(CodeContract.codeBytesMax) bytes; this one announces \(chunk.size).")
        }
        let count = CodeContract.chunkCount(size: chunk.size)
        let expected = chunk.index + 1 == count ? Int(chunk.size) - Int(chunk.index) * CodeContract.chunkBytes : CodeContract.chunkBytes
        guard chunk.index < count, chunk.bytes.count == expected else {
            throw ContractFailure(code: "code.invalid_chunk",
                                  message: "Chunk \(chunk.index) of a \(chunk.size)-byte module must hold \(max(expected, 0)) bytes and be below \(count).")
        }
        guard context.state.get(CodeContract.relativeRecordKey(chunk.codeHash)) == nil else {
            throw ContractFailure(code: "code.exists", message: "This code is already on the chain; deploy it by its hash \(chunk.codeHash.hex).")
        }
        try context.state.put(CodeContract.relativeChunkKey(chunk.codeHash, chunk.index), chunk.bytes)
        var code: [UInt8] = []
        for index in 0..<count {
            guard let bytes = context.state.get(CodeContract.relativeChunkKey(chunk.codeHash, index)) else { return [] }
            code += bytes
        }
        guard context.block.suite.hash(code) == chunk.codeHash else {
            throw ContractFailure(code: "code.hash_mismatch",
                                  message: "The uploaded chunks do not hash to \(chunk.codeHash.hex); upload the module again.")
        }
        let record = CodeRecord(size: chunk.size, uploader: context.callerAddress, uploadedAt: context.block.height)
        try context.state.put(CodeContract.relativeRecordKey(chunk.codeHash), record.canonicalBytes)
        try context.emit("code.uploaded", [
            EventAttribute("code_hash", chunk.codeHash.hex), EventAttribute("size", String(chunk.size)),
        ])
        return []
    }
}

/// A completely uploaded module: `code/<hash>`.
///
/// Canonical bytes: size, uploader, height.
public struct CodeRecord: Hashable, Sendable, CanonicalCodable {
    /// The module's size in bytes.
    public var size: UInt32
    /// Who uploaded the last chunk.
    public var uploader: Address
    /// When.
    public var uploadedAt: Height

    /// Creates a record.
    public init(size: UInt32, uploader: Address, uploadedAt: Height) {
        self.size = size
        self.uploader = uploader
        self.uploadedAt = uploadedAt
    }

    /// size, uploader, height.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(size)
        encoder.encode(uploader)
        encoder.encode(uploadedAt)
    }

    /// Reads a record.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        size = try decoder.decodeUInt32("code.size")
        uploader = try decoder.decode(Address.self)
        uploadedAt = try decoder.decode(Height.self)
    }
}
