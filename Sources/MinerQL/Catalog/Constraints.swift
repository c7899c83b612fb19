// The rules a table's rows keep: NOT NULL, PRIMARY KEY and UNIQUE keys and
// CHECK conditions, plus the DEFAULT values an INSERT fills in. INSERT and
// UPDATE check them with DuckDB's error messages.

/// A PRIMARY KEY or UNIQUE constraint over some columns.
struct KeyConstraint: Sendable {
    var columns: [Int]
    var isPrimary: Bool
}

/// A table's constraints, with columns resolved to their positions.
struct Constraints: Sendable {
    var notNull: [Bool]
    var defaults: [Expr?]
    /// The primary key first, then UNIQUE constraints in the order declared.
    var keys: [KeyConstraint] = []
    var checks: [Expr] = []

    /// No constraints on a table of `columns` columns.
    init(columns: Int) {
        notNull = Array(repeating: false, count: columns)
        defaults = Array(repeating: nil, count: columns)
    }

    /// Resolves CREATE TABLE's constraints against its columns.
    init(table: String, columns: [ColumnDefinition], constraints: TableConstraints, at position: SourcePosition) throws {
        notNull = columns.map(\.notNull)
        defaults = columns.map(\.defaultValue)
        checks = constraints.checks
        func resolve(_ names: [String]) throws -> [Int] {
            try names.map { name in
                guard let index = columns.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
                    throw MinerQLError(.catalog, "table \"\(table)\" does not have a column named \"\(name)\"", at: position)
                }
                return index
            }
        }
        if let primary = constraints.primaryKey {
            let indices = try resolve(primary)
            for index in indices { notNull[index] = true }
            keys.append(KeyConstraint(columns: indices, isPrimary: true))
        }
        for unique in constraints.unique { keys.append(KeyConstraint(columns: try resolve(unique), isPrimary: false)) }
    }

    /// The key constraint a conflict clause refers to: the one over exactly
    /// `target`'s columns, or the only one when no target is given.
    func conflictKey(target: [String]?, schema: [ColumnSchema], needsSingle: Bool, at position: SourcePosition) throws -> KeyConstraint? {
        guard !keys.isEmpty else {
            throw MinerQLError(.binder, "There are no UNIQUE/PRIMARY KEY constraints that refer to this table, specify ON CONFLICT columns manually", at: position)
        }
        guard let target else {
            if needsSingle && keys.count > 1 {
                throw MinerQLError(.binder, "Conflict target has to be provided for a DO UPDATE operation when the table has multiple UNIQUE/PRIMARY KEY constraints", at: position)
            }
            return needsSingle ? keys[0] : nil
        }
        let wanted = Set(target.map { $0.lowercased() })
        guard let key = keys.first(where: { Set($0.columns.map { schema[$0].name.lowercased() }) == wanted }) else {
            throw MinerQLError(.binder, "The specified columns as conflict target are not referenced by a UNIQUE/PRIMARY KEY CONSTRAINT or INDEX", at: position)
        }
        return key
    }

    /// Refuses rows with NULL in a NOT NULL column or for which a CHECK
    /// condition is FALSE (NULL passes). The conditions are bound and compiled
    /// once for all the chunks.
    func check(_ chunks: [DataChunk], table: Table, binder: Binder) throws {
        let scope = Scope(columns: table.schema.map { ScopeColumn(table: table.name, name: $0.name, type: $0.type) })
        let expressions = ExpressionBinder(binder: binder, scope: scope, frame: nil, clause: "CHECK")
        let compiler = ExpressionCompiler(context: ExecutionContext(catalog: binder.catalog, settings: binder.settings,
                                                                     cancellation: Cancellation()))
        let conditions = try checks.map { (check: $0, kernel: try compiler.compile(try expressions.bindCondition($0))) }
        for chunk in chunks {
            for (column, required) in notNull.enumerated() where required {
                let vector = chunk.columns[column]
                for row in 0..<chunk.count where vector.isNull(row) {
                    throw MinerQLError(.constraint, "NOT NULL constraint failed: \(table.name).\(table.schema[column].name)")
                }
            }
            for condition in conditions {
                let result = try condition.kernel(chunk)
                for row in 0..<chunk.count where result.value(at: row) == .boolean(false) {
                    throw MinerQLError(.constraint, "CHECK constraint failed on table \"\(table.name)\" with expression CHECK(\(ExprPrinter.text(of: condition.check)))")
                }
            }
        }
    }

    /// The key of `row` under `key`, or nil if a part is NULL (NULLs never conflict).
    static func keyValues(_ key: KeyConstraint, of columns: [Vector], row: Int) -> [Value]? {
        var values: [Value] = []
        values.reserveCapacity(key.columns.count)
        for column in key.columns {
            let value = columns[column].value(at: row)
            if value.isNull { return nil }
            values.append(value)
        }
        return values
    }

    /// The error for a key that is already in the table.
    static func duplicateError(_ key: KeyConstraint, _ values: [Value], schema: [ColumnSchema]) -> MinerQLError {
        let shown = zip(key.columns, values).map { "\(schema[$0].name): \($1)" }.joined(separator: ", ")
        return MinerQLError(.constraint, "Duplicate key \"\(shown)\" violates \(key.isPrimary ? "primary key" : "unique") constraint.")
    }

    /// The error for a key written twice by one statement.
    static func repeatedKeyError(_ values: [Value]) -> MinerQLError {
        MinerQLError(.constraint, "PRIMARY KEY or UNIQUE constraint violation: duplicate key \"\(values.map(\.description).joined(separator: ", "))\"")
    }
}

/// The keys present in a table for one key constraint, each with its row.
struct KeyIndex: Sendable {
    var rows: [[Value]: Int] = [:]

    /// Indexes every row of `columns`; throws if a key appears twice, with
    /// DuckDB's message for a key that was already there (`existing` rows are
    /// those the statement did not write).
    static func build(_ key: KeyConstraint, columns: [Vector], rowCount: Int, schema: [ColumnSchema],
                      existing: (Int) -> Bool = { _ in true }) throws -> KeyIndex {
        var index = KeyIndex()
        index.rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            guard let values = Constraints.keyValues(key, of: columns, row: row) else { continue }
            if let other = index.rows.updateValue(row, forKey: values) {
                if existing(other) || existing(row) { throw Constraints.duplicateError(key, values, schema: schema) }
                throw Constraints.repeatedKeyError(values)
            }
        }
        return index
    }
}
