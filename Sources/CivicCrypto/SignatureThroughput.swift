import Dispatch

/// Measures how many signatures per second this machine signs or verifies, for `civic bench`.
///
/// A benchmark helper only: it reads the wall clock (`ContinuousClock`), so nothing that feeds consensus may call
/// it. Each thread owns its key, message and signature, so threads share nothing but the library.
public enum SignatureThroughput {
    /// Verifications per second over all `threads` threads together, measured for about `seconds` seconds.
    /// - Precondition: `seconds > 0` and `threads >= 1`.
    public static func verificationsPerSecond(suite: CryptoSuite, seconds: Double, threads: Int) -> Double {
        measure(suite: suite, seconds: seconds, threads: threads) { key, signature, message in
            precondition(key.publicKey.isValidSignature(signature, for: message), "benchmark signature was refused")
        }
    }

    /// Signatures per second over all `threads` threads together, measured for about `seconds` seconds.
    /// - Precondition: `seconds > 0` and `threads >= 1`.
    public static func signaturesPerSecond(suite: CryptoSuite, seconds: Double, threads: Int) -> Double {
        measure(suite: suite, seconds: seconds, threads: threads) { key, _, message in
            do {
                _ = try key.signature(for: message)
            } catch {
                preconditionFailure("benchmark signing failed: \(error)")
            }
        }
    }

    /// The number of processors the system reports, the `threads` for an all-core figure.
    public static var processorCount: Int {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        return max(1, sysconfCount())
        #else
        return 1
        #endif
    }

    private static func measure(
        suite: CryptoSuite, seconds: Double, threads: Int,
        _ operation: @Sendable (PrivateKey, Signature, [UInt8]) -> Void
    ) -> Double {
        precondition(seconds > 0 && threads >= 1, "a benchmark needs time and at least one thread")
        let duration = Duration.milliseconds(Int64(seconds * 1000))
        // Keys and signatures are made before the clock starts, one set per thread.
        let work = (0..<threads).map { thread -> (PrivateKey, Signature, [UInt8]) in
            let key = PrivateKey.generate(suite: suite)
            let message = Array("CivicLedger benchmark transaction #\(thread)".utf8)
            guard let signature = try? key.signature(for: message) else { preconditionFailure("signing failed") }
            return (key, signature, message)
        }
        let counts = Counts(threads)
        let clock = ContinuousClock()
        let start = clock.now
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let (key, signature, message) = work[thread]
            var done = 0
            while clock.now - start < duration {
                for _ in 0..<16 { operation(key, signature, message) }
                done += 16
            }
            counts.set(thread, done)
        }
        let elapsed = clock.now - start
        let total = Double(counts.total)
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return total / secondsElapsed
    }
}

/// Per-thread operation counts, each slot written by exactly one thread.
// @unchecked Sendable: thread `i` writes only slot `i`, and `total` is read only after
// `DispatchQueue.concurrentPerform` has returned, which orders every write before the read.
private final class Counts: @unchecked Sendable {
    private var slots: UnsafeMutableBufferPointer<Int>

    init(_ count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: 0)
    }

    deinit { slots.deallocate() }

    func set(_ index: Int, _ value: Int) { slots[index] = value }

    var total: Int { slots.reduce(0, +) }
}

#if canImport(Glibc)
import Glibc
private func sysconfCount() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#elseif canImport(Musl)
import Musl
private func sysconfCount() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#elseif canImport(Darwin)
import Darwin
private func sysconfCount() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#endif
