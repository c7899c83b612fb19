// INSERT, UPDATE and DELETE: each computes the table's new contents, checks its
// constraints, fires its triggers and only then replaces the table, so a
// statement that fails changes nothing.

extension Database {
    /// The table a DML statement changes, which must be a base table.
    func baseTable(_ name: String, verb: String, at position: SourcePosition) throws -> Table {
        if catalog.view(name) != nil {
            throw MinerQLError(.binder, "Can only \(verb) base table", at: position)
        }
        guard let table = catalog.table(name) else { throw catalog.missingTable(name, at: position) }
        return table
    }

    private func tableScope(_ table: Table, alias: String? = nil) -> Scope {
        Scope(columns: table.schema.map { ScopeColumn(table: alias ?? table.name, name: $0.name, type: $0.type) })
    }

    // MARK: - INSERT

    /// `INSERT INTO t [(columns)] query|DEFAULT VALUES [ON CONFLICT …]`.
    func insert(_ insert: InsertStatement, binder: Binder, at position: SourcePosition) throws {
        let table = try baseTable(insert.table, verb: "insert into", at: position)
        let targets: [Int]
        if let columns = insert.columns {
            targets = try columns.map { column in
                guard let index = table.schema.firstIndex(where: { $0.name.caseInsensitiveEquals(column) }) else {
                    throw MinerQLError(.binder, "Table \"\(table.name)\" does not have a column with name \"\(column)\"", at: position)
                }
                return index
            }
        } else {
            targets = insert.source == nil ? [] : Array(table.schema.indices)
        }
        let defaults = try table.schema.indices.map { column -> Value in
            guard !targets.contains(column), let expr = table.constraints.defaults[column] else { return .null }
            let expressions = ExpressionBinder(binder: binder, scope: Scope(), frame: nil, clause: "DEFAULT")
            return try binder.evaluateConstant(try expressions.cast(try expressions.bind(expr), to: table.schema[column].type,
                                                                    at: expr.position))
        }
        var rows: [DataChunk] = []
        if let source = insert.source {
            let bound = try binder.bindQuery(source, frame: nil)
            guard bound.plan.types.count == targets.count else {
                throw MinerQLError(.binder, "table \"\(table.name)\" has \(table.schema.count) columns but \(bound.plan.types.count) values were supplied", at: position)
            }
            for chunk in try run(bound.plan) {
                var vectors = zip(table.schema, defaults).map { Vector.constant($1, type: $0.type, count: chunk.count) }
                for (source, target) in targets.enumerated() {
                    vectors[target] = try Cast.vector(chunk.columns[source], to: table.schema[target].type)
                }
                rows.append(DataChunk(columns: vectors, count: chunk.count))
            }
        } else {
            rows = [DataChunk(columns: zip(table.schema, defaults).map { Vector.constant($1, type: $0.type, count: 1) }, count: 1)]
        }
        try write(rows, into: table.name, onConflict: insert.onConflict, target: insert.conflictTarget, binder: binder, at: position)
    }

    /// Adds rows (full width, of the table's types) to a table, keeping its
    /// constraints and handling key conflicts as `onConflict` says.
    func write(_ chunks: [DataChunk], into name: String, onConflict: ConflictAction, target: [String]?, binder: Binder,
               at position: SourcePosition) throws {
        var table = try baseTable(name, verb: "insert into", at: position)
        try table.constraints.check(chunks, table: table, binder: binder)
        var builders = table.schema.map { VectorBuilder($0.type) }
        for chunk in chunks {
            for (i, column) in chunk.columns.enumerated() { builders[i].append(column) }
        }
        let incoming = builders.map { $0.build() }
        let count = chunks.reduce(0) { $0 + $1.count }
        guard count > 0 else { return }
        let triggers = TriggerFiring(database: self, table: table, event: .insert)
        if triggers.hasBefore {
            try triggers.fire(.before, old: nil, new: incoming, rows: Array(0..<count))
            table = try baseTable(name, verb: "insert into", at: position)
        }

        let keys = table.constraints.keys
        let handled: KeyConstraint?
        switch onConflict {
        case .fail: handled = nil
        case .nothing: handled = try table.constraints.conflictKey(target: target, schema: table.schema, needsSingle: false, at: position)
        case .replace, .update: handled = try table.constraints.conflictKey(target: target, schema: table.schema, needsSingle: true, at: position)
        }
        var indexes = try table.ensureKeyIndexes()
        var accepted: [Int] = []
        /// Existing rows an incoming row replaces or updates.
        var conflicts: [(existing: Int, incoming: Int)] = []
        var seen = keys.map { _ in [[Value]: Int]() }
        // Without keys every row goes in, with no per-row key work.
        if keys.isEmpty { accepted = Array(0..<count) }
        rows: for row in 0..<count where !keys.isEmpty {
            let values = keys.map { Constraints.keyValues($0, of: incoming, row: row) }
            for (k, key) in keys.enumerated() {
                guard let value = values[k] else { continue }
                let handles = onConflict != .fail && (handled.map { $0.columns == key.columns } ?? true)
                if let existing = indexes[k].rows[value] {
                    guard handles else { throw Constraints.duplicateError(key, value, schema: table.schema) }
                    if onConflict != .nothing { conflicts.append((existing, row)) }
                    continue rows
                }
                if seen[k][value] != nil {
                    guard handles else { throw Constraints.repeatedKeyError(value) }
                    continue rows
                }
            }
            // Remember where the row will be once appended.
            for (k, value) in values.enumerated() { if let value { seen[k][value] = table.rowCount + accepted.count } }
            accepted.append(row)
        }

        var columns = table.columns
        var written: [Int] = accepted
        if !conflicts.isEmpty {
            let replaced = try conflictValues(conflicts, incoming: incoming, table: table, action: onConflict, binder: binder)
            columns = zip(columns, replaced.columns).map { $0.replacingRows(replaced.rows, with: $1) }
            written += replaced.incoming
        }
        let rowCount = table.rowCount
        columns = zip(columns, incoming).map { existing, new in
            var builder = VectorBuilder(existing.type, capacity: rowCount + accepted.count)
            builder.append(existing)
            builder.append(accepted.count == count ? new : new.gathered(accepted))
            return builder.build()
        }
        var updated = table.withColumns(columns)
        if conflicts.isEmpty {
            for (k, added) in seen.enumerated() { indexes[k].rows.merge(added) { _, new in new } }
            updated.keyIndexes = indexes
        } else {
            _ = try updated.ensureKeyIndexes()
        }
        catalog.put(updated)
        try triggers.fire(.after, old: nil, new: incoming, rows: written.sorted())
    }

    /// The new values of rows that an incoming row conflicts with: the incoming
    /// row itself for REPLACE, the SET list evaluated over the old row and
    /// `excluded` for DO UPDATE (rows its WHERE rejects are left as they are).
    private func conflictValues(_ conflicts: [(existing: Int, incoming: Int)], incoming: [Vector], table: Table,
                                action: ConflictAction, binder: Binder) throws -> (rows: [Int], columns: [Vector], incoming: [Int]) {
        let existingRows = conflicts.map(\.existing)
        let incomingRows = conflicts.map(\.incoming)
        let new = incoming.map { $0.gathered(incomingRows) }
        guard case .update(let assignments, let filter) = action else { return (existingRows, new, incomingRows) }
        let old = table.columns.map { $0.gathered(existingRows) }
        let chunk = DataChunk(columns: old + new, count: conflicts.count)
        // `excluded` columns must be qualified; plain names are the table's.
        var excluded = tableScope(table, alias: "excluded")
        for i in excluded.columns.indices { excluded.columns[i].usingDuplicate = true }
        let scope = tableScope(table) + excluded
        let expressions = ExpressionBinder(binder: binder, scope: scope, frame: nil, clause: "ON CONFLICT")
        let compiler = ExpressionCompiler(context: ExecutionContext(catalog: catalog, settings: settings, cancellation: cancellation))
        var columns = old
        for assignment in assignments {
            guard let index = table.schema.firstIndex(where: { $0.name.caseInsensitiveEquals(assignment.column) }) else {
                throw MinerQLError(.binder, "Referenced update column \(assignment.column) not found in table!", at: assignment.position)
            }
            let value = try expressions.cast(try expressions.bind(assignment.value), to: table.schema[index].type,
                                             at: assignment.value.position)
            columns[index] = try compiler.compile(value)(chunk)
        }
        var keep = Array(0..<conflicts.count)
        if let filter {
            let condition = try compiler.compile(try expressions.bindCondition(filter))(chunk)
            keep = keep.filter { condition.value(at: $0) == .boolean(true) }
        }
        let result = DataChunk(columns: columns, count: conflicts.count).gathered(keep)
        try table.constraints.check([result], table: table, binder: binder)
        return (keep.map { existingRows[$0] }, result.columns, keep.map { incomingRows[$0] })
    }

    // MARK: - UPDATE and DELETE

    /// `UPDATE t SET c = v … [WHERE …]`.
    func update(_ name: String, _ assignments: [Assignment], _ filter: Expr?, binder: Binder, at position: SourcePosition) throws {
        let original = try baseTable(name, verb: "update", at: position)
        var assigned = Set<Int>()
        for assignment in assignments {
            guard let index = original.schema.firstIndex(where: { $0.name.caseInsensitiveEquals(assignment.column) }) else {
                throw MinerQLError(.binder, "Referenced update column \(assignment.column) not found in table!", at: assignment.position)
            }
            assigned.insert(index)
        }
        let triggers = TriggerFiring(database: self, table: original, event: .update(columns: assignments.map(\.column)))
        var change = try updatedRows(of: original, assignments, filter, binder: binder)
        var table = original
        if triggers.hasBefore {
            try triggers.fire(.before, old: original.columns, new: change.columns, rows: change.rows)
            table = try baseTable(name, verb: "update", at: position)
            change = try updatedRows(of: table, assignments, filter, binder: binder)
        }
        let changed = DataChunk(columns: change.columns, count: table.rowCount).gathered(change.rows)
        try table.constraints.check([changed], table: table, binder: binder)
        var updated = table.withColumns(change.columns)
        if table.constraints.keys.contains(where: { !assigned.isDisjoint(with: $0.columns) }) {
            let rows = Set(change.rows)
            updated.keyIndexes = try table.constraints.keys.map {
                try KeyIndex.build($0, columns: change.columns, rowCount: table.rowCount, schema: table.schema) { !rows.contains($0) }
            }
        } else {
            updated.keyIndexes = table.keyIndexes
        }
        catalog.put(updated)
        try triggers.fire(.after, old: table.columns, new: change.columns, rows: change.rows)
    }

    /// The table's columns after the SET list is applied to the rows the
    /// condition holds for, and those rows.
    private func updatedRows(of table: Table, _ assignments: [Assignment], _ filter: Expr?,
                             binder: Binder) throws -> (columns: [Vector], rows: [Int]) {
        let expressions = ExpressionBinder(binder: binder, scope: tableScope(table), frame: nil, clause: "UPDATE")
        let condition = try filter.map { try expressions.bindCondition($0) } ?? .constant(.boolean(true), .boolean)
        var outputs = table.schema.enumerated().map { BoundExpr.column($0.offset, $0.element.type) }
        for assignment in assignments {
            guard let index = table.schema.firstIndex(where: { $0.name.caseInsensitiveEquals(assignment.column) }) else { continue }
            outputs[index] = try expressions.cast(try expressions.bind(assignment.value), to: table.schema[index].type,
                                                  at: assignment.value.position)
        }
        let selected = BoundExpr.isDistinctFrom(condition, .constant(.boolean(true), .boolean), negated: true)
        var builders = table.schema.map { VectorBuilder($0.type, capacity: table.rowCount) }
        var rows: [Int] = []
        var offset = 0
        let scan = LogicalPlan.scan(table: table.name, types: table.schema.map(\.type))
        for chunk in try run(.project(scan, [selected] + table.schema.indices.map { BoundExpr.column($0, table.schema[$0].type) } + outputs)) {
            let width = table.schema.count
            let flags = chunk.columns[0]
            var chosen: [Int] = []
            for row in 0..<chunk.count where flags.value(at: row) == .boolean(true) {
                chosen.append(row)
                rows.append(offset + row)
            }
            for column in 0..<width {
                let old = chunk.columns[1 + column]
                builders[column].append(chosen.isEmpty ? old : old.replacingRows(chosen, with: chunk.columns[1 + width + column].gathered(chosen)))
            }
            offset += chunk.count
        }
        return (builders.map { $0.build() }, rows)
    }

    /// `DELETE FROM t [WHERE …]`: keeps the rows for which the condition is not TRUE.
    func delete(_ name: String, _ filter: Expr?, binder: Binder, at position: SourcePosition) throws {
        var table = try baseTable(name, verb: "delete from", at: position)
        let triggers = TriggerFiring(database: self, table: table, event: .delete)
        var deleted = try deletedRows(of: table, filter, binder: binder)
        if triggers.hasBefore {
            try triggers.fire(.before, old: table.columns, new: nil, rows: deleted)
            table = try baseTable(name, verb: "delete from", at: position)
            deleted = try deletedRows(of: table, filter, binder: binder)
        }
        let removed = Set(deleted)
        let kept = (0..<table.rowCount).filter { !removed.contains($0) }
        catalog.put(table.withColumns(table.columns.map { $0.gathered(kept) }))
        try triggers.fire(.after, old: table.columns, new: nil, rows: deleted)
    }

    private func deletedRows(of table: Table, _ filter: Expr?, binder: Binder) throws -> [Int] {
        guard let filter else { return Array(0..<table.rowCount) }
        let condition = try ExpressionBinder(binder: binder, scope: tableScope(table), frame: nil, clause: "DELETE").bindCondition(filter)
        let selected = BoundExpr.isDistinctFrom(condition, .constant(.boolean(true), .boolean), negated: true)
        var rows: [Int] = []
        var offset = 0
        for chunk in try run(.project(.scan(table: table.name, types: table.schema.map(\.type)), [selected])) {
            let flags = chunk.columns[0]
            for row in 0..<chunk.count where flags.value(at: row) == .boolean(true) { rows.append(offset + row) }
            offset += chunk.count
        }
        return rows
    }
}
