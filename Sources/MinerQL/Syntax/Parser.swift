// Recursive-descent parser for statements, with precedence climbing (Pratt) for
// expressions. Precedence follows PostgreSQL/DuckDB, lowest first: OR, AND, NOT,
// IS, comparisons, BETWEEN/IN/LIKE, other operators (||), + -, * / // %, unary
// minus, `::`.

/// Parses SQL text into statements.
public struct Parser {
    private var tokens: [Token]
    private var index = 0
    /// How deeply the current construct nests (expressions, operator chains,
    /// joins, set operations); capped so no input can exhaust the stack of the
    /// recursive phases that follow.
    private var depth = 0
    static let maxDepth = 1000
    private let source: String
    private let sourceBytes: [UInt8]

    public init(_ source: String) throws {
        self.source = source
        self.sourceBytes = Array(source.utf8)
        self.tokens = try Lexer.tokenize(source)
    }

    /// Parses every `;`-separated statement of the text.
    public static func parse(_ source: String) throws -> [Statement] {
        var parser = try Parser(source)
        return try parser.parseStatements()
    }

    // MARK: - Token helpers

    /// Counts one more level of nesting at `position`.
    private mutating func enter(_ position: SourcePosition) throws {
        depth += 1
        guard depth <= Parser.maxDepth else {
            throw MinerQLError(.parser, "Statement nested too deeply: max expression depth limit of \(Parser.maxDepth) exceeded", at: position)
        }
    }

    private var current: Token { tokens[index] }
    private func peekToken(_ ahead: Int) -> Token { tokens[min(index + ahead, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func accept(_ keyword: String) -> Bool {
        if current.isKeyword(keyword) {
            _ = advance()
            return true
        }
        return false
    }

    private mutating func acceptSymbol(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) {
            _ = advance()
            return true
        }
        return false
    }

    private func syntaxError(_ token: Token? = nil) -> MinerQLError {
        let token = token ?? current
        if token.kind == .end {
            return MinerQLError(.parser, "syntax error at end of input", at: token.position)
        }
        let text: String
        switch token.kind {
        case .string: text = "'\(token.text)'"
        case .quotedIdentifier: text = "\"\(token.text)\""
        case .parameter: text = "$" + token.text
        default: text = token.text
        }
        return MinerQLError(.parser, "syntax error at or near \"\(text)\"", at: token.position)
    }

    private mutating func expect(_ keyword: String) throws {
        guard accept(keyword) else { throw syntaxError() }
    }

    private mutating func expectSymbol(_ symbol: String) throws {
        guard acceptSymbol(symbol) else { throw syntaxError() }
    }

    /// Words that end an expression or clause and so cannot be a bare alias.
    private static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT",
        "EXCEPT", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "OUTER", "ON", "USING", "AND", "OR",
        "NOT", "AS", "BY", "ASC", "DESC", "NULLS", "CASE", "WHEN", "THEN", "ELSE", "END", "IS", "IN",
        "LIKE", "ILIKE", "BETWEEN", "DISTINCT", "ALL", "NATURAL", "WINDOW", "QUALIFY", "VALUES", "INTO",
        "CREATE", "TABLE", "INSERT", "DROP", "SET", "WITH", "NULL", "TRUE", "FALSE", "CAST", "EXISTS",
        "LATERAL", "ASOF", "POSITIONAL", "SEMI", "ANTI", "FILTER", "OVER", "COPY", "TO",
    ]

    private func isReserved(_ token: Token) -> Bool {
        token.kind == .word && Parser.reserved.contains(token.text.uppercased())
    }

    /// An identifier: a non-reserved word or a quoted name.
    private mutating func identifier() throws -> String {
        let token = current
        if token.kind == .quotedIdentifier || (token.kind == .word && !isReserved(token)) {
            _ = advance()
            return token.text
        }
        throw syntaxError()
    }

    /// An identifier where any word is acceptable (after a dot, as a column name).
    private mutating func anyName() throws -> String {
        let token = current
        if token.kind == .quotedIdentifier || token.kind == .word {
            _ = advance()
            return token.text
        }
        throw syntaxError()
    }

    // MARK: - Statements

    private mutating func parseStatements() throws -> [Statement] {
        var statements: [Statement] = []
        while true {
            while acceptSymbol(";") {}
            if current.kind == .end { return statements }
            let start = current.position
            let kind = try statement()
            let endOffset = current.position.offset
            guard current.kind == .end || current.isSymbol(";") else { throw syntaxError() }
            let text = String(decoding: sourceBytes[start.offset..<endOffset], as: UTF8.self)
            statements.append(Statement(kind: kind, position: start, text: text))
        }
    }

    private mutating func statement() throws -> Statement.Kind {
        let token = current
        if startsQuery(token) {
            return .select(try selectStatement())
        }
        if accept("CREATE") { return try createStatement() }
        if accept("INSERT") {
            var action = ConflictAction.fail
            if accept("OR") {
                if accept("REPLACE") { action = .replace } else if accept("IGNORE") { action = .nothing } else { throw syntaxError() }
            }
            return try insertStatement(onConflict: action)
        }
        if accept("REPLACE") { return try insertStatement(onConflict: .replace) }
        if accept("REINDEX") {
            return .reindex(current.kind == .end || current.isSymbol(";") ? nil : try qualifiedName())
        }
        if accept("DROP") {
            let kind: CatalogObjectKind
            if accept("TABLE") {
                kind = .table
            } else if accept("VIEW") {
                kind = .view
            } else if accept("INDEX") {
                kind = .index
            } else if accept("TRIGGER") {
                kind = .trigger
            } else {
                throw syntaxError()
            }
            var ifExists = false
            if accept("IF") {
                try expect("EXISTS")
                ifExists = true
            }
            return .drop(kind, name: try qualifiedName(), ifExists: ifExists)
        }
        if accept("UPDATE") {
            let table = try qualifiedName()
            try expect("SET")
            let assignments = try assignmentList()
            return .update(table: table, assignments: assignments, filter: accept("WHERE") ? try expression() : nil)
        }
        if accept("DELETE") {
            try expect("FROM")
            let table = try qualifiedName()
            return .delete(table: table, filter: accept("WHERE") ? try expression() : nil)
        }
        if accept("SET") {
            _ = accept("SESSION") || accept("GLOBAL")
            let name = try anyName()
            guard acceptSymbol("=") || accept("TO") else { throw syntaxError() }
            return .set(name: name, value: try expression())
        }
        if accept("COPY") { return try copyStatement() }
        if accept("DESCRIBE") || accept("DESC") {
            if startsQuery(current) { return .describeQuery(try selectStatement()) }
            return .describe(try qualifiedName())
        }
        if accept("SUMMARIZE") {
            if startsQuery(current) { return .summarize(try selectStatement()) }
            let position = current.position
            var core = SelectCore()
            core.items = [.star(qualifier: nil, at: position)]
            core.from = .table(name: try qualifiedName(), alias: nil, at: position)
            return .summarize(SelectStatement(body: .select(core)))
        }
        if accept("EXPLAIN") {
            _ = accept("ANALYZE")
            return .explain(try selectStatement())
        }
        throw syntaxError()
    }

    /// A possibly schema-qualified name; the schema part is accepted and dropped
    /// (there is one schema, `main`).
    private mutating func qualifiedName() throws -> String {
        var name = try identifier()
        while acceptSymbol(".") { name = try anyName() }
        return name
    }

    private mutating func createStatement() throws -> Statement.Kind {
        var orReplace = false
        if accept("OR") {
            try expect("REPLACE")
            orReplace = true
        }
        _ = accept("TEMP") || accept("TEMPORARY")
        if accept("VIEW") {
            let ifNotExists = try ifNotExistsClause()
            let name = try qualifiedName()
            var columns: [String] = []
            if acceptSymbol("(") {
                repeat { columns.append(try anyName()) } while acceptSymbol(",")
                try expectSymbol(")")
            }
            try expect("AS")
            return .createView(name: name, columns: columns, query: try selectStatement(), orReplace: orReplace, ifNotExists: ifNotExists)
        }
        if accept("UNIQUE") || current.isKeyword("INDEX") {
            try expect("INDEX")
            let ifNotExists = try ifNotExistsClause()
            let name = try qualifiedName()
            try expect("ON")
            let table = try qualifiedName()
            try expectSymbol("(")
            var columns: [String] = []
            repeat {
                columns.append(try anyName())
                _ = accept("ASC") || accept("DESC")
            } while acceptSymbol(",")
            try expectSymbol(")")
            return .createIndex(name: name, table: table, columns: columns, ifNotExists: ifNotExists)
        }
        if accept("TRIGGER") { return try createTrigger() }
        try expect("TABLE")
        let ifNotExists = try ifNotExistsClause()
        let name = try qualifiedName()
        var columns: [ColumnDefinition] = []
        var constraints = TableConstraints()
        if acceptSymbol("(") {
            repeat {
                if current.isSymbol(")") { break }
                if try tableConstraint(into: &constraints, table: name) { continue }
                let column = try anyName()
                var definition = ColumnDefinition(name: column, type: try typeName())
                try columnConstraints(of: &definition, into: &constraints, table: name)
                columns.append(definition)
            } while acceptSymbol(",")
            try expectSymbol(")")
        }
        var query: SelectStatement?
        if accept("AS") {
            query = try selectStatement()
        }
        if columns.isEmpty && query == nil { throw syntaxError() }
        return .createTable(name: name, columns: columns, constraints: constraints, query: query, orReplace: orReplace,
                            ifNotExists: ifNotExists)
    }

    /// `[CONSTRAINT name]` before a column or table constraint.
    private mutating func constraintName() throws {
        if accept("CONSTRAINT") { _ = try anyName() }
    }

    private mutating func setPrimaryKey(_ columns: [String], in constraints: inout TableConstraints, table: String,
                                        at position: SourcePosition) throws {
        guard constraints.primaryKey == nil else {
            throw MinerQLError(.parser, "table \"\(table)\" has more than one primary key", at: position)
        }
        constraints.primaryKey = columns
    }

    /// A table constraint in CREATE TABLE's list (`PRIMARY KEY (a, b)`,
    /// `UNIQUE (a)`, `CHECK (…)`); false if the next item is a column.
    private mutating func tableConstraint(into constraints: inout TableConstraints, table: String) throws -> Bool {
        let position = current.position
        let named = current.isKeyword("CONSTRAINT")
        guard named || (current.isKeyword("PRIMARY") && peekToken(1).isKeyword("KEY"))
            || (current.isKeyword("UNIQUE") && peekToken(1).isSymbol("(")) || (current.isKeyword("CHECK") && peekToken(1).isSymbol("("))
            || (current.isKeyword("FOREIGN") && peekToken(1).isKeyword("KEY")) else { return false }
        try constraintName()
        if accept("PRIMARY") {
            try expect("KEY")
            try setPrimaryKey(try parenthesizedNames(), in: &constraints, table: table, at: position)
        } else if accept("UNIQUE") {
            constraints.unique.append(try parenthesizedNames())
        } else if accept("CHECK") {
            constraints.checks.append(try parenthesizedExpression())
        } else if current.isKeyword("FOREIGN") {
            throw MinerQLError(.notImplemented, "FOREIGN KEY constraints are not supported", at: position)
        } else {
            throw syntaxError()
        }
        return true
    }

    /// The constraints after a column's type: NOT NULL, NULL, PRIMARY KEY,
    /// UNIQUE, DEFAULT, CHECK.
    private mutating func columnConstraints(of column: inout ColumnDefinition, into constraints: inout TableConstraints,
                                            table: String) throws {
        while !(current.isSymbol(",") || current.isSymbol(")") || current.kind == .end) {
            let position = current.position
            try constraintName()
            if accept("NOT") {
                try expect("NULL")
                column.notNull = true
            } else if accept("NULL") {
                continue
            } else if accept("PRIMARY") {
                try expect("KEY")
                _ = accept("ASC") || accept("DESC")
                try setPrimaryKey([column.name], in: &constraints, table: table, at: position)
            } else if accept("UNIQUE") {
                constraints.unique.append([column.name])
            } else if accept("DEFAULT") {
                column.defaultValue = try expression(minimumPrecedence: Precedence.other)
            } else if accept("CHECK") {
                constraints.checks.append(try parenthesizedExpression())
            } else if current.isKeyword("REFERENCES") {
                throw MinerQLError(.notImplemented, "FOREIGN KEY constraints are not supported", at: position)
            } else {
                throw syntaxError()
            }
        }
    }

    private mutating func parenthesizedNames() throws -> [String] {
        try expectSymbol("(")
        var names: [String] = []
        repeat { names.append(try anyName()) } while acceptSymbol(",")
        try expectSymbol(")")
        return names
    }

    private mutating func parenthesizedExpression() throws -> Expr {
        try expectSymbol("(")
        let expr = try expression()
        try expectSymbol(")")
        return expr
    }

    /// `CREATE TRIGGER [IF NOT EXISTS] name [BEFORE|AFTER] INSERT|DELETE|UPDATE
    /// [OF columns] ON table [FOR EACH ROW] [WHEN condition] BEGIN statement; … END`
    private mutating func createTrigger() throws -> Statement.Kind {
        let ifNotExists = try ifNotExistsClause()
        let name = try qualifiedName()
        var timing = TriggerDefinition.Timing.after
        if accept("BEFORE") {
            timing = .before
        } else if current.isKeyword("INSTEAD") {
            throw MinerQLError(.notImplemented, "INSTEAD OF triggers are not supported", at: current.position)
        } else {
            _ = accept("AFTER")
        }
        let event: TriggerDefinition.Event
        if accept("INSERT") {
            event = .insert
        } else if accept("DELETE") {
            event = .delete
        } else if accept("UPDATE") {
            var columns: [String] = []
            if accept("OF") {
                repeat { columns.append(try anyName()) } while acceptSymbol(",")
            }
            event = .update(columns: columns)
        } else {
            throw syntaxError()
        }
        try expect("ON")
        let table = try qualifiedName()
        if accept("FOR") {
            try expect("EACH")
            if current.isKeyword("STATEMENT") {
                throw MinerQLError(.notImplemented, "FOR EACH STATEMENT triggers are not supported", at: current.position)
            }
            try expect("ROW")
        }
        let condition = accept("WHEN") ? try expression() : nil
        try expect("BEGIN")
        var body: [Statement] = []
        while !accept("END") {
            let start = current.position
            guard current.isKeyword("INSERT") || current.isKeyword("UPDATE") || current.isKeyword("DELETE")
                || current.isKeyword("REPLACE") || startsQuery(current) else { throw syntaxError() }
            let kind = try statement()
            let text = String(decoding: sourceBytes[start.offset..<current.position.offset], as: UTF8.self)
            body.append(Statement(kind: kind, position: start, text: text))
            try expectSymbol(";")
        }
        if body.isEmpty { throw syntaxError(tokens[index - 1]) }
        return .createTrigger(TriggerDefinition(name: name, table: table, timing: timing, event: event,
                                                condition: condition, body: body), ifNotExists: ifNotExists)
    }

    private mutating func copyStatement() throws -> Statement.Kind {
        var source: CopySource
        if acceptSymbol("(") {
            source = .query(try selectStatement())
            try expectSymbol(")")
        } else {
            source = .table(try qualifiedName())
        }
        let toFile = accept("TO")
        if !toFile { try expect("FROM") }
        guard current.kind == .string else { throw syntaxError() }
        let path = advance().text
        var options: [CopyOption] = []
        if acceptSymbol("(") {
            repeat {
                let name = try anyName().lowercased()
                var value: Expr?
                if !(current.isSymbol(",") || current.isSymbol(")")) {
                    if current.kind == .word && !current.isKeyword("TRUE") && !current.isKeyword("FALSE") {
                        value = Expr(.literal(.string(current.text)), at: advance().position)
                    } else {
                        value = try expression()
                    }
                }
                options.append(CopyOption(name: name, value: value))
            } while acceptSymbol(",")
            try expectSymbol(")")
        }
        if toFile { return .copyTo(source: source, path: path, options: options) }
        guard case .table(let table) = source else { throw syntaxError() }
        return .copyFrom(table: table, path: path, options: options)
    }

    /// `column = value, …` of UPDATE … SET and the pipe SET operator.
    private mutating func assignmentList() throws -> [Assignment] {
        var assignments: [Assignment] = []
        repeat {
            let position = current.position
            let column = try anyName()
            try expectSymbol("=")
            assignments.append(Assignment(column: column, value: try expression(), position: position))
        } while acceptSymbol(",")
        return assignments
    }

    private mutating func ifNotExistsClause() throws -> Bool {
        guard accept("IF") else { return false }
        try expect("NOT")
        try expect("EXISTS")
        return true
    }

    /// After `INSERT [OR REPLACE|OR IGNORE]` or `REPLACE`.
    private mutating func insertStatement(onConflict: ConflictAction) throws -> Statement.Kind {
        try expect("INTO")
        var insert = InsertStatement(table: try qualifiedName(), onConflict: onConflict)
        if accept("AS") { throw MinerQLError(.notImplemented, "an alias for the INSERT target is not supported", at: tokens[index - 1].position) }
        if current.isSymbol("(") && !(peekToken(1).isKeyword("SELECT") || peekToken(1).isKeyword("VALUES")) {
            insert.columns = try parenthesizedNames()
        }
        if accept("DEFAULT") {
            try expect("VALUES")
        } else {
            insert.source = try selectStatement()
        }
        if accept("ON") {
            try expect("CONFLICT")
            if current.isSymbol("(") { insert.conflictTarget = try parenthesizedNames() }
            try expect("DO")
            if accept("NOTHING") {
                insert.onConflict = .nothing
            } else {
                try expect("UPDATE")
                try expect("SET")
                let assignments = try assignmentList()
                insert.onConflict = .update(assignments, filter: accept("WHERE") ? try expression() : nil)
            }
        }
        return .insert(insert)
    }

    /// A type name, with any `(precision, scale)` accepted and ignored.
    private mutating func typeName() throws -> DataType {
        let token = current
        let name = try anyName()
        if name.caseInsensitiveEquals("DOUBLE") { _ = accept("PRECISION") }
        if name.caseInsensitiveEquals("CHARACTER") { _ = accept("VARYING") }
        if acceptSymbol("(") {
            while !current.isSymbol(")") && current.kind != .end { _ = advance() }
            try expectSymbol(")")
        }
        guard let type = DataType(sqlName: name) else {
            throw MinerQLError(.catalog, "Type with name \(name) does not exist!", at: token.position)
        }
        return type
    }

    // MARK: - Queries

    /// A query: WITH, a body (with set operations), then ORDER BY and LIMIT/OFFSET.
    mutating func selectStatement() throws -> SelectStatement {
        var with: [CommonTableExpression] = []
        var recursive = false
        if accept("WITH") {
            recursive = accept("RECURSIVE")
            repeat {
                let name = try identifier()
                var columns: [String] = []
                if acceptSymbol("(") {
                    repeat { columns.append(try anyName()) } while acceptSymbol(",")
                    try expectSymbol(")")
                }
                try expect("AS")
                _ = accept("MATERIALIZED")
                try expectSymbol("(")
                with.append(CommonTableExpression(name: name, columns: columns, query: try selectStatement()))
                try expectSymbol(")")
            } while acceptSymbol(",")
        }
        var statement = SelectStatement(body: try setOperationBody(minimumPrecedence: 0))
        statement.with = with
        statement.recursive = recursive
        if case .query(let inner) = statement.body, with.isEmpty,
           !(current.isKeyword("ORDER") || current.isKeyword("LIMIT") || current.isKeyword("OFFSET")) {
            return inner  // a parenthesized query alone is that query
        }
        if accept("ORDER") {
            try expect("BY")
            statement.orderBy = try orderItems()
        }
        while true {
            if accept("LIMIT") {
                statement.limit = try expression()
            } else if accept("OFFSET") {
                statement.offset = try expression()
                _ = accept("ROWS") || accept("ROW")
            } else {
                break
            }
        }
        if current.isSymbol("|>") {
            var operators: [PipeOperator] = []
            while acceptSymbol("|>") { operators.append(try pipeOperator()) }
            statement = SelectStatement(body: .pipe(statement, operators))
        }
        return statement
    }

    /// One operator after `|>`.
    private mutating func pipeOperator() throws -> PipeOperator {
        let token = current
        func items() throws -> [SelectItem] {
            var core = SelectCore()
            try selectList(into: &core)
            return core.items
        }
        if accept("WHERE") { return .filter(try expression()) }
        if accept("SELECT") {
            let distinct = accept("DISTINCT")
            return .select(try items(), distinct: distinct)
        }
        if accept("EXTEND") { return .extend(try items()) }
        if accept("SET") { return .set(try assignmentList()) }
        if accept("DROP") {
            var names: [String] = []
            repeat { names.append(try anyName()) } while acceptSymbol(",")
            return .drop(names)
        }
        if accept("RENAME") {
            var pairs: [(String, String)] = []
            repeat {
                let from = try anyName()
                _ = accept("AS")
                pairs.append((from, try anyName()))
            } while acceptSymbol(",")
            return .rename(pairs)
        }
        if accept("AS") { return .alias(try identifier()) }
        if accept("AGGREGATE") {
            var aggregates: [SelectItem] = []
            if !current.isKeyword("GROUP") && !current.isSymbol("|>") && current.kind != .end && !current.isSymbol(";") && !current.isSymbol(")") {
                aggregates = try items()
            }
            var groups: [SelectItem] = []
            var ordered = false
            if accept("GROUP") {
                if accept("AND") {
                    try expect("ORDER")
                    ordered = true
                }
                try expect("BY")
                groups = try items()
            }
            return .aggregate(aggregates, groups: groups, ordered: ordered)
        }
        if accept("ORDER") {
            try expect("BY")
            return .orderBy(try orderItems())
        }
        if accept("LIMIT") {
            let limit = try expression()
            return .limit(limit, offset: accept("OFFSET") ? try expression() : nil)
        }
        if accept("DISTINCT") { return .distinct }
        if current.isKeyword("UNION") || current.isKeyword("INTERSECT") || current.isKeyword("EXCEPT") {
            let position = current.position
            let op: SetOperator = advance().isKeyword("UNION") ? .union : (tokens[index - 1].isKeyword("INTERSECT") ? .intersect : .except)
            var all = false
            if accept("ALL") { all = true } else { _ = accept("DISTINCT") }
            var queries: [SelectStatement] = []
            repeat {
                try expectSymbol("(")
                queries.append(try selectStatement())
                try expectSymbol(")")
            } while acceptSymbol(",")
            return .setOperation(op, all: all, queries, at: position)
        }
        let position = current.position
        if let kind = try joinKind() {
            return .join(kind, try tablePrimary(), try joinCondition(kind), at: position)
        }
        let name = token.kind == .end ? "end of input" : "\"\(token.text)\""
        throw MinerQLError(.parser, "unknown pipe operator \(name): expected WHERE, SELECT, EXTEND, SET, DROP, RENAME, AS, AGGREGATE, ORDER BY, LIMIT, DISTINCT, a JOIN or a set operation", at: token.position)
    }

    private func startsQuery(_ token: Token) -> Bool {
        token.isKeyword("SELECT") || token.isKeyword("FROM") || token.isKeyword("VALUES") || token.isKeyword("WITH")
            || token.isSymbol("(")
    }

    /// Query bodies joined by set operations; INTERSECT binds tighter than
    /// UNION and EXCEPT, which associate to the left.
    private mutating func setOperationBody(minimumPrecedence: Int) throws -> QueryBody {
        let entry = depth
        defer { depth = entry }
        try enter(current.position)
        var left = try queryPrimary()
        while true {
            let position = current.position
            try enter(position)
            let op: SetOperator
            if current.isKeyword("UNION") { op = .union } else if current.isKeyword("INTERSECT") { op = .intersect } else if current.isKeyword("EXCEPT") { op = .except } else { break }
            let precedence = op == .intersect ? 2 : 1
            guard precedence >= minimumPrecedence else { break }
            _ = advance()
            var all = false
            if accept("ALL") { all = true } else { _ = accept("DISTINCT") }
            let right = try setOperationBody(minimumPrecedence: precedence + 1)
            left = .setOperation(op, all: all, left, right, at: position)
        }
        return left
    }

    /// A SELECT core, VALUES, or a parenthesized query.
    private mutating func queryPrimary() throws -> QueryBody {
        if current.isSymbol("(") && startsQuery(peekToken(1)) {
            _ = advance()
            let inner = try selectStatement()
            try expectSymbol(")")
            return .query(inner)
        }
        return try queryBody()
    }

    private mutating func orderItems() throws -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            // ORDER BY ALL is a star that the binder expands to every column.
            let all = current.isKeyword("ALL") ? Expr(.star(qualifier: nil), at: advance().position) : nil
            var item = OrderItem(expression: try all ?? expression())
            if accept("DESC") {
                item.descending = true
            } else {
                _ = accept("ASC")
            }
            if accept("NULLS") {
                if accept("FIRST") {
                    item.nullsFirst = true
                } else {
                    try expect("LAST")
                    item.nullsFirst = false
                }
            }
            items.append(item)
        } while acceptSymbol(",")
        return items
    }

    private mutating func queryBody() throws -> QueryBody {
        if current.isKeyword("VALUES") {
            let position = advance().position
            var rows: [[Expr]] = []
            repeat {
                try expectSymbol("(")
                var row: [Expr] = []
                repeat { row.append(try expression()) } while acceptSymbol(",")
                try expectSymbol(")")
                rows.append(row)
            } while acceptSymbol(",")
            return .values(rows, at: position)
        }
        var core = SelectCore()
        if current.isKeyword("FROM") {
            // FROM-first: `FROM t [SELECT …] [WHERE …]`.
            _ = advance()
            core.from = try fromClause()
            if accept("SELECT") {
                try selectList(into: &core)
            } else {
                core.items = [.star(qualifier: nil, at: current.position)]
            }
        } else {
            try expect("SELECT")
            try selectList(into: &core)
            if accept("FROM") { core.from = try fromClause() }
        }
        if accept("WHERE") { core.filter = try expression() }
        if accept("GROUP") {
            try expect("BY")
            if accept("ALL") { core.groupByAll = true }
            else { repeat {
                if current.isSymbol(")") || current.kind == .end { break }
                core.groupBy.append(try expression())
            } while acceptSymbol(",") }
        }
        if accept("HAVING") { core.having = try expression() }
        if accept("WINDOW") {
            repeat {
                let name = try identifier()
                try expect("AS")
                try expectSymbol("(")
                core.windows.append((name, try windowSpec()))
                try expectSymbol(")")
            } while acceptSymbol(",")
        }
        if accept("QUALIFY") { core.qualify = try expression() }
        return .select(core)
    }

    private mutating func selectList(into core: inout SelectCore) throws {
        if accept("DISTINCT") {
            core.distinct = true
        } else {
            _ = accept("ALL")
        }
        repeat {
            if isSelectListEnd(current) { break }  // trailing comma
            if current.isSymbol("*") {
                let position = advance().position
                core.items.append(.star(qualifier: nil, at: position, modifiers: try starModifiers()))
                continue
            }
            if (current.kind == .word || current.kind == .quotedIdentifier) && peekToken(1).isSymbol(".")
                && peekToken(2).isSymbol("*") {
                let qualifier = advance().text
                _ = advance()
                let position = advance().position
                core.items.append(.star(qualifier: qualifier, at: position, modifiers: try starModifiers()))
                continue
            }
            let expr = try expression()
            core.items.append(.expression(expr, alias: try alias()))
        } while acceptSymbol(",")
        if core.items.isEmpty { throw syntaxError() }
    }

    /// `EXCLUDE (a, b)` and `REPLACE (expr AS c, …)` after a star.
    private mutating func starModifiers() throws -> StarModifiers {
        var modifiers = StarModifiers()
        while true {
            if accept("EXCLUDE") {
                if acceptSymbol("(") {
                    repeat { modifiers.exclude.append(try anyName()) } while acceptSymbol(",")
                    try expectSymbol(")")
                } else {
                    modifiers.exclude.append(try anyName())
                }
            } else if accept("REPLACE") {
                try expectSymbol("(")
                repeat {
                    let value = try expression()
                    try expect("AS")
                    modifiers.replace.append((try anyName(), value))
                } while acceptSymbol(",")
                try expectSymbol(")")
            } else {
                return modifiers
            }
        }
    }

    private func isSelectListEnd(_ token: Token) -> Bool {
        token.kind == .end || token.isSymbol(";") || token.isSymbol(")") || token.isSymbol("|>")
            || ["FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "WINDOW", "QUALIFY"].contains { token.isKeyword($0) }
    }

    /// `[AS] alias`, or nil.
    private mutating func alias() throws -> String? {
        if accept("AS") { return try anyName() }
        if current.kind == .quotedIdentifier || (current.kind == .word && !isReserved(current)) {
            return advance().text
        }
        if current.kind == .string {  // SELECT 1 'one', as DuckDB allows
            return advance().text
        }
        return nil
    }

    // MARK: - FROM

    private mutating func fromClause() throws -> TableRef {
        let entry = depth
        defer { depth = entry }
        var ref = try joinedTable()
        while current.isSymbol(",") {
            let position = advance().position
            try enter(position)
            let right = try joinedTable()
            ref = .join(ref, right, .cross, .none, at: position)
        }
        return ref
    }

    private mutating func joinedTable() throws -> TableRef {
        let entry = depth
        defer { depth = entry }
        var left = try tablePrimary()
        while true {
            let position = current.position
            guard let kind = try joinKind() else { return left }
            try enter(position)
            let right = try tablePrimary()
            let condition = try joinCondition(kind)
            left = .join(left, right, kind, condition, at: position)
        }
    }

    /// `[INNER|LEFT|RIGHT|FULL|CROSS|ASOF [LEFT]] JOIN`, or nil if no join follows.
    private mutating func joinKind() throws -> JoinKind? {
        if accept("JOIN") { return .inner }
        if accept("INNER") { try expect("JOIN"); return .inner }
        for (word, kind) in [("LEFT", JoinKind.left), ("RIGHT", .right), ("FULL", .full)] where accept(word) {
            _ = accept("OUTER")
            try expect("JOIN")
            return kind
        }
        if accept("CROSS") { try expect("JOIN"); return .cross }
        if accept("ASOF") {
            let kind: JoinKind = accept("LEFT") ? .asofLeft : .asof
            _ = accept("OUTER")
            try expect("JOIN")
            return kind
        }
        return nil
    }

    /// `ON condition` or `USING (columns)`; nothing for a cross join.
    private mutating func joinCondition(_ kind: JoinKind) throws -> JoinCondition {
        if kind == .cross { return .none }
        if accept("ON") { return .on(try expression()) }
        guard accept("USING") else { throw syntaxError() }
        try expectSymbol("(")
        var names: [String] = []
        repeat { names.append(try anyName()) } while acceptSymbol(",")
        try expectSymbol(")")
        return .using(names)
    }

    private mutating func tablePrimary() throws -> TableRef {
        let position = current.position
        if acceptSymbol("(") {
            if startsQuery(current) {
                let query = try selectStatement()
                try expectSymbol(")")
                return .subquery(query, alias: try tableAlias(), at: position)
            }
            let inner = try fromClause()
            try expectSymbol(")")
            return inner
        }
        if current.kind == .string {
            let path = advance().text
            return .file(path: path, alias: try tableAlias(), at: position)
        }
        if current.kind == .word && peekToken(1).isSymbol("(") && !isReserved(current) {
            let name = advance().text.lowercased()
            _ = advance()
            var arguments: [FunctionArgument] = []
            if !current.isSymbol(")") {
                repeat {
                    if (current.kind == .word || current.kind == .quotedIdentifier)
                        && (peekToken(1).isSymbol("=") || peekToken(1).isSymbol(":=")) {
                        let argumentName = advance().text.lowercased()
                        _ = advance()
                        arguments.append(FunctionArgument(name: argumentName, value: try expression()))
                    } else {
                        arguments.append(FunctionArgument(name: nil, value: try expression()))
                    }
                } while acceptSymbol(",")
            }
            try expectSymbol(")")
            return .tableFunction(name: name, arguments: arguments, alias: try tableAlias(), at: position)
        }
        let name = try qualifiedName()
        return .table(name: name, alias: try tableAlias(), at: position)
    }

    private mutating func tableAlias() throws -> TableAlias? {
        var alias: TableAlias
        if accept("AS") {
            alias = TableAlias(name: try identifier())
        } else if current.kind == .quotedIdentifier || (current.kind == .word && !isReserved(current)) {
            alias = TableAlias(name: advance().text)
        } else {
            return nil
        }
        if acceptSymbol("(") {
            repeat { alias.columns.append(try anyName()) } while acceptSymbol(",")
            try expectSymbol(")")
        }
        return alias
    }

    // MARK: - Expressions

    /// Parses one expression.
    public mutating func expression() throws -> Expr {
        try expression(minimumPrecedence: 0)
    }

    private enum Precedence {
        static let or = 1, and = 2, not = 3, isTest = 4, comparison = 5, rangeTest = 6, other = 7
        static let additive = 8, multiplicative = 9, unary = 11, cast = 12
    }

    private mutating func expression(minimumPrecedence: Int) throws -> Expr {
        let entry = depth
        defer { depth = entry }
        try enter(current.position)
        var left = try prefix()
        while true {
            let token = current
            let position = token.position
            // Each operator applied to the left operand deepens the tree by one.
            if token.kind == .symbol || token.kind == .word { if binaryOperator(token) != nil || token.isSymbol("::") { try enter(position) } }
            if token.isSymbol("::") {
                guard Precedence.cast >= minimumPrecedence else { break }
                _ = advance()
                left = Expr(.cast(left, try typeName()), at: position)
                continue
            }
            if let (op, precedence) = binaryOperator(token) {
                guard precedence >= minimumPrecedence else { break }
                _ = advance()
                let right = try expression(minimumPrecedence: precedence + 1)
                left = Expr(.binary(op, left, right), at: position)
                continue
            }
            if token.isKeyword("IS") {
                guard Precedence.isTest >= minimumPrecedence else { break }
                _ = advance()
                let negated = accept("NOT")
                if accept("NULL") {
                    left = Expr(.isNull(left, negated: negated), at: position)
                } else if accept("DISTINCT") {
                    try expect("FROM")
                    let right = try expression(minimumPrecedence: Precedence.isTest + 1)
                    left = Expr(.isDistinctFrom(left, right, negated: negated), at: position)
                } else if accept("TRUE") || current.isKeyword("FALSE") {
                    let wantTrue = tokens[index - 1].isKeyword("TRUE")
                    if !wantTrue { _ = advance() }
                    let literal = Expr(.literal(.boolean(wantTrue)), at: position)
                    left = Expr(.isDistinctFrom(left, literal, negated: !negated), at: position)
                } else {
                    throw syntaxError()
                }
                continue
            }
            if token.isKeyword("ISNULL") || token.isKeyword("NOTNULL") {
                guard Precedence.isTest >= minimumPrecedence else { break }
                _ = advance()
                left = Expr(.isNull(left, negated: token.isKeyword("NOTNULL")), at: position)
                continue
            }
            // [NOT] BETWEEN / IN / LIKE / ILIKE
            var lookahead = 0
            var negated = false
            if token.isKeyword("NOT") {
                negated = true
                lookahead = 1
            }
            let test = peekToken(lookahead)
            if test.isKeyword("BETWEEN") || test.isKeyword("IN") || test.isKeyword("LIKE") || test.isKeyword("ILIKE")
                || test.isKeyword("GLOB") {
                guard Precedence.rangeTest >= minimumPrecedence else { break }
                index += lookahead + 1
                if test.isKeyword("BETWEEN") {
                    let low = try expression(minimumPrecedence: Precedence.rangeTest + 1)
                    try expect("AND")
                    let high = try expression(minimumPrecedence: Precedence.rangeTest + 1)
                    left = Expr(.between(left, low: low, high: high, negated: negated), at: position)
                } else if test.isKeyword("IN") {
                    try expectSymbol("(")
                    if startsQuery(current) && !current.isSymbol("(") {
                        let query = try selectStatement()
                        try expectSymbol(")")
                        left = Expr(.inSubquery(left, query, negated: negated), at: position)
                    } else {
                        var list: [Expr] = []
                        if !current.isSymbol(")") {
                            repeat { list.append(try expression()) } while acceptSymbol(",")
                        }
                        try expectSymbol(")")
                        left = Expr(.inList(left, list, negated: negated), at: position)
                    }
                } else if test.isKeyword("GLOB") {
                    throw MinerQLError(.notImplemented, "GLOB is not supported; use LIKE", at: test.position)
                } else {
                    let pattern = try expression(minimumPrecedence: Precedence.rangeTest + 1)
                    left = Expr(.like(left, pattern: pattern, caseInsensitive: test.isKeyword("ILIKE"), negated: negated), at: position)
                }
                continue
            }
            break
        }
        return left
    }

    private func binaryOperator(_ token: Token) -> (BinaryOperator, Int)? {
        if token.kind == .word {
            if token.isKeyword("AND") { return (.and, Precedence.and) }
            if token.isKeyword("OR") { return (.or, Precedence.or) }
            return nil
        }
        guard token.kind == .symbol else { return nil }
        switch token.text {
        case "=", "==": return (.equal, Precedence.comparison)
        case "<>", "!=": return (.notEqual, Precedence.comparison)
        case "<": return (.less, Precedence.comparison)
        case "<=": return (.lessEqual, Precedence.comparison)
        case ">": return (.greater, Precedence.comparison)
        case ">=": return (.greaterEqual, Precedence.comparison)
        case "||": return (.concat, Precedence.other)
        case "+": return (.add, Precedence.additive)
        case "-": return (.subtract, Precedence.additive)
        case "*": return (.multiply, Precedence.multiplicative)
        case "/": return (.divide, Precedence.multiplicative)
        case "//": return (.integerDivide, Precedence.multiplicative)
        case "%": return (.modulo, Precedence.multiplicative)
        default: return nil
        }
    }

    private mutating func prefix() throws -> Expr {
        let token = current
        let position = token.position
        switch token.kind {
        case .integer:
            _ = advance()
            return Expr(.literal(.integer(token.text)), at: position)
        case .decimal:
            _ = advance()
            return Expr(.literal(.decimal(token.text)), at: position)
        case .string:
            _ = advance()
            return Expr(.literal(.string(token.text)), at: position)
        case .parameter:
            _ = advance()
            return Expr(.parameter(token.text), at: position)
        case .quotedIdentifier:
            return try columnReference()
        case .symbol:
            if acceptSymbol("(") {
                if startsQuery(current) && !current.isSymbol("(") {
                    let query = try selectStatement()
                    try expectSymbol(")")
                    return Expr(.scalarSubquery(query), at: position)
                }
                let inner = try expression()
                try expectSymbol(")")
                return inner
            }
            if acceptSymbol("-") {
                let operand = try expression(minimumPrecedence: Precedence.unary)
                if case .literal(.integer(let digits)) = operand.kind, !digits.hasPrefix("-") {
                    return Expr(.literal(.integer("-" + digits)), at: position)
                }
                if case .literal(.decimal(let digits)) = operand.kind, !digits.hasPrefix("-") {
                    return Expr(.literal(.decimal("-" + digits)), at: position)
                }
                return Expr(.negate(operand), at: position)
            }
            if acceptSymbol("+") {
                return try expression(minimumPrecedence: Precedence.unary)
            }
            if current.isSymbol("*") {
                _ = advance()
                return Expr(.star(qualifier: nil), at: position)
            }
            if acceptSymbol("{") {
                var fields: [StructField] = []
                if !current.isSymbol("}") {
                    repeat {
                        guard current.kind == .string || current.kind == .word || current.kind == .quotedIdentifier else { throw syntaxError() }
                        let key = advance().text
                        try expectSymbol(":")
                        fields.append(StructField(key: key, value: try expression()))
                    } while acceptSymbol(",")
                }
                try expectSymbol("}")
                return Expr(.structLiteral(fields), at: position)
            }
            throw syntaxError()
        case .end:
            throw syntaxError()
        case .word:
            break
        }
        // Words: keywords that start expressions, then functions and columns.
        if accept("NULL") { return Expr(.literal(.null), at: position) }
        if accept("TRUE") { return Expr(.literal(.boolean(true)), at: position) }
        if accept("FALSE") { return Expr(.literal(.boolean(false)), at: position) }
        if accept("NOT") {
            let operand = try expression(minimumPrecedence: Precedence.not)
            return Expr(.not(operand), at: position)
        }
        if accept("CASE") { return try caseExpression(position) }
        if accept("CAST") {
            try expectSymbol("(")
            let operand = try expression()
            try expect("AS")
            let type = try typeName()
            try expectSymbol(")")
            return Expr(.cast(operand, type), at: position)
        }
        if accept("EXISTS") {
            try expectSymbol("(")
            let query = try selectStatement()
            try expectSymbol(")")
            return Expr(.exists(query), at: position)
        }
        if token.isKeyword("INTERVAL") { return try intervalLiteral() }
        if (token.isKeyword("DATE") || token.isKeyword("TIMESTAMP")) && peekToken(1).kind == .string {
            let type: DataType = token.isKeyword("DATE") ? .date : .timestamp
            _ = advance()
            return Expr(.literal(.typed(type, advance().text)), at: position)
        }
        let isFunction = peekToken(1).isSymbol("(") && (token.isKeyword("LEFT") || token.isKeyword("RIGHT"))
        if isReserved(token) && !isFunction { throw syntaxError() }
        if token.isKeyword("EXTRACT") && peekToken(1).isSymbol("(") {
            // EXTRACT(part FROM value) is date_part('part', value).
            _ = advance()
            _ = advance()
            let partPosition = current.position
            let partName = current.kind == .string ? advance().text : try anyName()
            let part = Expr(.literal(.string(partName)), at: partPosition)
            try expect("FROM")
            let value = try expression()
            try expectSymbol(")")
            return Expr(.function(name: "date_part", arguments: [part, value], distinct: false), at: position)
        }
        if token.isKeyword("POSITION") && peekToken(1).isSymbol("(") {
            // POSITION(needle IN haystack), unless called with a comma.
            let saved = index
            _ = advance()
            _ = advance()
            let needle = try expression(minimumPrecedence: Precedence.rangeTest + 1)
            if accept("IN") {
                let haystack = try expression()
                try expectSymbol(")")
                return Expr(.function(name: "position", arguments: [haystack, needle], distinct: false), at: position)
            }
            index = saved
        }
        if token.isKeyword("CURRENT_DATE") && !peekToken(1).isSymbol("(") {
            _ = advance()
            return Expr(.function(name: "current_date", arguments: [], distinct: false), at: position)
        }
        if peekToken(1).isSymbol("(") { return try functionCall() }
        return try columnReference()
    }

    private static let intervalUnits = ["YEAR", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND"]

    /// `INTERVAL '1 month 2 days'`, `INTERVAL 3 DAY`, `INTERVAL '3' DAY`, `INTERVAL (expr) HOUR`.
    private mutating func intervalLiteral() throws -> Expr {
        let position = advance().position
        func unit() -> String? {
            guard current.kind == .word else { return nil }
            var word = current.text.uppercased()
            if word.hasSuffix("S") { word.removeLast() }
            guard Parser.intervalUnits.contains(word) else { return nil }
            _ = advance()
            return word.lowercased()
        }
        if current.kind == .string {
            let text = advance().text
            if let unit = unit() {
                return Expr(.literal(.typed(.interval, "\(text) \(unit)")), at: position)
            }
            return Expr(.literal(.typed(.interval, text)), at: position)
        }
        let amount = try expression(minimumPrecedence: Precedence.unary)
        guard let unit = unit() else { throw syntaxError() }
        return Expr(.function(name: "to_\(unit)s", arguments: [amount], distinct: false), at: position)
    }

    private mutating func columnReference() throws -> Expr {
        let position = current.position
        let first = try anyName()
        if acceptSymbol(".") {
            if current.isSymbol("*") {
                _ = advance()
                return Expr(.star(qualifier: first), at: position)
            }
            var name = try anyName()
            var qualifier = first
            // schema.table.column: keep the last two parts.
            while acceptSymbol(".") {
                qualifier = name
                name = try anyName()
            }
            return Expr(.column(qualifier: qualifier, name: name), at: position)
        }
        return Expr(.column(qualifier: nil, name: first), at: position)
    }

    private mutating func functionCall() throws -> Expr {
        let position = current.position
        let name = advance().text
        try expectSymbol("(")
        var arguments: [Expr] = []
        var distinct = false
        if !current.isSymbol(")") {
            if accept("DISTINCT") {
                distinct = true
            } else {
                _ = accept("ALL")
            }
            repeat {
                if current.isSymbol(")") || current.isKeyword("ORDER") { break }
                arguments.append(try expression())
            } while acceptSymbol(",")
        }
        var orderBy: [OrderItem] = []
        if accept("ORDER") {
            try expect("BY")
            orderBy = try orderItems()
        }
        try expectSymbol(")")
        var filter: Expr?
        if accept("FILTER") {
            try expectSymbol("(")
            try expect("WHERE")
            filter = try expression()
            try expectSymbol(")")
        }
        var over: WindowSpec?
        if accept("OVER") {
            if acceptSymbol("(") {
                over = try windowSpec()
                try expectSymbol(")")
            } else {
                over = WindowSpec(base: try identifier())
            }
        }
        return Expr(.function(name: name.lowercased(), arguments: arguments, distinct: distinct, filter: filter, over: over,
                              orderBy: orderBy), at: position)
    }

    /// The inside of `OVER (…)` or `WINDOW w AS (…)`.
    private mutating func windowSpec() throws -> WindowSpec {
        var spec = WindowSpec()
        if current.kind == .word && !isReserved(current) && !current.isKeyword("PARTITION") && !current.isKeyword("ROWS")
            && !current.isKeyword("RANGE") {
            spec.base = advance().text
        }
        if accept("PARTITION") {
            try expect("BY")
            repeat { spec.partitionBy.append(try expression()) } while acceptSymbol(",")
        }
        if accept("ORDER") {
            try expect("BY")
            spec.orderBy = try orderItems()
        }
        if current.isKeyword("ROWS") || current.isKeyword("RANGE") {
            let unit: WindowFrame.Unit = advance().isKeyword("ROWS") ? .rows : .range
            if accept("BETWEEN") {
                let start = try frameBound()
                try expect("AND")
                spec.frame = WindowFrame(unit: unit, start: start, end: try frameBound())
            } else {
                spec.frame = WindowFrame(unit: unit, start: try frameBound(), end: .currentRow)
            }
        }
        return spec
    }

    private mutating func frameBound() throws -> WindowFrame.Bound {
        if accept("UNBOUNDED") {
            if accept("PRECEDING") { return .unboundedPreceding }
            try expect("FOLLOWING")
            return .unboundedFollowing
        }
        if accept("CURRENT") {
            try expect("ROW")
            return .currentRow
        }
        let offset = try expression(minimumPrecedence: Precedence.additive)
        if accept("PRECEDING") { return .preceding(offset) }
        try expect("FOLLOWING")
        return .following(offset)
    }

    private mutating func caseExpression(_ position: SourcePosition) throws -> Expr {
        var operand: Expr?
        if !current.isKeyword("WHEN") { operand = try expression() }
        var branches: [CaseBranch] = []
        while accept("WHEN") {
            let condition = try expression()
            try expect("THEN")
            branches.append(CaseBranch(condition: condition, result: try expression()))
        }
        if branches.isEmpty { throw syntaxError() }
        var otherwise: Expr?
        if accept("ELSE") { otherwise = try expression() }
        try expect("END")
        return Expr(.caseWhen(operand: operand, branches: branches, otherwise: otherwise), at: position)
    }
}
