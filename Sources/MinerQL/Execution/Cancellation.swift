// A flag a signal handler (or another thread) sets to stop the running query.
// Operators poll it once per chunk, so a query stops within milliseconds. The
// same checkpoints stop a statement that outgrows `memory_limit`.
import Synchronization

/// Lets a running query be cancelled from a signal handler or another thread.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    private let memoryLimit = Atomic<Int>(MemoryLimit.defaultBytes)
    private let checks = Atomic<Int>(0)

    public init() {}

    /// Asks the running query to stop. Async-signal-safe.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public func reset() { flag.store(false, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// The limit the checkpoints enforce for the statements that follow.
    func limitMemory(to bytes: Int) {
        memoryLimit.store(bytes, ordering: .relaxed)
        MemoryLimit.current.store(bytes, ordering: .relaxed)
    }

    /// Throws if the process holds more memory than the limit, now: for work
    /// that grows one allocation (a record longer than the read window) and
    /// passes few checkpoints.
    func checkMemory() throws {
        try MemoryLimit.check(limit: memoryLimit.load(ordering: .relaxed))
    }

    /// Throws if the statement was cancelled or, every eighth call, if the
    /// process holds more memory than the limit.
    public func check() throws {
        if isCancelled { throw MinerQLError(.interrupted, "Interrupted!") }
        if checks.wrappingAdd(1, ordering: .relaxed).oldValue & 7 == 0 {
            try MemoryLimit.check(limit: memoryLimit.load(ordering: .relaxed))
        }
    }
}
