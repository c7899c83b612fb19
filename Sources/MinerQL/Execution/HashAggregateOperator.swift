// Hash aggregation: each input chunk's group keys are mapped to dense group ids
// through a typed KeyTable, then every aggregate state folds in the chunk at once.
// Given several inputs (a table's rows split by the planner), each is
// aggregated on its own thread and the partial groups and states are merged.
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
        let partials: [Partial]
        if inputs.count == 1 {
            partials = [try aggregate(inputs[0])]
        } else {
            let operators = ParallelWork(self)
            partials = try DeepStack.parallel(inputs.count) { try operators.value.aggregate(operators.value.inputs[$0]) }
        }
        let merged = partials.count == 1 ? partials[0] : try merge(partials)
        return DataChunk(columns: merged.keys + merged.states.map { $0.finalize() }, count: merged.groupCount)
    }

    /// Combines partial results: keys are regrouped, states merged into fresh ones.
    private func merge(_ partials: [Partial]) throws -> Partial {
        let keys = KeyTable(types: groupTypes)
        var keyBuilders = groupTypes.map { VectorBuilder($0) }
        let states = aggregates.map(AggregateStates.make)
        for partial in partials {
            let groups: [Int]
            if groupTypes.isEmpty {
                groups = [Int](repeating: 0, count: partial.groupCount)
            } else {
                let (ids, newRows) = keys.insert(partial.keys, count: partial.groupCount)
                groups = ids
                for (i, vector) in partial.keys.enumerated() { keyBuilders[i].append(vector.gathered(newRows)) }
            }
            let groupCount = groupTypes.isEmpty ? 1 : keys.count
            for (state, other) in zip(states, partial.states) {
                state.resize(groupCount)
                guard let mergeable = state as? MergeableState else { throw MinerQLError.internal("aggregate state does not merge") }
                try mergeable.merge(other, groups: groups)
            }
        }
        return Partial(keys: keyBuilders.map { $0.build() }, states: states, groupCount: groupTypes.isEmpty ? 1 : keys.count)
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
                let (groupIds, newRows) = keys.insert(keyVectors, count: chunk.count)
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
