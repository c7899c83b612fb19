// Chooses an algorithm for each logical operator and compiles its expressions:
// equality conditions of a join become hash-join keys, everything else a
// residual condition or a nested-loop join.

struct PhysicalPlanner {
    let context: ExecutionContext

    private var compiler: ExpressionCompiler { ExpressionCompiler(context: context) }

    func plan(_ plan: LogicalPlan) throws -> Operator {
        switch plan {
        case .scan(let name, _):
            guard let table = context.catalog.table(name) else {
                throw MinerQLError(.catalog, "Table with name \(name) does not exist!")
            }
            return ScanOperator(table: table, context: context)
        case .inline(let inline):
            return ScanOperator(table: inline.table, context: context)
        case .series(let series):
            return SeriesOperator(series, cancellation: context.cancellation)
        case .values(let rows, let types):
            return ValuesOperator(rows: try rows.map { try $0.map(compiler.compile) }, types: types)
        case .filter(let input, let predicate):
            if let limited = try windowUnderRowNumberLimit(input, predicate) {
                return FilterOperator(input: limited, predicate: try compiler.compile(predicate))
            }
            return FilterOperator(input: try self.plan(input), predicate: try compiler.compile(predicate))
        case .project(let input, let expressions):
            if let (steps, table) = scanChain(plan) { return try scan(table, rows: nil, under: steps) }
            // Every column in its place: the input as it is (a blocking input
            // then still hands over its whole result).
            if expressions.count == input.types.count,
               expressions.enumerated().allSatisfy({ $0.element == .column($0.offset, input.types[$0.offset]) }) {
                return try self.plan(input)
            }
            return ProjectOperator(input: try self.plan(input), expressions: try expressions.map(compiler.compile))
        case .aggregate(let input, let groups, let aggregates):
            if let rewritten = PhysicalPlanner.distinctCountInTwoSteps(input, groups, aggregates) { return try self.plan(rewritten) }
            let splittable = aggregates.allSatisfy { aggregate in
                aggregate.merges && [aggregate.argument, aggregate.filter].allSatisfy { $0?.readsOnlyItsRow ?? true }
            } && groups.allSatisfy(\.readsOnlyItsRow)
            return try HashAggregateOperator(inputs: splittable ? try parallelPlans(input) : [try self.plan(input)],
                                             groups: groups, aggregates: aggregates, compiler: compiler)
        case .distinct(let input):
            let groups = input.types.enumerated().map { BoundExpr.column($0.offset, $0.element) }
            return try HashAggregateOperator(inputs: [try self.plan(input)], groups: groups, aggregates: [], compiler: compiler)
        case .asofJoin(let join):
            return AsofJoinOperator(left: try self.plan(join.left), right: try self.plan(join.right),
                                    leftKeys: try join.leftKeys.map(compiler.compile), rightKeys: try join.rightKeys.map(compiler.compile),
                                    keyTypes: join.leftKeys.map(\.type), leftValue: try compiler.compile(join.leftValue),
                                    rightValue: try compiler.compile(join.rightValue), op: join.op, keepsUnmatched: join.keepsUnmatched,
                                    leftTypes: join.left.types, rightTypes: join.right.types, context: context)
        case .window(let input, let windows):
            return try WindowOperator(input: try self.plan(input), types: input.types, windows: windows, compiler: compiler)
        case .sort(let input, let keys):
            return try SortOperator(inputs: [try self.plan(input)], keys: keys, types: input.types, compiler: compiler)
        case .limit(.sort(let input, let keys), let limit?, let offset) where limit <= 1_000_000 - offset:
            // ORDER BY … LIMIT: the sort keeps only the rows the limit can return.
            if let late = try lateTopK(input, keys: keys, k: limit + offset) {
                return LimitOperator(input: late, limit: limit, offset: offset)
            }
            let inputs = keys.allSatisfy({ $0.expression.readsOnlyItsRow }) ? try parallelPlans(input) : [try self.plan(input)]
            let sort = try SortOperator(inputs: inputs, keys: keys, types: input.types, compiler: compiler, topK: limit + offset)
            return LimitOperator(input: sort, limit: limit, offset: offset)
        case .limit(.project(let input, let expressions), let limit, let offset)
            where expressions.allSatisfy(\.readsOnlyItsRow):
            // A LIMIT over a projection (pipe syntax's |> SELECT … |> LIMIT) limits
            // first, so an ORDER BY below still becomes a top-k.
            return ProjectOperator(input: try self.plan(.limit(input, limit: limit, offset: offset)),
                                   expressions: try expressions.map(compiler.compile))
        case .limit(let input, let limit, let offset):
            return LimitOperator(input: try self.plan(input), limit: limit, offset: offset)
        case .join(let left, let right, let kind, let condition):
            return try planJoin(left, right, kind, condition)
        case .setOperation(let op, let all, let left, let right):
            let types = left.types
            if op == .union {
                let both = ConcatOperator(inputs: [try self.plan(left), try self.plan(right)])
                if all { return both }
                let groups = types.enumerated().map { BoundExpr.column($0.offset, $0.element) }
                return try HashAggregateOperator(inputs: [both], groups: groups, aggregates: [], compiler: compiler)
            }
            return SetOperationOperator(left: try self.plan(left), right: try self.plan(right), types: types,
                                        intersect: op == .intersect, all: all, context: context)
        case .recursiveCTE(let id, let anchor, let step, let all):
            return RecursiveCTEOperator(id: id, anchor: anchor, step: step, all: all, context: context)
        case .workingTable(let id, _):
            guard let rows = context.workingTables[id] else {
                throw MinerQLError.internal("recursive CTE \(id) has no working table")
            }
            return ScanOperator(table: Table(name: "recursive", schema: [], columns: rows.columns), context: context)
        case .cte(let reference):
            let rows = try context.sharedRows(of: reference)
            return ScanOperator(table: Table(name: "cte", schema: [], columns: rows.columns), context: context)
        }
    }

    /// `count(DISTINCT x) … GROUP BY g` (only such counts, of one x, no FILTER)
    /// as two plain aggregations: the distinct (g, x) pairs, then count(x) per
    /// g — which, unlike a DISTINCT state, splits across threads.
    static func distinctCountInTwoSteps(_ input: LogicalPlan, _ groups: [BoundExpr],
                                        _ aggregates: [BoundAggregate]) -> LogicalPlan? {
        guard let first = aggregates.first, let argument = first.argument,
              aggregates.allSatisfy({ $0.function == .count && $0.distinct && $0.filter == nil && $0.argument == argument })
        else { return nil }
        let pairs = LogicalPlan.aggregate(input, groups: groups + [argument], aggregates: [])
        let count = BoundAggregate(function: .count, argument: .column(groups.count, argument.type), distinct: false, type: .bigint)
        let outerGroups = groups.enumerated().map { BoundExpr.column($0.offset, $0.element.type) }
        return .aggregate(pairs, groups: outerGroups, aggregates: Array(repeating: count, count: aggregates.count))
    }


    /// One copy of `plan` per thread, each scanning its own share of the rows,
    /// when `plan` is filters, projections and inner or left joins to much
    /// smaller tables (each thread builds its own hash table of those) over a
    /// big enough table, and reads nothing but its rows; else the plan once.
    private func parallelPlans(_ plan: LogicalPlan) throws -> [Operator] {
        var steps: [LogicalPlan] = []
        var node = plan
        var table: Table?
        while table == nil {
            switch node {
            case .filter(let input, let condition) where condition.readsOnlyItsRow:
                steps.append(node)
                node = input
            case .project(let input, let expressions) where expressions.allSatisfy(\.readsOnlyItsRow):
                steps.append(node)
                node = input
            case .join(let left, _, let kind, let condition)
                where (kind == .inner || kind == .left) && (condition?.readsOnlyItsRow ?? false):
                steps.append(node)
                node = left
            case .scan(let name, _):
                table = context.catalog.table(name)
                if table == nil { return [try self.plan(plan)] }
            case .inline(let inline):
                table = inline.table
            default:
                return [try self.plan(plan)]
            }
        }
        guard let table else { return [try self.plan(plan)] }
        // Each thread rebuilds the joined tables: only worth it when they are small.
        for case .join(_, let right, _, _) in steps {
            guard let rows = estimatedRows(right), rows * 8 <= table.rowCount else { return [try self.plan(plan)] }
        }
        let threads = context.threads(forRows: table.rowCount)
        guard threads > 1 else { return [try self.plan(plan)] }
        let chain = scanChain(plan)?.steps
        return try (0..<threads).map { k in
            let rows = DeepStack.share(k, of: table.rowCount, among: threads)
            if let chain { return try scan(table, rows: rows, under: chain) }
            var op: Operator = ScanOperator(table: table, rows: rows, context: context)
            for step in steps.reversed() {
                switch step {
                case .filter(_, let condition): op = FilterOperator(input: op, predicate: try compiler.compile(condition))
                case .project(_, let expressions): op = ProjectOperator(input: op, expressions: try expressions.map(compiler.compile))
                case .join(let left, let right, let kind, let condition):
                    op = try planJoin(left, right, kind, condition, leftOperator: op)
                default: break
                }
            }
            return op
        }
    }

    /// ORDER BY … LIMIT k over filters and column picks of a table, when the
    /// result has columns the keys and filters do not read: the best k rows
    /// are found from the key and filter columns and row numbers alone (on
    /// every core), then only their other columns are fetched.
    private func lateTopK(_ input: LogicalPlan, keys: [BoundOrder], k: Int) throws -> Operator? {
        guard let (steps, table) = scanChain(input) else { return nil }
        // The table column behind each column of the current step's output.
        var source = Array(table.columns.indices)
        var filters: [BoundExpr] = []
        for step in steps.reversed() {
            switch step {
            case .filter(_, let condition):
                guard condition.readsOnlyItsRow else { return nil }
                filters.append(condition.mapColumns { .column(source[$0], $1) })
            case .project(_, let expressions):
                var picked: [Int] = []
                for expression in expressions {
                    guard case .column(let index, _) = expression else { return nil }
                    picked.append(source[index])
                }
                source = picked
            default:
                return nil
            }
        }
        guard keys.allSatisfy({ $0.expression.readsOnlyItsRow }) else { return nil }
        let tableKeys = keys.map { $0.mappingColumns { $0.mapColumns { .column(source[$0], $1) } } }
        var read = Set<Int>()
        for e in filters + tableKeys.map(\.expression) { read.formUnion(e.referencedColumns) }
        guard !Set(source).isSubset(of: read) else { return nil }
        let columns = read.sorted()
        let conditions = filters.map { $0.renumbered(keeping: columns) }
        let threads = context.threads(forRows: table.rowCount)
        let scanKeys = tableKeys.map { $0.mappingColumns { $0.renumbered(keeping: columns) } }
        // The scan itself skips rows a plain column key keeps out (no filter between).
        var bounds: [TopKBound?] = Array(repeating: nil, count: threads)
        if conditions.isEmpty, let first = scanKeys.first, case .column(let index, let type) = first.expression, TopKBound.supports(type) {
            bounds = (0..<threads).map { _ in TopKBound(column: index, descending: first.descending, nullsFirst: first.nullsFirst) }
        }
        let inputs: [Operator] = try (0..<threads).map { part in
            var op: Operator = ScanOperator(table: table, rows: DeepStack.share(part, of: table.rowCount, among: threads),
                                            columns: columns, rowIDs: true, bound: bounds[part], context: context)
            for condition in conditions { op = FilterOperator(input: op, predicate: try compiler.compile(condition)) }
            return op
        }
        let types = columns.map { table.schema[$0].type } + [DataType.bigint]
        let sort = try SortOperator(inputs: inputs, keys: scanKeys, types: types, compiler: compiler, topK: k)
        return FetchOperator(input: sort, table: table, columns: source, rowIDColumn: columns.count)
    }

    /// Filters and projections (outermost first) over a table's scan, with at
    /// least one projection: the shape whose scan can skip unread columns.
    private func scanChain(_ plan: LogicalPlan) -> (steps: [LogicalPlan], table: Table)? {
        var steps: [LogicalPlan] = []
        var node = plan
        while true {
            switch node {
            case .filter(let input, _), .project(let input, _):
                steps.append(node)
                node = input
            case .scan(let name, _):
                guard let table = context.catalog.table(name) else { return nil }
                return steps.contains { if case .project = $0 { return true } else { return false } } ? (steps, table) : nil
            case .inline(let inline):
                return steps.contains { if case .project = $0 { return true } else { return false } } ? (steps, inline.table) : nil
            default:
                return nil
            }
        }
    }

    /// Operators for `steps` over a scan of `table` that reads only the columns
    /// the steps up to the innermost projection use, renumbered to match.
    private func scan(_ table: Table, rows: Range<Int>?, under steps: [LogicalPlan]) throws -> Operator {
        guard let inner = steps.lastIndex(where: { if case .project = $0 { return true } else { return false } }) else {
            throw MinerQLError.internal("a scan chain without a projection")
        }
        var read = Set<Int>()
        for step in steps[inner...] {
            switch step {
            case .filter(_, let condition): read.formUnion(condition.referencedColumns)
            case .project(_, let expressions): for e in expressions { read.formUnion(e.referencedColumns) }
            default: break
            }
        }
        let columns = read.sorted()
        func renumber(_ e: BoundExpr) -> BoundExpr { e.renumbered(keeping: columns) }
        var op: Operator = ScanOperator(table: table, rows: rows, columns: columns, context: context)
        for (index, step) in steps.enumerated().reversed() {
            let below = index >= inner
            switch step {
            case .filter(_, let condition):
                op = FilterOperator(input: op, predicate: try compiler.compile(below ? renumber(condition) : condition))
            case .project(_, let expressions):
                let renumbered = below ? expressions.map(renumber) : expressions
                // Columns passed through in order need no projection.
                if index == inner, op is ScanOperator, renumbered.count == columns.count,
                   renumbered.enumerated().allSatisfy({ if case .column($0.offset, _) = $0.element { return true } else { return false } }) {
                    continue
                }
                op = ProjectOperator(input: op, expressions: try renumbered.map(compiler.compile))
            default: break
            }
        }
        return op
    }

    /// The rows a plan reads from its table, when it is filters and
    /// projections over one table.
    private func estimatedRows(_ plan: LogicalPlan) -> Int? {
        switch plan {
        case .scan(let name, _): return context.catalog.table(name)?.rowCount
        case .inline(let inline): return inline.table.rowCount
        case .filter(let input, _), .project(let input, _): return estimatedRows(input)
        default: return nil
        }
    }

    /// A join; `leftOperator` replaces planning `left` (a thread's share of it).
    private func planJoin(_ left: LogicalPlan, _ right: LogicalPlan, _ kind: JoinKind, _ condition: BoundExpr?,
                          leftOperator given: Operator? = nil) throws -> Operator {
        let leftTypes = left.types, rightTypes = right.types
        let leftWidth = leftTypes.count
        var leftKeys: [BoundExpr] = [], rightKeys: [BoundExpr] = [], residual: [BoundExpr] = []
        for conjunct in condition.map(JoinKeys.conjuncts) ?? [] {
            if case .comparison(.equal, let a, let b) = conjunct,
               let (l, r) = JoinKeys.split(a, b, leftWidth: leftWidth) {
                leftKeys.append(l)
                rightKeys.append(r)
            } else {
                residual.append(conjunct)
            }
        }
        var residualCondition: BoundExpr?
        for conjunct in residual { residualCondition = residualCondition.map { .and($0, conjunct) } ?? conjunct }
        let residualKernel = try residualCondition.map(compiler.compile)
        let leftOperator = try given ?? plan(left), rightOperator = try plan(right)
        if leftKeys.isEmpty {
            return NestedLoopJoinOperator(left: leftOperator, right: rightOperator, kind: kind, condition: residualKernel,
                                          leftTypes: leftTypes, rightTypes: rightTypes, context: context)
        }
        return HashJoinOperator(left: leftOperator, right: rightOperator, kind: kind,
                                leftKeys: try leftKeys.map(compiler.compile),
                                rightKeys: try rightKeys.map { try compiler.compile($0.shiftingColumns(by: -leftWidth)) },
                                keyTypes: leftKeys.map(\.type), residual: residualKernel,
                                leftTypes: leftTypes, rightTypes: rightTypes,
                                parallelProbe: (leftKeys + residual).allSatisfy(\.readsOnlyItsRow), context: context)
    }

    /// A filter's input when it is a window of one row_number (under a
    /// projection or not) and the filter keeps row numbers up to a constant k
    /// (`rn <= k`, `rn < k`, `rn = 1`, or the same reversed): the window
    /// planned to output only those rows. The filter stays above it.
    private func windowUnderRowNumberLimit(_ input: LogicalPlan, _ predicate: BoundExpr) throws -> Operator? {
        var column: Int
        let window: LogicalPlan, expressions: [BoundExpr]?
        switch input {
        case .window(let source, let windows) where windows.count == 1:
            (window, expressions, column) = (input, nil, source.types.count)
        case .project(let projected, let exprs):
            guard case .window(let source, let windows) = projected, windows.count == 1,
                  let at = exprs.firstIndex(of: .column(source.types.count, .bigint)) else { return nil }
            (window, expressions, column) = (projected, exprs, at)
        default:
            return nil
        }
        guard case .window(let source, let windows) = window, windows[0].function == .rowNumber else { return nil }
        var limit: Int?
        for conjunct in JoinKeys.conjuncts(predicate) {
            guard case .comparison(let op, let left, let right) = conjunct else { continue }
            let bound: Int64?
            switch (op, left, right) {
            case (.lessEqual, .column(column, _), .constant(.bigint(let k), _)),
                 (.greaterEqual, .constant(.bigint(let k), _), .column(column, _)): bound = k
            case (.less, .column(column, _), .constant(.bigint(let k), _)),
                 (.greater, .constant(.bigint(let k), _), .column(column, _)): bound = k - 1
            case (.equal, .column(column, _), .constant(.bigint(1), _)),
                 (.equal, .constant(.bigint(1), _), .column(column, _)): bound = 1
            default: bound = nil
            }
            if let bound, bound >= 0, bound <= Int64(PartitionTopK.maximumK) { limit = min(limit ?? Int(bound), Int(bound)) }
        }
        guard let limit else { return nil }
        // Only rows that can be among their partition's first k reach the window.
        let order = windows[0].orderBy, partitions = windows[0].partitionBy
        let input = limit > 0 && !order.isEmpty && PartitionCandidates.handles(order.map(\.expression.type))
            && (order.map(\.expression) + partitions).allSatisfy(\.readsOnlyItsRow)
            ? try PartitionCandidates(inputs: try parallelPlans(source), types: source.types, partitions: partitions,
                                      order: order, k: limit, compiler: compiler)
            : try self.plan(source)
        let windowOperator = try WindowOperator(input: input, types: source.types, windows: windows,
                                                compiler: compiler, rowNumberLimit: limit)
        guard let expressions else { return windowOperator }
        return ProjectOperator(input: windowOperator, expressions: try expressions.map(compiler.compile))
    }
}

/// Finding hash-join keys in a join condition.
enum JoinKeys {
    static func conjuncts(_ expr: BoundExpr) -> [BoundExpr] {
        if case .and(let a, let b) = expr { return conjuncts(a) + conjuncts(b) }
        return [expr]
    }

    /// If one side reads only left columns and the other only right columns
    /// (indexes ≥ leftWidth), the pair (left side, right side).
    static func split(_ a: BoundExpr, _ b: BoundExpr, leftWidth: Int) -> (BoundExpr, BoundExpr)? {
        guard a.type == b.type else { return nil }
        let aColumns = a.referencedColumns, bColumns = b.referencedColumns
        guard !aColumns.isEmpty, !bColumns.isEmpty, !containsSubquery(a), !containsSubquery(b) else { return nil }
        if aColumns.allSatisfy({ $0 < leftWidth }) && bColumns.allSatisfy({ $0 >= leftWidth }) { return (a, b) }
        if bColumns.allSatisfy({ $0 < leftWidth }) && aColumns.allSatisfy({ $0 >= leftWidth }) { return (b, a) }
        return nil
    }

    private static func containsSubquery(_ expr: BoundExpr) -> Bool {
        switch expr {
        case .subquery: return true
        case .cast(let e, _, _), .negate(let e, _), .not(let e), .isNull(let e, _): return containsSubquery(e)
        case .arithmetic(_, let a, let b, _, _), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b),
             .isDistinctFrom(let a, let b, _), .like(let a, let b, _, _):
            return containsSubquery(a) || containsSubquery(b)
        case .function(_, let args, _): return args.contains(where: containsSubquery)
        case .inList(let e, let list, _): return containsSubquery(e) || list.contains(where: containsSubquery)
        case .caseWhen(let branches, let otherwise, _):
            return containsSubquery(otherwise)
                || branches.contains { containsSubquery($0.condition) || containsSubquery($0.result) }
        case .column, .constant, .outerParameter: return false
        }
    }
}
