// Prints expressions back as SQL text, the way DuckDB names unaliased result
// columns (`(a + b)`, `count_star()`, `sum(x)`).

enum ExprPrinter {
    static func text(of expr: Expr) -> String {
        switch expr.kind {
        case .literal(let literal):
            switch literal {
            case .null: return "NULL"
            case .boolean(let b): return b ? "true" : "false"
            case .integer(let digits), .decimal(let digits): return digits
            case .string(let s): return "'\(s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''"))'"
            case .typed(let type, let s): return "CAST('\(s)' AS \(type))"
            }
        case .column(let qualifier, let name): return qualifier.map { "\($0).\(name)" } ?? name
        case .star(let qualifier): return qualifier.map { "\($0).*" } ?? "*"
        case .parameter(let name): return "$" + name
        case .negate(let e): return "-(\(text(of: e)))"
        case .not(let e): return "(NOT \(text(of: e)))"
        case .binary(let op, let a, let b): return "(\(text(of: a)) \(op.rawValue) \(text(of: b)))"
        case .function(let name, let args, let distinct, let filter, let over, let orderBy):
            var s: String
            if name == "count", args.count == 1, case .star(nil) = args[0].kind {
                s = "count_star()"
            } else {
                let order = orderBy.isEmpty ? "" : " ORDER BY " + orderBy.map { text(of: $0.expression) + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
                s = "\(name)(\(distinct ? "DISTINCT " : "")\(args.map(text(of:)).joined(separator: ", "))\(order))"
            }
            if let filter { s += " FILTER (WHERE \(text(of: filter)))" }
            if let over {
                var parts: [String] = []
                if let base = over.base { parts.append(base) }
                if !over.partitionBy.isEmpty { parts.append("PARTITION BY " + over.partitionBy.map(text(of:)).joined(separator: ", ")) }
                if !over.orderBy.isEmpty {
                    parts.append("ORDER BY " + over.orderBy.map { text(of: $0.expression) + ($0.descending ? " DESC" : "") }.joined(separator: ", "))
                }
                s += " OVER (\(parts.joined(separator: " ")))"
            }
            return s
        case .cast(let e, let type): return "CAST(\(text(of: e)) AS \(type))"
        case .caseWhen(let operand, let branches, let otherwise):
            var s = "CASE"
            if let operand { s += " \(text(of: operand))" }
            for b in branches { s += " WHEN \(text(of: b.condition)) THEN \(text(of: b.result))" }
            if let otherwise { s += " ELSE \(text(of: otherwise))" }
            return s + " END"
        case .isNull(let e, let negated): return "(\(text(of: e)) IS \(negated ? "NOT " : "")NULL)"
        case .isDistinctFrom(let a, let b, let negated):
            return "(\(text(of: a)) IS \(negated ? "NOT " : "")DISTINCT FROM \(text(of: b)))"
        case .between(let e, let low, let high, let negated):
            return "(\(text(of: e)) \(negated ? "NOT " : "")BETWEEN \(text(of: low)) AND \(text(of: high)))"
        case .inList(let e, let list, let negated):
            return "(\(text(of: e)) \(negated ? "NOT " : "")IN (\(list.map(text(of:)).joined(separator: ", "))))"
        case .inSubquery(let e, _, let negated): return "(\(text(of: e)) \(negated ? "NOT " : "")IN (SELECT ...))"
        case .like(let e, let pattern, let ci, let negated):
            return "(\(text(of: e)) \(negated ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") \(text(of: pattern)))"
        case .scalarSubquery: return "(SELECT ...)"
        case .exists: return "EXISTS(SELECT ...)"
        case .structLiteral(let fields):
            return "{" + fields.map { "'\($0.key)': \(text(of: $0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
