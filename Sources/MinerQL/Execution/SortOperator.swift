// Sort: materializes the input, computes the key columns once, turns each key
// into order-preserving 64-bit codes (strings by rank) and orders row indexes
// on them (RadixSort, on every core); keys without codes (INTERVAL) fall back
// to comparators specialised per type.
// Under a LIMIT (top-k) it streams: candidates collect in a buffer that is
// sorted and cut back to k whenever it holds twice k, so a small k costs one
// pass and a large k (half the table) about one sort.

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
        case .interval(let v): return wrap { v[$0] < v[$1] ? -1 : (v[$1] < v[$0] ? 1 : 0) }
        case .varchar(let v): return wrap { a, b in v.withReader { $0.compare(a, $0, b) } }
        case .boolean(let v): return wrap { v[$0] == v[$1] ? 0 : (v[$0] ? 1 : -1) }
        case .null: return { _, _ in 0 }
        }
    }

    private func sortAll() throws -> DataChunk {
        if let topK {
            guard inputs.count > 1 else { return try streamTopK(topK, of: inputs[0], threads: 1) }
            // Each part's best k, in part (input) order, then the best k of those.
            let shared = ThreadShared(self)
            let best = try DeepStack.parallel(inputs.count) {
                try shared.value.streamTopK(topK, of: shared.value.inputs[$0], threads: 1)
            }
            return try streamTopK(topK, of: ChunkList(best), threads: inputs.count)
        }
        let input = inputs.count == 1 ? inputs[0] : ConcatOperator(inputs: inputs)
        let all = try input.materialize(types: types, context: context)
        let threads = context.threads(forRows: all.count)
        return try all.gathered(try order(all, threads: threads), threads: threads)
    }

    /// The rows of `all` in key order: a radix sort of the keys' codes, or for
    /// a key without codes (INTERVAL) a comparison sort. Ties keep input order.
    private func order(_ all: DataChunk, threads: Int) throws -> [Int] {
        let keyVectors = try keys.map { try $0.kernel(all) }
        try context.cancellation.check()
        let sortKeys = zip(keys, keyVectors).map { (vector: $1, descending: $0.descending, nullsFirst: $0.nullsFirst) }
        guard let codes = try SortOperator.sortCodes(sortKeys, threads: threads, cancellation: context.cancellation) else {
            let comparators = zip(keys, keyVectors).map { key, vector in
                SortOperator.comparator(vector, descending: key.descending, nullsFirst: key.nullsFirst)
            }
            var order = Array(0..<all.count)
            order.sort(by: SortOperator.precedes(comparators))
            return order
        }
        return try RadixSort.order(codes, count: all.count, threads: threads, cancellation: context.cancellation)
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
    /// in order, then the candidates that followed, are held in a buffer; at
    /// twice k (and at the end) it is sorted and cut back to k. Rows kept come
    /// before later ones and the sort is stable, so ties keep input order.
    /// Once k rows are kept, a row whose first key encodes above the k-th's
    /// cannot enter and is dropped before it is copied (by the scan itself,
    /// through its bound, when the input is a table scan).
    private func streamTopK(_ k: Int, of input: Operator, threads: Int) throws -> DataChunk {
        guard k > 0 else { return DataChunk(columns: types.map(Vector.empty), count: 0) }
        let capacity = max(2 * k, k + DataChunk.capacity)
        var buffer = types.map { VectorBuilder($0) }
        var buffered = 0
        var threshold: UInt64?
        let bound = (input as? ScanOperator)?.bound
        func cut() throws -> DataChunk {
            let all = DataChunk(columns: buffer.map { $0.build() }, count: buffered)
            let kept = all.gathered(Array(try order(all, threads: threads).prefix(k)))
            if kept.count == k, let first = keys.first {
                threshold = SortOperator.encodedKeys(try first.kernel(kept.sliced(k - 1..<k)), descending: first.descending,
                                                     nullsFirst: first.nullsFirst)?.first
                bound?.threshold = threshold
            }
            return kept
        }
        while var chunk = try input.next() {
            try context.cancellation.check()
            if bound == nil, let threshold, let first = keys.first,
               let codes = SortOperator.encodedKeys(try first.kernel(chunk), descending: first.descending, nullsFirst: first.nullsFirst) {
                let candidates = codes.indices.filter { codes[$0] <= threshold }
                if candidates.count < chunk.count { chunk = chunk.gathered(candidates) }
            }
            guard chunk.count > 0 else { continue }
            for (c, column) in chunk.columns.enumerated() { buffer[c].append(column) }
            buffered += chunk.count
            if buffered >= capacity {
                let kept = try cut()
                buffer = types.map { VectorBuilder($0, capacity: capacity) }
                for (c, column) in kept.columns.enumerated() { buffer[c].append(column) }
                buffered = kept.count
            }
        }
        return try cut()
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
        case .double(let v): encoded = v.map(ValueOrder.orderCode)
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
        guard codeArrayCount(vector) == 2 else { return [values] }
        let null: UInt64 = nullsFirst ? 0 : 1
        return [(0..<vector.count).map { vector.isNull($0) ? null : 1 - null }, values]
    }

    /// How many code arrays `sortCodes` gives a vector: a NULL-placement
    /// array before the values when it has NULLs.
    static func codeArrayCount(_ vector: Vector) -> Int { vector.mayHaveNulls ? 2 : 1 }

    /// The codes of several keys, most significant first, each key's worked
    /// out on a thread of its own when `threads` allows; nil when a key has
    /// none.
    static func sortCodes(_ keys: [(vector: Vector, descending: Bool, nullsFirst: Bool)], threads: Int,
                          cancellation: Cancellation) throws -> [[UInt64]]? {
        func codes(_ key: Int) throws -> [[UInt64]]? {
            try sortCodes(keys[key].vector, descending: keys[key].descending, nullsFirst: keys[key].nullsFirst,
                          cancellation: cancellation)
        }
        let perKey = threads > 1 && keys.count > 1 ? try DeepStack.parallel(keys.count, codes) : try keys.indices.map(codes)
        var all: [[UInt64]] = []
        for keyCodes in perKey {
            guard let keyCodes else { return nil }
            all += keyCodes
        }
        try cancellation.check()
        return all
    }

    /// Each string's position among the distinct strings in UTF-8 byte order.
    static func stringRanks(_ strings: StringVector, cancellation: Cancellation) throws -> [UInt64] {
        var ids = KeyMap<StringVector>()
        // Each row's string id, then (in place) its rank; a row whose short
        // string repeats the previous row's (clustered data) skips the lookup.
        var codes = [UInt64](repeating: 0, count: strings.count)
        try strings.withReader { strings in
            for row in 0..<strings.count {
                if row & 0xFFFF == 0 { try cancellation.check() }
                if row > 0 && strings.repeatsPrevious(row) {
                    codes[row] = codes[row - 1]
                    continue
                }
                codes[row] = UInt64(ids.value(strings, row, inserting: ids.count) ?? ids.count - 1)
            }
        }
        let distinct = ids.keysInInsertionOrder
        var rankOfID = [UInt64](repeating: 0, count: distinct.count)
        distinct.withReader { distinct in
            let order = (0..<distinct.count).sorted { distinct.compare($0, distinct, $1) < 0 }
            for (rank, id) in order.enumerated() { rankOfID[id] = UInt64(rank) }
        }
        for row in codes.indices { codes[row] = rankOfID[Int(codes[row])] }
        return codes
    }
}

/// Chunks already computed, replayed in order.
private final class ChunkList: Operator {
    private var chunks: [DataChunk]
    init(_ chunks: [DataChunk]) { self.chunks = chunks.reversed() }
    func next() throws -> DataChunk? { chunks.popLast() }
}

