// ASOF join: the right input is grouped by its equality keys and each group
// sorted by the inequality column (one radix sort of every row by key id and
// value code, where the value has codes); each left row then binary-searches its
// group for the nearest row that satisfies the inequality. O((L + R) log R),
// never a filtered cross product.

final class AsofJoinOperator: Operator {
    private let left: Operator
    private let right: Operator
    private let leftKeys: [Kernel], rightKeys: [Kernel]
    private let keyTypes: [DataType]
    private let leftValue: Kernel, rightValue: Kernel
    private let op: BinaryOperator
    private let keepsUnmatched: Bool
    private let leftTypes: [DataType], rightTypes: [DataType]
    private let context: ExecutionContext
    private var build: DataChunk?
    private var table: KeyTable?
    /// Per key id: the right rows with a non-NULL value, sorted by that value.
    private var groups: [[Int]] = []
    private var compareRight: SortOperator.RowComparator = { _, _ in 0 }
    private var rightValues: Vector?

    init(left: Operator, right: Operator, leftKeys: [Kernel], rightKeys: [Kernel], keyTypes: [DataType], leftValue: @escaping Kernel,
         rightValue: @escaping Kernel, op: BinaryOperator, keepsUnmatched: Bool, leftTypes: [DataType], rightTypes: [DataType],
         context: ExecutionContext) {
        self.left = left
        self.right = right
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.keyTypes = keyTypes
        self.leftValue = leftValue
        self.rightValue = rightValue
        self.op = op
        self.keepsUnmatched = keepsUnmatched
        self.leftTypes = leftTypes
        self.rightTypes = rightTypes
        self.context = context
    }

    private func prepare() throws {
        let chunk = try right.materialize(types: rightTypes, context: context)
        build = chunk
        let values = try rightValue(chunk)
        rightValues = values
        compareRight = SortOperator.comparator(values, descending: false, nullsFirst: false)
        let table = KeyTable(types: keyTypes)
        let keys = try rightKeys.map { try $0(chunk) }
        let ids = keyTypes.isEmpty ? [Int](repeating: 0, count: chunk.count) : try table.insert(keys, count: chunk.count).ids
        groups = Array(repeating: [], count: keyTypes.isEmpty ? 1 : table.count)
        let matchable = { (row: Int) in !values.isNull(row) && !keys.contains(where: { $0.isNull(row) }) }
        if let codes = SortOperator.encodedKeys(values, descending: false, nullsFirst: false) {
            // Every row ordered by (key id, value) in one radix sort, then dealt out to its group.
            let order = try RadixSort.order([ids.map { UInt64($0) }, codes], count: chunk.count,
                                            threads: context.threads(forRows: chunk.count), cancellation: context.cancellation)
            for row in order where matchable(row) { groups[ids[row]].append(row) }
        } else {
            let compare = compareRight
            for row in 0..<chunk.count where matchable(row) { groups[ids[row]].append(row) }
            for g in groups.indices { groups[g].sort { compare($0, $1) < 0 || (compare($0, $1) == 0 && $0 < $1) } }
        }
        self.table = table
    }

    func next() throws -> DataChunk? {
        if build == nil { try prepare() }
        guard let build, let table, let rightValues else { return nil }
        while let chunk = try left.next() {
            try context.cancellation.check()
            let values = try leftValue(chunk)
            let ids = keyTypes.isEmpty ? [Int](repeating: 0, count: chunk.count) : table.lookup(try leftKeys.map { try $0(chunk) }, count: chunk.count)
            var probeRows: [Int] = [], matches: [Int] = []
            for row in 0..<chunk.count where ids[row] >= 0 && !values.isNull(row) {
                let probe = values.value(at: row)
                if let match = nearest(probe, in: groups[ids[row]], values: rightValues) {
                    probeRows.append(row)
                    matches.append(match)
                }
            }
            var columns = chunk.columns.map { $0.gathered(keepsUnmatched ? Array(0..<chunk.count) : probeRows) }
            if keepsUnmatched {
                var matchOf = [Int](repeating: -1, count: chunk.count)
                for (row, match) in zip(probeRows, matches) { matchOf[row] = match }
                columns += build.columns.enumerated().map { i, column in
                    var builder = VectorBuilder(rightTypes[i], capacity: chunk.count)
                    for m in matchOf { if m < 0 { builder.appendNull() } else { builder.append(column.value(at: m)) } }
                    return builder.build()
                }
            } else {
                columns += build.columns.map { $0.gathered(matches) }
            }
            let count = keepsUnmatched ? chunk.count : probeRows.count
            if count > 0 { return DataChunk(columns: columns, count: count) }
        }
        return nil
    }

    /// The right row nearest to `probe` that satisfies `probe op right`.
    private func nearest(_ probe: Value, in rows: [Int], values: Vector) -> Int? {
        // First position whose value is > probe (or >= probe for strict ops).
        func firstPosition(after strict: Bool) -> Int {
            var low = 0, high = rows.count
            while low < high {
                let mid = (low + high) / 2
                let c = ValueOrder.compare(values.value(at: rows[mid]), probe)
                if strict ? c >= 0 : c > 0 { high = mid } else { low = mid + 1 }
            }
            return low
        }
        switch op {
        case .greaterEqual, .greater:
            // Largest right value <= probe (or < probe).
            let p = firstPosition(after: op == .greater)
            return p > 0 ? rows[p - 1] : nil
        default:
            // Smallest right value >= probe (or > probe).
            let p = firstPosition(after: op == .lessEqual)
            return p < rows.count ? rows[p] : nil
        }
    }
}
