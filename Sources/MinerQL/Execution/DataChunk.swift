// The unit operators pass to each other: the same rows of several columns.

/// A batch of rows stored column by column. All columns have `count` rows.
public struct DataChunk: Sendable {
    /// Rows per chunk that operators aim for: big enough to amortise per-chunk
    /// overhead, small enough to stay in cache.
    public static let capacity = 2048

    public var columns: [Vector]
    public var count: Int

    public init(columns: [Vector], count: Int) {
        self.columns = columns
        self.count = count
    }

    /// The rows at `indices` of every column.
    public func gathered(_ indices: [Int]) -> DataChunk {
        DataChunk(columns: columns.map { $0.gathered(indices) }, count: indices.count)
    }

    /// The rows at `indices` of every column, shared out among `threads` threads.
    func gathered(_ indices: [Int], threads: Int) throws -> DataChunk {
        DataChunk(columns: try columns.map { try $0.gathered(indices, threads: threads) }, count: indices.count)
    }

    func sliced(_ range: Range<Int>) -> DataChunk {
        DataChunk(columns: columns.map { $0.sliced(range) }, count: range.count)
    }

    /// The rows of `parts` one after another (parts of the same column types),
    /// leaving `parts` empty. When only one part has rows, it is returned as
    /// it is. A column's parts are let go as soon as it is copied, so a large
    /// result held only here needs room for one more column, not a copy.
    static func concatenate(_ parts: inout [DataChunk]) -> DataChunk {
        var filled = parts.filter { $0.count > 0 }
        let first = parts.first
        parts = []
        guard filled.count > 1 else { return filled.first ?? first ?? DataChunk(columns: [], count: 0) }
        let rows = filled.reduce(0) { $0 + $1.count }
        let columns = filled[0].columns.indices.map { c -> Vector in
            var builder = VectorBuilder(filled[0].columns[c].type, capacity: rows)
            for p in filled.indices {
                builder.append(filled[p].columns[c])
                filled[p].columns[c] = Vector.empty(filled[p].columns[c].type)
            }
            return builder.build()
        }
        return DataChunk(columns: columns, count: rows)
    }
}
