// What operators and kernels need while a statement runs: the tables, the
// settings, the cancellation flag, and the stack of outer-row values that
// correlated subqueries read.

/// The state of one running statement.
final class ExecutionContext {
    let catalog: Catalog
    let settings: Settings
    let cancellation: Cancellation
    let progress: QueryProgress
    /// Values of the outer rows, innermost last; `outerParameter(i)` reads slot i
    /// of the last frame.
    var parameterFrames: [[Value]] = []
    /// The current iteration's rows of each running recursive CTE, by id.
    var workingTables: [Int: DataChunk] = [:]

    init(catalog: Catalog, settings: Settings, cancellation: Cancellation, progress: QueryProgress = QueryProgress()) {
        self.catalog = catalog
        self.settings = settings
        self.cancellation = cancellation
        self.progress = progress
    }

    /// Rows per thread below which splitting work is not worth it.
    static let minimumRowsPerThread = 1 << 16

    /// Threads worth using for `rows` rows of work (at least one).
    func threads(forRows rows: Int) -> Int {
        max(1, min(settings.threads, rows / ExecutionContext.minimumRowsPerThread))
    }

    /// Runs a logical plan to completion and returns its chunks.
    func run(_ plan: LogicalPlan) throws -> [DataChunk] {
        let root = try PhysicalPlanner(context: self).plan(plan)
        if let whole = root as? WholeResultOperator {
            let chunk = try whole.wholeResult()
            return chunk.count > 0 ? [chunk] : []
        }
        var chunks: [DataChunk] = []
        while let chunk = try root.next() {
            if chunk.count > 0 { chunks.append(chunk) }
        }
        return chunks
    }
}
