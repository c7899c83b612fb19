// Hash aggregation: each input chunk's group keys are mapped to dense group ids
// through a typed KeyTable, then every aggregate state folds in the chunk at once.
// Output: the group key columns, then one column per aggregate.

final class HashAggregateOperator: Operator {
    private let input: Operator
    private let groupKernels: [Kernel]
    private let groupTypes: [DataType]
    private let aggregates: [BoundAggregate]
    private let argumentKernels: [Kernel?]
    private let filterKernels: [Kernel?]
    private let secondKernels: [Kernel?]
    private let orderKernels: [[Kernel]]
    private let context: ExecutionContext
    private var output: ChunkCursor?

    init(input: Operator, groups: [BoundExpr], aggregates: [BoundAggregate], compiler: ExpressionCompiler) throws {
        self.input = input
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

    private func aggregateAll() throws -> DataChunk {
        let keys = KeyTable(types: groupTypes)
        var keyBuilders = groupTypes.map { VectorBuilder($0) }
        let states = aggregates.map(AggregateStates.make)
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
                for (i, vector) in keyVectors.enumerated() {
                    for row in newRows { keyBuilders[i].append(vector.value(at: row)) }
                }
            }
            let groupCount = groupKernels.isEmpty ? 1 : keys.count
            let rows = Array(0..<chunk.count)
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
        let columns = keyBuilders.map { $0.build() } + states.map { $0.finalize() }
        return DataChunk(columns: columns, count: groupCount)
    }
}
