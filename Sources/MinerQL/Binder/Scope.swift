// The columns a query's FROM clause makes visible, with the table (alias) each
// comes from, in the order of the plan's output columns.

/// A column visible to expressions of a query.
struct ScopeColumn {
    /// The table or alias that qualifies it, if any.
    var table: String?
    var name: String
    var type: DataType
    /// The right-hand copy of a USING column: reachable only when qualified and
    /// left out of `*`, as in DuckDB.
    var usingDuplicate = false
}

/// The visible columns of a FROM clause; a column's position is its index in
/// the plan's output.
struct Scope {
    var columns: [ScopeColumn] = []

    /// Looks up a column; nil if absent. Throws if an unqualified name is ambiguous.
    func lookup(qualifier: String?, name: String, at position: SourcePosition) throws -> (index: Int, type: DataType)? {
        var matches: [Int] = []
        for (i, column) in columns.enumerated() where column.name.caseInsensitiveEquals(name) {
            if let qualifier {
                if let table = column.table, table.caseInsensitiveEquals(qualifier) { matches.append(i) }
            } else if !column.usingDuplicate {
                matches.append(i)
            }
        }
        guard let first = matches.first else { return nil }
        if matches.count > 1 {
            let options = matches.map { "'\(columns[$0].table ?? "?").\(columns[$0].name)'" }.joined(separator: " or ")
            throw MinerQLError(.binder, "Ambiguous reference to column name \"\(name)\" (use: \(options))", at: position)
        }
        return (first, columns[first].type)
    }

    func hasTable(_ name: String) -> Bool {
        columns.contains { $0.table?.caseInsensitiveEquals(name) == true }
    }

    var tableNames: [String] {
        var seen: [String] = []
        for column in columns { if let t = column.table, !seen.contains(t) { seen.append(t) } }
        return seen
    }

    static func + (a: Scope, b: Scope) -> Scope { Scope(columns: a.columns + b.columns) }
}
