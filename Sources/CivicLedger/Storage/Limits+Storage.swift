/// Storage bounds, kept with the other limits.
extension Limits {
    /// Longest metadata name, in UTF-8 bytes.
    public static let metadataNameBytesMax = 64
    /// Largest metadata blob, in bytes (a genesis file with a large validator set fits).
    public static let metadataValueBytesMax = 16 * 1024 * 1024

    /// Checks one state write against the key and value limits.
    /// - Throws: ``StoreError/invalidBatch(reason:)``.
    static func checkStateWrite(_ write: StoreStateWrite) throws(StoreError) {
        guard write.key.count <= stateKeyBytesMax else {
            throw .invalidBatch(reason: "a state key has \(write.key.count) bytes; at most \(stateKeyBytesMax) allowed")
        }
        if let value = write.value, value.count > stateValueBytesMax {
            throw .invalidBatch(reason: "a state value has \(value.count) bytes; at most \(stateValueBytesMax) allowed")
        }
    }

    /// Checks one metadata blob against the name and value limits.
    /// - Throws: ``StoreError/invalidBatch(reason:)``.
    static func checkMetadata(name: String, value: [UInt8]) throws(StoreError) {
        guard !name.isEmpty, name.utf8.count <= metadataNameBytesMax else {
            throw .invalidBatch(reason: "metadata name '\(name)' must have 1...\(metadataNameBytesMax) UTF-8 bytes")
        }
        guard value.count <= metadataValueBytesMax else {
            throw .invalidBatch(reason: "metadata '\(name)' has \(value.count) bytes; "
                + "at most \(metadataValueBytesMax) allowed")
        }
    }
}
