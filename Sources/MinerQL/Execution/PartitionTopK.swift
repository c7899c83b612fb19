// The first k rows of each window partition, for `row_number() OVER
// (PARTITION BY p ORDER BY o) <= k` (the "top k per group" question): rather
// than sorting every row, each row's partition gets a dense id (KeyTable) and
// every partition keeps its best k rows in a small sorted list, by the order
// keys' codes. A row ties with a kept row only on equal codes, and then the
// earlier row comes first, as in the full (stable) sort, so the row numbers
// are the ones the full window would give.

enum PartitionTopK {
    /// Above this k the full window is computed (the lists would be long).
    static let maximumK = 1_024

    /// The rows kept, partition after partition (in order of first
    /// appearance), each partition's in window order, with their row
    /// numbers; nil when an order key has no codes (INTERVAL).
    static func rows(partitions: [Vector], order: [(vector: Vector, descending: Bool, nullsFirst: Bool)],
                     count n: Int, k: Int, context: ExecutionContext) throws -> (rows: [Int], numbers: [Int64])? {
        guard k > 0 else { return ([], []) }
        guard let codes = try SortOperator.sortCodes(order, threads: context.threads(forRows: n),
                                                     cancellation: context.cancellation),
              let first = codes.first else { return nil }
        let table = KeyTable(types: partitions.map(\.type))
        let ids = partitions.isEmpty ? [Int](repeating: 0, count: n) : try table.insert(partitions, count: n).ids
        let groups = partitions.isEmpty ? min(n, 1) : table.count
        try context.cancellation.check()
        let (slots, overflow) = groups.multipliedReportingOverflow(by: k)
        if overflow { throw MinerQLError(.outOfMemory, "could not allocate room for \(groups) partitions of \(k) rows") }
        if slots >= 1 << 20 { try MemoryLimit.checkRoom(for: slots * 16) }
        // Group g's kept rows, best first, at g * k ..< g * k + sizes[g], with
        // their first code alongside (read without touching the row's codes).
        var kept = [Int](repeating: 0, count: slots)
        var keptFirst = [UInt64](repeating: 0, count: slots)
        var sizes = [Int](repeating: 0, count: groups)
        let rest = codes.dropFirst()
        /// Row `row`, whose first code is `code`, comes before kept slot `j`.
        @inline(__always) func before(_ row: Int, _ code: UInt64, _ j: Int) -> Bool {
            if code != keptFirst[j] { return code < keptFirst[j] }
            let other = kept[j]
            for column in rest where column[row] != column[other] { return column[row] < column[other] }
            return row < other
        }
        for row in 0..<n {
            if row & 0xFFFF == 0 { try context.cancellation.check() }
            let g = ids[row], base = g * k, code = first[row]
            var size = sizes[g]
            if size == k {
                guard before(row, code, base + k - 1) else { continue }
                size -= 1
            }
            var i = base + size
            while i > base && before(row, code, i - 1) {
                kept[i] = kept[i - 1]
                keptFirst[i] = keptFirst[i - 1]
                i -= 1
            }
            kept[i] = row
            keptFirst[i] = code
            sizes[g] = size + 1
        }
        var rows: [Int] = [], numbers: [Int64] = []
        for g in 0..<groups {
            rows.append(contentsOf: kept[g * k..<g * k + sizes[g]])
            numbers.append(contentsOf: (0..<Int64(sizes[g])).map { $0 + 1 })
        }
        return (rows, numbers)
    }
}
