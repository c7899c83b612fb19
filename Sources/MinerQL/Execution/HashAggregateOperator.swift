// Hash aggregation: each input chunk's group keys are mapped to dense group ids
// through a typed KeyTable, then every aggregate state folds in the chunk at once.
// Given several inputs (a table's rows split by the planner), each is
// aggregated on its own thread into a table of its own. The groups are then
// split by a hash of their key values into one partition per thread, and each
// thread merges its partition of every table into a table of its own, without
// locks; the partitions' groups follow one another in the output. A thread
// whose rows turn out mostly distinct (nearly one group per row: aggregating
// them locally saves nothing, and merging would do the work twice) stops
// aggregating and hands each further row straight to its partition, whose
// thread aggregates those rows after the merge.
// Output: the group key columns, then one column per aggregate.

final class HashAggregateOperator: WholeResultOperator {
    private let inputs: [Operator]
    private let groupKernels: [Kernel]
    private let groupTypes: [DataType]
    private let aggregates: [BoundAggregate]
    private let argumentKernels: [Kernel?]
    private let filterKernels: [Kernel?]
    private let secondKernels: [Kernel?]
    private let orderKernels: [[Kernel]]
    private let context: ExecutionContext
    /// The result's parts (one per partition), last first.
    private var output: [ChunkCursor]?

    /// Several inputs only for aggregates whose states merge (`BoundAggregate.merges`).
    init(inputs: [Operator], groups: [BoundExpr], aggregates: [BoundAggregate], compiler: ExpressionCompiler) throws {
        self.inputs = inputs
        self.groupKernels = try groups.map(compiler.compile)
        self.groupTypes = groups.map(\.type)
        self.aggregates = aggregates
        self.argumentKernels = try aggregates.map { try $0.argument.map(compiler.compile) }
        self.filterKernels = try aggregates.map { try $0.filter.map(compiler.compile) }
        self.secondKernels = try aggregates.map { try $0.secondArgument.map(compiler.compile) }
        self.orderKernels = try aggregates.map { try $0.orderBy.map { try compiler.compile($0.expression) } }
        self.context = compiler.context
    }

    func next() throws -> DataChunk? {
        var cursors = try output ?? aggregateAll().reversed().map(ChunkCursor.init)
        defer { output = cursors }
        while let last = cursors.indices.last {
            if let chunk = cursors[last].next() { return chunk }
            cursors.removeLast()
        }
        return nil
    }

    /// The rest of the result as one chunk: a statement ending in the
    /// aggregate (CREATE TABLE … AS) takes the groups without cutting them
    /// into chunks first.
    func wholeResult() throws -> DataChunk {
        var cursors = try output ?? aggregateAll().reversed().map(ChunkCursor.init)
        output = []
        var parts = cursors.indices.reversed().map { cursors[$0].remaining() }
        cursors.removeAll()
        return DataChunk.concatenate(&parts)
    }

    /// The result, in parts that follow one another.
    private func aggregateAll() throws -> [DataChunk] {
        if inputs.count == 1 {
            let table = try GroupTable(self)
            while let chunk = try inputs[0].next() {
                try context.cancellation.check()
                try table.add(chunk)
            }
            return [table.result()]
        }
        let parts = inputs.count
        let operators = ThreadShared(self)
        let locals = try DeepStack.parallel(inputs.count) { try operators.value.aggregateLocally(operators.value.inputs[$0], parts: parts) }
        let groups = locals.reduce(0) { $0 + $1.table.groupCount }
        let passed = locals.contains { $0.passed.contains { !$0.isEmpty } }
        guard !groupTypes.isEmpty, groups >= HashAggregateOperator.groupsPerMergeThread || passed else {
            let table = try GroupTable(self)
            for local in locals { try table.merge(local.table, rows: nil) }
            return [table.result()]
        }
        let partitions = try DeepStack.parallel(locals.count) { l in
            let table = locals[l].table
            return KeyRowEncoder.valueHashes(table.keyColumns, rows: table.groupCount).map { Int($0 % UInt64(parts)) }
        }
        return try DeepStack.parallel(parts) { part -> DataChunk in
            // At most every passed row and merged group is a group of its own.
            let most = locals.indices.reduce(0) { total, l in
                total + locals[l].passed[part].reduce(0) { $0 + $1.rows.count } + partitions[l].lazy.filter { $0 == part }.count
            }
            let table = try GroupTable(operators.value, room: most)
            for (l, local) in locals.enumerated() {
                try operators.value.context.cancellation.check()
                try table.merge(local.table, rows: (0..<local.table.groupCount).filter { partitions[l][$0] == part })
            }
            for local in locals {
                for share in local.passed[part] {
                    try operators.value.context.cancellation.check()
                    if let chunk = share.chunk {
                        try table.add(chunk.gathered(share.rows.map(Int.init)))
                    } else {
                        let rows = share.rows.map { share.start + Int($0) }
                        try table.add(DataChunk(columns: local.scanned.map { $0.gathered(rows) }, count: rows.count))
                    }
                }
            }
            return table.result()
        }
    }

    /// Below this many groups in all the threads' tables the merge runs on one thread.
    static let groupsPerMergeThread = 4_096
    /// Rows a thread aggregates before it judges whether its rows repeat keys.
    static let rowsBeforePassingOn = 1 << 17

    /// One input aggregated into a table of its own, until its rows prove
    /// mostly distinct (after the first rows, nine in ten rows of a chunk
    /// still start a group: the keys are many more than the rows so far);
    /// from then on its rows are passed on, split by partition
    /// (`passed[part]`), unaggregated: each partition's rows of a chunk by
    /// their offsets in it, the chunk kept once for all of them, or not at
    /// all when it is rows of a table's scan as they are (`scanned`, the
    /// scan's columns: the rows are then read from the table's storage).
    private func aggregateLocally(_ input: Operator, parts: Int) throws
        -> (table: GroupTable, passed: [[PassedRows]], scanned: [Vector]) {
        let table = try GroupTable(self)
        let scan = input as? ScanOperator
        var passed = [[PassedRows]](repeating: [], count: parts)
        var rows = 0
        var passing = false
        while let chunk = try input.next() {
            try context.cancellation.check()
            guard passing else {
                let fresh = try table.add(chunk)
                rows += chunk.count
                passing = !groupKernels.isEmpty && rows >= HashAggregateOperator.rowsBeforePassingOn
                    && fresh * 10 > chunk.count * 9
                continue
            }
            let keyVectors = try groupKernels.map { try $0(chunk) }
            var shares = [[UInt32]](repeating: [], count: parts)
            for (row, hash) in KeyRowEncoder.valueHashes(keyVectors, rows: chunk.count).enumerated() {
                shares[Int(hash % UInt64(parts))].append(UInt32(row))
            }
            let start = scan?.lastChunkStart
            for (part, share) in shares.enumerated() where !share.isEmpty {
                passed[part].append(PassedRows(chunk: start == nil ? chunk : nil, start: start ?? 0, rows: share))
            }
        }
        return (table, passed, scan?.scannedColumns ?? [])
    }

    /// Rows of a chunk passed on to a partition: offsets into `chunk`, or
    /// into the scanned table's rows from `start` when `chunk` is nil.
    private struct PassedRows {
        let chunk: DataChunk?
        let start: Int
        let rows: [UInt32]
    }

    /// Groups and their states, as one thread builds them. The key table
    /// gives back the groups' keys; only a column it keeps normalized
    /// (KeyTable.decodes) is kept here as well, as first seen.
    private final class GroupTable {
        private let owner: HashAggregateOperator
        private var keys: KeyTable
        /// For each key column the key table does not give back, its keys by group.
        private var keyBuilders: [VectorBuilder?]
        let states: [AggregateState]
        /// The key columns, once `result` or `keyColumns` has built them.
        private var builtKeys: [Vector]?

        /// `room`: the groups to make room for at once (a hint).
        init(_ owner: HashAggregateOperator, room: Int = 0) throws {
            self.owner = owner
            keys = KeyTable(types: owner.groupTypes)
            try keys.reserve(room)
            keyBuilders = owner.groupTypes.indices.map { [keys] c in
                keys.decodes(c) ? nil : VectorBuilder(owner.groupTypes[c], capacity: room)
            }
            states = owner.aggregates.map(AggregateStates.make)
            for state in states { state.reserve(room) }
        }

        /// An ungrouped aggregate has one group, even over no rows (count = 0).
        var groupCount: Int { owner.groupTypes.isEmpty ? 1 : keys.count }

        /// The group key columns, one row per group.
        var keyColumns: [Vector] {
            if let builtKeys { return builtKeys }
            let decoded = keys.keyColumns()
            let built = keyBuilders.indices.map { c in keyBuilders[c]?.build() ?? decoded[c] ?? Vector.empty(owner.groupTypes[c]) }
            builtKeys = built
            return built
        }

        /// Folds in one input chunk; returns how many of its rows started a group.
        @discardableResult
        func add(_ chunk: DataChunk) throws -> Int {
            guard chunk.count > 0 else { return 0 }
            var fresh = 0
            let ids: [Int]
            if owner.groupKernels.isEmpty {
                ids = [Int](repeating: 0, count: chunk.count)
            } else {
                let keyVectors = try owner.groupKernels.map { try $0(chunk) }
                let (groupIds, newRows) = try keys.insert(keyVectors, count: chunk.count)
                ids = groupIds
                fresh = newRows.count
                if !newRows.isEmpty {
                    builtKeys = nil
                    appendKeys(keyVectors, newRows)
                }
            }
            let rows = chunk.count == GroupTable.fullChunkRows.count ? GroupTable.fullChunkRows : Array(0..<chunk.count)
            for (i, state) in states.enumerated() {
                state.resize(groupCount)
                var selected = rows
                if let filter = owner.filterKernels[i] {
                    let keep = Logic.trueRows(try filter(chunk))
                    selected = rows.filter { keep[$0] }
                }
                let argument = try owner.argumentKernels[i]?(chunk), second = try owner.secondKernels[i]?(chunk)
                if let ordered = state as? StringAggState, !owner.orderKernels[i].isEmpty {
                    try ordered.update(ids, argument, second, keys: try owner.orderKernels[i].map { try $0(chunk) }, rows: selected)
                } else {
                    try state.update(ids, argument, second, rows: selected)
                }
            }
            return fresh
        }

        /// Keeps the new groups' keys the key table does not give back.
        private func appendKeys(_ keyVectors: [Vector], _ newRows: [Int]) {
            for c in keyBuilders.indices where keyBuilders[c] != nil { keyBuilders[c]?.append(keyVectors[c].gathered(newRows)) }
        }

        /// Every row of a full chunk, made once.
        private static let fullChunkRows = Array(0..<DataChunk.capacity)

        /// Folds in the groups `rows` of another thread's table (all of them
        /// when nil), merging their states into this table's.
        func merge(_ other: GroupTable, rows: [Int]?) throws {
            // Groups outside `rows` map to -1, which a merge leaves out.
            var map = [Int](repeating: owner.groupTypes.isEmpty ? 0 : -1, count: other.groupCount)
            if !owner.groupTypes.isEmpty {
                builtKeys = nil
                let keyVectors = rows.map { rows in other.keyColumns.map { $0.gathered(rows) } } ?? other.keyColumns
                let (ids, newRows) = try keys.insert(keyVectors, count: rows?.count ?? other.groupCount)
                appendKeys(keyVectors, newRows)
                for (k, id) in ids.enumerated() { map[rows?[k] ?? k] = id }
            }
            for (state, partial) in zip(states, other.states) {
                state.resize(groupCount)
                partial.resize(other.groupCount)
                guard let mergeable = state as? MergeableState else { throw MinerQLError.internal("aggregate state does not merge") }
                try mergeable.merge(partial, groups: map)
            }
        }

        /// The key columns, then one column per aggregate.
        /// Spends the table: once the key columns are built, its key table is
        /// let go before the states are finalized (the maps of millions of
        /// groups need not live beside the result).
        func result() -> DataChunk {
            let groups = groupCount
            for state in states { state.resize(groups) }
            let keyVectors = keyColumns
            keys = KeyTable(types: owner.groupTypes)
            return DataChunk(columns: keyVectors + states.map { $0.finalize() }, count: groups)
        }
    }
}
