// Row triggers (CREATE TRIGGER, as in SQLite; DuckDB has none). For each row an
// INSERT, UPDATE or DELETE changes, a trigger's statements run with the row
// visible as `new` and `old`. BEFORE triggers run for every row the statement
// will change before it changes any, and the statement then works on the table
// as they left it; AFTER triggers run for every changed row afterwards. A
// trigger never fires itself again from its own statements (SQLite's default);
// of several triggers, the newest fires first, also as in SQLite.

/// The row a trigger's statements see as `old` (UPDATE, DELETE) and `new`
/// (INSERT, UPDATE).
struct TriggerRow {
    var schema: [ColumnSchema]
    var old: [Value]?
    var new: [Value]?

    /// The value `qualifier.name` names, if the qualifier is `old` or `new`.
    func lookup(qualifier: String, name: String) -> (value: Value, type: DataType)? {
        let row: [Value]?
        if qualifier.caseInsensitiveEquals("new") {
            row = new
        } else if qualifier.caseInsensitiveEquals("old") {
            row = old
        } else {
            return nil
        }
        guard let row, let index = schema.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else { return nil }
        return (row[index], schema[index].type)
    }
}

/// The triggers one statement fires on one table.
struct TriggerFiring {
    private let database: Database
    private let triggers: [TriggerDefinition]
    private let schema: [ColumnSchema]

    init(database: Database, table: Table, event: TriggerDefinition.Event) {
        self.database = database
        self.schema = table.schema
        self.triggers = database.catalog.triggers.filter { trigger in
            guard trigger.table.caseInsensitiveEquals(table.name), !database.activeTriggers.contains(Catalog.key(trigger.name)) else {
                return false
            }
            switch (trigger.event, event) {
            case (.insert, .insert), (.delete, .delete): return true
            case (.update(let watched), .update(let assigned)):
                return watched.isEmpty || watched.contains { column in assigned.contains { $0.caseInsensitiveEquals(column) } }
            default: return false
            }
        }
    }

    var hasBefore: Bool { triggers.contains { $0.timing == .before } }

    /// Runs the triggers of `timing` for each of `rows`, reading `old` and
    /// `new` values from the given columns.
    func fire(_ timing: TriggerDefinition.Timing, old: [Vector]?, new: [Vector]?, rows: [Int]) throws {
        // The newest trigger fires first, as in SQLite.
        let chosen = triggers.filter { $0.timing == timing }.reversed()
        guard !chosen.isEmpty else { return }
        for row in rows {
            let record = TriggerRow(schema: schema, old: old.map { $0.map { $0.value(at: row) } },
                                    new: new.map { $0.map { $0.value(at: row) } })
            for trigger in chosen { try database.run(trigger, for: record) }
        }
    }
}

extension Database {
    /// Runs a trigger's statements for one row if its WHEN condition holds.
    func run(_ trigger: TriggerDefinition, for row: TriggerRow) throws {
        let key = Catalog.key(trigger.name)
        activeTriggers.insert(key)
        defer { activeTriggers.remove(key) }
        do {
            if let condition = trigger.condition {
                let binder = Binder(catalog: catalog, settings: settings, parameters: [:], triggerRow: row)
                let bound = try ExpressionBinder(binder: binder, scope: Scope(), frame: nil, clause: "WHEN").bindCondition(condition)
                guard try binder.evaluateConstant(bound) == .boolean(true) else { return }
            }
            for statement in trigger.body { _ = try run(statement, parameters: [:], triggerRow: row) }
        } catch var error as MinerQLError {
            // The position is in the trigger's text, not the statement that fired it.
            if error.position != nil {
                error.position = nil
                error.message += " (in trigger \(trigger.name))"
            }
            throw error
        }
    }
}
