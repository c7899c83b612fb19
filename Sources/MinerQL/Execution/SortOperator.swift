// Sort: materializes the input, computes the key columns once, turns each key
// into order-preserving 64-bit codes (strings by rank) and radix-sorts row
// indexes on them, a share of the rows per thread, then merges the runs; keys
// without codes (INTERVAL) fall back to comparators specialised per type.
// Under a LIMIT it keeps only the first k rows in a heap (top-k), O(n log k)
// instead of O(n log n).

final class SortOperator: WholeResultOperator {
    /// The input, possibly split by rows: a top-k finds each part's best k on
    /// its own thread, then the best k of those; a full sort reads them in order.
    private let inputs: [Operator]
    private let keys: [(kernel: Kernel, descending: Bool, nullsFirst: Bool)]
    private let types: [DataType]
    private let context: ExecutionContext
    /// Rows needed by a LIMIT above (limit + offset), if any.
    private let topK: Int?
    private var output: ChunkCursor?

    init(inputs: [Operator], keys: [BoundOrder], types: [DataType], compiler: ExpressionCompiler, topK: Int? = nil) throws {
        self.inputs = inputs
        self.topK = topK
        self.keys = try keys.map { (try compiler.compile($0.expression), $0.descending, $0.nullsFirst) }
        self.types = types
        self.context = compiler.context
    }

    func next() throws -> DataChunk? {
        var cursor = try output ?? ChunkCursor(try sortAll())
        defer { output = cursor }
        return cursor.next()
    }

    func wholeResult() throws -> DataChunk {
        guard var cursor = output else { return try sortAll() }
        defer { output = cursor }
        return cursor.remaining()
    }

    /// A three-way comparison of two rows on one key, NULL placement included.
    typealias RowComparator = (Int, Int) -> Int

    static func comparator(_ vector: Vector, descending: Bool, nullsFirst: Bool) -> RowComparator {
        let direction = descending ? -1 : 1
        let nullOrder = nullsFirst ? -1 : 1
        let validity = vector.validity
        func wrap(_ compare: @escaping (Int, Int) -> Int) -> RowComparator {
            guard validity.hasInvalid else { return { direction * compare($0, $1) } }
            return { a, b in
                let aNull = !validity.isValid(a), bNull = !validity.isValid(b)
                if aNull || bNull { return aNull == bNull ? 0 : (aNull ? nullOrder : -nullOrder) }
                return direction * compare(a, b)
            }
        }
        switch vector.data {
        case .bigint(let v): return wrap { v[$0] < v[$1] ? -1 : (v[$0] > v[$1] ? 1 : 0) }
        case .double(let v): return wrap { ValueOrder.compareDoubles(v[$0], v[$1]) }
        case .date(let v): return wrap { v[$0] < v[$1] ? -1 : (v[$0] > v[$1] ? 1 : 0) }
        case .timestamp(let v): return wrap { v[$0] < v[$1] ? -1 : (v[$0] > v[$1] ? 1 : 0) }
        case .interval(let v): return wrap { v[$0].orderKey < v[$1].orderKey ? -1 : (v[$0].orderKey > v[$1].orderKey ? 1 : 0) }
        case .varchar(let v): return wrap { Comparison.compareStrings(v[$0], v[$1]) }
        case .boolean(let v): return wrap { v[$0] == v[$1] ? 0 : (v[$0] ? 1 : -1) }
        case .null: return { _, _ in 0 }
        }
    }

    /// Limits up to which top-k keeps only k rows while streaming (beyond, the
    /// input is materialized first).
    static let streamingTopKLimit = 10_000

    private func sortAll() throws -> DataChunk {
        if let topK, topK <= SortOperator.streamingTopKLimit {
            guard inputs.count > 1 else { return try streamTopK(topK, of: inputs[0]) }
            // Each part's best k, in part (input) order, then the best k of those.
            let shared = SharedSort(self)
            let best = try DeepStack.parallel(inputs.count) { try shared.value.streamTopK(topK, of: shared.value.inputs[$0]) }
            return try streamTopK(topK, of: ChunkList(best))
        }
        let input = inputs.count == 1 ? inputs[0] : ConcatOperator(inputs: inputs)
        let all = try input.materialize(types: types, context: context)
        let keyVectors = try keys.map { try $0.kernel(all) }
        let comparators = zip(keys, keyVectors).map { key, vector in
            SortOperator.comparator(vector, descending: key.descending, nullsFirst: key.nullsFirst)
        }
        try context.cancellation.check()
        if let topK, topK < all.count {
            return all.gathered(SortOperator.smallest(topK, of: all.count, by: SortOperator.precedes(comparators)))
        }
        let threads = context.threads(forRows: all.count)
        var codes: [[UInt64]] = []
        for (key, vector) in zip(keys, keyVectors) {
            guard let keyCodes = try SortOperator.sortCodes(vector, descending: key.descending, nullsFirst: key.nullsFirst,
                                                            cancellation: context.cancellation) else {
                // A key without codes (INTERVAL): compare rows.
                var order = Array(0..<all.count)
                order.sort(by: SortOperator.precedes(comparators))
                return try all.gathered(order, threads: threads)
            }
            codes += keyCodes
            try context.cancellation.check()
        }
        let order = try SortOperator.radixOrder(codes, count: all.count, threads: threads, cancellation: context.cancellation)
        try context.cancellation.check()
        return try all.gathered(order, threads: threads)
    }

    /// Row order by the comparators in turn; ties keep input order, so the
    /// result does not depend on the algorithm.
    static func precedes(_ comparators: [RowComparator]) -> (Int, Int) -> Bool {
        { a, b in
            for compare in comparators {
                let c = compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
    }

    /// ORDER BY … LIMIT k without holding the input: the best k rows so far,
    /// in order, are merged with each new chunk and cut back to k. Rows kept
    /// come before the chunk's, so ties still keep input order.
    private func streamTopK(_ k: Int, of input: Operator) throws -> DataChunk {
        var kept = DataChunk(columns: types.map(Vector.empty), count: 0)
        /// The encoded first key of the k-th row kept, once k rows are kept:
        /// rows encoding above it cannot enter (equal codes are compared fully).
        var threshold: UInt64?
        // A scan bounded by the threshold passes only rows within it.
        let bound = (input as? ScanOperator)?.bound
        while var chunk = try input.next() {
            try context.cancellation.check()
            if bound == nil, let threshold, let first = keys.first,
               let codes = SortOperator.encodedKeys(try first.kernel(chunk), descending: first.descending, nullsFirst: first.nullsFirst) {
                let candidates = codes.indices.filter { codes[$0] <= threshold }
                if candidates.count < chunk.count { chunk = chunk.gathered(candidates) }
            }
            guard chunk.count > 0 else { continue }
            let combined = DataChunk(columns: zip(kept.columns, chunk.columns).map { old, new in
                var builder = VectorBuilder(old.type, capacity: kept.count + chunk.count)
                builder.append(old)
                builder.append(new)
                return builder.build()
            }, count: kept.count + chunk.count)
            let comparators = try keys.map { key in
                SortOperator.comparator(try key.kernel(combined), descending: key.descending, nullsFirst: key.nullsFirst)
            }
            kept = combined.gathered(SortOperator.smallest(k, of: combined.count, by: SortOperator.precedes(comparators)))
            if kept.count == k, let first = keys.first {
                threshold = SortOperator.encodedKeys(try first.kernel(kept.sliced(k - 1..<k)), descending: first.descending,
                                                     nullsFirst: first.nullsFirst)?.first
                bound?.threshold = threshold
            }
        }
        return kept
    }

    /// Each row's key as a UInt64 whose unsigned order is the key's order (with
    /// direction and NULL placement applied); nil for types without one.
    /// Equal SQL values encode equally (-0.0 as 0.0, every NaN alike); NULL
    /// may share its code with the smallest or largest value.
    static func encodedKeys(_ vector: Vector, descending: Bool, nullsFirst: Bool) -> [UInt64]? {
        let sign: UInt64 = 1 << 63
        var encoded: [UInt64]
        switch vector.data {
        case .bigint(let v), .timestamp(let v): encoded = v.map { UInt64(bitPattern: $0) ^ sign }
        case .date(let v): encoded = v.map { UInt64(bitPattern: Int64($0)) ^ sign }
        case .double(let v):
            encoded = v.map { d in
                let canonical = d.isNaN ? Double.nan : (d == 0 ? 0 : d)
                let bits = canonical.bitPattern
                return bits & sign != 0 ? ~bits : bits | sign
            }
        default: return nil
        }
        if descending { for i in encoded.indices { encoded[i] = ~encoded[i] } }
        if vector.mayHaveNulls {
            let null: UInt64 = nullsFirst ? 0 : .max
            for i in encoded.indices where vector.isNull(i) { encoded[i] = null }
        }
        return encoded
    }

    /// A sort key as code arrays, most significant first, whose unsigned
    /// order is the key's: a NULL-placement code (only when there are
    /// NULLs), then the value's code — `encodedKeys`, or for strings each
    /// row's rank among the distinct strings. nil for types without codes.
    static func sortCodes(_ vector: Vector, descending: Bool, nullsFirst: Bool, cancellation: Cancellation) throws -> [[UInt64]]? {
        var values: [UInt64]
        switch vector.data {
        case .varchar(let strings):
            values = try stringRanks(strings, cancellation: cancellation)
            if descending { for i in values.indices { values[i] = ~values[i] } }
        case .boolean(let flags):
            values = flags.map { ($0 ? 1 : 0) ^ (descending ? 1 : 0) }
        default:
            guard let encoded = encodedKeys(vector, descending: descending, nullsFirst: nullsFirst) else { return nil }
            values = encoded
        }
        guard vector.mayHaveNulls else { return [values] }
        let null: UInt64 = nullsFirst ? 0 : 1
        return [(0..<vector.count).map { vector.isNull($0) ? null : 1 - null }, values]
    }

    /// Each string's position among the distinct strings in UTF-8 byte order.
    static func stringRanks(_ strings: [String], cancellation: Cancellation) throws -> [UInt64] {
        var ids = KeyMap<String>()
        // Each row's string id, then (in place) its rank; a row repeating the
        // previous row's string (clustered data) skips the lookup.
        var codes = [UInt64](repeating: 0, count: strings.count)
        for (row, string) in strings.enumerated() {
            if row & 0xFFFF == 0 { try cancellation.check() }
            if row > 0 && string.hasSameRepresentation(as: strings[row - 1]) {
                codes[row] = codes[row - 1]
                continue
            }
            codes[row] = UInt64(ids.value(for: string, inserting: ids.count) ?? ids.count - 1)
        }
        let distinct = ids.keysInInsertionOrder
        var rankOfID = [UInt64](repeating: 0, count: distinct.count)
        for (rank, id) in distinct.indices.sorted(by: { Comparison.compareStrings(distinct[$0], distinct[$1]) < 0 }).enumerated() {
            rankOfID[id] = UInt64(rank)
        }
        for row in codes.indices { codes[row] = rankOfID[Int(codes[row])] }
        return codes
    }

    /// Row indexes ordered by the codes (lexicographically, most significant
    /// array first; ties in input order): each thread radix-sorts its share
    /// of the rows, then the sorted runs are merged pairwise, every thread
    /// merging a share of each pair.
    static func radixOrder(_ codes: [[UInt64]], count: Int, threads: Int, cancellation: Cancellation) throws -> [Int] {
        let (codes, bits) = packed(codes, count: count)
        if isOrdered(codes, count: count) { return Array(0..<count) }
        try cancellation.check()
        guard threads > 1 else { return try radixOrder(codes, rows: 0..<count, bits: bits, cancellation: cancellation) }
        var runs = try DeepStack.parallel(threads) { part in
            try radixOrder(codes, rows: DeepStack.share(part, of: count, among: threads), bits: bits, cancellation: cancellation)
        }
        while runs.count > 1 {
            var merged: [[Int]] = []
            for pair in stride(from: 0, to: runs.count, by: 2) {
                merged.append(pair + 1 < runs.count
                              ? try merge(runs[pair], runs[pair + 1], codes: codes, threads: threads, cancellation: cancellation)
                              : runs[pair])
            }
            runs = merged
        }
        return runs.first ?? []
    }

    /// Two sorted runs as one; every row of `a` comes before every row of
    /// `b` in the input, so `a` wins full ties. The output is cut into
    /// `threads` shares at merge-path splits, merged at once.
    static func merge(_ a: [Int], _ b: [Int], codes: [[UInt64]], threads: Int, cancellation: Cancellation) throws -> [Int] {
        let order = RunOrder(codes: codes)
        let total = a.count + b.count
        // For each share's first output position, how many of its rows come from `a`.
        let splits = (0...threads).map { part -> Int in
            let k = total * part / threads
            // The fewest rows of `a` such that the next one (if any) comes after b's row before the split.
            var low = max(0, k - b.count), high = min(k, a.count)
            while low < high {
                let i = (low + high) / 2
                if order.bFirst(a[i], b[k - i - 1]) { high = i } else { low = i + 1 }
            }
            return low
        }
        return try [Int](unsafeUninitializedCapacity: total) { buffer, initialized in
            let target = SharedBuffer(buffer)
            _ = try DeepStack.parallel(threads) { part in
                let k = total * part / threads
                var i = splits[part], j = k - i
                let endI = splits[part + 1], endJ = total * (part + 1) / threads - endI
                var out = k
                while i < endI && j < endJ {
                    if out & 0xFFFF == 0 { try cancellation.check() }
                    if order.bFirst(a[i], b[j]) {
                        target.buffer.initializeElement(at: out, to: b[j])
                        j += 1
                    } else {
                        target.buffer.initializeElement(at: out, to: a[i])
                        i += 1
                    }
                    out += 1
                }
                while i < endI { target.buffer.initializeElement(at: out, to: a[i]); i += 1; out += 1 }
                while j < endJ { target.buffer.initializeElement(at: out, to: b[j]); j += 1; out += 1 }
            }
            initialized = total
        }
    }

    /// The comparison of two rows' codes that merging runs needs.
    private struct RunOrder: @unchecked Sendable {
        let first: [UInt64]
        let rest: [[UInt64]]

        init(codes: [[UInt64]]) {
            first = codes.first ?? []
            rest = Array(codes.dropFirst())
        }

        /// Row `y` strictly before row `x` by the codes.
        @inline(__always) func bFirst(_ x: Int, _ y: Int) -> Bool {
            if first[x] != first[y] { return first[y] < first[x] }
            for column in rest where column[x] != column[y] { return column[y] < column[x] }
            return false
        }
    }

    /// The code arrays as one when their ranges fit in 64 bits together —
    /// each array's offset from its minimum, shifted into place, the most
    /// significant highest — and the bits the codes use (64 when they stay
    /// apart). Fewer bits mean fewer radix passes.
    static func packed(_ codes: [[UInt64]], count: Int) -> (codes: [[UInt64]], bits: Int) {
        var ranges: [(low: UInt64, bits: Int)] = []
        for column in codes {
            var low = UInt64.max, high = UInt64.min
            for code in column {
                low = min(low, code)
                high = max(high, code)
            }
            ranges.append((low, count == 0 ? 0 : UInt64.bitWidth - (high - low).leadingZeroBitCount))
        }
        let bits = ranges.reduce(0) { $0 + $1.bits }
        guard bits <= UInt64.bitWidth else { return (codes, UInt64.bitWidth) }
        var combined = [UInt64](repeating: 0, count: count)
        var shift = bits
        for (column, range) in zip(codes, ranges) where range.bits > 0 {
            shift -= range.bits
            for i in 0..<count { combined[i] |= (column[i] - range.low) << UInt64(shift) }
        }
        return ([combined], bits)
    }

    /// Rows already in code order (as clustered data often is).
    static func isOrdered(_ codes: [[UInt64]], count: Int) -> Bool {
        let order = RunOrder(codes: codes)
        for row in 0..<max(0, count - 1) where order.bFirst(row, row + 1) { return false }
        return true
    }

    /// At most this many bits of a code are sorted per radix pass: 4,096
    /// counters stay in cache.
    private static let maxDigitBits = 12

    /// `rows` ordered by the codes with stable LSD radix sorts, least
    /// significant code array first, a digit per pass, over the low `bits`
    /// of each code; a histogram of every digit, taken in one read, skips the
    /// digits all rows share.
    static func radixOrder(_ codes: [[UInt64]], rows: Range<Int>, bits: Int, cancellation: Cancellation) throws -> [Int] {
        let n = rows.count
        let passes = max(1, (bits + maxDigitBits - 1) / maxDigitBits)
        let digitBits = (bits + passes - 1) / passes
        let digitMask: UInt64 = (1 << UInt64(digitBits)) - 1
        var order = Array(rows)
        var spareOrder = [Int](repeating: 0, count: n)
        var keyed = [UInt64](repeating: 0, count: n)
        var spareKeys = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: passes << digitBits)
        for column in codes.reversed() {
            column.withUnsafeBufferPointer { column in
                order.withUnsafeBufferPointer { order in
                    keyed.withUnsafeMutableBufferPointer { keyed in
                        counts.withUnsafeMutableBufferPointer { counts in
                            for i in counts.indices { counts[i] = 0 }
                            for i in 0..<n {
                                let key = column[order[i]]
                                keyed[i] = key
                                for pass in 0..<passes {
                                    counts[pass << digitBits | Int(truncatingIfNeeded: (key >> UInt64(pass * digitBits)) & digitMask)] += 1
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
                radixPass(shift: UInt64(pass * digitBits), mask: digitMask, histogram: Array(histogram), keys: keyed, order: order,
                          into: &spareKeys, &spareOrder)
                swap(&keyed, &spareKeys)
                swap(&order, &spareOrder)
            }
        }
        return order
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

    /// The `k` first rows by `precedes`, in order, kept in a max-heap.
    static func smallest(_ k: Int, of count: Int, by precedes: (Int, Int) -> Bool) -> [Int] {
        guard k > 0 else { return [] }
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < heap.count && precedes(heap[largest], heap[left]) { largest = left }
                if right < heap.count && precedes(heap[largest], heap[right]) { largest = right }
                if largest == parent { return }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
        for row in 0..<count {
            if heap.count < k {
                heap.append(row)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard precedes(heap[parent], heap[child]) else { break }
                    heap.swapAt(parent, child)
                    child = parent
                }
            } else if precedes(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return heap.sorted(by: precedes)
    }
}

/// Hands a sort to the threads of DeepStack.parallel: each reads its own part;
/// the compiled keys are only read.
private struct SharedSort: @unchecked Sendable {
    let value: SortOperator
    init(_ value: SortOperator) { self.value = value }
}

/// Chunks already computed, replayed in order.
private final class ChunkList: Operator {
    private var chunks: [DataChunk]
    init(_ chunks: [DataChunk]) { self.chunks = chunks.reversed() }
    func next() throws -> DataChunk? { chunks.popLast() }
}

