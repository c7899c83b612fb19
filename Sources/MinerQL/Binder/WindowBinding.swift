// Binding window function calls: `f(args) OVER (PARTITION BY … ORDER BY … frame)`.
// Each call becomes a BoundWindow computed by a window operator over the rows
// the SELECT sees (after grouping); the call itself binds to that operator's
// output column. Calls are numbered from a placeholder base until the width of
// the window's input is known, then shifted into place.

/// A window function call, bound.
struct BoundWindow: Equatable {
    /// The functions that exist only with OVER (every aggregate may also have one).
    static let functionNames = ["row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
                                "lag", "lead", "first_value", "last_value", "nth_value"]

    enum Function: Equatable {
        case rowNumber, rank, denseRank, percentRank, cumeDist, ntile
        case lag, lead, firstValue, lastValue, nthValue
        /// Any aggregate; its arguments, FILTER and ORDER BY are in the BoundAggregate.
        case aggregate(BoundAggregate)
    }

    var function: Function
    /// Evaluated over the window operator's input rows.
    var arguments: [BoundExpr]
    var partitionBy: [BoundExpr]
    var orderBy: [BoundOrder]
    var frame: BoundFrame
    var type: DataType
}

/// A bound frame: offsets are evaluated constants.
struct BoundFrame: Equatable {
    enum Bound: Equatable {
        case unboundedPreceding, preceding(Value), currentRow, following(Value), unboundedFollowing
    }

    var unit: WindowFrame.Unit
    var start: Bound
    var end: Bound

    /// The SQL default: with ORDER BY, from the partition's start through the
    /// current row's peers; without, the whole partition.
    static func standard(ordered: Bool) -> BoundFrame {
        BoundFrame(unit: .range, start: .unboundedPreceding, end: ordered ? .currentRow : .unboundedFollowing)
    }
}

/// The window calls of one SELECT.
final class WindowContext {
    /// Column indexes handed out before the input width is known start here.
    static let placeholderBase = 1 << 40

    private(set) var windows: [BoundWindow] = []
    /// `WINDOW name AS (…)` of the SELECT.
    let named: [String: WindowSpec]

    init(named: [String: WindowSpec]) { self.named = named }

    func column(for window: BoundWindow) -> BoundExpr {
        let index = windows.firstIndex(of: window) ?? {
            windows.append(window)
            return windows.count - 1
        }()
        return .column(WindowContext.placeholderBase + index, window.type)
    }

    /// Moves placeholder columns to follow an input of `width` columns.
    static func place(_ expr: BoundExpr, width: Int) -> BoundExpr {
        expr.mapColumns { index, type in
            .column(index >= placeholderBase ? index - placeholderBase + width : index, type)
        }
    }
}

extension ExpressionBinder {
    /// The named window a spec builds on, merged with the spec's own parts. A
    /// window that builds on itself, directly or through others, is refused as
    /// DuckDB refuses it (a window is known only once it is defined).
    private func resolve(_ spec: WindowSpec, at position: SourcePosition, seen: Set<String> = []) throws -> WindowSpec {
        guard let baseName = spec.base else { return spec }
        let key = Catalog.key(baseName)
        guard !seen.contains(key), let base = windows?.named[key] else {
            throw MinerQLError(.parser, "window \"\(baseName)\" does not exist", at: position)
        }
        var merged = try resolve(base, at: position, seen: seen.union([key]))
        if !spec.partitionBy.isEmpty { merged.partitionBy = spec.partitionBy }
        if !spec.orderBy.isEmpty { merged.orderBy = spec.orderBy }
        if let frame = spec.frame { merged.frame = frame }
        merged.base = nil
        return merged
    }

    func bindWindow(_ name: String, _ arguments: [Expr], _ over: WindowSpec, distinct: Bool, filter: Expr?,
                    orderBy aggregateOrder: [OrderItem], at position: SourcePosition) throws -> BoundExpr {
        guard let windows else {
            if clause?.hasPrefix("aggregate") == true {
                throw MinerQLError(.binder, "aggregate function calls cannot contain window function calls", at: position)
            }
            if clause?.hasPrefix("window") == true {
                throw MinerQLError(.binder, "window function calls cannot be nested", at: position)
            }
            throw MinerQLError(.binder, "\(clause ?? "this clause") cannot contain window functions!", at: position)
        }
        let isAggregate = AggregateFunction.named(name) != nil
        if !isAggregate && (filter != nil || distinct || !aggregateOrder.isEmpty) {
            // DuckDB's wording, doubled quotes included.
            let clause = filter != nil ? "FILTER" : distinct ? "DISTINCT" : "ORDER BY"
            throw MinerQLError(.binder, "\(clause) is not implemented for the window function \"\"\(name)\"\"", at: position)
        }
        let spec = try resolve(over, at: position)
        // Arguments, partitions and orders see the rows the window runs over:
        // after grouping, so aggregates inside a window are allowed.
        let input = ExpressionBinder(binder: binder, scope: scope, frame: frame, aggregation: aggregation,
                                     clause: "window function calls cannot be nested")
        let args = try arguments.map { argument -> BoundExpr in
            if case .star(nil) = argument.kind { return .constant(.null, .null) }
            return try input.bind(argument)
        }
        let partitionBy = try spec.partitionBy.map(input.bind)
        let orderBy = try spec.orderBy.map {
            BoundOrder(expression: try input.bind($0.expression), descending: $0.descending, nullsFirst: input.binder.settings.nullsFirst($0.nullsFirst, descending: $0.descending))
        }
        func count(_ expected: ClosedRange<Int>) throws {
            guard expected.contains(args.count) else {
                throw MinerQLError(.binder, "No function matches the given name and argument types '\(name)(\(args.map(\.type.description).joined(separator: ", ")))'. You might need to add explicit type casts.", at: position)
            }
        }
        let function: BoundWindow.Function
        var boundArgs = args
        var type: DataType
        switch name {
        case "row_number": try count(0...0); function = .rowNumber; type = .bigint
        case "rank": try count(0...0); function = .rank; type = .bigint
        case "dense_rank": try count(0...0); function = .denseRank; type = .bigint
        case "percent_rank": try count(0...0); function = .percentRank; type = .double
        case "cume_dist": try count(0...0); function = .cumeDist; type = .double
        case "ntile":
            try count(1...1)
            function = .ntile
            type = .bigint
            boundArgs[0] = try cast(args[0], to: .bigint, at: position)
        case "lag", "lead":
            try count(1...3)
            function = name == "lag" ? .lag : .lead
            type = args[0].type
            if args.count > 1 { boundArgs[1] = try cast(args[1], to: .bigint, at: position) }
            if args.count > 2 {
                let common = DataType.common(type, args[2].type) ?? type
                type = common
                boundArgs[0] = try cast(args[0], to: common, at: position)
                boundArgs[2] = try cast(args[2], to: common, at: position)
            }
        case "first_value", "last_value":
            try count(1...1)
            function = name == "first_value" ? .firstValue : .lastValue
            type = args[0].type
        case "nth_value":
            try count(2...2)
            function = .nthValue
            type = args[0].type
            boundArgs[1] = try cast(args[1], to: .bigint, at: position)
        default:
            guard let aggregate = AggregateFunction.named(name) else {
                throw MinerQLError(.catalog, "Aggregate Function with name \(name) does not exist!", at: position)
            }
            let call = try input.aggregateCall(aggregate, name: name, arguments, distinct: distinct, filter: filter,
                                               orderBy: aggregateOrder, at: position)
            boundArgs = call.argument.map { [$0] } ?? []
            function = .aggregate(call)
            type = call.type
        }
        if type == .null { type = .bigint }
        var frame = BoundFrame.standard(ordered: !orderBy.isEmpty)
        if let given = spec.frame {
            func bound(_ b: WindowFrame.Bound) throws -> BoundFrame.Bound {
                func offset(_ e: Expr) throws -> Value {
                    let value = try binder.evaluateConstant(try ExpressionBinder(binder: binder, scope: Scope(), frame: nil).bind(e))
                    switch value {
                    case .bigint(let n) where n >= 0: return value
                    case .double(let d) where d >= 0: return value
                    default: throw MinerQLError(.binder, "Frame offsets must be non-negative constants", at: e.position)
                    }
                }
                switch b {
                case .unboundedPreceding: return .unboundedPreceding
                case .unboundedFollowing: return .unboundedFollowing
                case .currentRow: return .currentRow
                case .preceding(let e): return .preceding(try offset(e))
                case .following(let e): return .following(try offset(e))
                }
            }
            frame = BoundFrame(unit: given.unit, start: try bound(given.start), end: try bound(given.end))
            if frame.unit == .range, [frame.start, frame.end].contains(where: { if case .preceding = $0 { return true }; if case .following = $0 { return true }; return false }) {
                guard orderBy.count == 1, [.bigint, .double, .date].contains(orderBy[0].expression.type) else {
                    throw MinerQLError(.binder, "RANGE frames with an offset need exactly one ORDER BY expression of a numeric or date type", at: position)
                }
            }
        }
        return windows.column(for: BoundWindow(function: function, arguments: boundArgs, partitionBy: partitionBy,
                                               orderBy: orderBy, frame: frame, type: type))
    }
}
