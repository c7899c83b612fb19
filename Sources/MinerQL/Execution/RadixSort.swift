// Orders rows by their sort codes (`SortOperator.sortCodes`): code arrays
// compared in turn, most significant first, ties in input order. Arrays whose
// ranges fit in 64 bits together are packed into one; rows already in order
// are left where they are; otherwise each thread radix-sorts its share of the
// rows on the first code (least significant digit first, only over the bits that
// vary), then each run of ties on it by the other codes, keeping
// the most significant codes alongside the rows, and the sorted runs are
// merged pairwise — on those codes, without reading rows' codes again unless
// they tie — every thread merging a share of each pair.

enum RadixSort {
    /// A code array and the range of its values: radix passes sort only the
    /// `bits` low bits of `code - low`.
    struct Column {
        let codes: [UInt64]
        let low: UInt64
        let bits: Int
    }

    /// A sorted run: row numbers, and the first column's `code - low` of each.
    struct Run {
        var rows: [Int]
        var keys: [UInt64]
    }

    /// Row numbers `0..<count` ordered by the code arrays.
    static func order(_ codes: [[UInt64]], count: Int, threads: Int, cancellation: Cancellation) throws -> [Int] {
        guard !codes.isEmpty, !isOrdered(codes, count: count) else { return Array(0..<count) }
        let columns = packed(codes, count: count)
        try cancellation.check()
        var runs = threads > 1
            ? try DeepStack.parallel(threads) { part in
                try sort(columns, rows: DeepStack.share(part, of: count, among: threads), cancellation: cancellation)
            }
            : [try sort(columns, rows: 0..<count, cancellation: cancellation)]
        // Ties on the first column are broken by the other columns' codes.
        let rest = columns.dropFirst().map(\.codes)
        while runs.count > 1 {
            var merged: [Run] = []
            // The last merge needs no keys: nothing merges its output.
            let last = runs.count == 2
            for pair in stride(from: 0, to: runs.count, by: 2) {
                merged.append(pair + 1 < runs.count
                              ? try merge(runs[pair], runs[pair + 1], rest: rest, keepingKeys: !last, threads: threads,
                                          cancellation: cancellation)
                              : runs[pair])
            }
            runs = merged
        }
        return runs.first?.rows ?? []
    }

    /// Rows already in code order (as clustered data often is).
    static func isOrdered(_ codes: [[UInt64]], count: Int) -> Bool {
        for row in 0..<max(0, count - 1) {
            for column in codes where column[row] != column[row + 1] {
                if column[row + 1] < column[row] { return false }
                break
            }
        }
        return true
    }

    /// The code arrays with their ranges; as one array when the ranges fit
    /// in 64 bits together — each array's `code - low` shifted into place,
    /// the most significant highest. Fewer bits mean fewer radix passes.
    static func packed(_ codes: [[UInt64]], count: Int) -> [Column] {
        var columns: [Column] = []
        for column in codes {
            var low = UInt64.max, high = UInt64.min
            for code in column {
                low = min(low, code)
                high = max(high, code)
            }
            columns.append(Column(codes: column, low: count == 0 ? 0 : low,
                                  bits: count == 0 ? 0 : UInt64.bitWidth - (high - low).leadingZeroBitCount))
        }
        let bits = columns.reduce(0) { $0 + $1.bits }
        guard columns.count > 1, bits <= UInt64.bitWidth else { return columns }
        var combined = [UInt64](repeating: 0, count: count)
        var shift = bits
        for column in columns where column.bits > 0 {
            shift -= column.bits
            for i in 0..<count { combined[i] |= (column.codes[i] - column.low) << UInt64(shift) }
        }
        return [Column(codes: combined, low: 0, bits: bits)]
    }

    /// At most this many bits of a code are sorted per radix pass: 4,096
    /// counters stay in cache.
    private static let maxDigitBits = 12

    /// `rows` ordered by the columns: a stable LSD radix sort on the first
    /// column, a digit per pass (a histogram of every digit, taken in one
    /// read, skips the digits all rows share); then each run of rows that tie
    /// on it is ordered by the other columns in turn — a comparison sort for a
    /// short run, the same radix sort for a long one. Many small ties (100,000
    /// window partitions of 100 rows) cost a few passes and many cache-sized
    /// sorts, not passes of every column over every row.
    static func sort(_ columns: [Column], rows: Range<Int>, cancellation: Cancellation) throws -> Run {
        try sort(columns, rows: Array(rows), cancellation: cancellation)
    }

    /// Runs up to this long are ordered by comparing their codes.
    private static let comparisonSortRun = 256

    private static func sort(_ columns: [Column], rows: [Int], cancellation: Cancellation) throws -> Run {
        guard let column = columns.first else { return Run(rows: rows, keys: []) }
        let n = rows.count
        var order = rows
        var spareOrder = [Int](repeating: 0, count: n)
        var keyed = [UInt64](repeating: 0, count: n)
        var spareKeys = [UInt64](repeating: 0, count: n)
        let passes = max(1, (column.bits + maxDigitBits - 1) / maxDigitBits)
        let digitBits = (column.bits + passes - 1) / passes
        let mask: UInt64 = (1 << UInt64(digitBits)) - 1
        var counts = [Int](repeating: 0, count: passes << digitBits)
        column.codes.withUnsafeBufferPointer { codes in
            order.withUnsafeBufferPointer { order in
                keyed.withUnsafeMutableBufferPointer { keyed in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for i in 0..<n {
                            let key = codes[order[i]] &- column.low
                            keyed[i] = key
                            for pass in 0..<passes {
                                counts[pass << digitBits | Int(truncatingIfNeeded: (key >> UInt64(pass * digitBits)) & mask)] += 1
                            }
                        }
                    }
                }
            }
        }
        for pass in 0..<passes {
            let histogram = counts[pass << digitBits..<(pass + 1) << digitBits]
            if histogram.contains(n) { continue }
            try cancellation.check()
            radixPass(shift: UInt64(pass * digitBits), mask: mask, histogram: Array(histogram), keys: keyed, order: order,
                      into: &spareKeys, &spareOrder)
            swap(&keyed, &spareKeys)
            swap(&order, &spareOrder)
        }
        let rest = Array(columns.dropFirst())
        guard !rest.isEmpty else { return Run(rows: order, keys: keyed) }
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && keyed[end] == keyed[start] { end += 1 }
            if end - start > comparisonSortRun {
                let sorted = try sort(rest, rows: Array(order[start..<end]), cancellation: cancellation)
                order.replaceSubrange(start..<end, with: sorted.rows)
            } else if end - start > 1 {
                // (next code, row) pairs: the row number breaks full ties, as
                // the rows tied so far are in input order.
                let next = rest[0].codes, others = rest.dropFirst()
                var pairs = order[start..<end].map { (next[$0], $0) }
                pairs.sort { a, b in
                    if a.0 != b.0 { return a.0 < b.0 }
                    for column in others where column.codes[a.1] != column.codes[b.1] {
                        return column.codes[a.1] < column.codes[b.1]
                    }
                    return a.1 < b.1
                }
                for (i, pair) in pairs.enumerated() { order[start + i] = pair.1 }
            }
            start = end
        }
        return Run(rows: order, keys: keyed)
    }

    /// One stable counting pass on the digit at `shift`.
    private static func radixPass(shift: UInt64, mask: UInt64, histogram: [Int], keys: [UInt64], order: [Int],
                                  into targetKeys: inout [UInt64], _ targetOrder: inout [Int]) {
        var next = histogram
        var total = 0
        for i in next.indices {
            let c = next[i]
            next[i] = total
            total += c
        }
        keys.withUnsafeBufferPointer { keys in
            order.withUnsafeBufferPointer { order in
                targetKeys.withUnsafeMutableBufferPointer { targetKeys in
                    targetOrder.withUnsafeMutableBufferPointer { targetOrder in
                        next.withUnsafeMutableBufferPointer { next in
                            for i in 0..<keys.count {
                                let key = keys[i]
                                let digit = Int(truncatingIfNeeded: (key >> shift) & mask)
                                let target = next[digit]
                                next[digit] = target + 1
                                targetKeys[target] = key
                                targetOrder[target] = order[i]
                            }
                        }
                    }
                }
            }
        }
    }

    /// Two sorted runs as one (its keys empty unless `keepingKeys`); every
    /// row of `a` comes before every row of `b` in the input, so `a` wins
    /// full ties. The output is cut into `threads` shares at merge-path
    /// splits, merged at once.
    static func merge(_ a: Run, _ b: Run, rest: [[UInt64]], keepingKeys: Bool, threads: Int,
                      cancellation: Cancellation) throws -> Run {
        /// Position j of `b` strictly before position i of `a`.
        @inline(__always) func bFirst(_ i: Int, _ j: Int) -> Bool {
            if a.keys[i] != b.keys[j] { return b.keys[j] < a.keys[i] }
            let x = a.rows[i], y = b.rows[j]
            for column in rest where column[x] != column[y] { return column[y] < column[x] }
            return false
        }
        let total = a.rows.count + b.rows.count
        // For each share's first output position, how many of its rows come from `a`:
        // the fewest such that the next one (if any) comes after b's row before the split.
        let splits = (0...threads).map { part -> Int in
            let k = total * part / threads
            var low = max(0, k - b.rows.count), high = min(k, a.rows.count)
            while low < high {
                let i = (low + high) / 2
                if bFirst(i, k - i - 1) { high = i } else { low = i + 1 }
            }
            return low
        }
        var keys = [UInt64](repeating: 0, count: keepingKeys ? total : 0)
        let rows = try keys.withUnsafeMutableBufferPointer { keyBuffer in
            try [Int](unsafeUninitializedCapacity: total) { rowBuffer, initialized in
                let targetRows = SharedBuffer(rowBuffer), targetKeys = SharedBuffer(keyBuffer)
                _ = try DeepStack.parallel(threads) { part in
                    let k = total * part / threads
                    var i = splits[part], j = k - i
                    let endI = splits[part + 1], endJ = total * (part + 1) / threads - endI
                    for out in k..<total * (part + 1) / threads {
                        if out & 0xFFFF == 0 { try cancellation.check() }
                        if i < endI && (j >= endJ || !bFirst(i, j)) {
                            targetRows.buffer.initializeElement(at: out, to: a.rows[i])
                            if keepingKeys { targetKeys.buffer[out] = a.keys[i] }
                            i += 1
                        } else {
                            targetRows.buffer.initializeElement(at: out, to: b.rows[j])
                            if keepingKeys { targetKeys.buffer[out] = b.keys[j] }
                            j += 1
                        }
                    }
                }
                initialized = total
            }
        }
        return Run(rows: rows, keys: keys)
    }
}
