// A grammar-aware generator of random SQL over the tables of a session, for
// fuzzing: selects with joins (ASOF included), subqueries, grouping, windows,
// set operations and CTEs, pipe syntax, DML and EXPLAIN. Expressions are typed
// loosely (numbers, text, dates, booleans) so most statements get past the
// binder and reach the executor; now and then a type is wrong on purpose.
// Alternative 0 of every choice is the simplest, so a choice source that runs
// dry (see ByteChoices) ends the statement quickly. Nesting is bounded.
import MinerQL

/// A table the generator may read, with its columns.
public struct GeneratorTable: Sendable {
    public let name: String
    public let columns: [(name: String, type: DataType)]

    public init(name: String, columns: [(name: String, type: DataType)]) {
        self.name = name
        self.columns = columns
    }
}

/// Writes one random statement at a time.
public struct QueryGenerator<Choices: ChoiceSource> {
    public var choices: Choices
    private let tables: [GeneratorTable]
    private var depth = 0
    private var aliases = 0
    private let maxDepth = 4

    private enum Kind: CaseIterable { case number, text, date, boolean }

    private struct Column {
        let reference: String
        let kind: Kind
    }

    /// What an expression may contain where it is written.
    private struct Context {
        var columns: [Column]
        var aggregates = false
        var windows = false
    }

    public init(tables: [GeneratorTable], choices: Choices) {
        precondition(!tables.isEmpty, "the generator needs at least one table")
        self.tables = tables
        self.choices = choices
    }

    /// One statement, without a trailing semicolon.
    public mutating func statement() -> String {
        depth = 0
        switch choose(10) {
        case 0...4: return query()
        case 5: return pipeQuery()
        case 6: return "EXPLAIN " + query()
        case 7: return "SELECT " + list(1...3) { $0.expression($0.pick(Kind.allCases), Context(columns: [])) }
        case 8: return modification()
        default: return "WITH c AS (\(select())) SELECT * FROM c" + (chance(2) ? " ORDER BY 1" : "")
        }
    }

    // MARK: - Choices

    private mutating func choose(_ n: Int) -> Int { choices.choose(below: n) }
    private mutating func chance(_ oneIn: Int) -> Bool { choose(oneIn) == 1 }
    private mutating func pick<T>(_ items: [T]) -> T { items[choose(items.count)] }

    private mutating func list(_ counts: ClosedRange<Int>, separator: String = ", ",
                               _ item: (inout QueryGenerator) -> String) -> String {
        let count = counts.lowerBound + choose(counts.count)
        var items: [String] = []
        for _ in 0..<count { items.append(item(&self)) }
        return items.joined(separator: separator)
    }

    private mutating func newAlias(_ prefix: String) -> String {
        aliases += 1
        return "\(prefix)\(aliases)"
    }

    // MARK: - Statements

    private mutating func query() -> String {
        depth += 1
        defer { depth -= 1 }
        guard depth <= maxDepth else { return "SELECT 1" }
        switch choose(6) {
        case 0...3: return select()
        case 4:
            let operation = pick(["UNION", "UNION ALL", "INTERSECT", "EXCEPT", "INTERSECT ALL", "EXCEPT ALL"])
            let kind = pick(Kind.allCases)
            return "(\(singleColumnSelect(kind))) \(operation) (\(singleColumnSelect(kind)))"
        default:
            return "WITH w AS MATERIALIZED (\(select())) SELECT * FROM w" + (chance(2) ? " LIMIT 5" : "")
        }
    }

    private mutating func select() -> String {
        let (from, columns) = fromClause()
        var context = Context(columns: columns)
        var sql = "SELECT "
        if chance(8) { sql += "DISTINCT " }
        let grouped = chance(3)
        var keys: [String] = []
        if grouped {
            keys = (0...choose(2)).map { _ in columnOrLiteral(pick(Kind.allCases), columns) }
            context.aggregates = true
            sql += (keys + [list(1...3) { $0.aggregate(context) }]).joined(separator: ", ")
        } else {
            switch choose(6) {
            case 0: sql += "*"
            case 1: sql += "* EXCLUDE (\(columns.first.map { unqualified($0.reference) } ?? "x"))"
            default:
                context.windows = true
                sql += list(1...4) { generator in
                    let expression = generator.expression(generator.pick(Kind.allCases), context)
                    return generator.chance(3) ? expression + " AS " + generator.newAlias("e") : expression
                }
            }
        }
        sql += " FROM " + from
        let filterContext = Context(columns: columns)
        if chance(2) { sql += " WHERE " + expression(.boolean, filterContext) }
        if grouped {
            sql += chance(4) ? " GROUP BY ALL" : " GROUP BY " + keys.joined(separator: ", ")
            if chance(3) { sql += " HAVING " + expression(.boolean, context) }
        }
        if chance(3) {
            sql += " ORDER BY " + list(1...2) { generator in
                let key = generator.chance(2) ? "1" : generator.expression(generator.pick(Kind.allCases), grouped ? context : filterContext)
                return key + generator.pick(["", " DESC", " ASC NULLS FIRST", " DESC NULLS LAST"])
            }
        }
        if chance(3) {
            sql += " LIMIT " + pick(["0", "1", "3", "100", "9223372036854775807"])
            if chance(3) { sql += " OFFSET " + pick(["0", "1", "5", "9223372036854775807"]) }
        }
        return sql
    }

    /// `SELECT e FROM t …`: one column of a known kind, for set operations.
    private mutating func singleColumnSelect(_ kind: Kind) -> String {
        let (from, columns) = fromClause()
        let context = Context(columns: columns)
        return "SELECT \(expression(kind, context)) FROM \(from)" + (chance(2) ? " WHERE \(expression(.boolean, context))" : "")
    }

    /// A FROM clause and the columns it makes visible.
    private mutating func fromClause() -> (String, [Column]) {
        switch choose(7) {
        case 0, 1:
            return table()
        case 2:
            let (left, leftColumns) = table(), (right, rightColumns) = table()
            let join = pick(["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"])
            return ("\(left) \(join) \(right) ON \(joinCondition(leftColumns, rightColumns))", leftColumns + rightColumns)
        case 3:
            let (left, leftColumns) = table(), (right, rightColumns) = table()
            return ("\(left) CROSS JOIN \(right)", leftColumns + rightColumns)
        case 4:
            // ASOF needs an inequality between a left and a right column.
            let (left, leftColumns) = table(), (right, rightColumns) = table()
            let leftDates = leftColumns.filter { $0.kind == .date }, rightDates = rightColumns.filter { $0.kind == .date }
            guard !leftDates.isEmpty, !rightDates.isEmpty else { return ("\(left) CROSS JOIN \(right)", leftColumns + rightColumns) }
            var condition = "\(pick(leftDates).reference) \(pick([">=", ">", "<=", "<"])) \(pick(rightDates).reference)"
            let leftText = leftColumns.filter { $0.kind == .text }, rightText = rightColumns.filter { $0.kind == .text }
            if chance(2), !leftText.isEmpty, !rightText.isEmpty {
                condition = "\(pick(leftText).reference) = \(pick(rightText).reference) AND " + condition
            }
            return ("\(left) ASOF \(chance(3) ? "LEFT " : "")JOIN \(right) ON \(condition)", leftColumns + rightColumns)
        case 5:
            let alias = newAlias("s"), source = pick(tables)
            let inner = "SELECT * FROM \(source.name)" + (chance(2) ? " WHERE " + expression(.boolean, Context(columns: columns(of: source, alias: source.name))) : "")
            return ("(\(inner)) AS \(alias)", columns(of: source, alias: alias))
        default:
            let alias = newAlias("r")
            let function = pick(["range(\(pick(["0", "1", "10", "1000"])))", "generate_series(1, \(pick(["3", "100"])))"])
            return ("\(function) AS \(alias)(n)", [Column(reference: "\(alias).n", kind: .number)])
        }
    }

    private mutating func table() -> (String, [Column]) {
        let source = pick(tables), alias = newAlias("t")
        return ("\(source.name) AS \(alias)", columns(of: source, alias: alias))
    }

    private func columns(of table: GeneratorTable, alias: String) -> [Column] {
        table.columns.compactMap { column in
            QueryGenerator.kind(of: column.type).map { Column(reference: "\(alias).\"\(column.name)\"", kind: $0) }
        }
    }

    private static func kind(of type: DataType) -> Kind? {
        switch type {
        case .bigint, .double: return .number
        case .varchar: return .text
        case .date, .timestamp: return .date
        case .boolean: return .boolean
        default: return nil
        }
    }

    private func unqualified(_ reference: String) -> String {
        reference.split(separator: ".").last.map(String.init) ?? reference
    }

    private mutating func joinCondition(_ left: [Column], _ right: [Column]) -> String {
        let kind = pick([Kind.text, .number, .date])
        return "\(columnOrLiteral(kind, left)) = \(columnOrLiteral(kind, right))"
    }

    private mutating func pipeQuery() -> String {
        let source = pick(tables)
        var columns = columns(of: source, alias: source.name)
        var sql = "FROM \(source.name)"
        for _ in 0..<choose(5) {
            let context = Context(columns: columns)
            switch choose(7) {
            case 0: sql += " |> WHERE " + expression(.boolean, context)
            case 1: sql += " |> LIMIT " + pick(["0", "2", "50"])
            case 2: sql += " |> ORDER BY " + expression(pick(Kind.allCases), context) + pick(["", " DESC"])
            case 3:
                let kind = pick(Kind.allCases), alias = newAlias("x")
                sql += " |> EXTEND " + expression(kind, context) + " AS " + alias
                columns = columns.map { Column(reference: unqualified($0.reference), kind: $0.kind) }
                columns.append(Column(reference: alias, kind: kind))
            case 4:
                let key = columnOrLiteral(.text, columns)
                sql += " |> AGGREGATE count(*) AS n, " + aggregate(Context(columns: columns, aggregates: true)) + " AS a GROUP BY " + key + " AS k"
                columns = [Column(reference: "n", kind: .number), Column(reference: "k", kind: .text)]
            case 5:
                let kind = pick(Kind.allCases), alias = newAlias("p")
                sql += " |> SELECT " + expression(kind, context) + " AS " + alias
                columns = [Column(reference: alias, kind: kind)]
            default:
                sql += " |> AS " + newAlias("q")
                columns = columns.map { Column(reference: unqualified($0.reference), kind: $0.kind) }
            }
        }
        return sql
    }

    private mutating func modification() -> String {
        let target = pick(tables)
        let context = Context(columns: columns(of: target, alias: target.name))
        switch choose(5) {
        case 0: return "CREATE OR REPLACE TABLE scratch_copy AS " + query()
        case 1: return "INSERT INTO \(target.name) SELECT * FROM \(target.name) WHERE \(expression(.boolean, context))"
        case 2:
            guard let column = target.columns.first(where: { QueryGenerator.kind(of: $0.type) != nil }),
                  let kind = QueryGenerator.kind(of: column.type) else { return "DELETE FROM scratch" }
            return "UPDATE \(target.name) SET \"\(column.name)\" = \(expression(kind, context)) WHERE \(expression(.boolean, context))"
        case 3: return "DELETE FROM \(target.name) WHERE \(expression(.boolean, context))"
        default: return "CREATE OR REPLACE VIEW scratch_view AS " + query()
        }
    }

    // MARK: - Expressions

    private mutating func expression(_ requested: Kind, _ context: Context) -> String {
        depth += 1
        defer { depth -= 1 }
        // Now and then the wrong type, to exercise the binder's and casts' errors.
        let kind = choose(1000) == 1 ? pick(Kind.allCases) : requested
        if depth > maxDepth + 2 { return columnOrLiteral(kind, context.columns) }
        let alternatives = 9
        switch choose(alternatives) {
        case 0, 1: return columnOrLiteral(kind, context.columns)
        case 2: return "CASE WHEN \(expression(.boolean, context)) THEN \(expression(kind, context)) ELSE \(expression(kind, context)) END"
        case 3: return "CAST(\(expression(pick(Kind.allCases), context)) AS \(pick(typeNames(kind))))"
        case 4: return "coalesce(\(expression(kind, context)), \(expression(kind, context)))"
        case 5: return scalarSubquery(kind)
        case 6 where context.aggregates: return aggregate(kind, context)
        case 7 where context.windows: return window(kind, context)
        default: return operation(kind, context)
        }
    }

    private func typeNames(_ kind: Kind) -> [String] {
        switch kind {
        case .number: return ["BIGINT", "DOUBLE", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT"]
        case .text: return ["VARCHAR", "TEXT"]
        case .date: return ["DATE", "TIMESTAMP"]
        case .boolean: return ["BOOLEAN"]
        }
    }

    private mutating func operation(_ kind: Kind, _ context: Context) -> String {
        switch kind {
        case .number:
            switch choose(6) {
            case 0: return "(\(expression(.number, context)) \(pick(["+", "-", "*", "/", "//", "%"])) \(expression(.number, context)))"
            case 1: return "\(pick(["abs", "floor", "ceil", "sqrt", "ln", "exp", "sign", "round", "-"]))(\(expression(.number, context)))"
            case 2: return "\(pick(["round", "power", "greatest", "least", "nullif", "mod"]))(\(expression(.number, context)), \(expression(.number, context)))"
            case 3: return chance(2) ? "length(\(expression(.text, context)))" : "instr(\(expression(.text, context)), \(expression(.text, context)))"
            case 4: return "\(pick(["year", "month", "day", "dayofweek", "quarter"]))(\(expression(.date, context)))"
            default: return "date_diff('\(pick(["day", "month", "year"]))', \(expression(.date, context)), \(expression(.date, context)))"
            }
        case .text:
            switch choose(6) {
            case 0: return "(\(expression(.text, context)) || \(expression(pick(Kind.allCases), context)))"
            case 1: return "\(pick(["upper", "lower", "trim", "reverse", "ltrim"]))(\(expression(.text, context)))"
            case 2: return "substr(\(expression(.text, context)), \(pick(["0", "1", "3", "-2"])), \(pick(["0", "1", "3", "-2"])))"
            case 3: return "\(pick(["replace", "regexp_replace"]))(\(expression(.text, context)), \(literal(.text)), \(literal(.text)))"
            case 4: return "strftime(\(expression(.date, context)), '\(pick(["%Y-%m", "%d/%m/%Y", "%j", "%%"]))')"
            default:
                let count = pick(["0", "1", "3", "-1"])
                return chance(4) ? "lpad(\(expression(.text, context)), \(count), 'x')"
                    : "\(pick(["left", "right", "repeat"]))(\(expression(.text, context)), \(count))"
            }
        case .date:
            switch choose(4) {
            case 0: return "(\(expression(.date, context)) \(pick(["+", "-"])) INTERVAL \(pick(["1", "30", "-1"])) \(pick(["DAY", "MONTH", "YEAR"])))"
            case 1: return "date_trunc('\(pick(["month", "quarter", "year", "week"]))', \(expression(.date, context)))"
            case 2: return "last_day(CAST(\(expression(.date, context)) AS DATE))"
            default: return "make_date(\(pick(["2024", "1", "-5", "275760"])), \(pick(["1", "2", "13"])), \(pick(["1", "29", "31"])))"
            }
        case .boolean:
            let compared = pick([Kind.number, .text, .date])
            switch choose(9) {
            case 0: return "(\(expression(compared, context)) \(pick(["=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM"])) \(expression(compared, context)))"
            case 1: return "(\(expression(.boolean, context)) \(pick(["AND", "OR"])) \(expression(.boolean, context)))"
            case 2: return "NOT \(expression(.boolean, context))"
            case 3: return "\(expression(pick(Kind.allCases), context)) IS \(pick(["", "NOT "]))NULL"
            case 4: return "\(expression(compared, context)) BETWEEN \(expression(compared, context)) AND \(expression(compared, context))"
            case 5: return "\(expression(compared, context)) \(pick(["IN", "NOT IN"])) (\(list(1...3) { $0.literal(compared) }))"
            case 6: return "\(expression(.text, context)) \(pick(["LIKE", "ILIKE", "NOT LIKE"])) \(pick(["'%a%'", "'_'", "'%'", "''", "'B%'"]))"
            case 7:
                let source = pick(tables)
                return "\(pick(["EXISTS", "NOT EXISTS"])) (SELECT 1 FROM \(source.name) WHERE \(expression(.boolean, Context(columns: context.columns + columns(of: source, alias: source.name)))))"
            default:
                guard let inner = pick(tables).columns.first(where: { QueryGenerator.kind(of: $0.type) == compared }) else {
                    return literal(.boolean)
                }
                let source = tables.first { $0.columns.contains { $0.name == inner.name } }?.name ?? tables[0].name
                return "\(expression(compared, context)) IN (SELECT \"\(inner.name)\" FROM \(source))"
            }
        }
    }

    private mutating func scalarSubquery(_ kind: Kind) -> String {
        let source = pick(tables)
        let context = Context(columns: columns(of: source, alias: source.name), aggregates: true)
        return chance(2) ? "(SELECT \(aggregate(kind, context)) FROM \(source.name))"
            : "(SELECT \(columnOrLiteral(kind, context.columns)) FROM \(source.name) LIMIT 1)"
    }

    /// An aggregate of any result type.
    private mutating func aggregate(_ context: Context) -> String {
        aggregate(pick(Kind.allCases), context)
    }

    private mutating func aggregate(_ kind: Kind, _ context: Context) -> String {
        var inner = context
        inner.aggregates = false
        inner.windows = false
        switch kind {
        case .number:
            switch choose(6) {
            case 0: return "count(*)"
            case 1: return "\(pick(["sum", "avg", "median", "stddev", "var_samp", "min", "max"]))(\(expression(.number, inner)))"
            case 2: return "count(\(pick(["", "DISTINCT "]))\(expression(pick(Kind.allCases), inner)))"
            case 3: return "\(pick(["arg_max", "arg_min"]))(\(expression(.number, inner)), \(expression(pick(Kind.allCases), inner)))"
            case 4: return "sum(\(expression(.number, inner))) FILTER (WHERE \(expression(.boolean, inner)))"
            default: return "count(*) FILTER (WHERE \(expression(.boolean, inner)))"
            }
        case .text:
            return chance(2) ? "string_agg(\(expression(.text, inner)), '\(pick([",", ""]))')" : "\(pick(["min", "max"]))(\(expression(.text, inner)))"
        case .date:
            return chance(3) ? "arg_max(\(expression(.date, inner)), \(expression(.number, inner)))"
                : "\(pick(["min", "max"]))(\(expression(.date, inner)))"
        case .boolean:
            return "\(pick(["bool_and", "bool_or"]))(\(expression(.boolean, inner)))"
        }
    }

    private mutating func window(_ kind: Kind, _ context: Context) -> String {
        var inner = context
        inner.windows = false
        let partition = chance(2) ? "PARTITION BY \(columnOrLiteral(pick(Kind.allCases), context.columns)) " : ""
        let order = chance(3) ? "" : "ORDER BY \(columnOrLiteral(pick(Kind.allCases), context.columns))\(pick(["", " DESC"])) "
        let frame = chance(3) ? pick(["ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", "ROWS UNBOUNDED PRECEDING",
                                      "RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING",
                                      "ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING"]) : ""
        let over = " OVER (\(partition)\(order)\(frame))"
        switch choose(5) {
        case 0 where kind == .number: return pick(["row_number()", "rank()", "dense_rank()", "ntile(3)", "percent_rank()", "cume_dist()"]) + over
        case 3 where kind == .number: return "\(pick(["sum", "avg", "count"]))(\(expression(.number, inner)))" + over
        case 0, 1: return "\(pick(["lag", "lead"]))(\(expression(kind, inner)), \(pick(["1", "2", "0"])))" + over
        case 2, 3: return "\(pick(["first_value", "last_value", "min", "max"]))(\(expression(kind, inner)))" + over
        default: return "nth_value(\(expression(kind, inner)), \(pick(["1", "3"])))" + over
        }
    }

    private mutating func columnOrLiteral(_ kind: Kind, _ columns: [Column]) -> String {
        let matching = columns.filter { $0.kind == kind }
        if matching.isEmpty || chance(4) { return literal(kind) }
        return pick(matching).reference
    }

    private mutating func literal(_ kind: Kind) -> String {
        switch kind {
        case .number:
            return pick(["1", "0", "-1", "2", "10", "0.5", "-2.5", "NULL", "9223372036854775807", "-9223372036854775808",
                         "1e308", "'nan'::DOUBLE", "'inf'::DOUBLE", "1000000"])
        case .text:
            return pick(["'a'", "''", "NULL", "'BTC'", "'MARA'", "'x''y'", "'ünïcode ✓'", "'%'", "'2025-10-06'", "repeat('ab', 3)"])
        case .date:
            return pick(["DATE '2024-01-01'", "DATE '1970-01-01'", "NULL::DATE", "DATE '2025-10-06'", "DATE '9999-12-31'",
                         "TIMESTAMP '2024-02-29 12:00:00'"])
        case .boolean:
            return pick(["true", "false", "NULL::BOOLEAN"])
        }
    }
}
