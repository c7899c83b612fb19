// Blocking operators (aggregate, sort, window) compute their whole result,
// then hand it out a chunk at a time through this cursor.

/// Yields a materialized result in chunks of `DataChunk.capacity` rows.
struct ChunkCursor {
    private let all: DataChunk
    private var position = 0

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
        return all.sliced(position..<end)
    }
}
