// Who called and when (Docs/0012: `caller_*`, `calling_contract`, `block_*`).

/// The signer's role in its organization (Docs/0012 `caller_role`).
public enum Role: Int32 {
    case admin = 0, member = 1, client = 2, auditor = 3, validator = 4, observer = 5
}

/// The transaction's signer (inside a nested call, still the signer).
public enum Caller {
    /// The signer's role; an unknown number fails the call with `unknown_role`.
    public static var role: Role {
        guard let role = Role(rawValue: civic_caller_role()) else { fail("unknown_role", "the host sent an unknown role") }
        return role
    }

    /// The signer's organization name.
    public static var organization: String {
        Bytes.string(readResult(civic_caller_organization()) ?? []) ?? ""
    }

    /// The signer's 20-byte address.
    public static var address: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 20) { buffer, count in
            civic_caller_address(UnsafeMutableRawPointer(buffer.baseAddress))
            count = 20
        }
    }

    /// The signer's raw public key.
    public static var key: [UInt8] { readResult(civic_caller_key()) ?? [] }

    /// Inside a nested call, the calling contract's name; nil when a transaction called.
    public static var callingContract: String? {
        readResult(civic_calling_contract()).flatMap { Bytes.string($0) }
    }
}

/// The block being executed.
public enum Block {
    /// Its height.
    public static var height: UInt64 { UInt64(bitPattern: civic_block_height()) }

    /// Its time in milliseconds since the Unix epoch, agreed by consensus.
    public static var time: Int64 { civic_block_time() }
}
