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
        return DataChunk.concatenated([candidates, padded])
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

/// Equi-join through a hash table on the build side's keys.
final class HashJoinOperator: JoinOperatorBase, Operator {
    private let right: Operator
    private let leftKeys: [Kernel]
    private let rightKeys: [Kernel]
    private var table: KeyTable?
    /// Build rows grouped by key id: `first[id]` heads a chain through `nextRow`.
    private var first: [Int] = []
    private var nextRow: [Int] = []

    init(left: Operator, right: Operator, kind: JoinKind, leftKeys: [Kernel], rightKeys: [Kernel], keyTypes: [DataType],
         residual: Kernel?, leftTypes: [DataType], rightTypes: [DataType], context: ExecutionContext) {
        self.right = right
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        super.init(left: left, kind: kind, leftTypes: leftTypes, rightTypes: rightTypes, residual: residual, context: context)
        self.table = KeyTable(types: keyTypes)
    }

    /// Build rows hashed between two cancellation checks.
    static let buildSlice = 1 << 16

    private func buildTable() throws {
        let chunk = try right.materialize(types: rightTypes, context: context)
        build = chunk
        buildMatched = [Bool](repeating: false, count: chunk.count)
        guard let table else { return }
        let keys = try rightKeys.map { try $0(chunk) }
        // A slice at a time, so that Ctrl-C is noticed while a large build
        // side is hashed.
        var ids: [Int] = []
        ids.reserveCapacity(chunk.count)
        for start in stride(from: 0, to: chunk.count, by: HashJoinOperator.buildSlice) {
            let slice = start..<min(start + HashJoinOperator.buildSlice, chunk.count)
            ids += try table.insert(keys.map { $0.sliced(slice) }, count: slice.count).ids
            try context.cancellation.check()
        }
        first = [Int](repeating: -1, count: table.count)
        nextRow = [Int](repeating: -1, count: chunk.count)
        // Insert in reverse so each chain lists rows in their original order.
        for row in stride(from: chunk.count - 1, through: 0, by: -1) {
            if keys.contains(where: { $0.isNull(row) }) { continue }
            nextRow[row] = first[ids[row]]
            first[ids[row]] = row
        }
    }

    func next() throws -> DataChunk? {
        if build == nil { try buildTable() }
        while let probe = try left.next() {
            try context.cancellation.check()
            guard probe.count > 0, let table else { continue }
            let ids = table.lookup(try leftKeys.map { try $0(probe) }, count: probe.count)
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
            let result = try emit(probe: probe, pairs: (probeRows, buildRows), finalForProbe: true, probeMatched: &matched)
            if result.count > 0 { return result }
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
