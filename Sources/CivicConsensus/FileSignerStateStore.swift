#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A store in one file, replaced atomically: write `path.tmp`, fsync it, rename it over `path`, fsync
/// the directory. A crash at any point leaves either the old record or the new one, never a torn one.
///
/// The only file of the consensus target that touches the operating system.
public struct FileSignerStateStore: SignerStateStore, Sendable {
    /// The record's path.
    public let path: String
    /// The largest signer record, in bytes (the default limit).
    public static let recordBytesMax = 64 * 1024
    /// The largest record this store writes or reads back, in bytes.
    public let recordBytesMax: Int

    /// A store at `path` (the file need not exist yet; its directory must) for records of at most
    /// `recordBytesMax` bytes.
    public init(path: String, recordBytesMax: Int = FileSignerStateStore.recordBytesMax) {
        precondition(recordBytesMax > 0, "a record limit must be positive")
        self.path = path
        self.recordBytesMax = recordBytesMax
    }

    /// The file's bytes, or `nil` if it does not exist.
    /// - Throws: ``SignerError/storage(_:)`` on any other failure.
    public func load() throws(SignerError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw .storage("cannot open \(path): errno \(errno)")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { throw .storage("cannot read \(path): errno \(errno)") }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > recordBytesMax { throw .storage("\(path) is larger than a signer record can be") }
        }
        return bytes
    }

    /// Replaces the file durably.
    /// - Throws: ``SignerError/storage(_:)`` if any step fails; the old record then stays in place.
    public mutating func save(_ record: [UInt8]) throws(SignerError) {
        precondition(record.count <= recordBytesMax, "a signer record larger than its limit")
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if descriptor < 0 { throw .storage("cannot create \(temporary): errno \(errno)") }
        var written = 0
        while written < record.count {
            let count = record.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                close(descriptor)
                throw .storage("cannot write \(temporary): errno \(errno)")
            }
            written += count
        }
        if fsync(descriptor) != 0 {
            close(descriptor)
            throw .storage("cannot fsync \(temporary): errno \(errno)")
        }
        close(descriptor)
        if rename(temporary, path) != 0 { throw .storage("cannot rename \(temporary) to \(path): errno \(errno)") }
        let directory = Self.directory(of: path)
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor < 0 { throw .storage("cannot open directory \(directory): errno \(errno)") }
        defer { close(directoryDescriptor) }
        if fsync(directoryDescriptor) != 0 { throw .storage("cannot fsync directory \(directory): errno \(errno)") }
    }

    /// The directory part of `path` (`.` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
