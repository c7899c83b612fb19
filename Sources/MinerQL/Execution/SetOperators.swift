// Set operations: UNION ALL concatenates; INTERSECT and EXCEPT match whole rows
// (NULLs equal, as in SQL set semantics) against the right input's rows held in
// a KeyTable with a count per distinct row, which also gives the ALL variants'
// multiset rules. Recursive CTEs iterate a step plan until it adds no rows.

/// Every chunk of each input in turn.
final class ConcatOperator: Operator {
    private var inputs: [Operator]

    init(inputs: [Operator]) { self.inputs = inputs }

    func next() throws -> DataChunk? {
        while let first = inputs.first {
            if let chunk = try first.next() { return chunk }
            inputs.removeFirst()
        }
        return nil
    }
}

/// INTERSECT [ALL] and EXCEPT [ALL].
final class SetOperationOperator: Operator {
    private let left: Operator
    private let right: Operator
    private let types: [DataType]
    private let intersect: Bool
    private let all: Bool
    private let context: ExecutionContext
    private var table: KeyTable?
    /// Per distinct row id: how many more times it may be emitted.
    private var budget: [Int] = []
    private var rightDistinct = 0

    init(left: Operator, right: Operator, types: [DataType], intersect: Bool, all: Bool, context: ExecutionContext) {
        self.left = left
        self.right = right
        self.types = types
        self.intersect = intersect
        self.all = all
        self.context = context
    }

    private func build() throws -> KeyTable {
        let table = KeyTable(types: types)
        while let chunk = try right.next() {
            try context.cancellation.check()
            let (ids, _) = try table.insert(chunk.columns, count: chunk.count)
            budget.append(contentsOf: repeatElement(0, count: table.count - budget.count))
            for id in ids { budget[id] += 1 }
        }
        rightDistinct = table.count
        return table
    }

    func next() throws -> DataChunk? {
        let table = try self.table ?? build()
        self.table = table
        while let chunk = try left.next() {
            try context.cancellation.check()
            let (ids, _) = try table.insert(chunk.columns, count: chunk.count)
            budget.append(contentsOf: repeatElement(0, count: table.count - budget.count))
            var keep: [Int] = []
            for (row, id) in ids.enumerated() {
                let inRight = id < rightDistinct
                if intersect {
                    // Emit while the right side still has copies (once if DISTINCT).
                    guard inRight, budget[id] > 0 else { continue }
                    budget[id] = all ? budget[id] - 1 : 0
                    keep.append(row)
                } else if all {
                    // EXCEPT ALL: each right copy cancels one left copy.
                    if inRight && budget[id] > 0 { budget[id] -= 1 } else { keep.append(row) }
                } else {
                    // EXCEPT: distinct left rows not on the right; -1 marks "emitted".
                    guard !inRight, budget[id] == 0 else { continue }
                    budget[id] = -1
                    keep.append(row)
                }
            }
            if !keep.isEmpty { return chunk.gathered(keep) }
        }
        return nil
    }
}

/// Runs a recursive CTE: the anchor, then the step over the last iteration's
/// rows until an iteration adds nothing (UNION drops rows already seen).
final class RecursiveCTEOperator: Operator {
    private let id: Int
    private let anchor: LogicalPlan
    private let step: LogicalPlan
    private let all: Bool
    private let context: ExecutionContext
    private var cursor: ChunkCursor?

    init(id: Int, anchor: LogicalPlan, step: LogicalPlan, all: Bool, context: ExecutionContext) {
        self.id = id
        self.anchor = anchor
        self.step = step
        self.all = all
        self.context = context
    }

    func next() throws -> DataChunk? {
        var current = try cursor ?? ChunkCursor(try runAll())
        defer { cursor = current }
        return current.next()
    }

    private func runAll() throws -> DataChunk {
        let types = anchor.types
        let seen = KeyTable(types: types)
        var result = types.map { VectorBuilder($0) }
        /// Appends the rows not seen before (all rows for UNION ALL); returns them.
        func add(_ chunks: [DataChunk]) throws -> DataChunk {
            var fresh = types.map { VectorBuilder($0) }
            for chunk in chunks {
                var rows = Array(0..<chunk.count)
                if !all { rows = try seen.insert(chunk.columns, count: chunk.count).newRows.sorted() }
                let kept = chunk.gathered(rows)
                for i in 0..<types.count {
                    fresh[i].append(kept.columns[i])
                    result[i].append(kept.columns[i])
                }
            }
            let columns = fresh.map { $0.build() }
            return DataChunk(columns: columns, count: columns.first?.count ?? 0)
        }
        var working = try add(try context.run(anchor))
        while working.count > 0 {
            try context.cancellation.check()
            context.workingTables[id] = working
            context.sharedCTEs.removeAll()
            working = try add(try context.run(step))
        }
        context.workingTables[id] = nil
        let columns = result.map { $0.build() }
        return DataChunk(columns: columns, count: columns.first?.count ?? 0)
    }
}
