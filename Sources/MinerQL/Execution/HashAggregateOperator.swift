// Hash aggregation: each input chunk's group keys are mapped to dense group ids
// through a typed KeyTable, then every aggregate state folds in the chunk at once.
// Given several inputs (a table's rows split by the planner), each is
// aggregated on its own thread; the partial groups are then split by a hash of
// their key values into one partition per thread, and each thread merges its
// partition of every partial into a key table and states of its own, without
// locks. The partitions' groups follow one another in the output.
// Output: the group key columns, then one column per aggregate.

final class HashAggregateOperator: Operator {
    private let inputs: [Operator]
    private let groupKernels: [Kernel]
    private let groupTypes: [DataType]
    private let aggregates: [BoundAggregate]
    private let argumentKernels: [Kernel?]
    private let filterKernels: [Kernel?]
    private let secondKernels: [Kernel?]
    private let orderKernels: [[Kernel]]
    private let context: ExecutionContext
    private var output: ChunkCursor?

    /// Several inputs only for aggregates whose states merge (`BoundAggregate.merges`).
    init(inputs: [Operator], groups: [BoundExpr], aggregates: [BoundAggregate], compiler: ExpressionCompiler) throws {
        self.inputs = inputs
        self.groupKernels = try groups.map(compiler.compile)
        self.groupTypes = groups.map(\.type)
        self.aggregates = aggregates
        self.argumentKernels = try aggregates.map { try $0.argument.map(compiler.compile) }
        self.filterKernels = try aggregates.map { try $0.filter.map(compiler.compile) }
        self.secondKernels = try aggregates.map { try $0.secondArgument.map(compiler.compile) }
        self.orderKernels = try aggregates.map { try $0.orderBy.map { try compiler.compile($0.expression) } }
        self.context = compiler.context
    }

    func next() throws -> DataChunk? {
        var cursor = try output ?? ChunkCursor(try aggregateAll())
        defer { output = cursor }
        return cursor.next()
    }

    /// The groups and states of one input.
    private struct Partial {
        var keys: [Vector]
        var states: [AggregateState]
        var groupCount: Int
    }

    private func aggregateAll() throws -> DataChunk {
        if inputs.count == 1 {
            let partial = try aggregate(inputs[0])
            return DataChunk(columns: partial.keys + partial.states.map { $0.finalize() }, count: partial.groupCount)
        }
        let operators = ParallelWork(self)
        let partials = try DeepStack.parallel(inputs.count) { try operators.value.aggregate(operators.value.inputs[$0]) }
        let groups = partials.reduce(0) { $0 + $1.groupCount }
        let parts = groupTypes.isEmpty || groups < HashAggregateOperator.groupsPerMergeThread ? 1 : inputs.count
        let partitions: [[Int]]? = parts == 1 ? nil : try DeepStack.parallel(partials.count) { p in
            KeyRowEncoder.valueHashes(partials[p].keys, rows: partials[p].groupCount).map { Int($0 % UInt64(parts)) }
        }
        let merged = parts == 1
            ? [try merge(partials, partitions: nil, part: 0)]
            : try DeepStack.parallel(parts) { try operators.value.merge(partials, partitions: partitions, part: $0) }
        guard merged.count > 1 else { return merged[0] }
        let columns = (0..<merged[0].columns.count).map { c in
            var builder = VectorBuilder(merged[0].columns[c].type, capacity: merged.reduce(0) { $0 + $1.count })
            for chunk in merged { builder.append(chunk.columns[c]) }
            return builder.build()
        }
        return DataChunk(columns: columns, count: merged.reduce(0) { $0 + $1.count })
    }

    /// Below this many partial groups the merge runs on one thread.
    static let groupsPerMergeThread = 4_096

    /// The groups of partition `part` (all groups when `partitions` is nil),
    /// regrouped from every partial with their states merged into fresh ones:
    /// the key columns, then one column per aggregate.
    private func merge(_ partials: [Partial], partitions: [[Int]]?, part: Int) throws -> DataChunk {
        let keys = KeyTable(types: groupTypes)
        var keyBuilders = groupTypes.map { VectorBuilder($0) }
        let states = aggregates.map(AggregateStates.make)
        for (p, partial) in partials.enumerated() {
            try context.cancellation.check()
            var map = [Int](repeating: -1, count: partial.groupCount)
            if groupTypes.isEmpty {
                map = [Int](repeating: 0, count: partial.groupCount)
            } else {
                let rows = partitions.map { of in (0..<partial.groupCount).filter { of[p][$0] == part } }
                let keyVectors = rows.map { rows in partial.keys.map { $0.gathered(rows) } } ?? partial.keys
                let (ids, newRows) = try keys.insert(keyVectors, count: rows?.count ?? partial.groupCount)
                for (i, vector) in keyVectors.enumerated() { keyBuilders[i].append(vector.gathered(newRows)) }
                for (k, id) in ids.enumerated() { map[rows?[k] ?? k] = id }
            }
            let groupCount = groupTypes.isEmpty ? 1 : keys.count
            for (state, other) in zip(states, partial.states) {
                state.resize(groupCount)
                guard let mergeable = state as? MergeableState else { throw MinerQLError.internal("aggregate state does not merge") }
                try mergeable.merge(other, groups: map)
            }
        }
        let groupCount = groupTypes.isEmpty ? 1 : keys.count
        for state in states { state.resize(groupCount) }
        return DataChunk(columns: keyBuilders.map { $0.build() } + states.map { $0.finalize() }, count: groupCount)
    }

    private func aggregate(_ input: Operator) throws -> Partial {
        let keys = KeyTable(types: groupTypes)
        var keyBuilders = groupTypes.map { VectorBuilder($0) }
        let states = aggregates.map(AggregateStates.make)
        // Every row of a full chunk, made once.
        let fullChunkRows = Array(0..<DataChunk.capacity)
        while let chunk = try input.next() {
            try context.cancellation.check()
            guard chunk.count > 0 else { continue }
            let ids: [Int]
            if groupKernels.isEmpty {
                ids = [Int](repeating: 0, count: chunk.count)
            } else {
                let keyVectors = try groupKernels.map { try $0(chunk) }
                let (groupIds, newRows) = try keys.insert(keyVectors, count: chunk.count)
                ids = groupIds
                if !newRows.isEmpty {
                    for (i, vector) in keyVectors.enumerated() { keyBuilders[i].append(vector.gathered(newRows)) }
                }
            }
            let groupCount = groupKernels.isEmpty ? 1 : keys.count
            let rows = chunk.count == fullChunkRows.count ? fullChunkRows : Array(0..<chunk.count)
            for (i, state) in states.enumerated() {
                state.resize(groupCount)
                var selected = rows
                if let filter = filterKernels[i] {
                    let keep = Logic.trueRows(try filter(chunk))
                    selected = rows.filter { keep[$0] }
                }
                if let ordered = state as? StringAggState, !orderKernels[i].isEmpty {
                    try ordered.update(ids, try argumentKernels[i]?(chunk), try secondKernels[i]?(chunk),
                                       keys: try orderKernels[i].map { try $0(chunk) }, rows: selected)
                } else {
                    try state.update(ids, try argumentKernels[i]?(chunk), try secondKernels[i]?(chunk), rows: selected)
                }
            }
        }
        // An ungrouped aggregate over no rows still yields one row (count = 0).
        let groupCount = groupKernels.isEmpty ? 1 : keys.count
        for state in states { state.resize(groupCount) }
        return Partial(keys: keyBuilders.map { $0.build() }, states: states, groupCount: groupCount)
    }
}

/// Hands an operator to the threads of DeepStack.parallel: each thread works
/// on its own input and its own states; the operator's shared parts (compiled
/// kernels, aggregate descriptions) are only read.
private struct ParallelWork: @unchecked Sendable {
    let value: HashAggregateOperator
    init(_ value: HashAggregateOperator) { self.value = value }
}
