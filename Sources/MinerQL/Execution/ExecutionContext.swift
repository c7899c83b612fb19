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
    /// The rows of each WITH table read more than once, by id, computed at
    /// the first read. Cleared when a recursive CTE's step runs again, since
    /// a table inside the step may read the step's working table.
    var sharedCTEs: [Int: DataChunk] = [:]

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

    /// The rows of a shared WITH table, run at the first read. Inside a
    /// correlated subquery (outer values set) they are not kept: they may
    /// depend on the outer row.
    func sharedRows(of reference: CTEReference) throws -> DataChunk {
        if let rows = sharedCTEs[reference.id] { return rows }
        let root = try PhysicalPlanner(context: self).plan(reference.optimizedPlan)
        let rows = try (root as? WholeResultOperator)?.wholeResult() ?? root.materialize(types: reference.plan.types, context: self)
        if parameterFrames.isEmpty { sharedCTEs[reference.id] = rows }
        return rows
    }

    /// Runs a logical plan to completion and returns its chunks.
    func run(_ plan: LogicalPlan) throws -> [DataChunk] {
        var chunks: [DataChunk] = []
        try stream(plan) { chunks.append($0) }
        return chunks
    }

    /// Runs a logical plan, handing each non-empty chunk to `consume` as it
    /// is produced (a plan ending in a sort hands over its whole result).
    func stream(_ plan: LogicalPlan, into consume: (DataChunk) throws -> Void) throws {
        let root = try PhysicalPlanner(context: self).plan(plan)
        if let whole = root as? WholeResultOperator {
            let chunk = try whole.wholeResult()
            if chunk.count > 0 { try consume(chunk) }
            return
        }
        while let chunk = try root.next() {
            if chunk.count > 0 { try consume(chunk) }
        }
    }
}
