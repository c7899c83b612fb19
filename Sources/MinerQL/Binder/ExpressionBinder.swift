// Binds expressions: resolves names against a scope (and, for correlated
// subqueries, against the enclosing query), picks function overloads, inserts the
// implicit casts of DuckDB's type rules and folds constants. In a grouped query it
// also maps each expression onto the aggregate's output: group expressions become
// references to group columns and aggregate calls to aggregate columns.

/// Links a subquery to the query it sits in: names the subquery cannot resolve
/// are bound by `outer`, and their values reach the subquery as parameter slots.
final class SubqueryFrame {
    let outer: ExpressionBinder
    /// Expressions in the outer query's context; slot i holds correlations[i].
    private(set) var correlations: [BoundExpr] = []

    init(outer: ExpressionBinder) { self.outer = outer }

    func slot(for expr: BoundExpr) -> Int {
        if let existing = correlations.firstIndex(of: expr) { return existing }
        correlations.append(expr)
        return correlations.count - 1
    }
}

/// The group expressions and aggregate calls of a grouped query being bound.
final class AggregationContext {
    let groups: [BoundExpr]
    private(set) var aggregates: [BoundAggregate] = []

    init(groups: [BoundExpr]) { self.groups = groups }

    /// The output column of an aggregate call, adding it if new.
    func column(for aggregate: BoundAggregate) -> BoundExpr {
        let index = aggregates.firstIndex(of: aggregate) ?? {
            aggregates.append(aggregate)
            return aggregates.count - 1
        }()
        return .column(groups.count + index, aggregate.type)
    }
}

final class ExpressionBinder {
    let binder: Binder
    let scope: Scope
    let frame: SubqueryFrame?
    let aggregation: AggregationContext?
    /// Collects window calls where they are allowed (SELECT, ORDER BY, QUALIFY).
    let windows: WindowContext?
    /// Names the clause for "cannot contain aggregates" errors; nil allows them.
    let clause: String?

    init(binder: Binder, scope: Scope, frame: SubqueryFrame?, aggregation: AggregationContext? = nil,
         windows: WindowContext? = nil, clause: String? = nil) {
        self.binder = binder
        self.scope = scope
        self.frame = frame
        self.aggregation = aggregation
        self.windows = windows
        self.clause = clause
    }

    /// The same scope without grouping: how group expressions and aggregate
    /// arguments are bound.
    private var plain: ExpressionBinder {
        ExpressionBinder(binder: binder, scope: scope, frame: frame, clause: "aggregate function calls cannot be nested")
    }

    // MARK: - Entry points

    func bind(_ expr: Expr) throws -> BoundExpr {
        if let aggregation, !ExpressionBinder.containsAggregateOrSubquery(expr), !isLiteral(expr),
           let bound = try? plain.bindNode(expr), !bound.isConstant,
           let group = aggregation.groups.firstIndex(of: bound) {
            return .column(group, bound.type)
        }
        return try fold(try bindNode(expr))
    }

    /// Binds a condition (WHERE, HAVING, ON, WHEN): the result must be BOOLEAN.
    func bindCondition(_ expr: Expr) throws -> BoundExpr {
        try toBoolean(try bind(expr), at: expr.position)
    }

    private func isLiteral(_ expr: Expr) -> Bool {
        if case .literal = expr.kind { return true }
        return false
    }

    /// True if the expression calls a window function outside any subquery.
    static func containsWindow(_ expr: Expr) -> Bool {
        var found = false
        visit(expr) { node in
            if case .function(_, _, _, _, let over, _) = node.kind, over != nil { found = true }
        }
        return found
    }

    /// True if the expression calls an aggregate outside any subquery.
    static func containsAggregate(_ expr: Expr) -> Bool {
        var found = false
        visit(expr) { node in
            if case .function(let name, _, _, _, nil, _) = node.kind, AggregateFunction.named(name) != nil { found = true }
        }
        return found
    }

    private static func containsAggregateOrSubquery(_ expr: Expr) -> Bool {
        var found = false
        visit(expr) { node in
            switch node.kind {
            case .function(let name, _, _, _, let over, _) where over != nil || AggregateFunction.named(name) != nil: found = true
            case .scalarSubquery, .exists, .inSubquery: found = true
            default: break
            }
        }
        return found
    }

    /// Calls `body` on every node of the expression, not descending into subqueries.
    static func visit(_ expr: Expr, _ body: (Expr) -> Void) {
        body(expr)
        switch expr.kind {
        case .literal, .column, .star, .parameter, .scalarSubquery, .exists, .structLiteral: break
        case .negate(let e), .not(let e), .cast(let e, _), .isNull(let e, _), .inSubquery(let e, _, _): visit(e, body)
        case .binary(_, let a, let b), .isDistinctFrom(let a, let b, _), .like(let a, let b, _, _):
            visit(a, body)
            visit(b, body)
        case .function(_, let args, _, let filter, let over, let orderBy):
            args.forEach { visit($0, body) }
            orderBy.forEach { visit($0.expression, body) }
            filter.map { visit($0, body) }
            over?.partitionBy.forEach { visit($0, body) }
            over?.orderBy.forEach { visit($0.expression, body) }
        case .caseWhen(let operand, let branches, let otherwise):
            operand.map { visit($0, body) }
            for branch in branches {
                visit(branch.condition, body)
                visit(branch.result, body)
            }
            otherwise.map { visit($0, body) }
        case .between(let e, let low, let high, _):
            visit(e, body)
            visit(low, body)
            visit(high, body)
        case .inList(let e, let list, _):
            visit(e, body)
            list.forEach { visit($0, body) }
        }
    }

    // MARK: - Nodes

    private func bindNode(_ expr: Expr) throws -> BoundExpr {
        let position = expr.position
        switch expr.kind {
        case .literal(let literal):
            return try bindLiteral(literal, at: position)
        case .column(let qualifier, let name):
            return try resolveColumn(qualifier: qualifier, name: name, at: position)
        case .star:
            throw MinerQLError(.binder, "* expression is not allowed here", at: position)
        case .structLiteral:
            throw MinerQLError(.notImplemented, "STRUCT values are only supported as options of table functions", at: position)
        case .parameter(let name):
            guard let value = binder.parameters[name] else {
                throw MinerQLError(.binder, "Parameter $\(name) is not set", at: position)
            }
            return .constant(value, value.type)
        case .negate(let inner):
            let operand = try bind(inner)
            switch operand.type {
            case .bigint, .double, .interval: return .negate(operand, at: position)
            case .null: return .constant(.null, .bigint)
            default:
                throw MinerQLError(.binder, "No function matches the given name and argument types '-(\(operand.type))'. You might need to add explicit type casts.", at: position)
            }
        case .not(let inner):
            return .not(try toBoolean(try bind(inner), at: inner.position))
        case .binary(let op, let a, let b):
            return try bindBinary(op, try bind(a), try bind(b), at: position)
        case .cast(let inner, let type):
            let operand = try bind(inner)
            return operand.type == type ? operand : .cast(operand, type, at: position)
        case .isNull(let inner, let negated):
            return .isNull(try bind(inner), negated: negated)
        case .isDistinctFrom(let a, let b, let negated):
            let (l, r) = try coerceForComparison(try bind(a), try bind(b), at: position)
            return .isDistinctFrom(l, r, negated: negated)
        case .between(let value, let low, let high, let negated):
            let v = try bind(value)
            let lower = try bindBinary(.greaterEqual, v, try bind(low), at: position)
            let upper = try bindBinary(.lessEqual, v, try bind(high), at: position)
            let both = BoundExpr.and(lower, upper)
            return negated ? .not(both) : both
        case .inList(let probe, let list, let negated):
            var p = try bind(probe)
            var elements = try list.map(bind)
            for (i, element) in elements.enumerated() {
                let (l, r) = try coerceForComparison(p, element, at: list[i].position)
                if l.type != p.type { p = l; elements = try elements.map { try cast($0, to: l.type, at: position) } }
                elements[i] = r
            }
            return .inList(p, try elements.map { try cast($0, to: p.type, at: position) }, negated: negated)
        case .like(let value, let pattern, let caseInsensitive, let negated):
            let v = try cast(try bind(value), to: .varchar, at: value.position, implicit: true)
            let p = try cast(try bind(pattern), to: .varchar, at: pattern.position, implicit: true)
            return .like(v, pattern: p, caseInsensitive: caseInsensitive, negated: negated)
        case .caseWhen(let operand, let branches, let otherwise):
            return try bindCase(operand, branches, otherwise, at: position)
        case .function(let name, let arguments, let distinct, let filter, let over, let orderBy):
            if let over {
                return try bindWindow(name, arguments, over, distinct: distinct, filter: filter, orderBy: orderBy, at: position)
            }
            return try bindFunction(name, arguments, distinct: distinct, filter: filter, orderBy: orderBy, at: position)
        case .scalarSubquery(let query):
            let (subquery, width) = try bindSubquery(query, kind: .scalar, probe: nil, at: position)
            guard width == 1 else {
                throw MinerQLError(.binder, "Subquery returns \(width) columns - expected 1", at: position)
            }
            return subquery
        case .exists(let query):
            return try bindSubquery(query, kind: .exists, probe: nil, at: position).0
        case .inSubquery(let probe, let query, let negated):
            let p = try bind(probe)
            let frame = SubqueryFrame(outer: self)
            var bound = try binder.bindQuery(query, frame: frame)
            guard bound.plan.types.count == 1 else {
                throw MinerQLError(.binder, "Subquery returns \(bound.plan.types.count) columns - expected 1", at: position)
            }
            let columnType = bound.plan.types[0]
            guard let common = DataType.common(p.type, columnType) ?? comparableType(p.type, columnType) else {
                throw MinerQLError(.binder, "Cannot compare values of type \(p.type) and \(columnType) in IN/ANY/ALL clause - an explicit cast is required", at: position)
            }
            if columnType != common {
                bound.plan = .project(bound.plan, [.cast(.column(0, columnType), common, at: position)])
            }
            return .subquery(BoundSubquery(kind: .inList(negated: negated), plan: bound.plan, correlations: frame.correlations,
                                           probe: try cast(p, to: common, at: position), position: position))
        }
    }

    private func comparableType(_ a: DataType, _ b: DataType) -> DataType? {
        if (a == .date && b == .varchar) || (a == .varchar && b == .date) { return .date }
        if (a == .timestamp && b == .varchar) || (a == .varchar && b == .timestamp) { return .timestamp }
        return nil
    }

    private func bindSubquery(_ query: SelectStatement, kind: BoundSubquery.Kind, probe: BoundExpr?,
                              at position: SourcePosition) throws -> (BoundExpr, Int) {
        let frame = SubqueryFrame(outer: self)
        let bound = try binder.bindQuery(query, frame: frame)
        let subquery = BoundSubquery(kind: kind, plan: bound.plan, correlations: frame.correlations, probe: probe, position: position)
        return (.subquery(subquery), bound.plan.types.count)
    }

    private func bindLiteral(_ literal: Literal, at position: SourcePosition) throws -> BoundExpr {
        switch literal {
        case .null: return .constant(.null, .null)
        case .boolean(let b): return .constant(.boolean(b), .boolean)
        case .integer(let digits):
            if let value = Int64(digits) { return .constant(.bigint(value), .bigint) }
            return .constant(.double(Double(digits) ?? .nan), .double)
        case .decimal(let digits):
            return .constant(.double(Double(digits) ?? .nan), .double)
        case .string(let text): return .constant(.varchar(text), .varchar)
        case .typed(let type, let text):
            return .constant(try Cast.value(parsing: text, as: type, at: position), type)
        }
    }

    /// Resolves a column name in this scope, else in the enclosing queries.
    func resolveColumn(qualifier: String?, name: String, at position: SourcePosition) throws -> BoundExpr {
        if let (index, type) = try scope.lookup(qualifier: qualifier, name: name, at: position) {
            let column = BoundExpr.column(index, type)
            guard let aggregation else { return column }
            if let group = aggregation.groups.firstIndex(of: column) { return .column(group, type) }
            let quoted = name  // DuckDB names the column without its table
            if clause == "HAVING" {
                throw MinerQLError(.binder, "column \"\(quoted)\" must appear in the GROUP BY clause or be used in an aggregate function", at: position)
            }
            throw MinerQLError(.binder, "column \"\(quoted)\" must appear in the GROUP BY clause or must be part of an aggregate function.\nEither add it to the GROUP BY list, or use ANY_VALUE(\"\(quoted)\") if the exact value of \"\(quoted)\" is not important.", at: position)
        }
        if let frame, let outer = try? frame.outer.resolveColumn(qualifier: qualifier, name: name, at: position) {
            return .outerParameter(frame.slot(for: outer), outer.type)
        }
        if let qualifier, let (value, type) = binder.triggerRow?.lookup(qualifier: qualifier, name: name) {
            return .constant(value, type)
        }
        if let qualifier, !scope.hasTable(qualifier), !(frame.map { $0.outer.knowsTable(qualifier) } ?? false) {
            var message = "Referenced table \"\(qualifier)\" not found!"
            if let suggestion = closestMatch(to: qualifier, in: scope.tableNames) { message += " Did you mean \"\(suggestion)\"?" }
            throw MinerQLError(.binder, message, at: position)
        }
        let full = qualifier.map { "\($0).\(name)" } ?? name
        var message = "Referenced column \"\(full)\" not found in FROM clause!"
        let candidates = scope.columns.filter { column in
            qualifier.map { q in column.table?.caseInsensitiveEquals(q) == true } ?? true
        }.map(\.name)
        if let suggestion = closestMatch(to: name, in: candidates) { message += " Did you mean \"\(suggestion)\"?" }
        throw MinerQLError(.binder, message, at: position)
    }

    private func knowsTable(_ name: String) -> Bool {
        scope.hasTable(name) || (frame?.outer.knowsTable(name) ?? false)
    }

    // MARK: - Types and casts

    /// Casts to `type`, folding constants; `implicit` casts only what DuckDB
    /// would cast implicitly.
    func cast(_ expr: BoundExpr, to type: DataType, at position: SourcePosition, implicit: Bool = false) throws -> BoundExpr {
        if expr.type == type { return expr }
        if implicit && expr.type != .null && !expr.isConstant && type == .varchar {
            throw MinerQLError(.binder, "No function matches the given name and argument types of type \(expr.type) - an explicit cast to \(type) is required", at: position)
        }
        return try fold(.cast(expr, type, at: position))
    }

    func toBoolean(_ expr: BoundExpr, at position: SourcePosition) throws -> BoundExpr {
        switch expr.type {
        case .boolean: return expr
        case .null, .bigint, .double, .varchar: return try cast(expr, to: .boolean, at: position)
        default:
            throw MinerQLError(.binder, "Cannot implicitly cast \(expr.type) to BOOLEAN", at: position)
        }
    }

    /// Evaluates a constant expression now; leaves it alone if evaluation fails
    /// (a guarded branch such as `CASE WHEN false THEN 1 // 0 END` must not fail).
    func fold(_ expr: BoundExpr) throws -> BoundExpr {
        guard expr.isConstant else { return expr }
        if case .constant = expr { return expr }
        guard let value = try? binder.evaluateConstant(expr) else { return expr }
        return .constant(value, expr.type)
    }

    private func isStringConstant(_ e: BoundExpr) -> Bool {
        if case .constant(.varchar, _) = e { return true }
        return false
    }

    /// Brings two comparison operands to one type, as DuckDB does: numbers meet
    /// as DOUBLE, a string literal takes the other side's type, a VARCHAR meets a
    /// DATE as DATE.
    func coerceForComparison(_ a: BoundExpr, _ b: BoundExpr, at position: SourcePosition) throws -> (BoundExpr, BoundExpr) {
        if a.type == b.type { return (a, b) }
        if let common = DataType.common(a.type, b.type) {
            return (try cast(a, to: common, at: position), try cast(b, to: common, at: position))
        }
        if isStringConstant(a) { return (try cast(a, to: b.type, at: position), b) }
        if isStringConstant(b) { return (a, try cast(b, to: a.type, at: position)) }
        if let type = comparableType(a.type, b.type) {
            return (try cast(a, to: type, at: position), try cast(b, to: type, at: position))
        }
        if a.type == .varchar && b.isConstant { return (a, try cast(b, to: .varchar, at: position)) }
        if b.type == .varchar && a.isConstant { return (try cast(a, to: .varchar, at: position), b) }
        throw MinerQLError(.binder, "Cannot compare values of type \(a.type) and type \(b.type) - an explicit cast is required", at: position)
    }

    func bindBinary(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, at position: SourcePosition) throws -> BoundExpr {
        switch op {
        case .and: return try fold(.and(try toBoolean(a, at: position), try toBoolean(b, at: position)))
        case .or: return try fold(.or(try toBoolean(a, at: position), try toBoolean(b, at: position)))
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let (l, r) = try coerceForComparison(a, b, at: position)
            return try fold(.comparison(op, l, r))
        case .concat:
            let l = try cast(a, to: .varchar, at: position), r = try cast(b, to: .varchar, at: position)
            return try fold(.arithmetic(.concat, l, r, .varchar, at: position))
        case .add, .subtract, .multiply, .divide, .integerDivide, .modulo:
            return try fold(try bindArithmetic(op, a, b, at: position))
        }
    }

    private func bindArithmetic(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, at position: SourcePosition) throws -> BoundExpr {
        var (l, r) = (a, b)
        // A string literal or NULL takes the type of the other side.
        if isStringConstant(l) && r.type != .varchar { l = try cast(l, to: r.type == .null ? .double : r.type, at: position) }
        if isStringConstant(r) && l.type != .varchar { r = try cast(r, to: l.type == .null ? .double : l.type, at: position) }
        if l.type == .null && r.type == .null { return .constant(.null, .bigint) }
        if l.type == .null { l = .constant(.null, r.type == .date ? .bigint : r.type) }
        if r.type == .null { r = .constant(.null, l.type == .date ? .bigint : l.type) }
        switch (l.type, r.type) {
        case (.bigint, .bigint):
            if op == .divide && !binder.settings.integerDivision {
                return .arithmetic(.divide, try cast(l, to: .double, at: position), try cast(r, to: .double, at: position), .double, at: position)
            }
            return .arithmetic(op == .divide ? .integerDivide : op, l, r, .bigint, at: position)
        case (.double, .double), (.bigint, .double), (.double, .bigint):
            return .arithmetic(op, try cast(l, to: .double, at: position), try cast(r, to: .double, at: position), .double, at: position)
        case (.date, .bigint) where op == .add || op == .subtract, (.bigint, .date) where op == .add:
            return .arithmetic(op, l, r, .date, at: position)
        case (.date, .date) where op == .subtract:
            return .arithmetic(op, l, r, .bigint, at: position)
        case (.date, .interval) where op == .add || op == .subtract, (.timestamp, .interval) where op == .add || op == .subtract:
            return .arithmetic(op, try cast(l, to: .timestamp, at: position), r, .timestamp, at: position)
        case (.interval, .date) where op == .add, (.interval, .timestamp) where op == .add:
            return .arithmetic(op, try cast(r, to: .timestamp, at: position), l, .timestamp, at: position)
        case (.interval, .interval) where op == .add || op == .subtract:
            return .arithmetic(op, l, r, .interval, at: position)
        case (.interval, .bigint) where op == .multiply || op == .divide:
            return .arithmetic(op, l, r, .interval, at: position)
        case (.bigint, .interval) where op == .multiply:
            return .arithmetic(op, r, l, .interval, at: position)
        case (.timestamp, .timestamp) where op == .subtract, (.timestamp, .date) where op == .subtract, (.date, .timestamp) where op == .subtract:
            return .arithmetic(op, try cast(l, to: .timestamp, at: position), try cast(r, to: .timestamp, at: position), .interval, at: position)
        default:
            throw MinerQLError(.binder, "No function matches the given name and argument types '\(op.rawValue)(\(a.type), \(b.type))'. You might need to add explicit type casts.", at: position)
        }
    }

    private func bindCase(_ operand: Expr?, _ branches: [CaseBranch], _ otherwise: Expr?, at position: SourcePosition) throws -> BoundExpr {
        let subject = try operand.map(bind)
        var conditions: [BoundExpr] = []
        var results: [BoundExpr] = []
        for branch in branches {
            let condition = try bind(branch.condition)
            if let subject {
                conditions.append(try bindBinary(.equal, subject, condition, at: branch.condition.position))
            } else {
                conditions.append(try toBoolean(condition, at: branch.condition.position))
            }
            results.append(try bind(branch.result))
        }
        let fallback = try otherwise.map(bind) ?? .constant(.null, .null)
        var type = DataType.null
        for result in results + [fallback] {
            if let common = DataType.common(type, result.type) {
                type = common
            } else if type == .varchar || result.type == .varchar {
                type = .varchar
            } else {
                throw MinerQLError(.binder, "Cannot mix values of type \(type) and \(result.type) in CASE expression - an explicit cast is required", at: position)
            }
        }
        let bound = try zip(conditions, results).map {
            BoundCaseBranch(condition: $0, result: try cast($1, to: type, at: position))
        }
        return try fold(.caseWhen(bound, otherwise: try cast(fallback, to: type, at: position), type))
    }

    /// Binds the arguments, FILTER and ORDER BY of an aggregate call with this
    /// binder (which sees the rows being aggregated), applying each function's
    /// argument rules.
    func aggregateCall(_ function: AggregateFunction, name: String, _ arguments: [Expr], distinct: Bool, filter: Expr?,
                       orderBy: [OrderItem], at position: SourcePosition) throws -> BoundAggregate {
        var argument: BoundExpr?
        var second: BoundExpr?
        if arguments.count == 1, case .star(nil) = arguments[0].kind, function == .count {
            argument = nil
        } else if function.argumentCounts.contains(arguments.count) && !arguments.isEmpty {
            argument = try bind(arguments[0])
            if arguments.count == 2 { second = try bind(arguments[1]) }
        } else if !(arguments.isEmpty && function == .count) {
            throw MinerQLError(.binder, "No function matches the given name and argument types '\(name)(\(arguments.count) arguments)'. You might need to add explicit type casts.", at: position)
        }
        switch function {
        case .quantileCont:
            guard let q = second, q.isConstant, case .double(let fraction) = try binder.evaluateConstant(self.cast(q, to: .double, at: position)),
                  fraction >= -1, fraction <= 1 else {
                throw MinerQLError(.binder, "QUANTILE can only take parameters in the range [-1, 1]", at: position)
            }
            // A negative fraction counts from the top, as in DuckDB.
            second = .constant(.double(fraction < 0 ? 1 + fraction : fraction), .double)
        case .corr:
            second = try second.map { try self.cast($0, to: .double, at: position) }
            argument = try argument.map { try self.cast($0, to: .double, at: position) }
        case .stringAgg:
            argument = try argument.map { try self.cast($0, to: .varchar, at: position) }
            second = try self.cast(second ?? .constant(.varchar(","), .varchar), to: .varchar, at: position)
        default: break
        }
        let argumentType = argument?.type ?? .bigint
        guard let resultType = function.resultType(for: argumentType) else {
            throw MinerQLError(.binder, "No function matches the given name and argument types '\(name)(\(argumentType))'. You might need to add explicit type casts.", at: position)
        }
        if function == .sum || function == .avg, let a = argument, a.type == .null {
            argument = .constant(.null, .double)
        }
        let boundFilter = try filter.map { try bindCondition($0) }
        // ORDER BY inside the call orders the values an order-sensitive aggregate sees.
        let boundOrder = try orderBy.map {
            BoundOrder(expression: try bind($0.expression), descending: $0.descending, nullsFirst: binder.settings.nullsFirst($0.nullsFirst, descending: $0.descending))
        }
        return BoundAggregate(function: function, argument: argument, secondArgument: second,
                              distinct: distinct && function != .min && function != .max,
                              filter: boundFilter, orderBy: function == .stringAgg ? boundOrder : [], type: resultType)
    }

    private func bindFunction(_ name: String, _ arguments: [Expr], distinct: Bool, filter: Expr?, orderBy: [OrderItem],
                              at position: SourcePosition) throws -> BoundExpr {
        if let function = AggregateFunction.named(name) {
            guard let aggregation else {
                throw MinerQLError(.binder, clause.map { $0.hasPrefix("aggregate") ? $0 : "\($0) cannot contain aggregates!" }
                                   ?? "aggregate function calls cannot be nested", at: position)
            }
            return aggregation.column(for: try plain.aggregateCall(function, name: name, arguments, distinct: distinct, filter: filter,
                                                                   orderBy: orderBy, at: position))
        }
        if filter != nil || !orderBy.isEmpty {
            throw MinerQLError(.binder, "\(filter != nil ? "FILTER" : "ORDER BY") can only be used with aggregate functions", at: position)
        }
        let bound = try arguments.map(bind)
        let function = try FunctionRegistry.resolve(name, bound.map(\.type), at: position)
        let cast = try zip(bound, function.argumentTypes).map { try self.cast($0, to: $1, at: position) }
        return try fold(.function(function, cast, at: position))
    }
}
