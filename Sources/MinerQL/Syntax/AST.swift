// The syntax tree the parser produces: plain value types, each node carrying the
// source position the binder reports errors at. Nothing here is resolved or typed.

/// A literal as written in the SQL text.
public enum Literal: Equatable, Sendable {
    case null
    case boolean(Bool)
    /// Integer digits; kept as text so an out-of-range literal can become a DOUBLE.
    case integer(String)
    case decimal(String)
    case string(String)
    /// `DATE '…'`: the text, checked by the binder.
    case typed(DataType, String)
}

/// A binary operator.
public enum BinaryOperator: String, Equatable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", integerDivide = "//", modulo = "%"
    case concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and = "AND", or = "OR"
}

/// An expression node with its position.
public struct Expr: Equatable, Sendable {
    public indirect enum Kind: Equatable, Sendable {
        case literal(Literal)
        /// `name` or `qualifier.name`.
        case column(qualifier: String?, name: String)
        /// `*` or `t.*`, in a select list or `count(*)`.
        case star(qualifier: String?)
        case parameter(String)
        case negate(Expr)
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `name([DISTINCT] args [ORDER BY …]) [FILTER (WHERE …)] [OVER (…)]`
        case function(name: String, arguments: [Expr], distinct: Bool, filter: Expr? = nil, over: WindowSpec? = nil,
                      orderBy: [OrderItem] = [])
        case cast(Expr, DataType)
        case caseWhen(operand: Expr?, branches: [CaseBranch], otherwise: Expr?)
        case isNull(Expr, negated: Bool)
        /// `IS [NOT] DISTINCT FROM`.
        case isDistinctFrom(Expr, Expr, negated: Bool)
        case between(Expr, low: Expr, high: Expr, negated: Bool)
        case inList(Expr, [Expr], negated: Bool)
        case inSubquery(Expr, SelectStatement, negated: Bool)
        case like(Expr, pattern: Expr, caseInsensitive: Bool, negated: Bool)
        case scalarSubquery(SelectStatement)
        case exists(SelectStatement)
        /// `{'key': value, …}`: only meaningful as a table function's option.
        case structLiteral([StructField])
    }

    public var kind: Kind
    public var position: SourcePosition

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }
}

/// `OVER ([name] [PARTITION BY …] [ORDER BY …] [frame])` or `OVER name`.
public struct WindowSpec: Equatable, Sendable {
    /// A window of the WINDOW clause this one builds on.
    public var base: String?
    public var partitionBy: [Expr] = []
    public var orderBy: [OrderItem] = []
    public var frame: WindowFrame?
}

/// `ROWS|RANGE BETWEEN start AND end`.
public struct WindowFrame: Equatable, Sendable {
    public enum Unit: String, Equatable, Sendable { case rows = "ROWS", range = "RANGE" }
    public enum Bound: Equatable, Sendable {
        case unboundedPreceding, preceding(Expr), currentRow, following(Expr), unboundedFollowing
    }

    public var unit: Unit
    public var start: Bound
    public var end: Bound
}

/// One `WHEN condition THEN result` of a CASE.
public struct CaseBranch: Equatable, Sendable {
    public var condition: Expr
    public var result: Expr
}

/// One `'key': value` of a struct literal.
public struct StructField: Equatable, Sendable {
    public var key: String
    public var value: Expr
}

/// An argument of a table function: positional, or `name = value`.
public struct FunctionArgument: Equatable, Sendable {
    public var name: String?
    public var value: Expr
}

/// An item of a select list.
public enum SelectItem: Equatable, Sendable {
    case expression(Expr, alias: String?)
    /// `*` or `t.*`, with the position of the star and any EXCLUDE/REPLACE.
    case star(qualifier: String?, at: SourcePosition, modifiers: StarModifiers = StarModifiers())
}

/// `* EXCLUDE (a, b) REPLACE (expr AS c)`.
public struct StarModifiers: Equatable, Sendable {
    public var exclude: [String] = []
    public var replace: [(name: String, value: Expr)] = []

    public init() {}

    public static func == (a: StarModifiers, b: StarModifiers) -> Bool {
        a.exclude == b.exclude && a.replace.map(\.name) == b.replace.map(\.name) && a.replace.map(\.value) == b.replace.map(\.value)
    }
}

/// The kind of a join.
public enum JoinKind: String, Equatable, Sendable {
    case inner = "INNER", left = "LEFT", right = "RIGHT", full = "FULL", cross = "CROSS"
    /// Each left row with at most one right row: the nearest by the inequality.
    case asof = "ASOF", asofLeft = "ASOF LEFT"
}

/// How a join matches rows.
public enum JoinCondition: Equatable, Sendable {
    case on(Expr)
    case using([String])
    case none
}

/// `AS name (column, …)`: a table alias that may also rename the columns.
public struct TableAlias: Equatable, Sendable {
    public var name: String
    public var columns: [String] = []
}

/// An item of a FROM clause.
public indirect enum TableRef: Equatable, Sendable {
    /// `name [AS alias [(column, …)]]`
    case table(name: String, alias: TableAlias?, at: SourcePosition)
    case subquery(SelectStatement, alias: TableAlias?, at: SourcePosition)
    /// `read_csv('path', header = true)` and other table functions.
    case tableFunction(name: String, arguments: [FunctionArgument], alias: TableAlias?, at: SourcePosition)
    /// `FROM 'path.csv'`: a file read by the reader its extension names.
    case file(path: String, alias: TableAlias?, at: SourcePosition)
    /// The table so far of a pipe query (never written by users).
    case pipeInput
    case join(TableRef, TableRef, JoinKind, JoinCondition, at: SourcePosition)
}

/// `SELECT … FROM … WHERE … GROUP BY … HAVING …`, without ORDER BY and LIMIT.
public struct SelectCore: Equatable, Sendable {
    public var distinct = false
    public var items: [SelectItem] = []
    public var from: TableRef?
    public var filter: Expr?
    public var groupBy: [Expr] = []
    /// `GROUP BY ALL`: group by every select item without an aggregate.
    public var groupByAll = false
    public var having: Expr?
    /// `WINDOW name AS (…)`, in order.
    public var windows: [(name: String, spec: WindowSpec)] = []
    public var qualify: Expr?

    public init() {}

    public init(items: [SelectItem], from: TableRef?) {
        self.items = items
        self.from = from
    }

    public static func == (a: SelectCore, b: SelectCore) -> Bool {
        a.distinct == b.distinct && a.items == b.items && a.from == b.from && a.filter == b.filter && a.groupBy == b.groupBy
            && a.groupByAll == b.groupByAll && a.having == b.having && a.qualify == b.qualify
            && a.windows.map(\.name) == b.windows.map(\.name) && a.windows.map(\.spec) == b.windows.map(\.spec)
    }
}

/// The body of a query: a SELECT core or a VALUES list.
public indirect enum QueryBody: Equatable, Sendable {
    case select(SelectCore)
    case values([[Expr]], at: SourcePosition)
    /// `left UNION|INTERSECT|EXCEPT [ALL] right`.
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody, at: SourcePosition)
    /// A parenthesized query with its own ORDER BY/LIMIT, as an operand.
    case query(SelectStatement)
    /// `query |> operator |> …` (GoogleSQL pipe syntax).
    case pipe(SelectStatement, [PipeOperator])
}

/// One `|>` step of a pipe query; each sees only the table so far.
public enum PipeOperator: Equatable, Sendable {
    case filter(Expr)
    case select([SelectItem], distinct: Bool)
    case extend([SelectItem])
    case set([Assignment])
    case drop([String])
    case rename([(from: String, to: String)])
    case alias(String)
    /// `AGGREGATE items [GROUP [AND ORDER] BY groups]`: groups first, then items.
    case aggregate([SelectItem], groups: [SelectItem], ordered: Bool)
    case orderBy([OrderItem])
    case limit(Expr, offset: Expr?)
    case join(JoinKind, TableRef, JoinCondition, at: SourcePosition)
    case setOperation(SetOperator, all: Bool, [SelectStatement], at: SourcePosition)
    case distinct

    public static func == (a: PipeOperator, b: PipeOperator) -> Bool {
        switch (a, b) {
        case (.rename(let x), .rename(let y)): return x.map(\.from) == y.map(\.from) && x.map(\.to) == y.map(\.to)
        case (.filter(let x), .filter(let y)): return x == y
        case (.select(let x, let d), .select(let y, let e)): return x == y && d == e
        case (.extend(let x), .extend(let y)): return x == y
        case (.set(let x), .set(let y)): return x == y
        case (.drop(let x), .drop(let y)): return x == y
        case (.alias(let x), .alias(let y)): return x == y
        case (.aggregate(let x, let g, let o), .aggregate(let y, let h, let p)): return x == y && g == h && o == p
        case (.orderBy(let x), .orderBy(let y)): return x == y
        case (.limit(let x, let o), .limit(let y, let p)): return x == y && o == p
        case (.join(let k, let t, let c, _), .join(let l, let u, let d, _)): return k == l && t == u && c == d
        case (.setOperation(let o, let a, let q, _), .setOperation(let p, let b, let r, _)): return o == p && a == b && q == r
        case (.distinct, .distinct): return true
        default: return false
        }
    }
}

/// A set operation between two queries.
public enum SetOperator: String, Equatable, Sendable {
    case union = "UNION", intersect = "INTERSECT", except = "EXCEPT"
}

/// `name [(columns)] AS (query)` of a WITH clause.
public struct CommonTableExpression: Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var query: SelectStatement
}

/// One ORDER BY key.
public struct OrderItem: Equatable, Sendable {
    public var expression: Expr
    public var descending = false
    /// nil means the default: NULLS LAST, as in DuckDB.
    public var nullsFirst: Bool?
}

/// A complete query with its ORDER BY and LIMIT/OFFSET.
public struct SelectStatement: Equatable, Sendable {
    /// The WITH clause's tables, visible in the body and in later CTEs.
    public var with: [CommonTableExpression] = []
    public var recursive = false
    public var body: QueryBody
    public var orderBy: [OrderItem] = []
    public var limit: Expr?
    public var offset: Expr?
}

/// A column of `CREATE TABLE`.
public struct ColumnDefinition: Equatable, Sendable {
    public var name: String
    public var type: DataType
    public var notNull = false
    /// `DEFAULT expr`: what an INSERT that leaves the column out stores.
    public var defaultValue: Expr?
}

/// The constraints of `CREATE TABLE`, column- and table-level alike.
public struct TableConstraints: Equatable, Sendable {
    public var primaryKey: [String]?
    public var unique: [[String]] = []
    /// `CHECK (condition)`: a row for which it is FALSE is refused.
    public var checks: [Expr] = []
}

/// What `INSERT` does with a row whose key is already in the table.
public enum ConflictAction: Equatable, Sendable {
    /// Plain INSERT: refuse the statement.
    case fail
    /// `ON CONFLICT DO NOTHING`, `INSERT OR IGNORE`.
    case nothing
    /// `INSERT OR REPLACE`, `REPLACE INTO`: the new row replaces the old.
    case replace
    /// `ON CONFLICT DO UPDATE SET … [WHERE …]`; `excluded` names the new row.
    case update([Assignment], filter: Expr?)
}

/// `INSERT INTO table [(columns)] query|DEFAULT VALUES [ON CONFLICT …]`.
public struct InsertStatement: Equatable, Sendable {
    public var table: String
    public var columns: [String]?
    /// nil for `DEFAULT VALUES`.
    public var source: SelectStatement?
    /// `ON CONFLICT (columns)`: the key whose conflicts the action handles.
    public var conflictTarget: [String]?
    public var onConflict: ConflictAction = .fail
}

/// `CREATE TRIGGER`: statements run for each row an INSERT, UPDATE or DELETE
/// changes, seeing the row as `new` and `old`.
public struct TriggerDefinition: Equatable, Sendable {
    public enum Timing: Equatable, Sendable { case before, after }
    public enum Event: Equatable, Sendable {
        case insert, delete
        /// `UPDATE [OF columns]`: empty means any column.
        case update(columns: [String])
    }
    public var name: String
    public var table: String
    public var timing: Timing
    public var event: Event
    /// `WHEN condition`: the trigger runs only for rows where it is TRUE.
    public var condition: Expr?
    public var body: [Statement]
}

/// `column = value` of UPDATE … SET.
public struct Assignment: Equatable, Sendable {
    public var column: String
    public var value: Expr
    public var position: SourcePosition
}

/// The kinds of object DROP names.
public enum CatalogObjectKind: String, Equatable, Sendable {
    case table = "Table", view = "View", index = "Index", trigger = "Trigger"
}

/// What `COPY … TO` writes.
public enum CopySource: Equatable, Sendable {
    case table(String)
    case query(SelectStatement)
}

/// One option of COPY: `FORMAT csv`, `HEADER`, `DELIMITER '|'`.
public struct CopyOption: Equatable, Sendable {
    public var name: String
    /// nil for a bare flag (true).
    public var value: Expr?
}

/// A parsed statement with its position in the script.
public struct Statement: Equatable, Sendable {
    public indirect enum Kind: Equatable, Sendable {
        case select(SelectStatement)
        case createTable(name: String, columns: [ColumnDefinition], constraints: TableConstraints, query: SelectStatement?,
                         orReplace: Bool, ifNotExists: Bool)
        case insert(InsertStatement)
        case createTrigger(TriggerDefinition, ifNotExists: Bool)
        /// `REINDEX [name]`: indexes hold nothing, so this checks the name only.
        case reindex(String?)
        /// `DROP TABLE|VIEW|INDEX|TRIGGER [IF EXISTS] name`
        case drop(CatalogObjectKind, name: String, ifExists: Bool)
        case createView(name: String, columns: [String], query: SelectStatement, orReplace: Bool, ifNotExists: Bool)
        /// Accepted and checked; builds nothing (results never depend on it).
        case createIndex(name: String, table: String, columns: [String], ifNotExists: Bool)
        case update(table: String, assignments: [Assignment], filter: Expr?)
        case delete(table: String, filter: Expr?)
        case set(name: String, value: Expr)
        case describe(String)
        /// `DESCRIBE query`: the query's column names and types.
        case describeQuery(SelectStatement)
        /// `SUMMARIZE table|query`: statistics per column, as DuckDB shows them.
        case summarize(SelectStatement)
        /// `EXPLAIN query`: the optimized plan as a tree.
        case explain(SelectStatement)
        /// `COPY table|(query) TO 'path' (options)`
        case copyTo(source: CopySource, path: String, options: [CopyOption])
        /// `COPY table FROM 'path' (options)`
        case copyFrom(table: String, path: String, options: [CopyOption])
    }

    public var kind: Kind
    public var position: SourcePosition
    /// The statement's text, for error excerpts and history.
    public var text: String
}
