// The first k rows of each window partition, for `row_number() OVER
// (PARTITION BY p ORDER BY o) <= k` (the "top k per group" question): rather
// than sorting every row, each row's partition gets a dense id (KeyTable) and
// every partition keeps its best k rows in a small sorted list, by the order
// keys' codes. A row ties with a kept row only on equal codes, and then the
// earlier row comes first, as in the full (stable) sort, so the row numbers
// are the ones the full window would give. Ahead of the window,
// PartitionCandidates streams the input and keeps only rows that can be among
// those k, so the window materializes and numbers only them.

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

/// Ahead of such a window, the rows that can be among their partition's first
/// k, found while the input streams (each input of a split scan on its own
/// thread) instead of materializing every row: per partition, the best k rows
/// seen so far in that input, by codes that compare across chunks (order keys
/// of numbers, dates and timestamps). A row that enters is kept; one pushed
/// out later stays in the store but is not passed on. The window then numbers
/// the candidates, which hold every partition's true first k in input order.
final class PartitionCandidates: Operator {
    private let inputs: [Operator]
    private let types: [DataType]
    private let partitionKernels: [Kernel]
    private let partitionTypes: [DataType]
    private let orderKernels: [(kernel: Kernel, descending: Bool, nullsFirst: Bool)]
    private let k: Int
    private let context: ExecutionContext
    private var output: [ChunkCursor]?

    /// Whether order keys of these types have codes that compare across chunks.
    static func handles(_ orderTypes: [DataType]) -> Bool {
        orderTypes.allSatisfy { [.bigint, .double, .date, .timestamp].contains($0) }
    }

    init(inputs: [Operator], types: [DataType], partitions: [BoundExpr], order: [BoundOrder], k: Int,
         compiler: ExpressionCompiler) throws {
        self.inputs = inputs
        self.types = types
        self.partitionKernels = try partitions.map(compiler.compile)
        self.partitionTypes = partitions.map(\.type)
        self.orderKernels = try order.map { (try compiler.compile($0.expression), $0.descending, $0.nullsFirst) }
        self.k = k
        self.context = compiler.context
    }

    func next() throws -> DataChunk? {
        if output == nil {
            let shared = ThreadShared(self)
            let parts = inputs.count == 1 ? [try candidates(inputs[0])]
                : try DeepStack.parallel(inputs.count) { try shared.value.candidates(shared.value.inputs[$0]) }
            output = parts.reversed().map(ChunkCursor.init)
        }
        while let last = output?.indices.last {
            if let chunk = output?[last].next() { return chunk }
            output?.removeLast()
        }
        return nil
    }

    /// Two codes per order key for each row: the value's (NULL as the
    /// smallest or largest), then the NULL placement, which decides only
    /// between a NULL and a value of the same code.
    private func codes(_ chunk: DataChunk) throws -> [[UInt64]] {
        var codes: [[UInt64]] = []
        for key in orderKernels {
            let vector = try key.kernel(chunk)
            guard let values = SortOperator.encodedKeys(vector, descending: key.descending, nullsFirst: key.nullsFirst) else {
                throw MinerQLError.internal("order key without codes")
            }
            codes.append(values)
            codes.append((0..<chunk.count).map { vector.isNull($0) == key.nullsFirst ? 0 : 1 })
        }
        return codes
    }

    /// One input's candidates, in input order.
    private func candidates(_ input: Operator) throws -> DataChunk {
        let table = KeyTable(types: partitionTypes)
        let width = orderKernels.count * 2
        var store = types.map { VectorBuilder($0) }
        var stored = 0
        // One block of words per partition, so that a row reads one place:
        // how many rows it keeps, then each kept row (best first) as its
        // codes and its place in the store.
        let slot = width + 1, block = 1 + k * slot
        var blocks: [UInt64] = []
        var groups = 0
        while let chunk = try input.next() {
            try context.cancellation.check()
            guard chunk.count > 0 else { continue }
            let ids = partitionKernels.isEmpty ? [Int](repeating: 0, count: chunk.count)
                : try table.insert(try partitionKernels.map { try $0(chunk) }, count: chunk.count).ids
            let seen = partitionKernels.isEmpty ? 1 : table.count
            if seen > groups {
                let (words, overflow) = seen.multipliedReportingOverflow(by: block)
                if overflow { throw MinerQLError(.outOfMemory, "could not allocate room for \(seen) partitions of \(k) rows") }
                if words - blocks.count >= 1 << 20 { try MemoryLimit.checkRoom(for: (words - blocks.count) * 8) }
                blocks += repeatElement(0, count: words - blocks.count)
                groups = seen
            }
            let codes = try self.codes(chunk)
            var entering: [Int] = []
            blocks.withUnsafeMutableBufferPointer { blocks in
                /// Row `row` (to be stored at `at`) comes before the row kept at word `j`.
                func before(_ row: Int, _ at: UInt64, _ j: Int) -> Bool {
                    for c in 0..<width where codes[c][row] != blocks[j + c] { return codes[c][row] < blocks[j + c] }
                    return at < blocks[j + width]
                }
                for row in 0..<chunk.count {
                    let base = ids[row] * block, at = UInt64(stored + entering.count)
                    var size = Int(blocks[base])
                    if size == k {
                        guard before(row, at, base + 1 + (k - 1) * slot) else { continue }
                        size -= 1
                    }
                    var i = base + 1 + size * slot
                    while i > base + 1 && before(row, at, i - slot) {
                        for w in 0..<slot { blocks[i + w] = blocks[i - slot + w] }
                        i -= slot
                    }
                    for c in 0..<width { blocks[i + c] = codes[c][row] }
                    blocks[i + width] = at
                    blocks[base] = UInt64(size + 1)
                    entering.append(row)
                }
            }
            if !entering.isEmpty {
                for (c, column) in chunk.columns.enumerated() { store[c].append(column.gathered(entering)) }
                stored += entering.count
            }
        }
        var survivors: [Int] = []
        for g in 0..<groups {
            let base = g * block
            for i in 0..<Int(blocks[base]) { survivors.append(Int(blocks[base + 1 + i * slot + width])) }
        }
        survivors.sort()
        let all = DataChunk(columns: store.map { $0.build() }, count: stored)
        return all.gathered(survivors)
    }
}
