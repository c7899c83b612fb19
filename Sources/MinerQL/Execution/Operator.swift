// The physical operator protocol: pull-based, one chunk per call, as in a
// vectorized Volcano model. An operator returns nil when it has no more rows.

/// A physical operator producing chunks.
protocol Operator: AnyObject {
    /// The next chunk, or nil at the end. May return empty chunks.
    func next() throws -> DataChunk?
}

/// An operator that computes its whole result before handing out the first
/// row (a sort, an aggregate) and can give it as one chunk: a statement ending in it takes
/// the result without cutting it into chunks and gluing them together again.
protocol WholeResultOperator: Operator {
    /// Every row the operator would still produce, as one chunk.
    func wholeResult() throws -> DataChunk
}

extension Operator {
    /// Pulls every remaining chunk and concatenates them into one.
    func materialize(types: [DataType], context: ExecutionContext) throws -> DataChunk {
        if let scan = self as? ScanOperator { return scan.remaining() }
        var builders = types.map { VectorBuilder($0) }
        var count = 0
        while let chunk = try next() {
            try context.cancellation.check()
            for i in 0..<builders.count { builders[i].append(chunk.columns[i]) }
            count += chunk.count
        }
        // A plan may read no column at all (count(*) over a join): rows still count.
        return DataChunk(columns: builders.map { $0.build() }, count: count)
    }
}
