// The engine's public entry point: parse SQL text, bind, plan and run each
// statement against the in-memory catalog, and return results or a MinerQLError.

/// The result of a statement: named, typed columns in chunks.
public struct QueryResult: Sendable {
    public let names: [String]
    public let types: [DataType]
    public let chunks: [DataChunk]

    public var rowCount: Int { chunks.reduce(0) { $0 + $1.count } }

    /// Every row as values, for renderers and tests.
    public var rows: [[Value]] {
        var rows: [[Value]] = []
        rows.reserveCapacity(rowCount)
        for chunk in chunks {
            for row in 0..<chunk.count { rows.append(chunk.columns.map { $0.value(at: row) }) }
        }
        return rows
    }
}

/// An in-memory database session.
public final class Database {
    private var catalog = Catalog()
    public var settings = Settings()
    /// Set it (from a signal handler, say) to stop the running statement.
    public let cancellation: Cancellation
    /// How far the running statement has got, for a progress bar.
    public let progress = QueryProgress()

    public init(cancellation: Cancellation = Cancellation()) {
        self.cancellation = cancellation
    }

    /// Table names, sorted.
    public var tableNames: [String] { catalog.tableNames }

    /// The columns of a table or view, or nil if there is no such table.
    public func schema(of table: String) -> [ColumnSchema]? {
        if let schema = catalog.table(table)?.schema { return schema }
        guard catalog.view(table) != nil else { return nil }
        let query = SelectStatement(body: .select(SelectCore(items: [.star(qualifier: nil, at: SourcePosition(offset: 0, line: 1, column: 1))],
                                                             from: .table(name: table, alias: nil, at: SourcePosition(offset: 0, line: 1, column: 1)))))
        guard let bound = try? Binder(catalog: catalog, settings: settings, parameters: [:]).bindQuery(query, frame: nil) else { return nil }
        return zip(bound.names, bound.plan.types).map { ColumnSchema(name: $0, type: $1) }
    }

    /// Notices of the last statement that are not errors (rows skipped by
    /// ignore_errors), for the shell to show.
    public private(set) var notices: [String] = []

    /// Adds (or replaces) a table read from CSV text with a header line.
    public func loadCSV(table name: String, text: String) throws {
        catalog.put(try CSVReader.table(named: name, text: text))
    }

    /// Adds (or replaces) a table read from a CSV file, sniffing its dialect.
    public func loadCSV(table name: String, path: String) throws {
        catalog.put(try FileTableLoader.load(path: path, format: .csv, options: [], tableName: name, at: nil, progress: progress).table)
    }

    /// Splits SQL text into statements without running them.
    public func parse(_ sql: String) throws -> [Statement] {
        try DeepStack.run { try Parser.parse(sql) }
    }

    /// Runs every statement of the text in order and returns the result of each
    /// one that produces rows. Stops at the first error.
    @discardableResult
    public func execute(_ sql: String, parameters: [String: Value] = [:]) throws -> [QueryResult] {
        cancellation.reset()
        return try parse(sql).compactMap { try execute($0, parameters: parameters) }
    }

    /// Runs one parsed statement. A statement that fails changes nothing. The
    /// caller resets `cancellation` before a batch of statements.
    public func execute(_ statement: Statement, parameters: [String: Value] = [:]) throws -> QueryResult? {
        try DeepStack.run { try self.run(statement, parameters: parameters) }
    }

    private func run(_ statement: Statement, parameters: [String: Value]) throws -> QueryResult? {
        try cancellation.check()
        progress.reset()
        let binder = Binder(catalog: catalog, settings: settings, parameters: parameters, progress: progress)
        notices = []
        defer { notices = binder.notices }
        switch statement.kind {
        case .select(let query):
            let bound = try binder.bindQuery(query, frame: nil)
            return QueryResult(names: bound.names, types: bound.plan.types, chunks: try run(bound.plan))
        case .createTable(let name, let columns, let query, let orReplace, let ifNotExists):
            if let existing = catalog.kind(of: name) {
                if ifNotExists { return nil }
                if !orReplace || existing != .table {
                    throw MinerQLError(.catalog, "\(existing.rawValue) with name \"\(name)\" already exists!", at: statement.position)
                }
            }
            if let query {
                let bound = try binder.bindQuery(query, frame: nil)
                let types = bound.plan.types.map { $0 == .null ? .bigint : $0 }
                var table = Table(name: name, schema: zip(bound.names, types).map { ColumnSchema(name: $0, type: $1) },
                                  columns: types.map(Vector.empty))
                for chunk in try run(bound.plan) {
                    table.append(DataChunk(columns: try zip(chunk.columns, types).map { try Cast.vector($0, to: $1) }, count: chunk.count))
                }
                catalog.put(table)
            } else {
                var seen = Set<String>()
                for column in columns where !seen.insert(column.name.lowercased()).inserted {
                    throw MinerQLError(.catalog, "Column with name \(column.name) already exists!", at: statement.position)
                }
                catalog.put(Table(name: name, schema: columns.map { ColumnSchema(name: $0.name, type: $0.type) },
                                  columns: columns.map { Vector.empty($0.type) }))
            }
            return nil
        case .insert(let tableName, let columnNames, let source):
            try insert(into: tableName, columns: columnNames, source: source, binder: binder, at: statement.position)
            return nil
        case .drop(let kind, let name, let ifExists):
            if catalog.remove(name, kind: kind) || ifExists { return nil }
            if let other = catalog.kind(of: name) {
                throw MinerQLError(.catalog, "Existing object \"\(name)\" is of type \(other.rawValue), trying to drop type \(kind.rawValue)", at: statement.position)
            }
            if kind == .table { throw catalog.missingTable(name, at: statement.position) }
            throw MinerQLError(.catalog, "\(kind.rawValue) with name \(name) does not exist!", at: statement.position)
        case .createView(let name, let columns, let query, let orReplace, let ifNotExists):
            if let existing = catalog.kind(of: name) {
                if ifNotExists { return nil }
                if !orReplace || existing != .view {
                    throw MinerQLError(.catalog, "\(existing.rawValue) with name \"\(name)\" already exists!", at: statement.position)
                }
            }
            let view = ViewDefinition(name: name, columns: columns, query: query)
            // Bind once now so a broken view is refused at creation.
            var check = catalog
            check.put(view)
            _ = try Binder(catalog: check, settings: settings, parameters: parameters)
                .bindQuery(SelectStatement(body: .select(SelectCore(items: [.star(qualifier: nil, at: statement.position)],
                                                                     from: .table(name: name, alias: nil, at: statement.position)))),
                           frame: nil)
            catalog.put(view)
            return nil
        case .createIndex(let name, let tableName, let columns, let ifNotExists):
            if catalog.kind(of: name) == .index {
                if ifNotExists { return nil }
                throw MinerQLError(.catalog, "Index with name \"\(name)\" already exists!", at: statement.position)
            }
            guard let table = catalog.table(tableName) else { throw catalog.missingTable(tableName, at: statement.position) }
            for column in columns where !table.schema.contains(where: { $0.name.caseInsensitiveEquals(column) }) {
                throw MinerQLError(.binder, "Table \"\(table.name)\" does not have a column named \"\(column)\"", at: statement.position)
            }
            catalog.putIndex(name, on: table.name)
            return nil
        case .update(let tableName, let assignments, let filter):
            try update(tableName, assignments, filter, binder: binder, at: statement.position)
            return nil
        case .delete(let tableName, let filter):
            try delete(tableName, filter, binder: binder, at: statement.position)
            return nil
        case .set(let name, let value):
            let bound = try ExpressionBinder(binder: binder, scope: Scope(), frame: nil, clause: "SET").bind(value)
            try settings.set(name, try binder.evaluateConstant(bound), at: value.position)
            return nil
        case .copyTo(let source, let path, let options):
            try copy(source, to: path, options: options, binder: binder, at: statement.position)
            return nil
        case .copyFrom(let table, let path, let options):
            try copy(into: table, from: path, options: options, binder: binder, at: statement.position)
            return nil
        case .describeQuery(let query):
            let bound = try binder.bindQuery(query, frame: nil)
            let count = bound.names.count
            return QueryResult(names: ["column_name", "column_type", "null", "key", "default", "extra"],
                               types: Array(repeating: .varchar, count: 6),
                               chunks: [DataChunk(columns: [Vector(.varchar(bound.names)), Vector(.varchar(bound.plan.types.map(\.description))),
                                                            Vector(.varchar(Array(repeating: "YES", count: count)))]
                                                            + Array(repeating: Vector.nulls(.varchar, count: count), count: 3), count: count)])
        case .summarize(let query):
            let bound = try binder.bindQuery(query, frame: nil)
            return Summary.of(QueryResult(names: bound.names, types: bound.plan.types, chunks: try run(bound.plan)))
        case .explain(let query):
            let bound = try binder.bindQuery(query, frame: nil)
            let lines = PlanPrinter.lines(FilterPushdown.optimize(bound.plan))
            return QueryResult(names: ["physical_plan"], types: [.varchar], chunks: [DataChunk(columns: [Vector(.varchar(lines))], count: lines.count)])
        case .describe(let name):
            guard let table = catalog.table(name) else { throw catalog.missingTable(name, at: statement.position) }
            let names = Vector(.varchar(table.schema.map(\.name)))
            let types = Vector(.varchar(table.schema.map(\.type.description)))
            let nullable = Vector(.varchar(table.schema.map { _ in "YES" }))
            let empty = Vector.nulls(.varchar, count: table.schema.count)
            return QueryResult(names: ["column_name", "column_type", "null", "key", "default", "extra"],
                               types: Array(repeating: .varchar, count: 6),
                               chunks: [DataChunk(columns: [names, types, nullable, empty, empty, empty], count: table.schema.count)])
        }
    }

    /// The table a DML statement changes, which must be a base table.
    private func baseTable(_ name: String, verb: String, at position: SourcePosition) throws -> Table {
        if catalog.view(name) != nil {
            throw MinerQLError(.binder, "Can only \(verb) base table", at: position)
        }
        guard let table = catalog.table(name) else { throw catalog.missingTable(name, at: position) }
        return table
    }

    /// Runs `plan` over the table's rows and makes its output the table's new
    /// contents, all at once.
    private func replaceContents(of table: Table, with plan: LogicalPlan) throws {
        var builders = table.schema.map { VectorBuilder($0.type, capacity: table.rowCount) }
        for chunk in try run(plan) {
            for (i, column) in chunk.columns.enumerated() { builders[i].append(column) }
        }
        catalog.put(Table(name: table.name, schema: table.schema, columns: builders.map { $0.build() }))
    }

    private func tableScope(_ table: Table) -> Scope {
        Scope(columns: table.schema.map { ScopeColumn(table: table.name, name: $0.name, type: $0.type) })
    }

    /// `UPDATE t SET c = v … [WHERE …]`: each assigned column becomes
    /// `CASE WHEN condition THEN value ELSE column END`.
    private func update(_ name: String, _ assignments: [Assignment], _ filter: Expr?, binder: Binder,
                        at position: SourcePosition) throws {
        let table = try baseTable(name, verb: "update", at: position)
        let expressions = ExpressionBinder(binder: binder, scope: tableScope(table), frame: nil, clause: "UPDATE")
        let condition = try filter.map { try expressions.bindCondition($0) }
        var outputs = table.schema.enumerated().map { BoundExpr.column($0.offset, $0.element.type) }
        for assignment in assignments {
            guard let index = table.schema.firstIndex(where: { $0.name.caseInsensitiveEquals(assignment.column) }) else {
                throw MinerQLError(.binder, "Referenced update column \(assignment.column) not found in table!", at: assignment.position)
            }
            let type = table.schema[index].type
            let value = try expressions.cast(try expressions.bind(assignment.value), to: type, at: assignment.value.position)
            outputs[index] = condition.map {
                .caseWhen([BoundCaseBranch(condition: $0, result: value)], otherwise: .column(index, type), type)
            } ?? value
        }
        try replaceContents(of: table, with: .project(.scan(table: table.name, types: table.schema.map(\.type)), outputs))
    }

    /// `DELETE FROM t [WHERE …]`: keeps the rows for which the condition is not TRUE.
    private func delete(_ name: String, _ filter: Expr?, binder: Binder, at position: SourcePosition) throws {
        let table = try baseTable(name, verb: "delete from", at: position)
        let scan = LogicalPlan.scan(table: table.name, types: table.schema.map(\.type))
        guard let filter else {
            try replaceContents(of: table, with: .limit(scan, limit: 0, offset: 0))
            return
        }
        let condition = try ExpressionBinder(binder: binder, scope: tableScope(table), frame: nil, clause: "DELETE").bindCondition(filter)
        try replaceContents(of: table, with: .filter(scan, .isDistinctFrom(condition, .constant(.boolean(true), .boolean), negated: false)))
    }

    /// `COPY … TO`: runs the query and writes the file atomically.
    private func copy(_ source: CopySource, to path: String, options: [CopyOption], binder: Binder,
                      at position: SourcePosition) throws {
        let query: SelectStatement
        switch source {
        case .query(let q): query = q
        case .table(let name):
            var core = SelectCore()
            core.items = [.star(qualifier: nil, at: position)]
            core.from = .table(name: name, alias: nil, at: position)
            query = SelectStatement(body: .select(core))
        }
        let lower = path.lowercased()
        var format: ResultFileFormat = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") ? .jsonl
            : lower.hasSuffix(".json") ? .json : lower.hasSuffix(".md") ? .markdown : lower.hasSuffix(".tsv") ? .tsv : .csv
        var header = true
        var delimiter: Character?
        for option in options {
            let value = try option.value.map { try binder.readerOption($0) }
            guard case .value(let constant)? = value ?? .value(.boolean(true)) else {
                throw MinerQLError(.binder, "COPY option \(option.name) expects a value", at: position)
            }
            switch option.name {
            case "format":
                guard let chosen = ResultFileFormat(rawValue: constant.description.lowercased()) else {
                    throw MinerQLError(.invalidInput, "COPY format \"\(constant.description)\" is not supported; use csv, tsv, json, jsonl or markdown", at: position)
                }
                format = chosen
            case "header":
                guard case .boolean(let b) = try Cast.value(constant, to: .boolean, at: position) else { continue }
                header = b
            case "delimiter", "delim", "sep":
                guard constant.description.count == 1 else {
                    throw MinerQLError(.invalidInput, "The delimiter option must be a single character", at: position)
                }
                delimiter = constant.description.first
            default:
                throw MinerQLError(.binder, "Unrecognized option \"\(option.name)\" for COPY TO", at: position)
            }
        }
        let bound = try binder.bindQuery(query, frame: nil)
        let result = QueryResult(names: bound.names, types: bound.plan.types, chunks: try run(bound.plan))
        var writer = ResultWriter(format: format)
        writer.header = header
        if let delimiter { writer.delimiter = delimiter }
        try FileIO.writeAtomically(writer.write(result), to: path)
    }

    /// `COPY table FROM 'path'`: appends every row of the file, or none.
    private func copy(into name: String, from path: String, options: [CopyOption], binder: Binder,
                      at position: SourcePosition) throws {
        guard var table = catalog.table(name) else { throw catalog.missingTable(name, at: position) }
        var format = FileTableLoader.format(ofPath: path) ?? .csv
        var readerOptions: [(String, ReaderOptionValue)] = []
        for option in options {
            let value = try option.value.map { try binder.readerOption($0) } ?? .value(.boolean(true))
            if option.name == "format", case .value(let v) = value {
                guard let chosen = FileTableLoader.Format(rawValue: v.description.lowercased()) else {
                    throw MinerQLError(.invalidInput, "COPY FROM format \"\(v.description)\" is not supported; use csv or json", at: position)
                }
                format = chosen
            } else {
                readerOptions.append((option.name, value))
            }
        }
        let loaded = try FileTableLoader.load(path: path, format: format, options: readerOptions, tableName: name, at: position,
                                              progress: progress)
        guard loaded.table.schema.count == table.schema.count else {
            throw MinerQLError(.binder, "COPY FROM: table \"\(table.name)\" has \(table.schema.count) columns but the file has \(loaded.table.schema.count)", at: position)
        }
        let columns = try zip(loaded.table.columns, table.schema).map { try Cast.vector($0, to: $1.type, at: position) }
        table.append(DataChunk(columns: columns, count: loaded.table.rowCount))
        catalog.put(table)
    }

    private func run(_ plan: LogicalPlan) throws -> [DataChunk] {
        try ExecutionContext(catalog: catalog, settings: settings, cancellation: cancellation, progress: progress)
            .run(FilterPushdown.optimize(plan))
    }

    private func insert(into name: String, columns: [String]?, source: SelectStatement, binder: Binder,
                        at position: SourcePosition) throws {
        var table = try baseTable(name, verb: "insert into", at: position)
        let targets: [Int]
        if let columns {
            targets = try columns.map { column in
                guard let index = table.schema.firstIndex(where: { $0.name.caseInsensitiveEquals(column) }) else {
                    throw MinerQLError(.binder, "Table \"\(table.name)\" does not have a column with name \"\(column)\"", at: position)
                }
                return index
            }
        } else {
            targets = Array(table.schema.indices)
        }
        let bound = try binder.bindQuery(source, frame: nil)
        guard bound.plan.types.count == targets.count else {
            throw MinerQLError(.binder, "table \"\(table.name)\" has \(table.schema.count) columns but \(bound.plan.types.count) values were supplied", at: position)
        }
        // Build every new row before touching the table, so a failure inserts nothing.
        var pending: [DataChunk] = []
        for chunk in try run(bound.plan) {
            var vectors = table.schema.map { Vector.nulls($0.type, count: chunk.count) }
            for (source, target) in targets.enumerated() {
                vectors[target] = try Cast.vector(chunk.columns[source], to: table.schema[target].type)
            }
            pending.append(DataChunk(columns: vectors, count: chunk.count))
        }
        for chunk in pending { table.append(chunk) }
        catalog.put(table)
    }
}
