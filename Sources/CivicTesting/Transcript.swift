import CivicCodec
import CivicConsensus
import CivicCrypto
import CivicLedger

/// Runs a consensus transcript (in the manner of etcd raft's `testdata/*.txt`): a script of commands,
/// each echoed as `> command` and followed by what it caused. Lines that do not start with `> ` are
/// output and are regenerated, so a transcript file is both the script and its expected output.
///
/// Commands (`N` a node index, `all` every node):
/// - `nodes 4`: a fresh cluster of 4 validators (short timeouts; re-broadcast effectively off);
/// - `propose N`: node N answers its block request with block `b-h<height>-r<round>`;
/// - `tick N|all [xK]`: K ticks (default 1);
/// - `deliver N|all`: deliver N's queued messages; `all` repeats over every node until no queue has any;
/// - `drop N|all`: discard N's queued messages;
/// - `partition 0,1 | 2,3`: messages sent from then on between the groups are lost; `heal` ends it;
/// - `crash N` / `restart N`: N loses its core (its signer store, valid value and chain stay) / rebuilds it;
/// - `equivocate N prevote|precommit`: N's key signs, bypassing its signer, a vote for block `evil` in
///   N's current height and round, and broadcasts it;
/// - `state N|all`: height, round, step, lock, valid value and chain of N;
/// - `# text`: a comment, echoed.
///
/// Output lists each node's performed actions except plain broadcasts (every signed message is
/// broadcast), and the signer's refusals.
public struct TranscriptRunner {
    var drivers: [ConsensusDriver] = []
    var inboxes: [[ConsensusMessage]] = []
    var groupOf: [Int]?
    var config = ConsensusConfig(chainID: TestValidators.chainID)
    var validators = TestValidators.set(count: 1)
    var output: [String] = []

    /// An empty runner; the script starts with `nodes`.
    public init() {
        config.timeoutTicksPropose = 3
        config.timeoutTicksProposeDelta = 1
        config.timeoutTicksPrevote = 2
        config.timeoutTicksPrevoteDelta = 1
        config.timeoutTicksPrecommit = 2
        config.timeoutTicksPrecommitDelta = 1
        config.rebroadcastTicks = 1_000_000
    }

    /// Runs the commands of `script` (its `> ` lines) and returns the whole transcript with fresh output.
    public static func run(script: String) -> String {
        var runner = TranscriptRunner()
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("> ") {
            let command = String(line.dropFirst(2))
            runner.output.append("> " + command)
            runner.execute(command)
        }
        return runner.output.joined(separator: "\n") + "\n"
    }

    mutating func execute(_ command: String) {
        let words = command.split(separator: " ").map(String.init)
        guard let verb = words.first, !verb.hasPrefix("#") else { return }
        let argument = words.count > 1 ? words[1] : ""
        switch verb {
        case "nodes": makeNodes(Int(argument) ?? 4)
        case "propose": forEach(argument) { $0.proposeBlock(at: $1) }
        case "tick":
            let times = words.count > 2 ? Int(words[2].dropFirst()) ?? 1 : 1
            for _ in 0..<times { forEach(argument) { $0.report($1, $0.drivers[$1].tick()) } }
        case "deliver": argument == "all" ? deliverAll() : forEach(argument) { $0.deliver($1) }
        case "drop": forEach(argument) { $0.inboxes[$1] = [] }
        case "partition": partition(words.dropFirst().joined(separator: " "))
        case "heal": groupOf = nil
        case "crash": forEach(argument) { $0.drivers[$1].crash() }
        case "restart":
            forEach(argument) { runner, index in
                runner.drivers[index].restart(config: runner.config, validators: runner.validators,
                                              key: TestValidators.key(index))
                runner.report(index, runner.drivers[index].drain())
            }
        case "equivocate": forEach(argument) { $0.equivocate($1, kind: words.count > 2 ? words[2] : "prevote") }
        case "state": forEach(argument) { $0.output.append($0.state($1)) }
        default: output.append("error: unknown command \(verb)")
        }
    }

    mutating func forEach(_ argument: String, _ body: (inout TranscriptRunner, Int) -> Void) {
        let indices = argument == "all" ? Array(drivers.indices) : argument.split(separator: ",").compactMap { Int($0) }
        for index in indices where drivers.indices.contains(index) { body(&self, index) }
    }

    mutating func makeNodes(_ count: Int) {
        validators = TestValidators.set(count: count)
        drivers = (0..<count).map {
            ConsensusDriver(config: config, validators: validators, index: UInt32($0), key: TestValidators.key($0))
        }
        inboxes = Array(repeating: [], count: count)
        groupOf = nil
        for index in 0..<count { report(index, drivers[index].drain()) }
    }

    mutating func proposeBlock(at index: Int) {
        guard let request = drivers[index].blockRequest else {
            output.append("n\(index): no block was requested")
            return
        }
        let block = TestValidators.block("b-h\(request.height)-r\(request.round)")
        report(index, drivers[index].propose(block))
    }

    mutating func deliver(_ index: Int) {
        let messages = inboxes[index]
        inboxes[index] = []
        for message in messages {
            let input: ConsensusInput = switch message {
            case .proposal(let signed, let block): .proposal(signed, block, blockIsValid: true)
            case .vote(let signed): .vote(signed)
            case .decision(let block, let certificate): .decision(block, certificate)
            }
            report(index, drivers[index].receive(input))
        }
    }

    mutating func deliverAll() {
        var rounds = 0
        while inboxes.contains(where: { !$0.isEmpty }), rounds < 1_000 {
            for index in drivers.indices { deliver(index) }
            rounds += 1
        }
    }

    mutating func partition(_ text: String) {
        var groups = Array(repeating: 0, count: drivers.count)
        for (group, members) in text.split(separator: "|").enumerated() {
            for member in members.split(separator: ",") {
                if let index = Int(member.trimmingPrefixSpaces()), groups.indices.contains(index) {
                    groups[index] = group
                }
            }
        }
        groupOf = groups
    }

    mutating func equivocate(_ index: Int, kind: String) {
        guard let core = drivers[index].core else { return }
        let vote = Vote(kind: kind == "precommit" ? .precommit : .prevote, height: core.height, round: core.round,
                        blockHash: TestValidators.block("evil").hash)
        let bytes = vote.signBytes(chainID: config.chainID)
        guard let signature = try? TestValidators.key(index).signature(for: bytes) else {
            return
        }
        let signed = SignedVote(vote: vote, validatorIndex: UInt32(index), signature: signature)
        output.append("n\(index): byzantine \(TraceFormat.describe(signed))")
        route(from: index, .broadcast(.vote(signed)))
    }

    func state(_ index: Int) -> String {
        let chain = drivers[index].chain.map { "h\($0.certificate.height):\(TestValidators.short($0.block.hash))" }
        guard let core = drivers[index].core else { return "n\(index): down, chain [\(chain.joined(separator: " "))]" }
        let locked = core.lockedRound.map { "r\($0) \(TestValidators.short(core.lockedBlockHash))" } ?? "-"
        let valid = core.validRound.map { "r\($0) \(TestValidators.short(core.validBlock?.hash))" } ?? "-"
        return "n\(index): h\(core.height) r\(core.round) \(core.step) locked \(locked) valid \(valid) "
            + "chain [\(chain.joined(separator: " "))]"
    }

    mutating func report(_ index: Int, _ result: (actions: [ConsensusAction], outgoing: [Outgoing])) {
        for action in result.actions {
            if case .broadcast = action { continue }
            output.append("n\(index): " + TraceFormat.describe(action))
        }
        let refusals = drivers[index].refusals
        for refusal in refusals.dropFirst(reportedRefusals(index)) {
            output.append("n\(index): signer refused: \(refusal.code)")
        }
        refusalCounts[index] = refusals.count
        for message in result.outgoing { route(from: index, message) }
    }

    var refusalCounts: [Int: Int] = [:]
    func reportedRefusals(_ index: Int) -> Int { refusalCounts[index] ?? 0 }

    mutating func route(from index: Int, _ outgoing: Outgoing) {
        let (message, recipients): (ConsensusMessage, [Int]) = switch outgoing {
        case .broadcast(let message): (message, drivers.indices.filter { $0 != index })
        case .send(let message, let to): (message, [Int(to)])
        }
        for recipient in recipients where drivers.indices.contains(recipient) && drivers[recipient].core != nil {
            if let groupOf, groupOf[index] != groupOf[recipient] { continue }
            inboxes[recipient].append(message)
        }
    }
}

extension Substring {
    func trimmingPrefixSpaces() -> Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
