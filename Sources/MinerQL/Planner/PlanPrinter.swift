// EXPLAIN: the optimized plan as an indented tree of the operators that will
// run, with their conditions, keys and columns (`#3` is input column 3).

enum PlanPrinter {
    static func lines(_ plan: LogicalPlan) -> [String] {
        var out: [String] = []
        describe(plan, depth: 0, into: &out)
        return out
    }

    private static func describe(_ plan: LogicalPlan, depth: Int, into out: inout [String]) {
        let indent = String(repeating: "  ", count: depth)
        func list(_ exprs: [BoundExpr]) -> String { exprs.map(text).joined(separator: ", ") }
        switch plan {
        case .scan(let table, _): out.append(indent + "SCAN \(table)")
        case .inline(let inline): out.append(indent + "READ FILE \(inline.table.name) (\(inline.table.rowCount) rows)")
        case .series(let series): out.append(indent + "RANGE (\(series.type))")
        case .values(let rows, _): out.append(indent + "VALUES (\(rows.count) row\(rows.count == 1 ? "" : "s"))")
        case .workingTable(let id, _): out.append(indent + "RECURSIVE CTE SCAN #\(id)")
        case .cte(let reference):
            // A shared WITH table is shown where it is first read; later readers name it.
            let header = "CTE #\(reference.id) (read \(reference.uses) times)"
            if out.contains(where: { $0.hasSuffix(header) }) {
                out.append(indent + "CTE SCAN #\(reference.id)")
            } else {
                out.append(indent + header)
                describe(reference.optimizedPlan, depth: depth + 1, into: &out)
            }
        case .filter(let input, let predicate):
            out.append(indent + "FILTER \(text(predicate))")
            describe(input, depth: depth + 1, into: &out)
        case .project(.scan(let table, _), let exprs)
            where exprs.allSatisfy(\.isColumn):
            // Runs as a scan of just these columns.
            out.append(indent + "SCAN \(table) [\(list(exprs))]")
        case .project(let input, let exprs):
            out.append(indent + "PROJECTION \(list(exprs))")
            describe(input, depth: depth + 1, into: &out)
        case .aggregate(let input, let groups, let aggregates):
            let aggs = aggregates.map { "\($0.function.rawValue)(\($0.distinct ? "DISTINCT " : "")\($0.argument.map(text) ?? "*"))" }
            out.append(indent + "HASH_AGGREGATE groups: [\(list(groups))] aggregates: [\(aggs.joined(separator: ", "))]")
            describe(input, depth: depth + 1, into: &out)
        case .join(let left, let right, let kind, let condition):
            let conjuncts = condition.map(JoinKeys.conjuncts) ?? []
            let width = left.types.count
            let hashed = conjuncts.contains {
                if case .comparison(.equal, let a, let b) = $0 { return JoinKeys.split(a, b, leftWidth: width) != nil }
                return false
            }
            out.append(indent + "\(hashed ? "HASH_JOIN" : "NESTED_LOOP_JOIN") \(kind.rawValue)\(condition.map { " ON " + text($0) } ?? "")")
            describe(left, depth: depth + 1, into: &out)
            describe(right, depth: depth + 1, into: &out)
        case .asofJoin(let join):
            out.append(indent + "ASOF_JOIN\(join.keepsUnmatched ? " LEFT" : "") keys: [\(list(join.leftKeys))] = [\(list(join.rightKeys))] \(text(join.leftValue)) \(join.op.rawValue) \(text(join.rightValue))")
            describe(join.left, depth: depth + 1, into: &out)
            describe(join.right, depth: depth + 1, into: &out)
        case .sort(let input, let keys):
            out.append(indent + "ORDER_BY " + keys.map { text($0.expression) + ($0.descending ? " DESC" : " ASC") }.joined(separator: ", "))
            describe(input, depth: depth + 1, into: &out)
        case .limit(let input, let limit, let offset):
            out.append(indent + "LIMIT \(limit.map(String.init) ?? "ALL") OFFSET \(offset)")
            describe(input, depth: depth + 1, into: &out)
        case .distinct(let input):
            out.append(indent + "DISTINCT")
            describe(input, depth: depth + 1, into: &out)
        case .window(let input, let windows):
            out.append(indent + "WINDOW \(windows.count) function\(windows.count == 1 ? "" : "s")")
            describe(input, depth: depth + 1, into: &out)
        case .setOperation(let op, let all, let left, let right):
            out.append(indent + op.rawValue + (all ? " ALL" : ""))
            describe(left, depth: depth + 1, into: &out)
            describe(right, depth: depth + 1, into: &out)
        case .recursiveCTE(let id, let anchor, let step, let all):
            out.append(indent + "RECURSIVE CTE #\(id)\(all ? " (UNION ALL)" : "")")
            describe(anchor, depth: depth + 1, into: &out)
            describe(step, depth: depth + 1, into: &out)
        }
    }

    /// A compact text for a bound expression.
    static func text(_ expr: BoundExpr) -> String {
        switch expr {
        case .column(let i, _): return "#\(i)"
        case .constant(let v, _): return v.type == .varchar ? "'\(v)'" : v.description
        case .outerParameter(let i, _): return "$outer\(i)"
        case .cast(let e, let t, _): return "CAST(\(text(e)) AS \(t))"
        case .negate(let e, _): return "-\(text(e))"
        case .not(let e): return "NOT \(text(e))"
        case .arithmetic(let op, let a, let b, _, _), .comparison(let op, let a, let b): return "(\(text(a)) \(op.rawValue) \(text(b)))"
        case .isDistinctFrom(let a, let b, let n): return "(\(text(a)) IS \(n ? "NOT " : "")DISTINCT FROM \(text(b)))"
        case .and(let a, let b): return "(\(text(a)) AND \(text(b)))"
        case .or(let a, let b): return "(\(text(a)) OR \(text(b)))"
        case .isNull(let e, let n): return "(\(text(e)) IS \(n ? "NOT " : "")NULL)"
        case .inList(let e, let list, let n): return "(\(text(e)) \(n ? "NOT " : "")IN (\(list.map(text).joined(separator: ", "))))"
        case .like(let a, let b, let ci, let n): return "(\(text(a)) \(n ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") \(text(b)))"
        case .caseWhen: return "CASE …"
        case .function(let f, let args, _): return "\(f.name)(\(args.map(text).joined(separator: ", ")))"
        case .subquery: return "(SUBQUERY)"
        }
    }
}
