// Sort: materializes the input, computes the key columns once, and orders row
// indexes with a comparator specialised per key type. When the first key is a
// number, date or timestamp, rows are first radix-sorted on an order-preserving
// 64-bit encoding of it and only runs of equal first keys are compared further.
// Under a LIMIT it keeps only the first k rows in a heap (top-k), O(n log k)
// instead of O(n log n).

final class SortOperator: Operator {
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
        let comparators = try keys.map { key in
            SortOperator.comparator(try key.kernel(all), descending: key.descending, nullsFirst: key.nullsFirst)
        }
        try context.cancellation.check()
        // Ties keep input order, so the result does not depend on the algorithm.
        let precedes: (Int, Int) -> Bool = { a, b in
            for compare in comparators {
                let c = compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        if let topK, topK < all.count {
            return all.gathered(SortOperator.smallest(topK, of: all.count, by: precedes))
        }
        let first = try keys.first.map { try $0.kernel(all) }
        if let first, let key = keys.first,
           let encoded = SortOperator.encodedKeys(first, descending: key.descending, nullsFirst: key.nullsFirst) {
            // NULL shares its code with the extreme value, so runs with NULLs are resolved too.
            let tiesMatter = keys.count > 1 || first.mayHaveNulls
            return all.gathered(SortOperator.radixOrder(encoded, resolvingTies: tiesMatter ? precedes : nil))
        }
        var order = Array(0..<all.count)
        order.sort(by: precedes)
        return all.gathered(order)
    }

    /// ORDER BY … LIMIT k without holding the input: the best k rows so far,
    /// in order, are merged with each new chunk and cut back to k. Rows kept
    /// come before the chunk's, so ties still keep input order.
    private func streamTopK(_ k: Int, of input: Operator) throws -> DataChunk {
        var kept = DataChunk(columns: types.map(Vector.empty), count: 0)
        /// The encoded first key of the k-th row kept, once k rows are kept:
        /// rows encoding above it cannot enter (equal codes are compared fully).
        var threshold: UInt64?
        while var chunk = try input.next() {
            try context.cancellation.check()
            if let threshold, let first = keys.first,
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
            let precedes: (Int, Int) -> Bool = { a, b in
                for compare in comparators {
                    let c = compare(a, b)
                    if c != 0 { return c < 0 }
                }
                return a < b
            }
            kept = combined.gathered(SortOperator.smallest(k, of: combined.count, by: precedes))
            if kept.count == k, let first = keys.first {
                threshold = SortOperator.encodedKeys(try first.kernel(kept.sliced(k - 1..<k)), descending: first.descending,
                                                     nullsFirst: first.nullsFirst)?.first
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

    /// Row indexes ordered by `keys` with a stable LSD radix sort (a byte per
    /// pass, skipping bytes all keys share); runs of equal keys are then
    /// ordered by `resolvingTies` when there are further sort keys.
    static func radixOrder(_ keys: [UInt64], resolvingTies precedes: ((Int, Int) -> Bool)?) -> [Int] {
        let n = keys.count
        var order = Array(0..<n)
        var keyed = keys
        var spareOrder = order
        var spareKeys = keyed
        var counts = [Int](repeating: 0, count: 256)
        for pass in 0..<8 {
            let shift = UInt64(pass * 8)
            for i in 0..<256 { counts[i] = 0 }
            for key in keyed { counts[Int((key >> shift) & 0xFF)] += 1 }
            if counts.contains(n) { continue }
            var total = 0
            for i in 0..<256 {
                let c = counts[i]
                counts[i] = total
                total += c
            }
            for i in 0..<n {
                let bucket = Int((keyed[i] >> shift) & 0xFF)
                let target = counts[bucket]
                counts[bucket] = target + 1
                spareKeys[target] = keyed[i]
                spareOrder[target] = order[i]
            }
            swap(&keyed, &spareKeys)
            swap(&order, &spareOrder)
        }
        guard let precedes else { return order }
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && keyed[end] == keyed[start] { end += 1 }
            if end - start > 1 { order[start..<end].sort(by: precedes) }
            start = end
        }
        return order
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

