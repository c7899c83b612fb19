// A flag a signal handler (or another thread) sets to stop the running query.
// Operators poll it once per chunk, so a query stops within milliseconds.
import Synchronization

/// Lets a running query be cancelled from a signal handler or another thread.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the running query to stop. Async-signal-safe.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public func reset() { flag.store(false, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    public func check() throws {
        if isCancelled { throw MinerQLError(.interrupted, "Interrupted!") }
    }
}
