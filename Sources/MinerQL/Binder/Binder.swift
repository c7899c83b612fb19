// Binds queries: turns a SelectStatement into a logical plan with output names,
// resolving FROM items against the catalog, expanding `*`, and laying out the
// grouped-query pipeline (aggregate, HAVING, projection, DISTINCT, ORDER BY,
// LIMIT) in DuckDB's order of evaluation.

/// A bound query: its plan and the names of its output columns.
struct BoundQuery {
    var plan: LogicalPlan
    var names: [String]
}

final class Binder {
    let catalog: Catalog
    let settings: Settings
    let parameters: [String: Value]
    /// The row a trigger's statements see as `new` and `old`.
    let triggerRow: TriggerRow?
    /// Messages for the user that are not errors (rows skipped by ignore_errors).
    var notices: [String] = []

    /// Reports file reading done while binding (read_csv, FROM 'file').
    let progress: QueryProgress
    /// Stops that reading, and constant folding, on Ctrl-C.
    let cancellation: Cancellation

    init(catalog: Catalog, settings: Settings, parameters: [String: Value], triggerRow: TriggerRow? = nil,
         progress: QueryProgress = QueryProgress(), cancellation: Cancellation = Cancellation()) {
        self.catalog = catalog
        self.settings = settings
        self.parameters = parameters
        self.triggerRow = triggerRow
        self.progress = progress
        self.cancellation = cancellation
    }

    /// Evaluates an expression that reads no columns.
    func evaluateConstant(_ expr: BoundExpr) throws -> Value {
        let context = ExecutionContext(catalog: catalog, settings: settings, cancellation: cancellation)
        let kernel = try ExpressionCompiler(context: context).compile(expr)
        return try kernel(DataChunk(columns: [], count: 1)).value(at: 0)
    }

    // MARK: - Queries

    /// The WITH tables in scope, innermost last.
    private var cteScopes: [[String: BoundQuery]] = []
    private var nextRecursiveID = 0
    private var nextCTEID = 0
    /// The views this statement has read, bound once each.
    private var boundViews: [String: BoundQuery] = [:]
    /// The working tables a step of a recursive CTE has read so far.
    private var workingTablesRead: Set<Int> = []

    func bindQuery(_ query: SelectStatement, frame: SubqueryFrame?) throws -> BoundQuery {
        cteScopes.append([:])
        defer { cteScopes.removeLast() }
        for cte in query.with {
            let bound = try bindCTE(cte, recursive: query.recursive, frame: frame)
            let reference = CTEReference(id: nextCTEID, plan: bound.plan)
            nextCTEID += 1
            cteScopes[cteScopes.count - 1][Catalog.key(cte.name)] = BoundQuery(plan: .cte(reference), names: bound.names)
        }
        if case .select(let core) = query.body { return try bindSelect(core, query, frame: frame) }
        var bound = try bindBody(query.body, frame: frame)
        try applyOrderAndLimit(query, to: &bound, frame: frame)
        return bound
    }

    private func bindBody(_ body: QueryBody, frame: SubqueryFrame?) throws -> BoundQuery {
        switch body {
        case .select(let core): return try bindSelect(core, SelectStatement(body: body), frame: frame)
        case .values(let rows, let position): return try bindValues(rows, at: position, frame: frame)
        case .query(let inner): return try bindQuery(inner, frame: frame)
        case .pipe(let base, let operators): return try bindPipe(base, operators, frame: frame)
        case .setOperation(let op, let all, let left, let right, let position):
            let l = try bindBody(left, frame: frame), r = try bindBody(right, frame: frame)
            let (leftPlan, rightPlan) = try unify(l.plan, r.plan, op: op, at: position)
            return BoundQuery(plan: .setOperation(op, all: all, leftPlan, rightPlan), names: l.names)
        }
    }

    /// Casts two set-operation inputs to common column types.
    private func unify(_ left: LogicalPlan, _ right: LogicalPlan, op: SetOperator,
                       at position: SourcePosition) throws -> (LogicalPlan, LogicalPlan) {
        let lt = left.types, rt = right.types
        guard lt.count == rt.count else {
            throw MinerQLError(.binder, "Set operations can only apply to expressions with the same number of result columns", at: position)
        }
        let common = zip(lt, rt).map { DataType.common($0, $1).map { $0 == .null ? .bigint : $0 } ?? .varchar }
        func cast(_ plan: LogicalPlan, _ types: [DataType]) -> LogicalPlan {
            guard types != common else { return plan }
            return .project(plan, types.enumerated().map { i, t in
                t == common[i] ? .column(i, t) : .cast(.column(i, t), common[i], at: position)
            })
        }
        return (cast(left, lt), cast(right, rt))
    }

    /// Binds one WITH table; a recursive one is `anchor UNION [ALL] step` whose
    /// step reads the CTE's own name.
    private func bindCTE(_ cte: CommonTableExpression, recursive: Bool, frame: SubqueryFrame?) throws -> BoundQuery {
        func renamed(_ bound: BoundQuery) throws -> BoundQuery {
            var result = bound
            result.names = try aliasedNames(bound.names, TableAlias(name: cte.name, columns: cte.columns), at: cte.query.orderBy.first?.expression.position ?? SourcePosition(offset: 0, line: 1, column: 1))
            return result
        }
        guard recursive, cte.query.orderBy.isEmpty, cte.query.limit == nil,
              case .setOperation(.union, let all, let anchorBody, let stepBody, let position) = cte.query.body else {
            return try renamed(try bindQuery(cte.query, frame: frame))
        }
        let anchor = try renamed(try bindBody(anchorBody, frame: frame))
        let id = nextRecursiveID
        nextRecursiveID += 1
        let types = anchor.plan.types.map { $0 == .null ? .bigint : $0 }
        cteScopes[cteScopes.count - 1][Catalog.key(cte.name)] = BoundQuery(plan: .workingTable(id: id, types: types), names: anchor.names)
        let step = try bindBody(stepBody, frame: frame)
        let (anchorPlan, stepPlan) = try unify(anchor.plan, step.plan, op: .union, at: position)
        guard workingTablesRead.contains(id) else {
            // WITH RECURSIVE over a query that never reads itself is an
            // ordinary UNION, as in DuckDB (iterating it would never end).
            cteScopes[cteScopes.count - 1][Catalog.key(cte.name)] = nil
            return try renamed(try bindQuery(cte.query, frame: frame))
        }
        guard anchorPlan.types == types else {
            throw MinerQLError(.binder, "The recursive part of \(cte.name) must return the anchor's column types", at: position)
        }
        return BoundQuery(plan: .recursiveCTE(id: id, anchor: anchorPlan, step: stepPlan, all: all), names: anchor.names)
    }

    private func bindValues(_ rows: [[Expr]], at position: SourcePosition, frame: SubqueryFrame?) throws -> BoundQuery {
        let binder = ExpressionBinder(binder: self, scope: Scope(), frame: frame, clause: "VALUES")
        let width = rows.first?.count ?? 0
        var bound: [[BoundExpr]] = []
        for row in rows {
            guard row.count == width else {
                throw MinerQLError(.binder, "VALUES lists must all be the same length", at: row.first?.position ?? position)
            }
            bound.append(try row.map(binder.bind))
        }
        var types = [DataType](repeating: .null, count: width)
        for row in bound {
            for (i, e) in row.enumerated() {
                guard let common = DataType.common(types[i], e.type) else {
                    throw MinerQLError(.binder, "Cannot mix values of type \(types[i]) and \(e.type) in VALUES - an explicit cast is required", at: position)
                }
                types[i] = common
            }
        }
        types = types.map { $0 == .null ? .bigint : $0 }
        let cast = try bound.map { row in try row.enumerated().map { try binder.cast($1, to: types[$0], at: position) } }
        return BoundQuery(plan: .values(rows: cast, types: types), names: (0..<width).map { "col\($0)" })
    }

    /// ORDER BY and LIMIT over a query whose columns are all visible (VALUES).
    private func applyOrderAndLimit(_ query: SelectStatement, to bound: inout BoundQuery, frame: SubqueryFrame?) throws {
        if !query.orderBy.isEmpty {
            var scope = Scope()
            for (name, type) in zip(bound.names, bound.plan.types) { scope.columns.append(ScopeColumn(table: nil, name: name, type: type)) }
            let binder = ExpressionBinder(binder: self, scope: scope, frame: frame, clause: "ORDER BY")
            let keys = try Binder.expandingOrderByAll(query.orderBy, columns: bound.names.count).map { item -> BoundOrder in
                let expr: BoundExpr
                if case .literal(.integer(let digits)) = item.expression.kind, let ordinal = Int(digits) {
                    guard ordinal >= 1 && ordinal <= bound.names.count else {
                        throw MinerQLError(.binder, "ORDER term out of range - should be between 1 and \(bound.names.count)", at: item.expression.position)
                    }
                    expr = .column(ordinal - 1, bound.plan.types[ordinal - 1])
                } else {
                    expr = try binder.bind(item.expression)
                }
                return BoundOrder(expression: expr, descending: item.descending, nullsFirst: settings.nullsFirst(item.nullsFirst, descending: item.descending))
            }
            bound.plan = .sort(bound.plan, keys)
        }
        try applyLimit(query, to: &bound.plan)
    }

    private func applyLimit(_ query: SelectStatement, to plan: inout LogicalPlan) throws {
        guard query.limit != nil || query.offset != nil else { return }
        let binder = ExpressionBinder(binder: self, scope: Scope(), frame: nil, clause: "LIMIT")
        func count(_ expr: Expr?) throws -> Int? {
            guard let expr else { return nil }
            let bound = try binder.bind(expr)
            if case .constant(.null, _) = bound { return nil }
            guard bound.isConstant, case .bigint(let n) = try evaluateConstant(binder.cast(bound, to: .bigint, at: expr.position)) else {
                throw MinerQLError(.binder, "LIMIT and OFFSET must be constant integers", at: expr.position)
            }
            guard n >= 0 else {
                throw MinerQLError(.outOfRange, "LIMIT and OFFSET cannot be negative", at: expr.position)
            }
            return Int(n)
        }
        plan = .limit(plan, limit: try count(query.limit), offset: try count(query.offset) ?? 0)
    }

    /// An item of the select list after `*` expansion.
    private enum Item {
        case expression(Expr, name: String)
        case column(Int, DataType, name: String)
    }

    private func bindSelect(_ core: SelectCore, _ query: SelectStatement, frame: SubqueryFrame?) throws -> BoundQuery {
        var plan: LogicalPlan
        var scope: Scope
        if let from = core.from {
            (plan, scope) = try bindTableRef(from, frame: frame)
        } else {
            (plan, scope) = (.values(rows: [[]], types: []), Scope())
        }
        if let filter = core.filter {
            let binder = ExpressionBinder(binder: self, scope: scope, frame: frame, clause: "WHERE clause")
            plan = .filter(plan, try binder.bindCondition(filter))
        }

        // Expand stars.
        var items: [Item] = []
        var starPosition: [Int: SourcePosition] = [:]
        for item in core.items {
            switch item {
            case .expression(let expr, let alias):
                items.append(.expression(expr, name: alias ?? Binder.name(of: expr)))
            case .star(let qualifier, let position, let modifiers):
                var matched = false
                var excluded = Set(modifiers.exclude.map(Catalog.key))
                var replaced = Dictionary(modifiers.replace.map { (Catalog.key($0.name), $0.value) }, uniquingKeysWith: { a, _ in a })
                for (i, column) in scope.columns.enumerated() where !column.usingDuplicate {
                    if let qualifier, column.table?.caseInsensitiveEquals(qualifier) != true { continue }
                    matched = true
                    let key = Catalog.key(column.name)
                    if excluded.remove(key) != nil { continue }
                    if let replacement = replaced.removeValue(forKey: key) {
                        items.append(.expression(replacement, name: column.name))
                        continue
                    }
                    items.append(.column(i, column.type, name: column.name))
                    starPosition[i] = position
                }
                if let missing = modifiers.exclude.first(where: { excluded.contains(Catalog.key($0)) }) {
                    throw MinerQLError(.binder, "Column \"\(missing)\" in EXCLUDE list not found in FROM clause", at: position)
                }
                if let missing = modifiers.replace.first(where: { replaced[Catalog.key($0.name)] != nil }) {
                    throw MinerQLError(.binder, "Column \"\(missing.name)\" in REPLACE list not found in FROM clause", at: position)
                }
                if !matched {
                    if let qualifier {
                        throw MinerQLError(.binder, "Referenced table \"\(qualifier)\" not found!", at: position)
                    }
                    throw MinerQLError(.binder, "SELECT * with no tables specified is not valid", at: position)
                }
            }
        }

        let grouped = !core.groupBy.isEmpty || core.groupByAll || core.having != nil
            || core.items.contains { if case .expression(let e, _) = $0 { return ExpressionBinder.containsAggregate(e) } else { return false } }
            || query.orderBy.contains { ExpressionBinder.containsAggregate($0.expression) }
        let usesWindows = core.qualify != nil
            || core.items.contains { if case .expression(let e, _) = $0 { return ExpressionBinder.containsWindow(e) } else { return false } }
            || query.orderBy.contains { ExpressionBinder.containsWindow($0.expression) }
        let windows = usesWindows
            ? WindowContext(named: Dictionary(core.windows.map { (Catalog.key($0.name), $0.spec) }, uniquingKeysWith: { a, _ in a }))
            : nil
        let plainBinder = ExpressionBinder(binder: self, scope: scope, frame: frame, clause: "GROUP BY clause")
        var binder = ExpressionBinder(binder: self, scope: scope, frame: frame, windows: windows)
        var aggregation: AggregationContext?
        if grouped {
            var groupExprs = core.groupBy
            if core.groupByAll {
                // Every select item that is not an aggregate, by ordinal.
                for (i, item) in items.enumerated() {
                    if case .expression(let e, _) = item, ExpressionBinder.containsAggregate(e) { continue }
                    groupExprs.append(Expr(.literal(.integer(String(i + 1))), at: query.orderBy.first?.expression.position ?? SourcePosition(offset: 0, line: 1, column: 1)))
                }
            }
            let groups = try groupExprs.map { try bindGroup($0, items: items, binder: plainBinder) }
            aggregation = AggregationContext(groups: groups)
            binder = ExpressionBinder(binder: self, scope: scope, frame: frame, aggregation: aggregation, windows: windows)
        }

        var selected: [BoundExpr] = try items.map { item in
            switch item {
            case .expression(let expr, _): return try binder.bind(expr)
            case .column(let index, let type, let name):
                guard let aggregation else { return .column(index, type) }
                guard let group = aggregation.groups.firstIndex(of: .column(index, type)) else {
                    return try binder.resolveColumn(qualifier: scope.columns[index].table, name: name, at: starPosition[index] ?? SourcePosition(offset: 0, line: 1, column: 1))
                }
                return .column(group, type)
            }
        }
        let names = items.map { item -> String in
            switch item {
            case .expression(_, let name), .column(_, _, let name): return name
            }
        }
        let having = try core.having.map {
            try ExpressionBinder(binder: self, scope: scope, frame: frame, aggregation: aggregation, clause: "HAVING").bindCondition($0)
        }

        // ORDER BY keys: ordinals and aliases name select columns; other
        // expressions are matched against the select list or added as hidden columns.
        var keys: [BoundOrder] = []
        let visible = selected.count
        for item in Binder.expandingOrderByAll(query.orderBy, columns: visible) {
            let expr = item.expression
            var column: Int?
            if case .literal(.integer(let digits)) = expr.kind, let ordinal = Int(digits) {
                guard ordinal >= 1 && ordinal <= visible else {
                    throw MinerQLError(.binder, "ORDER term out of range - should be between 1 and \(visible)", at: expr.position)
                }
                column = ordinal - 1
            } else if case .column(nil, let name) = expr.kind, let alias = names.firstIndex(where: { $0.caseInsensitiveEquals(name) }) {
                column = alias
            } else {
                let bound = try binder.bind(expr)
                if let existing = selected.firstIndex(of: bound) {
                    column = existing
                } else {
                    if core.distinct {
                        throw MinerQLError(.binder, "For SELECT DISTINCT, ORDER BY expressions must appear in select list", at: expr.position)
                    }
                    selected.append(bound)
                    column = selected.count - 1
                }
            }
            guard let column else { continue }
            keys.append(BoundOrder(expression: .column(column, selected[column].type), descending: item.descending,
                                   nullsFirst: settings.nullsFirst(item.nullsFirst, descending: item.descending)))
        }

        var qualify = try core.qualify.map { try binder.bindCondition($0) }
        if let aggregation {
            plan = .aggregate(plan, groups: aggregation.groups, aggregates: aggregation.aggregates)
        }
        if let having { plan = .filter(plan, having) }
        if let windows, !windows.windows.isEmpty {
            // Window results follow the columns the window sees.
            let width = plan.types.count
            selected = selected.map { WindowContext.place($0, width: width) }
            qualify = qualify.map { WindowContext.place($0, width: width) }
            plan = .window(plan, windows.windows)
        }
        if let qualify { plan = .filter(plan, qualify) }
        plan = .project(plan, selected)
        if core.distinct { plan = .distinct(plan) }
        if !keys.isEmpty { plan = .sort(plan, keys) }
        try applyLimit(query, to: &plan)
        if selected.count > visible {
            plan = .project(plan, (0..<visible).map { .column($0, selected[$0].type) })
        }
        return BoundQuery(plan: plan, names: names)
    }

    /// `ORDER BY ALL [DESC]` as one ordinal key per output column.
    static func expandingOrderByAll(_ items: [OrderItem], columns: Int) -> [OrderItem] {
        items.flatMap { item -> [OrderItem] in
            guard case .star(nil) = item.expression.kind else { return [item] }
            return (1...max(1, columns)).map {
                var key = item
                key.expression = Expr(.literal(.integer(String($0))), at: item.expression.position)
                return key
            }
        }
    }

    /// A GROUP BY item: an ordinal or alias of the select list, or an expression.
    private func bindGroup(_ expr: Expr, items: [Item], binder: ExpressionBinder) throws -> BoundExpr {
        if case .literal(.integer(let digits)) = expr.kind, let ordinal = Int(digits) {
            guard ordinal >= 1 && ordinal <= items.count else {
                throw MinerQLError(.binder, "GROUP BY term out of range - should be between 1 and \(items.count)", at: expr.position)
            }
            switch items[ordinal - 1] {
            case .expression(let e, _):
                if ExpressionBinder.containsAggregate(e) {
                    throw MinerQLError(.binder, "GROUP BY clause cannot contain aggregates!", at: expr.position)
                }
                return try binder.bind(e)
            case .column(let index, let type, _): return .column(index, type)
            }
        }
        if case .column(nil, let name) = expr.kind, (try? binder.scope.lookup(qualifier: nil, name: name, at: expr.position)) == nil {
            for item in items {
                if case .expression(let e, let alias) = item, alias.caseInsensitiveEquals(name), !ExpressionBinder.containsAggregate(e) {
                    return try binder.bind(e)
                }
            }
        }
        if ExpressionBinder.containsAggregate(expr) {
            throw MinerQLError(.binder, "GROUP BY clause cannot contain aggregates!", at: expr.position)
        }
        return try binder.bind(expr)
    }

    /// The column name DuckDB gives an unaliased select expression.
    static func name(of expr: Expr) -> String {
        switch expr.kind {
        case .column(_, let name): return name
        default: return ExprPrinter.text(of: expr)
        }
    }

    // MARK: - FROM

    private func bindTableFunction(_ name: String, _ arguments: [FunctionArgument], _ alias: TableAlias?,
                                   at position: SourcePosition) throws -> (LogicalPlan, Scope) {
        let format: FileTableLoader.Format
        switch name {
        case "range", "generate_series": return try bindSeries(name, arguments, alias, at: position)
        case "read_csv", "read_csv_auto": format = .csv
        case "read_json", "read_json_auto", "read_ndjson": format = .json
        default:
            var message = "Table Function with name \(name) does not exist!"
            if let suggestion = closestMatch(to: name, in: ["read_csv", "read_json", "range", "generate_series"]) {
                message += " Did you mean \"\(suggestion)\"?"
            }
            throw MinerQLError(.catalog, message, at: position)
        }
        let positional = arguments.filter { $0.name == nil }
        guard positional.count == 1, case .constant(.varchar(let path), _) = try constantBinder.bind(positional[0].value) else {
            throw MinerQLError(.binder, "\(name) expects one file path as a string", at: position)
        }
        let options = try arguments.compactMap { argument -> (String, ReaderOptionValue)? in
            guard let option = argument.name else { return nil }
            return (option, try readerOption(argument.value))
        }
        return try bindFile(path, format: format, options: options, alias, at: position)
    }

    /// `range([start,] stop [, step])` (stop excluded) and `generate_series(…)`
    /// (stop included), over BIGINT, or over TIMESTAMP with an INTERVAL step.
    private func bindSeries(_ name: String, _ arguments: [FunctionArgument], _ alias: TableAlias?,
                            at position: SourcePosition) throws -> (LogicalPlan, Scope) {
        let values = try arguments.map { try evaluateConstant(try constantBinder.bind($0.value)) }
        let signature = "\(name)(\(values.map { $0.type.description }.joined(separator: ", ")))"
        let mismatch = MinerQLError(.binder, "No function matches the given name and argument types '\(signature)'. You might need to add explicit type casts.", at: position)
        guard (1...3).contains(values.count), arguments.allSatisfy({ $0.name == nil }) else { throw mismatch }
        let column = try aliasedNames([name], alias, at: position)[0]
        func scope(_ type: DataType) -> Scope { Scope(columns: [ScopeColumn(table: alias?.name ?? name, name: column, type: type)]) }
        if values.contains(where: \.isNull) {
            let type: DataType = values.contains { $0.type == .interval || $0.type == .date || $0.type == .timestamp } ? .timestamp : .bigint
            return (.values(rows: [], types: [type]), scope(type))
        }
        let series: Series
        switch values.count {
        case 1:
            guard case .bigint(let stop) = values[0] else { throw mismatch }
            series = Series(start: 0, stop: stop, step: .integer(1), inclusive: name == "generate_series")
        default:
            func micros(_ value: Value) -> Int64? {
                switch value {
                case .timestamp(let t): return t
                case .date(let d): return Int64(d) * DateCodec.microsPerDay
                default: return nil
                }
            }
            if case .bigint(let start) = values[0], case .bigint(let stop) = values[1] {
                var step: Int64 = 1
                if values.count == 3 {
                    guard case .bigint(let given) = values[2] else { throw mismatch }
                    step = given
                }
                guard step != 0 else { throw MinerQLError(.binder, "interval cannot be 0!", at: position) }
                series = Series(start: start, stop: stop, step: .integer(step), inclusive: name == "generate_series")
            } else if let start = micros(values[0]), let stop = micros(values[1]), values.count == 3,
                      case .interval(let step) = values[2] {
                guard step != Interval() else { throw MinerQLError(.binder, "interval cannot be 0!", at: position) }
                series = Series(start: start, stop: stop, step: .interval(step), inclusive: name == "generate_series")
            } else {
                throw mismatch
            }
        }
        return (.series(series), scope(series.type))
    }

    /// Binds expressions that may read nothing but constants and parameters.
    private var constantBinder: ExpressionBinder {
        ExpressionBinder(binder: self, scope: Scope(), frame: nil, clause: "table function arguments")
    }

    /// Evaluates a reader option: a constant, or a struct literal of constants.
    func readerOption(_ expr: Expr) throws -> ReaderOptionValue {
        if case .structLiteral(let fields) = expr.kind {
            return .fields(try fields.map { ($0.key, try evaluateConstant(try constantBinder.bind($0.value))) })
        }
        let bound = try constantBinder.bind(expr)
        guard bound.isConstant else {
            throw MinerQLError(.binder, "option values must be constants", at: expr.position)
        }
        return .value(try evaluateConstant(bound))
    }

    private func bindFile(_ path: String, format: FileTableLoader.Format, options: [(String, ReaderOptionValue)],
                          _ alias: TableAlias?, at position: SourcePosition) throws -> (LogicalPlan, Scope) {
        let stem = path.split(separator: "/").last.map { String($0.prefix { $0 != "." }) } ?? path
        let loaded: LoadedTable
        do {
            loaded = try FileTableLoader.load(path: path, format: format, options: options, tableName: stem, at: position,
                                              progress: progress, cancellation: cancellation, access: settings.fileAccess)
        } catch var error as MinerQLError {
            if error.position == nil { error.position = position }
            throw error
        }
        if loaded.skippedRows > 0 {
            notices.append("\(path): skipped \(loaded.skippedRows) row\(loaded.skippedRows == 1 ? "" : "s") that did not fit (ignore_errors)")
        }
        let table = loaded.table
        let names = try aliasedNames(table.schema.map(\.name), alias, at: position)
        let scope = Scope(columns: zip(names, table.schema).map {
            ScopeColumn(table: alias?.name ?? table.name, name: $0, type: $1.type)
        })
        return (.inline(InlineTable(table)), scope)
    }

    /// The table so far of the pipe operators being bound, innermost last.
    private var pipeInputs: [(LogicalPlan, Scope)] = []

    /// Binds `base |> op |> …`: each operator becomes a query over the table so
    /// far (`TableRef.pipeInput`), so every prefix is itself a query.
    private func bindPipe(_ base: SelectStatement, _ operators: [PipeOperator], frame: SubqueryFrame?) throws -> BoundQuery {
        var current: BoundQuery
        var alias: String?
        /// After a JOIN, the joined tables' qualifiers stay visible (`m.name`);
        /// so do the FROM clause's names when the base is a bare `FROM …`.
        var joinedScope: Scope?
        if base.with.isEmpty, base.orderBy.isEmpty, base.limit == nil, base.offset == nil,
           case .select(let core) = base.body, let from = core.from, !core.distinct, core.filter == nil,
           core.groupBy.isEmpty, !core.groupByAll, core.having == nil, core.qualify == nil, core.windows.isEmpty,
           core.items.count == 1, case .star(nil, _, let modifiers) = core.items[0], modifiers == StarModifiers() {
            let (plan, scope) = try bindTableRef(from, frame: frame)
            current = BoundQuery(plan: plan, names: scope.columns.map(\.name))
            joinedScope = scope
        } else {
            current = try bindQuery(base, frame: frame)
        }
        for op in operators {
            let scope = joinedScope ?? Scope(columns: zip(current.names, current.plan.types).map { ScopeColumn(table: alias, name: $0, type: $1) })
            joinedScope = nil
            pipeInputs.append((current.plan, scope))
            defer { pipeInputs.removeLast() }
            let star = SelectItem.star(qualifier: nil, at: SourcePosition(offset: 0, line: 1, column: 1))
            func over(_ items: [SelectItem]) -> SelectCore { SelectCore(items: items, from: .pipeInput) }
            var query: SelectStatement
            switch op {
            case .filter(let condition):
                var core = over([star])
                core.filter = condition
                query = SelectStatement(body: .select(core))
            case .select(let items, let distinct):
                var core = over(items)
                core.distinct = distinct
                query = SelectStatement(body: .select(core))
            case .extend(let items):
                query = SelectStatement(body: .select(over([star] + items)))
            case .set(let assignments):
                var modifiers = StarModifiers()
                modifiers.replace = assignments.map { ($0.column, $0.value) }
                query = SelectStatement(body: .select(over([.star(qualifier: nil, at: assignments[0].position, modifiers: modifiers)])))
            case .drop(let names):
                var modifiers = StarModifiers()
                modifiers.exclude = names
                query = SelectStatement(body: .select(over([.star(qualifier: nil, at: SourcePosition(offset: 0, line: 1, column: 1), modifiers: modifiers)])))
            case .rename(let pairs):
                for (from, to) in pairs {
                    guard let index = current.names.firstIndex(where: { $0.caseInsensitiveEquals(from) }) else {
                        throw MinerQLError(.binder, "Column \"\(from)\" in RENAME not found", at: nil)
                    }
                    current.names[index] = to
                }
                continue
            case .alias(let name):
                alias = name
                continue
            case .aggregate(let aggregates, let groups, let ordered):
                var core = over(groups + aggregates)
                core.groupBy = (0..<groups.count).map { Expr(.literal(.integer(String($0 + 1))), at: SourcePosition(offset: 0, line: 1, column: 1)) }
                if groups.isEmpty && aggregates.isEmpty {
                    throw MinerQLError(.parser, "AGGREGATE needs an aggregate or a GROUP BY", at: nil)
                }
                query = SelectStatement(body: .select(core))
                if ordered { query.orderBy = core.groupBy.map { OrderItem(expression: $0) } }
            case .orderBy(let items):
                query = SelectStatement(body: .select(over([star])), orderBy: items)
            case .limit(let limit, let offset):
                query = SelectStatement(body: .select(over([star])), limit: limit, offset: offset)
            case .distinct:
                var core = over([star])
                core.distinct = true
                query = SelectStatement(body: .select(core))
            case .join(let kind, let table, let condition, let position):
                let (plan, joined) = try bindTableRef(.join(.pipeInput, table, kind, condition, at: position), frame: frame)
                current = BoundQuery(plan: plan, names: joined.columns.map(\.name))
                joinedScope = joined
                alias = nil
                continue
            case .setOperation(let op, let all, let queries, let position):
                var plan = current.plan
                for q in queries {
                    let right = try bindQuery(q, frame: frame)
                    let (l, r) = try unify(plan, right.plan, op: op, at: position)
                    plan = .setOperation(op, all: all, l, r)
                }
                current = BoundQuery(plan: plan, names: current.names)
                continue
            }
            current = try bindQuery(query, frame: frame)
            // WHERE, EXTEND, SET, ORDER BY, LIMIT and DISTINCT keep the input's
            // columns in place, and with them its table names (`m.name`), as in
            // GoogleSQL; SELECT and AGGREGATE make a new table.
            // (`*` leaves out the right-hand copies of USING columns.)
            let kept = scope.columns.filter { !$0.usingDuplicate }
            if op.keepsColumns, current.names.count >= kept.count {
                joinedScope = Scope(columns: current.names.indices.map { i in
                    ScopeColumn(table: i < kept.count ? kept[i].table : nil, name: current.names[i], type: current.plan.types[i])
                })
            }
        }
        if let joinedScope, joinedScope.columns.contains(where: \.usingDuplicate) {
            // A pipe ending in JOIN … USING shows each USING column once, as SELECT * does.
            let visible = joinedScope.columns.indices.filter { !joinedScope.columns[$0].usingDuplicate }
            current = BoundQuery(plan: .project(current.plan, visible.map { .column($0, joinedScope.columns[$0].type) }),
                                 names: visible.map { joinedScope.columns[$0].name })
        }
        return current
    }

    /// Views being expanded, to refuse a view that (after CREATE OR REPLACE)
    /// reads itself.
    private var expandingViews: Set<String> = []

    private func bindView(_ view: ViewDefinition, alias: TableAlias?, at position: SourcePosition) throws -> (LogicalPlan, Scope) {
        let key = Catalog.key(view.name)
        guard expandingViews.insert(key).inserted else {
            throw MinerQLError(.binder, "infinite recursion detected: view \"\(view.name)\" reads itself", at: position)
        }
        defer { expandingViews.remove(key) }
        // A view read in several places of a statement is bound once and
        // shared like a WITH table: views over views, each reading the one
        // below twice, would otherwise grow the plan exponentially.
        let bound: BoundQuery
        if let known = boundViews[key] {
            bound = known
        } else {
            let saved = cteScopes
            cteScopes = []  // a view sees the catalog, not the WITH tables around its use
            defer { cteScopes = saved }
            let query = try bindQuery(view.query, frame: nil)
            bound = BoundQuery(plan: .cte(CTEReference(id: nextCTEID, plan: query.plan)), names: query.names)
            nextCTEID += 1
            boundViews[key] = bound
        }
        if case .cte(let reference) = bound.plan { reference.countRead() }
        let viewNames = try aliasedNames(bound.names, TableAlias(name: view.name, columns: view.columns), at: position)
        let names = try aliasedNames(viewNames, alias, at: position)
        let scope = Scope(columns: zip(names, bound.plan.types).map { ScopeColumn(table: alias?.name ?? view.name, name: $0, type: $1) })
        return (bound.plan, scope)
    }

    /// Splits an ASOF condition into equality keys and its one inequality. With
    /// USING, the last column is the inequality, as `left >= right`.
    private func asofJoin(_ left: LogicalPlan, _ right: LogicalPlan, width: Int, condition: BoundExpr?, keepsUnmatched: Bool,
                          usingInequality: Bool, at position: SourcePosition) throws -> AsofJoin {
        var conjuncts = condition.map(JoinKeys.conjuncts) ?? []
        if usingInequality, case .comparison(.equal, let a, let b)? = conjuncts.last {
            conjuncts[conjuncts.count - 1] = .comparison(.greaterEqual, a, b)
        }
        var leftKeys: [BoundExpr] = [], rightKeys: [BoundExpr] = []
        var inequality: (BoundExpr, BoundExpr, BinaryOperator)?
        for conjunct in conjuncts {
            guard case .comparison(let op, let a, let b) = conjunct, let (l, r) = JoinKeys.split(a, b, leftWidth: width) else {
                throw MinerQLError(.binder, "ASOF JOIN conditions must compare a left column with a right column", at: position)
            }
            // Orient the comparison as `left op right`.
            let flipped = l != a
            let oriented: BinaryOperator
            switch op {
            case .less: oriented = flipped ? .greater : .less
            case .lessEqual: oriented = flipped ? .greaterEqual : .lessEqual
            case .greater: oriented = flipped ? .less : .greater
            case .greaterEqual: oriented = flipped ? .lessEqual : .greaterEqual
            default: oriented = op
            }
            if oriented == .equal {
                leftKeys.append(l)
                rightKeys.append(r.shiftingColumns(by: -width))
            } else if [.less, .lessEqual, .greater, .greaterEqual].contains(oriented) {
                guard inequality == nil else { throw MinerQLError(.binder, "Multiple ASOF JOIN inequalities", at: position) }
                inequality = (l, r.shiftingColumns(by: -width), oriented)
            } else {
                throw MinerQLError(.binder, "ASOF JOIN conditions must be equalities and one inequality", at: position)
            }
        }
        guard let (value, rightValue, op) = inequality else {
            throw MinerQLError(.binder, "Missing ASOF JOIN inequality", at: position)
        }
        return AsofJoin(left: left, right: right, leftKeys: leftKeys, rightKeys: rightKeys, leftValue: value, rightValue: rightValue,
                        op: op, keepsUnmatched: keepsUnmatched)
    }

    /// Column names after an alias's column list renames the first ones.
    private func aliasedNames(_ names: [String], _ alias: TableAlias?, at position: SourcePosition) throws -> [String] {
        guard let columns = alias?.columns, !columns.isEmpty else { return names }
        guard columns.count <= names.count else {
            throw MinerQLError(.binder, "table \"\(alias?.name ?? "")\" has \(names.count) columns available but \(columns.count) columns specified", at: position)
        }
        return columns + names.dropFirst(columns.count)
    }

    private func bindTableRef(_ ref: TableRef, frame: SubqueryFrame?) throws -> (LogicalPlan, Scope) {
        switch ref {
        case .table(let name, let alias, let position):
            if let cte = cteScopes.reversed().lazy.compactMap({ $0[Catalog.key(name)] }).first {
                if case .workingTable(let id, _) = cte.plan { workingTablesRead.insert(id) }
                if case .cte(let reference) = cte.plan { reference.countRead() }
                let names = try aliasedNames(cte.names, alias, at: position)
                let scope = Scope(columns: zip(names, cte.plan.types).map { ScopeColumn(table: alias?.name ?? name, name: $0, type: $1) })
                return (cte.plan, scope)
            }
            if let view = catalog.view(name) {
                return try bindView(view, alias: alias, at: position)
            }
            guard let table = catalog.table(name) else { throw catalog.missingTable(name, at: position) }
            let names = try aliasedNames(table.schema.map(\.name), alias, at: position)
            let scope = Scope(columns: zip(names, table.schema).map {
                ScopeColumn(table: alias?.name ?? table.name, name: $0, type: $1.type)
            })
            return (.scan(table: table.name, types: table.schema.map(\.type)), scope)
        case .tableFunction(let name, let arguments, let alias, let position):
            return try bindTableFunction(name, arguments, alias, at: position)
        case .pipeInput:
            guard let input = pipeInputs.last else { throw MinerQLError.internal("pipe input outside a pipe query") }
            return input
        case .file(let path, let alias, let position):
            guard let format = FileTableLoader.format(ofPath: path) else {
                throw MinerQLError(.catalog, "Table with name \(path) does not exist! Name a .csv or .json file, or use read_csv/read_json", at: position)
            }
            return try bindFile(path, format: format, options: [], alias, at: position)
        case .subquery(let query, let alias, let position):
            let bound = try bindQuery(query, frame: frame)
            let names = try aliasedNames(bound.names, alias, at: position)
            let scope = Scope(columns: zip(names, bound.plan.types).map { ScopeColumn(table: alias?.name, name: $0, type: $1) })
            return (bound.plan, scope)
        case .join(let leftRef, let rightRef, let kind, let condition, let position):
            let (left, leftScope) = try bindTableRef(leftRef, frame: frame)
            var (right, rightScope) = try bindTableRef(rightRef, frame: frame)
            let width = leftScope.columns.count
            var bound: BoundExpr?
            switch condition {
            case .none:
                bound = nil
            case .on(let expr):
                let binder = ExpressionBinder(binder: self, scope: leftScope + rightScope, frame: frame, clause: "JOIN condition")
                bound = try binder.bindCondition(expr)
            case .using(let names):
                let binder = ExpressionBinder(binder: self, scope: leftScope + rightScope, frame: frame)
                for name in names {
                    guard let (l, lt) = try leftScope.lookup(qualifier: nil, name: name, at: position),
                          let (r, rt) = try rightScope.lookup(qualifier: nil, name: name, at: position) else {
                        throw MinerQLError(.binder, "Column \"\(name)\" does not exist on \(try leftScope.lookup(qualifier: nil, name: name, at: position) == nil ? "left" : "right") side of join!", at: position)
                    }
                    rightScope.columns[r].usingDuplicate = true
                    let equal = try binder.bindBinary(.equal, .column(l, lt), .column(width + r, rt), at: position)
                    bound = bound.map { .and($0, equal) } ?? equal
                }
            }
            if kind == .asof || kind == .asofLeft {
                return (.asofJoin(try asofJoin(left, right, width: width, condition: bound, keepsUnmatched: kind == .asofLeft,
                                               usingInequality: { if case .using = condition { return true } else { return false } }(),
                                               at: position)),
                        leftScope + rightScope)
            }
            return (.join(left, right, kind, condition: bound), leftScope + rightScope)
        }
    }
}

extension PipeOperator {
    /// Whether the operator's output starts with its input's columns, unchanged
    /// in name and place, so the input's table names still reach them.
    var keepsColumns: Bool {
        switch self {
        case .filter, .extend, .set, .orderBy, .limit, .distinct: return true
        default: return false
        }
    }
}
