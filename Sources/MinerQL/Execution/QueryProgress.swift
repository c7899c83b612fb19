// How far the running statement has got, for the shell's progress bar: work
// done and work known, in rows scanned or bytes read. Updated by operators and
// readers on their thread, read by the progress bar's thread.
import Synchronization

/// QueryProgress of the running statement, safe to read from another thread.
public final class QueryProgress: Sendable {
    private let done = Atomic<Int>(0)
    private let total = Atomic<Int>(0)

    public init() {}

    func reset() {
        done.store(0, ordering: .relaxed)
        total.store(0, ordering: .relaxed)
    }

    /// More work became known (a scan started, a file is being read).
    func expect(_ amount: Int) { total.add(amount, ordering: .relaxed) }

    /// Some of the known work was done.
    func advance(_ amount: Int) { done.add(amount, ordering: .relaxed) }

    /// Between 0 and 1; nil while no work is known.
    public var fraction: Double? {
        let t = total.load(ordering: .relaxed)
        guard t > 0 else { return nil }
        return min(1, Double(done.load(ordering: .relaxed)) / Double(t))
    }
}
