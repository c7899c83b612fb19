// Joins. The right input is the build side: it is materialized once. A hash join
// matches on equality keys through a KeyTable; a nested-loop join handles cross
// joins and conditions without equality keys. Both evaluate any remaining
// condition on candidate pairs and emit NULL-padded rows for outer joins.

/// State shared by both join algorithms: the build side, the residual condition
/// and the bookkeeping for outer joins.
class JoinOperatorBase {
    let left: Operator
    let kind: JoinKind
    let leftTypes: [DataType]
    let rightTypes: [DataType]
    let residual: Kernel?
    let context: ExecutionContext
    var build: DataChunk?
    var buildMatched: [Bool] = []
    private var emittedUnmatchedBuild = false

    init(left: Operator, kind: JoinKind, leftTypes: [DataType], rightTypes: [DataType], residual: Kernel?, context: ExecutionContext) {
        self.left = left
        self.kind = kind
        self.leftTypes = leftTypes
        self.rightTypes = rightTypes
        self.residual = residual
        self.context = context
    }

    /// Joins candidate pairs (probe row, build row), keeps those passing the
    /// residual condition, marks matches, and appends unmatched probe rows for
    /// LEFT/FULL joins when `probeRows` covers the whole probe chunk.
    func emit(probe: DataChunk, pairs: (probe: [Int], build: [Int]), finalForProbe: Bool,
              probeMatched: inout [Bool]) throws -> DataChunk {
        guard let build else { return DataChunk(columns: [], count: 0) }
        var candidates = DataChunk(columns: probe.columns.map { $0.gathered(pairs.probe) }
                                   + build.columns.map { $0.gathered(pairs.build) }, count: pairs.probe.count)
        var keptProbe = pairs.probe, keptBuild = pairs.build
        if let residual, candidates.count > 0 {
            let selection = Logic.selection(Logic.trueRows(try residual(candidates)))
            if selection.count != candidates.count {
                candidates = candidates.gathered(selection)
                keptProbe = selection.map { pairs.probe[$0] }
                keptBuild = selection.map { pairs.build[$0] }
            }
        }
        for row in keptProbe { probeMatched[row] = true }
        if kind == .right || kind == .full { for row in keptBuild { buildMatched[row] = true } }
        guard finalForProbe, kind == .left || kind == .full else { return candidates }
        let unmatched = (0..<probe.count).filter { !probeMatched[$0] }
        guard !unmatched.isEmpty else { return candidates }
        let padded = DataChunk(columns: probe.columns.map { $0.gathered(unmatched) }
                               + rightTypes.map { Vector.nulls($0, count: unmatched.count) }, count: unmatched.count)
        var parts = [candidates, padded]
        return DataChunk.concatenate(&parts)
    }

    /// After the probe side ends: build rows never matched, NULL-padded on the
    /// left, for RIGHT and FULL joins.
    func unmatchedBuildRows() -> DataChunk? {
        guard kind == .right || kind == .full, !emittedUnmatchedBuild, let build else { return nil }
        emittedUnmatchedBuild = true
        let rows = (0..<build.count).filter { !buildMatched[$0] }
        guard !rows.isEmpty else { return nil }
        return DataChunk(columns: leftTypes.map { Vector.nulls($0, count: rows.count) } + build.columns.map { $0.gathered(rows) },
                         count: rows.count)
    }
}

/// Equi-join through a hash table on the build side's keys. A large build
/// side is split by a hash of its keys into one table per thread, built side
/// by side; a key's id is its partition's offset plus its id there. Probe
/// chunks are taken in batches whose chunks are matched on all threads at
/// once (when `parallelProbe`: an inner or left join whose keys and
/// condition read only their row), results kept in probe order.
final class HashJoinOperator: JoinOperatorBase, Operator {
    private let right: Operator
    private let leftKeys: [Kernel]
    private let rightKeys: [Kernel]
    private let keyTypes: [DataType]
    private let parallelProbe: Bool
    /// One table, or one per hash partition of the keys.
    private var tables: [KeyTable] = []
    /// The first id of each partition's keys.
    private var offsets: [Int] = []
    /// Build rows grouped by key id: `first[id]` heads a chain through `nextRow`.
    private var first: [Int] = []
    private var nextRow: [Int] = []
    /// Results of a batch of probe chunks not yet handed out, last first.
    private var ready: [DataChunk] = []

    init(left: Operator, right: Operator, kind: JoinKind, leftKeys: [Kernel], rightKeys: [Kernel], keyTypes: [DataType],
         residual: Kernel?, leftTypes: [DataType], rightTypes: [DataType], parallelProbe: Bool, context: ExecutionContext) {
        self.right = right
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.keyTypes = keyTypes
        self.parallelProbe = parallelProbe && (kind == .inner || kind == .left)
        super.init(left: left, kind: kind, leftTypes: leftTypes, rightTypes: rightTypes, residual: residual, context: context)
    }

    /// Build rows hashed between two cancellation checks.
    static let buildSlice = 1 << 16
    /// Build sides at least this large are partitioned across the threads.
    static let partitionedBuildRows = 1 << 17
    /// Probe rows matched per batch across the threads.
    static let probeBatchRows = 1 << 16

    private func buildTable() throws {
        let chunk = try right.materialize(types: rightTypes, context: context)
        build = chunk
        buildMatched = [Bool](repeating: false, count: chunk.count)
        let keys = try rightKeys.map { try $0(chunk) }
        let parts = chunk.count >= HashJoinOperator.partitionedBuildRows ? context.threads(forRows: chunk.count) : 1
        var ids = [Int](repeating: -1, count: chunk.count)
        if parts == 1 {
            tables = [try HashJoinOperator.table(keyTypes, keys, rows: nil, ids: &ids, context: context)]
            offsets = [0]
        } else {
            var rowsOf = [[Int]](repeating: [], count: parts)
            for (row, hash) in KeyRowEncoder.valueHashes(keys, rows: chunk.count).enumerated() {
                rowsOf[Int(hash % UInt64(parts))].append(row)
            }
            let (keyTypes, context) = (keyTypes, context)
            let built = try DeepStack.parallel(parts) { p -> (KeyTable, [Int]) in
                var local = [Int](repeating: -1, count: rowsOf[p].count)
                let table = try HashJoinOperator.table(keyTypes, keys, rows: rowsOf[p], ids: &local, context: context)
                return (table, local)
            }
            tables = built.map(\.0)
            offsets = tables.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
            for p in 0..<parts {
                for (k, row) in rowsOf[p].enumerated() { ids[row] = offsets[p] + built[p].1[k] }
            }
        }
        first = [Int](repeating: -1, count: offsets[offsets.count - 1] + tables[tables.count - 1].count)
        nextRow = [Int](repeating: -1, count: chunk.count)
        // Insert in reverse so each chain lists rows in their original order.
        for row in stride(from: chunk.count - 1, through: 0, by: -1) {
            if keys.contains(where: { $0.isNull(row) }) { continue }
            nextRow[row] = first[ids[row]]
            first[ids[row]] = row
        }
    }

    /// A table of the keys of `rows` (all rows when nil), each row's id in `ids`.
    private static func table(_ types: [DataType], _ keys: [Vector], rows: [Int]?, ids: inout [Int],
                              context: ExecutionContext) throws -> KeyTable {
        let table = KeyTable(types: types)
        let count = rows?.count ?? keys.first?.count ?? 0
        // A slice at a time, so that Ctrl-C is noticed while a large build
        // side is hashed.
        for start in stride(from: 0, to: count, by: HashJoinOperator.buildSlice) {
            let slice = start..<min(start + HashJoinOperator.buildSlice, count)
            let vectors = keys.map { key in rows.map { key.gathered(Array($0[slice])) } ?? key.sliced(slice) }
            let sliceIds = try table.insert(vectors, count: slice.count).ids
            for (k, id) in sliceIds.enumerated() { ids[slice.lowerBound + k] = id }
            try context.cancellation.check()
        }
        return table
    }

    /// Each probe row's key id, -1 where it has none.
    private func lookup(_ keys: [Vector], count: Int) -> [Int] {
        guard tables.count > 1 else { return tables.first?.lookup(keys, count: count) ?? [Int](repeating: -1, count: count) }
        var rowsOf = [[Int]](repeating: [], count: tables.count)
        for (row, hash) in KeyRowEncoder.valueHashes(keys, rows: count).enumerated() {
            rowsOf[Int(hash % UInt64(tables.count))].append(row)
        }
        var ids = [Int](repeating: -1, count: count)
        for (p, rows) in rowsOf.enumerated() where !rows.isEmpty {
            for (k, id) in tables[p].lookup(keys.map { $0.gathered(rows) }, count: rows.count).enumerated() where id >= 0 {
                ids[rows[k]] = offsets[p] + id
            }
        }
        return ids
    }

    /// The joined rows of one probe chunk.
    private func match(_ probe: DataChunk) throws -> DataChunk {
        let ids = lookup(try leftKeys.map { try $0(probe) }, count: probe.count)
        var probeRows: [Int] = [], buildRows: [Int] = []
        for row in 0..<probe.count where ids[row] >= 0 {
            var match = first[ids[row]]
            while match >= 0 {
                probeRows.append(row)
                buildRows.append(match)
                match = nextRow[match]
            }
        }
        var matched = [Bool](repeating: false, count: probe.count)
        return try emit(probe: probe, pairs: (probeRows, buildRows), finalForProbe: true, probeMatched: &matched)
    }

    func next() throws -> DataChunk? {
        if build == nil { try buildTable() }
        while true {
            if let result = ready.popLast() { return result }
            try context.cancellation.check()
            var batch: [DataChunk] = [], rows = 0
            let threads = parallelProbe ? context.settings.threads : 1
            while rows < (threads > 1 ? HashJoinOperator.probeBatchRows : 1), let probe = try left.next() {
                guard probe.count > 0 else { continue }
                batch.append(probe)
                rows += probe.count
            }
            if batch.isEmpty { break }
            let results: [DataChunk]
            if threads > 1 && batch.count > 1 {
                let shared = ThreadShared(self)
                let parts = min(threads, batch.count)
                results = try DeepStack.parallel(parts) { t in
                    try stride(from: t, to: batch.count, by: parts).map { (index: $0, chunk: try shared.value.match(batch[$0])) }
                }.flatMap { $0 }.sorted { $0.index < $1.index }.map(\.chunk)
            } else {
                results = try batch.map(match)
            }
            ready = results.filter { $0.count > 0 }.reversed()
        }
        return unmatchedBuildRows()
    }
}

/// Every pair of rows, filtered by the condition: cross joins and joins on
/// inequalities. Produces at most about one chunk of pairs per call, so a huge
/// cross join streams and can be cancelled.
final class NestedLoopJoinOperator: JoinOperatorBase, Operator {
    private let right: Operator
    private var probe: DataChunk?
    private var probeMatched: [Bool] = []
    private var probeRow = 0
    private var buildRow = 0

    init(left: Operator, right: Operator, kind: JoinKind, condition: Kernel?, leftTypes: [DataType], rightTypes: [DataType],
         context: ExecutionContext) {
        self.right = right
        super.init(left: left, kind: kind, leftTypes: leftTypes, rightTypes: rightTypes, residual: condition, context: context)
    }

    func next() throws -> DataChunk? {
        if build == nil {
            let chunk = try right.materialize(types: rightTypes, context: context)
            build = chunk
            buildMatched = [Bool](repeating: false, count: chunk.count)
        }
        let buildCount = build?.count ?? 0
        while true {
            try context.cancellation.check()
            if probe == nil {
                guard let chunk = try left.next() else { return unmatchedBuildRows() }
                probe = chunk
                probeMatched = [Bool](repeating: false, count: chunk.count)
                probeRow = 0
                buildRow = 0
            }
            guard let current = probe else { continue }
            var probeRows: [Int] = [], buildRows: [Int] = []
            while probeRow < current.count && probeRows.count < DataChunk.capacity && buildCount > 0 {
                let take = min(buildCount - buildRow, DataChunk.capacity - probeRows.count)
                probeRows.append(contentsOf: repeatElement(probeRow, count: take))
                buildRows.append(contentsOf: buildRow..<(buildRow + take))
                buildRow += take
                if buildRow == buildCount {
                    buildRow = 0
                    probeRow += 1
                }
            }
            let finished = buildCount == 0 || probeRow >= current.count
            let result = try emit(probe: current, pairs: (probeRows, buildRows), finalForProbe: finished, probeMatched: &probeMatched)
            if finished { probe = nil }
            if result.count > 0 { return result }
        }
    }
}
