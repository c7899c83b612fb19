// The engine's public entry point: parse SQL text, bind, plan and run each
// statement against the in-memory catalog, and return results or a MinerQLError.

/// The result of a statement: named, typed columns in chunks.
public struct QueryResult: Sendable {
    public let names: [String]
    public let types: [DataType]
    public let chunks: [DataChunk]

    public init(names: [String], types: [DataType], chunks: [DataChunk]) {
        self.names = names
        self.types = types
        self.chunks = chunks
    }

    public var rowCount: Int { chunks.reduce(0) { $0 + $1.count } }

    /// Every row as values, for renderers and tests.
    public var rows: [[Value]] { rows(in: 0..<rowCount) }

    /// The rows at positions `range` (clamped to the result), without
    /// turning the others into values: a renderer showing the first and last
    /// rows of millions reads only those.
    public func rows(in range: Range<Int>) -> [[Value]] {
        var rows: [[Value]] = []
        rows.reserveCapacity(max(0, range.count))
        var start = 0
        for chunk in chunks {
            let end = start + chunk.count
            if end > range.lowerBound && start < range.upperBound {
                for row in max(range.lowerBound, start)..<min(range.upperBound, end) {
                    rows.append(chunk.columns.map { $0.value(at: row - start) })
                }
            }
            start = end
            if start >= range.upperBound { break }
        }
        return rows
    }
}

/// Receives a query's rows as they are produced (see `Database.execute(_:parameters:streamingTo:)`).
public protocol ResultConsumer: AnyObject {
    /// The result's columns, before any row.
    func begin(names: [String], types: [DataType]) throws
    /// The next rows, in order; the consumer may keep the chunk.
    func consume(_ chunk: DataChunk) throws
}

/// An in-memory database session.
public final class Database {
    var catalog = Catalog()
    public var settings = Settings()
    /// Set it (from a signal handler, say) to stop the running statement.
    public let cancellation: Cancellation
    /// How far the running statement has got, for a progress bar.
    public let progress = QueryProgress()
    /// Names of the triggers whose statements are running, which do not fire again.
    var activeTriggers: Set<String> = []

    public init(cancellation: Cancellation = Cancellation()) {
        self.cancellation = cancellation
    }

    /// A new session with the same tables, views and settings (and a
    /// cancellation flag of its own); what one changes, the other does not see.
    public func copy() -> Database {
        let copy = Database()
        copy.catalog = catalog
        copy.settings = settings
        return copy
    }

    /// Table names, sorted.
    public var tableNames: [String] { catalog.tableNames }

    /// Every function a statement may call — scalar, aggregate and window —
    /// sorted, for completion.
    public static let functionNames: [String] = Array(Set(FunctionRegistry.names + BoundWindow.functionNames)).sorted()

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
        catalog.put(try FileTableLoader.load(path: path, format: .csv, options: [], tableName: name, at: nil, progress: progress,
                                             cancellation: cancellation, access: settings.fileAccess).table)
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
    ///
    /// With a `consumer`, a query's rows go to it a chunk at a time as they
    /// are produced, and the result is nil: a result of millions of rows is
    /// never held whole. Other statements return their result as usual.
    public func execute(_ statement: Statement, parameters: [String: Value] = [:],
                        streamingTo consumer: ResultConsumer? = nil) throws -> QueryResult? {
        // Statements fired by triggers change the catalog too; undo them all.
        let before = catalog
        do {
            return try DeepStack.run { try self.run(statement, parameters: parameters, triggerRow: nil, consumer: consumer) }
        } catch {
            catalog = before
            throw error
        }
    }

    func run(_ statement: Statement, parameters: [String: Value], triggerRow: TriggerRow?,
             consumer: ResultConsumer? = nil) throws -> QueryResult? {
        cancellation.limitMemory(to: settings.memoryLimit)
        try cancellation.check()
        progress.reset()
        let binder = Binder(catalog: catalog, settings: settings, parameters: parameters, triggerRow: triggerRow, progress: progress,
                            cancellation: cancellation)
        notices = []
        defer { notices = binder.notices }
        switch statement.kind {
        case .select(let query):
            let bound = try binder.bindQuery(query, frame: nil)
            if let consumer {
                try consumer.begin(names: bound.names, types: bound.plan.types)
                try ExecutionContext(catalog: catalog, settings: settings, cancellation: cancellation, progress: progress)
                    .stream(bound.plan.optimized, into: consumer.consume)
                return nil
            }
            return QueryResult(names: bound.names, types: bound.plan.types, chunks: try run(bound.plan))
        case .createTable(let name, let columns, let constraints, let query, let orReplace, let ifNotExists):
            if let existing = catalog.kind(of: name) {
                if ifNotExists { return nil }
                if !orReplace || existing != .table {
                    throw MinerQLError(.catalog, "\(existing.rawValue) with name \"\(name)\" already exists!", at: statement.position)
                }
            }
            if let query {
                let bound = try binder.bindQuery(query, frame: nil)
                let types = bound.plan.types.map { $0 == .null ? .bigint : $0 }
                let schema = zip(bound.names, types).map { ColumnSchema(name: $0, type: $1) }
                if let columns = bound.plan.wholeTableColumns, zip(columns, types).allSatisfy({ $0.type == $1 }) {
                    // A file or table taken whole: its columns are the new table's, uncopied.
                    catalog.put(Table(name: name, schema: schema, columns: columns))
                    return nil
                }
                let chunks = try run(bound.plan)
                if chunks.count == 1, let chunk = chunks.first, chunk.columns.count == types.count {
                    // A sorted or otherwise whole result: its columns, uncopied.
                    catalog.put(Table(name: name, schema: schema, columns: try zip(chunk.columns, types).map { try Cast.vector($0, to: $1) }))
                    return nil
                }
                let rows = chunks.reduce(0) { $0 + $1.count }
                var builders = types.map { VectorBuilder($0, capacity: rows) }
                for chunk in chunks {
                    for (i, column) in chunk.columns.enumerated() { builders[i].append(try Cast.vector(column, to: types[i])) }
                }
                catalog.put(Table(name: name, schema: schema, columns: builders.map { $0.build() }))
            } else {
                var seen = Set<String>()
                for column in columns where !seen.insert(column.name.lowercased()).inserted {
                    throw MinerQLError(.catalog, "Column with name \(column.name) already exists!", at: statement.position)
                }
                let rules = try Constraints(table: name, columns: columns, constraints: constraints, at: statement.position)
                var table = Table(name: name, schema: columns.map { ColumnSchema(name: $0.name, type: $0.type) },
                                  columns: columns.map { Vector.empty($0.type) }, constraints: rules)
                // Bind the CHECK conditions now so a broken one is refused at creation.
                try rules.check([DataChunk(columns: table.columns, count: 0)], table: table, binder: binder)
                table.keyIndexes = rules.keys.map { _ in KeyIndex() }
                catalog.put(table)
            }
            return nil
        case .insert(let insert):
            try self.insert(insert, binder: binder, at: statement.position)
            return nil
        case .createTrigger(let trigger, let ifNotExists):
            if let existing = catalog.kind(of: trigger.name) {
                if ifNotExists && existing == .trigger { return nil }
                throw MinerQLError(.catalog, "\(existing.rawValue) with name \"\(trigger.name)\" already exists!", at: statement.position)
            }
            _ = try baseTable(trigger.table, verb: "create a trigger on", at: statement.position)
            catalog.put(trigger)
            return nil
        case .reindex(let name):
            // Indexes hold nothing, so there is nothing to rebuild; the name must exist.
            if let name, catalog.kind(of: name) != .index, catalog.table(name) == nil {
                throw MinerQLError(.catalog, "Table or index with name \(name) does not exist!", at: statement.position)
            }
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
                               chunks: [DataChunk(columns: [Vector(.varchar(StringVector(bound.names))), Vector(.varchar(StringVector(bound.plan.types.map(\.description)))),
                                                            Vector(.varchar(StringVector(Array(repeating: "YES", count: count))))]
                                                            + Array(repeating: Vector.nulls(.varchar, count: count), count: 3), count: count)])
        case .summarize(let query):
            let bound = try binder.bindQuery(query, frame: nil)
            return Summary.of(QueryResult(names: bound.names, types: bound.plan.types, chunks: try run(bound.plan)))
        case .explain(let query):
            let bound = try binder.bindQuery(query, frame: nil)
            let lines = PlanPrinter.lines(bound.plan.optimized)
            return QueryResult(names: ["physical_plan"], types: [.varchar], chunks: [DataChunk(columns: [Vector(.varchar(StringVector(lines)))], count: lines.count)])
        case .describe(let name):
            guard let table = catalog.table(name) else { throw catalog.missingTable(name, at: statement.position) }
            let names = Vector(.varchar(StringVector(table.schema.map(\.name))))
            let types = Vector(.varchar(StringVector(table.schema.map(\.type.description))))
            let rules = table.constraints
            let nullable = Vector(.varchar(StringVector(rules.notNull.map { $0 ? "NO" : "YES" })))
            var keys = VectorBuilder(.varchar)
            var defaults = VectorBuilder(.varchar)
            for column in table.schema.indices {
                let key = rules.keys.first { $0.columns.contains(column) }
                keys.append(key.map { .varchar($0.isPrimary ? "PRI" : "UNI") } ?? .null)
                defaults.append(rules.defaults[column].map { .varchar(ExprPrinter.text(of: $0)) } ?? .null)
            }
            let empty = Vector.nulls(.varchar, count: table.schema.count)
            return QueryResult(names: ["column_name", "column_type", "null", "key", "default", "extra"],
                               types: Array(repeating: .varchar, count: 6),
                               chunks: [DataChunk(columns: [names, types, nullable, keys.build(), defaults.build(), empty],
                                                  count: table.schema.count)])
        }
    }

    /// `COPY … TO`: runs the query and writes the file atomically.
    private func copy(_ source: CopySource, to path: String, options: [CopyOption], binder: Binder,
                      at position: SourcePosition) throws {
        try settings.fileAccess.checkWrite(path, at: position)
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
        var writer = ResultWriter(format: format)
        writer.header = header
        if let delimiter { writer.delimiter = delimiter }
        // Written as the rows are produced: the file, not memory, holds them.
        let file = try AtomicFile(path: path)
        try file.write(writer.prologue(names: bound.names, types: bound.plan.types))
        var written = 0
        try ExecutionContext(catalog: catalog, settings: settings, cancellation: cancellation, progress: progress)
            .stream(bound.plan.optimized) { chunk in
                var text = ""
                writer.write(chunk, names: bound.names, after: written, into: &text)
                written += chunk.count
                try file.write(text)
            }
        try file.write(writer.epilogue(rows: written))
        try file.commit()
    }

    /// `COPY table FROM 'path'`: appends every row of the file, or none.
    private func copy(into name: String, from path: String, options: [CopyOption], binder: Binder,
                      at position: SourcePosition) throws {
        let table = try baseTable(name, verb: "copy into", at: position)
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
                                              progress: progress, cancellation: cancellation, access: settings.fileAccess)
        guard loaded.table.schema.count == table.schema.count else {
            throw MinerQLError(.binder, "COPY FROM: table \"\(table.name)\" has \(table.schema.count) columns but the file has \(loaded.table.schema.count)", at: position)
        }
        let columns = try zip(loaded.table.columns, table.schema).map { try Cast.vector($0, to: $1.type, at: position) }
        try write([DataChunk(columns: columns, count: loaded.table.rowCount)], into: table.name, onConflict: .fail, target: nil,
                  binder: binder, at: position)
    }

    func run(_ plan: LogicalPlan) throws -> [DataChunk] {
        try ExecutionContext(catalog: catalog, settings: settings, cancellation: cancellation, progress: progress)
            .run(plan.optimized)
    }
}
