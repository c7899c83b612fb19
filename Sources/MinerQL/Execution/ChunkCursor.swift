// Blocking operators (aggregate, sort, window) compute their whole result,
// then hand it out a chunk at a time through this cursor; a table scan hands
// out its columns the same way, through the same slicer.

/// Cuts chunks out of whole columns. A string column's chunk is refilled in
/// place (`StringRows.ChunkBuffer`) rather than copied anew each time.
struct ChunkSlicer {
    private var stringChunks: [Int: StringRows.ChunkBuffer] = [:]

    /// Rows `range` of each column, renumbered from 0.
    mutating func slice(_ columns: [Vector], _ range: Range<Int>) -> [Vector] {
        var vectors: [Vector] = []
        vectors.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            guard case .varchar(let strings) = column.data, range.count < column.count else {
                vectors.append(column.sliced(range))
                continue
            }
            let rows = stringChunks[index, default: StringRows.ChunkBuffer()].fill(from: strings, range)
            vectors.append(Vector(.varchar(rows), validity: column.validity.sliced(range)))
        }
        return vectors
    }
}

/// Yields a materialized result in chunks of `DataChunk.capacity` rows.
struct ChunkCursor {
    private let all: DataChunk
    private var position = 0
    private var slicer = ChunkSlicer()

    init(_ all: DataChunk) { self.all = all }

    /// Every row not yet handed out, as one chunk.
    mutating func remaining() -> DataChunk {
        defer { position = all.count }
        return all.sliced(position..<max(position, all.count))
    }

    mutating func next() -> DataChunk? {
        guard position < all.count else { return nil }
        let end = min(position + DataChunk.capacity, all.count)
        defer { position = end }
        return DataChunk(columns: slicer.slice(all.columns, position..<end), count: end - position)
    }
}
