// Resolved, typed expressions: what the binder produces from `Expr` and what the
// expression compiler turns into vector kernels. Column references are indexes
// into the input chunk of the operator that evaluates the expression.

/// A resolved expression with a known result type.
indirect enum BoundExpr: Equatable {
    /// Column `index` of the input chunk.
    case column(Int, DataType)
    case constant(Value, DataType)
    /// Slot `index` of the innermost correlated-subquery frame: a value from the
    /// outer query's current row.
    case outerParameter(Int, DataType)
    case cast(BoundExpr, DataType, at: SourcePosition)
    case negate(BoundExpr, at: SourcePosition)
    case not(BoundExpr)
    case arithmetic(BinaryOperator, BoundExpr, BoundExpr, DataType, at: SourcePosition)
    case comparison(BinaryOperator, BoundExpr, BoundExpr)
    /// `IS [NOT] DISTINCT FROM`: a comparison in which NULLs are equal.
    case isDistinctFrom(BoundExpr, BoundExpr, negated: Bool)
    case and(BoundExpr, BoundExpr)
    case or(BoundExpr, BoundExpr)
    case isNull(BoundExpr, negated: Bool)
    case inList(BoundExpr, [BoundExpr], negated: Bool)
    case like(BoundExpr, pattern: BoundExpr, caseInsensitive: Bool, negated: Bool)
    case caseWhen([BoundCaseBranch], otherwise: BoundExpr, DataType)
    case function(ScalarFunction, [BoundExpr], at: SourcePosition)
    case subquery(BoundSubquery)

    var type: DataType {
        switch self {
        case .column(_, let t), .constant(_, let t), .outerParameter(_, let t), .cast(_, let t, _),
             .arithmetic(_, _, _, let t, _), .caseWhen(_, _, let t):
            return t
        case .negate(let e, _): return e.type
        case .not, .comparison, .isDistinctFrom, .and, .or, .isNull, .inList, .like: return .boolean
        case .function(let f, _, _): return f.returnType
        case .subquery(let s): return s.type
        }
    }

    /// True if the expression reads no column, parameter or subquery, so it can be
    /// folded to a constant at bind time.
    var isConstant: Bool {
        switch self {
        case .constant: return true
        case .column, .outerParameter, .subquery: return false
        case .function(let f, _, _): return f.isDeterministic && childrenSatisfy(\.isConstant)
        default: return childrenSatisfy(\.isConstant)
        }
    }

    /// True for a plain column reference.
    var isColumn: Bool {
        if case .column = self { return true }
        return false
    }

    /// True if the expression reads nothing but its own row's columns and
    /// constants (no subquery, no outer value), so copies of it may run on
    /// several threads at once.
    var readsOnlyItsRow: Bool {
        switch self {
        case .outerParameter, .subquery: return false
        default: return childrenSatisfy(\.readsOnlyItsRow)
        }
    }

    /// Whether `test` holds for every direct subexpression (true for leaves;
    /// a subquery's inner plan is not a subexpression).
    private func childrenSatisfy(_ test: (BoundExpr) -> Bool) -> Bool {
        switch self {
        case .column, .constant, .outerParameter: return true
        case .subquery(let s): return s.correlations.allSatisfy(test) && (s.probe.map(test) ?? true)
        case .cast(let e, _, _), .negate(let e, _), .not(let e), .isNull(let e, _): return test(e)
        case .arithmetic(_, let a, let b, _, _), .comparison(_, let a, let b), .isDistinctFrom(let a, let b, _),
             .and(let a, let b), .or(let a, let b), .like(let a, let b, _, _):
            return test(a) && test(b)
        case .inList(let e, let list, _): return test(e) && list.allSatisfy(test)
        case .caseWhen(let branches, let otherwise, _):
            return test(otherwise) && branches.allSatisfy { test($0.condition) && test($0.result) }
        case .function(_, let args, _): return args.allSatisfy(test)
        }
    }

    /// The same expression with every column index shifted by `offset`.
    func shiftingColumns(by offset: Int) -> BoundExpr {
        mapColumns { .column($0 + offset, $1) }
    }

    /// Rewrites every column reference; subqueries are left alone (their column
    /// indexes are their own).
    func mapColumns(_ transform: (Int, DataType) -> BoundExpr) -> BoundExpr {
        switch self {
        case .column(let i, let t): return transform(i, t)
        case .constant, .outerParameter: return self
        case .subquery(var s):
            s.correlations = s.correlations.map { $0.mapColumns(transform) }
            if let probe = s.probe { s.probe = probe.mapColumns(transform) }
            return .subquery(s)
        case .cast(let e, let t, let p): return .cast(e.mapColumns(transform), t, at: p)
        case .negate(let e, let p): return .negate(e.mapColumns(transform), at: p)
        case .not(let e): return .not(e.mapColumns(transform))
        case .isNull(let e, let n): return .isNull(e.mapColumns(transform), negated: n)
        case .arithmetic(let op, let a, let b, let t, let p):
            return .arithmetic(op, a.mapColumns(transform), b.mapColumns(transform), t, at: p)
        case .comparison(let op, let a, let b): return .comparison(op, a.mapColumns(transform), b.mapColumns(transform))
        case .isDistinctFrom(let a, let b, let n):
            return .isDistinctFrom(a.mapColumns(transform), b.mapColumns(transform), negated: n)
        case .and(let a, let b): return .and(a.mapColumns(transform), b.mapColumns(transform))
        case .or(let a, let b): return .or(a.mapColumns(transform), b.mapColumns(transform))
        case .like(let a, let b, let ci, let n):
            return .like(a.mapColumns(transform), pattern: b.mapColumns(transform), caseInsensitive: ci, negated: n)
        case .inList(let e, let list, let n):
            return .inList(e.mapColumns(transform), list.map { $0.mapColumns(transform) }, negated: n)
        case .caseWhen(let branches, let otherwise, let t):
            return .caseWhen(branches.map {
                BoundCaseBranch(condition: $0.condition.mapColumns(transform), result: $0.result.mapColumns(transform))
            }, otherwise: otherwise.mapColumns(transform), t)
        case .function(let f, let args, let p): return .function(f, args.map { $0.mapColumns(transform) }, at: p)
        }
    }

    /// The expression over an input narrowed to `columns` (original indexes,
    /// ascending, holding every column the expression reads): column
    /// `columns[k]` becomes column k.
    func renumbered(keeping columns: [Int]) -> BoundExpr {
        mapColumns { index, type in
            var low = 0, high = columns.count
            while low < high {
                let mid = (low + high) / 2
                if columns[mid] < index { low = mid + 1 } else { high = mid }
            }
            return .column(low < columns.count && columns[low] == index ? low : index, type)
        }
    }

    /// Every column index the expression reads (outside subqueries' own plans).
    var referencedColumns: Set<Int> {
        var result = Set<Int>()
        _ = mapColumns { index, type in
            result.insert(index)
            return .column(index, type)
        }
        return result
    }
}

/// One `WHEN … THEN …` of a bound CASE.
struct BoundCaseBranch: Equatable {
    var condition: BoundExpr
    var result: BoundExpr
}

/// A subquery used as an expression.
struct BoundSubquery: Equatable {
    enum Kind: Equatable {
        /// The single value of the single column (NULL if no row).
        case scalar
        case exists
        /// `probe [NOT] IN (subquery)`.
        case inList(negated: Bool)
    }

    var kind: Kind
    var plan: LogicalPlan
    /// Expressions over the outer query's row whose values the subquery reads as
    /// `outerParameter` slots, in slot order. Empty for an uncorrelated subquery.
    var correlations: [BoundExpr]
    /// The left operand of IN.
    var probe: BoundExpr?
    var position: SourcePosition

    var type: DataType {
        switch kind {
        case .scalar: return plan.types.first ?? .null
        case .exists, .inList: return .boolean
        }
    }
}
