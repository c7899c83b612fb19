// The logical plan: relational operators over bound expressions, as the binder
// builds them. The physical planner (PhysicalPlanner.swift) picks algorithms.

/// An aggregate call of a grouped query.
struct BoundAggregate: Equatable {
    var function: AggregateFunction
    /// nil for `count(*)`.
    var argument: BoundExpr?
    /// The second argument of arg_max/arg_min (the value compared), corr (x),
    /// quantile_cont (the fraction) and string_agg (the separator).
    var secondArgument: BoundExpr? = nil
    var distinct: Bool
    /// `FILTER (WHERE …)`: only rows where it is TRUE are aggregated.
    var filter: BoundExpr? = nil
    /// `string_agg(x, sep ORDER BY …)`: the order the values are joined in.
    var orderBy: [BoundOrder] = []
    var type: DataType
}

/// A sort key.
struct BoundOrder: Equatable {
    var expression: BoundExpr
    var descending: Bool
    var nullsFirst: Bool
}

/// A table held by a plan rather than the catalog; plans compare it by identity.
final class InlineTable: Equatable {
    let table: Table
    init(_ table: Table) { self.table = table }
    static func == (a: InlineTable, b: InlineTable) -> Bool { a === b }
}

/// A WITH table as its readers see it: bound once, and shared by every place
/// the query names it.
final class CTEReference: Equatable {
    let id: Int
    let plan: LogicalPlan
    /// How many places of the query read the table (final once binding is done).
    private(set) var uses = 0
    /// The plan as it runs, optimized once for all its readers.
    private(set) lazy var optimizedPlan: LogicalPlan = plan.optimized

    init(id: Int, plan: LogicalPlan) {
        self.id = id
        self.plan = plan
    }

    /// Counts one more place that reads the table.
    func countRead() { uses += 1 }

    static func == (a: CTEReference, b: CTEReference) -> Bool { a === b }
}

/// An ASOF join: equality keys, and one inequality `leftValue op rightValue`
/// (`>=`, `>`, `<=`, `<`) of which the nearest right row wins.
struct AsofJoin: Equatable {
    var left: LogicalPlan
    var right: LogicalPlan
    var leftKeys: [BoundExpr]
    /// Over the right input's own columns.
    var rightKeys: [BoundExpr]
    var leftValue: BoundExpr
    var rightValue: BoundExpr
    var op: BinaryOperator
    /// ASOF LEFT JOIN keeps left rows without a match.
    var keepsUnmatched: Bool
}

/// A relational operator tree; each node knows its output column types.
indirect enum LogicalPlan: Equatable {
    case scan(table: String, types: [DataType])
    /// A table that is not in the catalog: read from a file while binding.
    case inline(InlineTable)
    /// range(…) / generate_series(…).
    case series(Series)
    /// Constant rows (SELECT without FROM, VALUES).
    case values(rows: [[BoundExpr]], types: [DataType])
    case filter(LogicalPlan, BoundExpr)
    case project(LogicalPlan, [BoundExpr])
    /// Output: the group expressions, then the aggregates.
    case aggregate(LogicalPlan, groups: [BoundExpr], aggregates: [BoundAggregate])
    /// Output: the left columns, then the right columns.
    case join(LogicalPlan, LogicalPlan, JoinKind, condition: BoundExpr?)
    case sort(LogicalPlan, [BoundOrder])
    case limit(LogicalPlan, limit: Int?, offset: Int)
    case distinct(LogicalPlan)
    /// ASOF join. Output: the left columns, then the right columns.
    case asofJoin(AsofJoin)
    /// Output: the input's columns, then one column per window function.
    case window(LogicalPlan, [BoundWindow])
    /// UNION/INTERSECT/EXCEPT of two inputs of the same column types.
    case setOperation(SetOperator, all: Bool, LogicalPlan, LogicalPlan)
    /// `WITH RECURSIVE`: the anchor's rows, then the step's rows over the
    /// previous iteration's rows (`workingTable(id)`) until none are new.
    case recursiveCTE(id: Int, anchor: LogicalPlan, step: LogicalPlan, all: Bool)
    /// The rows of the current iteration of recursive CTE `id`.
    case workingTable(id: Int, types: [DataType])
    /// A WITH table read here. Read once, the optimizer inlines it into its
    /// reader (filters and pruning reach into it). Read more than once, it runs
    /// once per statement and each reader scans its rows, as DuckDB
    /// materializes such tables: a chain of WITH tables each reading the
    /// previous one twice is no longer exponential in time and memory.
    case cte(CTEReference)

    /// The columns of a file or table read whole and in order (SELECT * over
    /// it, nothing else), which a new table can share without copying.
    var wholeTableColumns: [Vector]? {
        switch self {
        case .inline(let inline): return inline.table.columns
        case .project(let input, let expressions):
            guard let columns = input.wholeTableColumns, expressions.count == columns.count,
                  expressions.enumerated().allSatisfy({ if case .column($0.offset, _) = $0.element { return true } else { return false } })
            else { return nil }
            return columns
        default: return nil
        }
    }

    /// The plan as it runs: filters pushed down, then unread columns dropped.
    var optimized: LogicalPlan {
        ColumnPruning.optimize(FilterPushdown.optimize(self))
    }

    var types: [DataType] {
        switch self {
        case .scan(_, let types), .values(_, let types): return types
        case .inline(let inline): return inline.table.schema.map(\.type)
        case .series(let series): return [series.type]
        case .filter(let input, _), .sort(let input, _), .limit(let input, _, _), .distinct(let input):
            return input.types
        case .setOperation(_, _, let left, _): return left.types
        case .window(let input, let windows): return input.types + windows.map(\.type)
        case .asofJoin(let join): return join.left.types + join.right.types
        case .recursiveCTE(_, let anchor, _, _): return anchor.types
        case .workingTable(_, let types): return types
        case .cte(let reference): return reference.plan.types
        case .project(_, let exprs): return exprs.map(\.type)
        case .aggregate(_, let groups, let aggregates): return groups.map(\.type) + aggregates.map(\.type)
        case .join(let left, let right, _, _): return left.types + right.types
        }
    }
}
