import CivicCodec
import CivicCrypto
import CivicLedger

extension GovernanceContract {
    /// State keys relative to `governance/`; ``GovernanceContract/stateKey(_:)`` makes them full.
    public enum Key {
        /// The member organizations' names, sorted (a count then strings).
        public static let organizationNames = Array("organizations".utf8)
        /// The prefix of organization records.
        public static let organizationPrefix = Array("organization/".utf8)
        /// The prefix of policies.
        public static let policyPrefix = Array("policy/".utf8)
        /// The chain parameters (``ChainParameters``).
        public static let parameters = Array("parameters".utf8)
        /// The count of validator-set entries (u64).
        public static let validatorSetCount = Array("validator-set-count".utf8)
        /// The prefix of validator-set entries.
        public static let validatorSetPrefix = Array("validator-set/".utf8)
        /// The fewest validators a change may leave (u32): min(4, genesis count).
        public static let validatorsFloor = Array("validators-min".utf8)
        /// The count of proposals (u64), which is also the newest proposal's id.
        public static let proposalCount = Array("proposal-count".utf8)
        /// The prefix of proposals.
        public static let proposalPrefix = Array("proposal/".utf8)
        /// The prefix of revocations.
        public static let revokedPrefix = Array("revoked/".utf8)
        /// The count of revocations (u64).
        public static let revokedCount = Array("revoked-count".utf8)
        /// The prefix of the revocation log.
        public static let revokedLogPrefix = Array("revoked-log/".utf8)
        /// The prefix of the trusted issuers of certificate types.
        public static let trustedIssuersPrefix = Array("trusted-issuers/".utf8)

        /// The record of organization `name`.
        public static func organization(_ name: String) -> [UInt8] { organizationPrefix + Array(name.utf8) }
        /// The policy of `resource`.
        public static func policy(_ resource: GovernedResource) -> [UInt8] { policyPrefix + [resource.rawValue] }
        /// The `index`-th validator-set entry (0 is genesis').
        public static func validatorSet(_ index: UInt64) -> [UInt8] { validatorSetPrefix + index.canonicalBytes }
        /// Proposal `id`.
        public static func proposal(_ id: UInt64) -> [UInt8] { proposalPrefix + id.canonicalBytes }
        /// The revocation of the certificate with `fingerprint`.
        public static func revoked(_ algorithm: FingerprintAlgorithm, _ fingerprint: Hash256) -> [UInt8] {
            revokedPrefix + [algorithm.rawValue] + fingerprint.bytes
        }
        /// The `sequence`-th revocation (from 0).
        public static func revokedLog(_ sequence: UInt64) -> [UInt8] { revokedLogPrefix + sequence.canonicalBytes }
        /// The organizations trusted to issue certificates of type `type` besides its registering issuer (a
        /// sorted list of names, as ``GovernanceContract/decodeNames(_:)`` reads it; absent when none).
        public static func trustedIssuers(_ type: String) -> [UInt8] { trustedIssuersPrefix + Array(type.utf8) }
    }

    /// The full state key of a key relative to the contract's namespace.
    public static func stateKey(_ relative: [UInt8]) -> [UInt8] { Array("governance/".utf8) + relative }

    /// The canonical bytes of a sorted list of names.
    static func encodeNames(_ names: [String]) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encodeVarint(UInt64(names.count))
        for name in names { encoder.encode(string: name) }
        return encoder.bytes
    }

    /// Reads a list of names written by ``encodeNames(_:)``.
    public static func decodeNames(_ bytes: [UInt8]) throws(CodecError) -> [String] {
        var decoder = CanonicalDecoder(bytes)
        let count = try decoder.decodeCount("governance.organizations", max: organizationsDecodedMax)
        var names: [String] = []
        for _ in 0..<count {
            names.append(try decoder.decodeString("governance.organization", maxBytes: Limits.nameBytesMax))
        }
        try decoder.finish()
        return names
    }

    /// What genesis writes: the organizations (those genesis lists, or else one per organization of an
    /// admin identity) with their genesis admins, the default policies, the parameters, the validator
    /// set applying from height 1, and the floor of the validator count.
    public static func genesisWrites(_ genesis: Genesis) -> [(key: [UInt8], value: [UInt8]?)] {
        let admins = genesis.identities.filter { $0.role == .admin }
        let listed: [GenesisOrganization] =
            genesis.organizations.isEmpty
            ? Set(admins.map(\.organization)).sorted().map { GenesisOrganization(name: $0, caCertificates: []) }
            : genesis.organizations
        var writes: [(key: [UInt8], value: [UInt8]?)] = listed.map { entry in
            let organization = GovernanceOrganization(
                name: entry.name, caCertificates: entry.caCertificates,
                admins: admins.filter { $0.organization == entry.name }.map { Address(publicKey: $0.publicKey) },
                addedAt: .genesis)
            return (key: stateKey(Key.organization(entry.name)), value: Optional(organization.canonicalBytes))
        }
        writes.append((key: stateKey(Key.organizationNames), value: encodeNames(listed.map(\.name).sorted())))
        for resource in GovernedResource.allCases {
            writes.append((key: stateKey(Key.policy(resource)), value: GovernancePolicy.majority.canonicalBytes))
        }
        writes.append((key: stateKey(Key.parameters), value: genesis.parameters.canonicalBytes))
        let entry = ValidatorSetEntry(appliesFrom: Height(1), validators: genesis.validators, proposalID: 0)
        writes.append((key: stateKey(Key.validatorSet(0)), value: entry.canonicalBytes))
        writes.append((key: stateKey(Key.validatorSetCount), value: UInt64(1).canonicalBytes))
        let floor = UInt32(min(validatorsMin, genesis.validators.count))
        writes.append((key: stateKey(Key.validatorsFloor), value: floor.canonicalBytes))
        return writes
    }

    // MARK: Reading state during a call

    /// A u64 this contract wrote, or 0 when absent.
    /// - Precondition: present bytes are a canonical u64.
    static func readUInt64(_ bytes: [UInt8]?) -> UInt64 {
        guard let bytes else { return 0 }
        guard let value = try? UInt64(canonicalBytes: bytes) else {
            preconditionFailure("a governance count does not decode")
        }
        return value
    }

    /// Decodes a record this contract wrote; a record that does not decode is a broken invariant.
    static func record<Value: CanonicalDecodable>(_ type: Value.Type, _ bytes: [UInt8], _ what: String) -> Value {
        guard let value = try? Value(canonicalBytes: bytes) else {
            preconditionFailure("a governance \(what) does not decode")
        }
        return value
    }

    /// The member organizations' names, sorted.
    static func organizationNames(in state: ContractState) throws(ContractFailure) -> [String] {
        guard let bytes = state.get(Key.organizationNames) else { return [] }
        guard let names = try? decodeNames(bytes) else {
            preconditionFailure("the governance organization list does not decode")
        }
        return names
    }

    /// The organization called `name`, or `nil`.
    static func organization(_ name: String, in state: ContractState) throws(ContractFailure) -> GovernanceOrganization?
    {
        state.get(Key.organization(name)).map { record(GovernanceOrganization.self, $0, "organization") }
    }

    /// The policy of `resource` (``GovernancePolicy/majority`` on a chain whose genesis predates governance).
    static func policy(
        _ resource: GovernedResource, in state: ContractState
    ) throws(ContractFailure) -> GovernancePolicy {
        state.get(Key.policy(resource)).map { record(GovernancePolicy.self, $0, "policy") } ?? .majority
    }

    /// Proposal `id`.
    /// - Throws: `governance.unknown_proposal`.
    static func proposal(_ id: UInt64, in state: ContractState) throws(ContractFailure) -> GovernanceProposal {
        guard let bytes = state.get(Key.proposal(id)) else {
            throw ContractFailure(
                code: "governance.unknown_proposal", message: "There is no proposal \(id) on this chain.")
        }
        return record(GovernanceProposal.self, bytes, "proposal")
    }

    /// The newest validator-set entry (possibly not yet applying) and its index.
    static func latestValidatorSet(in state: ContractState) -> (index: UInt64, entry: ValidatorSetEntry)? {
        let count = readUInt64(state.get(Key.validatorSetCount))
        guard count > 0, let bytes = state.get(Key.validatorSet(count - 1)) else { return nil }
        return (count - 1, record(ValidatorSetEntry.self, bytes, "validator set"))
    }

    // MARK: Reading committed state (API, node)

    /// The validator set that certifies blocks at `height`: the newest entry applying from `height`
    /// or earlier. `read` returns the value under a full state key.
    /// - Returns: `nil` on a chain without governance state.
    public static func validatorSet<Failure: Error>(
        at height: Height, read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> ValidatorSetEntry? {
        var index = try read(stateKey(Key.validatorSetCount)).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
        while index > 0 {
            index -= 1
            if let bytes = try read(stateKey(Key.validatorSet(index))),
                let entry = try? ValidatorSetEntry(canonicalBytes: bytes), entry.appliesFrom <= height
            {
                return entry
            }
        }
        return nil
    }

    /// The validator-set entries from index `first` on, oldest first (the log is append-only, so a
    /// reader may resume from the count it holds). Entries that do not decode end the list.
    public static func validatorSetEntries<Failure: Error>(
        from first: UInt64 = 0, read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> [ValidatorSetEntry] {
        let count = try read(stateKey(Key.validatorSetCount)).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
        var entries: [ValidatorSetEntry] = []
        var index = first
        while index < count {
            guard let bytes = try read(stateKey(Key.validatorSet(index))),
                let entry = try? ValidatorSetEntry(canonicalBytes: bytes)
            else { break }
            entries.append(entry)
            index += 1
        }
        return entries
    }

    /// The full keys of the newest `limit` entries under a counted log, newest first, and the count.
    /// `count` is the relative key of the count, `entry` makes an entry's relative key.
    public static func newestKeys<Failure: Error>(
        count: [UInt8], entry: (UInt64) -> [UInt8], limit: Int, firstIndex: UInt64 = 0,
        read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> (total: UInt64, keys: [[UInt8]]) {
        let total = try read(stateKey(count)).flatMap { try? UInt64(canonicalBytes: $0) } ?? 0
        var keys: [[UInt8]] = []
        var index = total + firstIndex
        while index > firstIndex, keys.count < limit {
            index -= 1
            keys.append(stateKey(entry(index)))
        }
        return (total, keys)
    }

    /// The full keys of the newest `limit` proposals, newest first, and how many there are.
    public static func newestProposalKeys<Failure: Error>(
        limit: Int, read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> (total: UInt64, keys: [[UInt8]]) {
        // Proposal ids start at 1: the count is the newest id.
        try newestKeys(count: Key.proposalCount, entry: Key.proposal, limit: limit, firstIndex: 1, read: read)
    }

    /// The member organizations' names, sorted, from committed state.
    public static func organizationNames<Failure: Error>(
        read: (_ key: [UInt8]) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> [String] {
        try read(stateKey(Key.organizationNames)).flatMap { try? decodeNames($0) } ?? []
    }
}
