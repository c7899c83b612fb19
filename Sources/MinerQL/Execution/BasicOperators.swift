// The simple streaming operators: scan, constant rows, filter, projection, limit.

/// Reads a table, or a range of its rows and some of its columns, in chunks of
/// `DataChunk.capacity` rows.
final class ScanOperator: Operator {
    private let columns: [Vector]
    private let rowCount: Int
    private let rowIDs: Bool
    private let context: ExecutionContext
    private var position: Int
    /// Set by a top-k reading this scan: rows that cannot enter it are not read.
    let bound: TopKBound?
    /// Where the last chunk came from when it is rows `start ..< start +
    /// count` of `scannedColumns` as they are (no row ids, no rows left out):
    /// a consumer keeping rows can then refer to the table's storage rather
    /// than keep a copy.
    private(set) var lastChunkStart: Int?
    var scannedColumns: [Vector] { columns }

    /// `columns` picks the columns to read (by index), in that order; all by
    /// default. With `rowIDs`, a last BIGINT column holds each row's number in
    /// the table (for FetchOperator).
    init(table: Table, rows: Range<Int>? = nil, columns: [Int]? = nil, rowIDs: Bool = false, bound: TopKBound? = nil,
         context: ExecutionContext) {
        let rows = rows ?? 0..<table.rowCount
        self.columns = columns.map { $0.map { table.columns[$0] } } ?? table.columns
        self.position = rows.lowerBound
        self.rowCount = rows.upperBound
        self.rowIDs = rowIDs
        self.bound = bound
        self.context = context
        context.progress.expect(rows.count)
    }

    /// Every row not yet read, as one chunk: the table's own columns when
    /// that is all of them (no copy).
    func remaining() -> DataChunk {
        let range = position..<max(position, rowCount)
        position = rowCount
        context.progress.advance(range.count)
        return chunk(range)
    }

    func next() throws -> DataChunk? {
        while position < rowCount {
            try context.cancellation.check()
            let end = min(position + DataChunk.capacity, rowCount)
            let range = position..<end
            position = end
            context.progress.advance(range.count)
            lastChunkStart = rowIDs ? nil : range.lowerBound
            guard let bound, let threshold = bound.threshold else { return chunk(range) }
            let rows = bound.candidates(columns[bound.column], in: range, threshold: threshold)
            if rows.count == range.count { return chunk(range) }
            lastChunkStart = nil
            if !rows.isEmpty { return chunk(rows) }
        }
        lastChunkStart = nil
        return nil
    }

    private func chunk(_ range: Range<Int>) -> DataChunk {
        var vectors = columns.map { $0.sliced(range) }
        if rowIDs { vectors.append(Vector(.bigint(range.map { Int64($0) }))) }
        return DataChunk(columns: vectors, count: range.count)
    }

    private func chunk(_ rows: [Int]) -> DataChunk {
        var vectors = columns.map { $0.gathered(rows) }
        if rowIDs { vectors.append(Vector(.bigint(rows.map { Int64($0) }))) }
        return DataChunk(columns: vectors, count: rows.count)
    }
}

/// Emits rows given as constant expressions (SELECT without FROM, VALUES).
final class ValuesOperator: Operator {
    private var rows: [[Kernel]]?
    private let types: [DataType]

    init(rows: [[Kernel]], types: [DataType]) {
        self.rows = rows
        self.types = types
    }

    func next() throws -> DataChunk? {
        guard let rows else { return nil }
        self.rows = nil
        let unit = DataChunk(columns: [], count: 1)
        var builders = types.map { VectorBuilder($0, capacity: rows.count) }
        for row in rows {
            for (i, kernel) in row.enumerated() {
                let vector = try kernel(unit)
                builders[i].append(try Cast.vector(vector, to: types[i]).value(at: 0))
            }
        }
        return DataChunk(columns: builders.map { $0.build() }, count: rows.count)
    }
}

/// Keeps the rows for which the predicate is TRUE, by building a selection vector
/// and gathering only those rows.
final class FilterOperator: Operator {
    private let input: Operator
    private let predicate: Kernel

    init(input: Operator, predicate: @escaping Kernel) {
        self.input = input
        self.predicate = predicate
    }

    func next() throws -> DataChunk? {
        while let chunk = try input.next() {
            let selection = Logic.selection(Logic.trueRows(try predicate(chunk)))
            if selection.isEmpty { continue }
            return selection.count == chunk.count ? chunk : chunk.gathered(selection)
        }
        return nil
    }
}

/// Computes output columns from input columns.
final class ProjectOperator: Operator {
    private let input: Operator
    private let expressions: [Kernel]

    init(input: Operator, expressions: [Kernel]) {
        self.input = input
        self.expressions = expressions
    }

    func next() throws -> DataChunk? {
        guard let chunk = try input.next() else { return nil }
        return DataChunk(columns: try expressions.map { try $0(chunk) }, count: chunk.count)
    }
}

/// Skips `offset` rows, then passes at most `limit` rows and stops pulling.
final class LimitOperator: Operator {
    private let input: Operator
    private var remaining: Int
    private var toSkip: Int

    init(input: Operator, limit: Int?, offset: Int) {
        self.input = input
        self.remaining = limit ?? Int.max
        self.toSkip = offset
    }

    func next() throws -> DataChunk? {
        while remaining > 0, let chunk = try input.next() {
            var start = 0
            if toSkip > 0 {
                start = min(toSkip, chunk.count)
                toSkip -= start
            }
            let end = start + min(chunk.count - start, remaining)
            if end <= start { continue }
            remaining -= end - start
            return chunk.sliced(start..<end)
        }
        return nil
    }
}
