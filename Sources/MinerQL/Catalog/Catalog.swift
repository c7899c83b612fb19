// The tables of a database. Names are case-insensitive and keep the case they
// were created with, as in DuckDB.

/// A view: a named query, bound anew wherever it is used.
struct ViewDefinition {
    var name: String
    /// Names replacing the query's column names, if the view gave any.
    var columns: [String]
    var query: SelectStatement
}

/// The tables, views, indexes and triggers a database holds. Tables and views
/// share one namespace; indexes are remembered by name only (they build nothing).
struct Catalog {
    private var tables: [String: Table] = [:]
    private var views: [String: ViewDefinition] = [:]
    /// Index name → the table it is on.
    private var indexes: [String: String] = [:]
    /// In the order they were created.
    private(set) var triggers: [TriggerDefinition] = []

    static func key(_ name: String) -> String { name.lowercased() }

    func table(_ name: String) -> Table? { tables[Catalog.key(name)] }

    func view(_ name: String) -> ViewDefinition? { views[Catalog.key(name)] }

    /// The kind of the object with this name, if any.
    func kind(of name: String) -> CatalogObjectKind? {
        if tables[Catalog.key(name)] != nil { return .table }
        if views[Catalog.key(name)] != nil { return .view }
        if indexes[Catalog.key(name)] != nil { return .index }
        if triggers.contains(where: { $0.name.caseInsensitiveEquals(name) }) { return .trigger }
        return nil
    }

    /// Tables and views, sorted.
    var tableNames: [String] { (tables.values.map(\.name) + views.values.map(\.name)).sorted() }

    mutating func put(_ table: Table) { tables[Catalog.key(table.name)] = table }

    mutating func put(_ view: ViewDefinition) { views[Catalog.key(view.name)] = view }

    mutating func putIndex(_ name: String, on table: String) { indexes[Catalog.key(name)] = table }

    mutating func put(_ trigger: TriggerDefinition) { triggers.append(trigger) }

    /// Removes an object of the given kind; false if there is none. Dropping a
    /// table drops its indexes and triggers.
    mutating func remove(_ name: String, kind: CatalogObjectKind) -> Bool {
        let key = Catalog.key(name)
        switch kind {
        case .table:
            guard tables.removeValue(forKey: key) != nil else { return false }
            indexes = indexes.filter { Catalog.key($0.value) != key }
            triggers.removeAll { Catalog.key($0.table) == key }
            return true
        case .view: return views.removeValue(forKey: key) != nil
        case .index: return indexes.removeValue(forKey: key) != nil
        case .trigger:
            guard let index = triggers.firstIndex(where: { Catalog.key($0.name) == key }) else { return false }
            triggers.remove(at: index)
            return true
        }
    }

    /// The error for a table that does not exist, with a "did you mean" hint.
    func missingTable(_ name: String, at position: SourcePosition?) -> MinerQLError {
        var message = "Table with name \(name) does not exist!"
        if let suggestion = closestMatch(to: name, in: tableNames) { message += " Did you mean \"\(suggestion)\"?" }
        return MinerQLError(.catalog, message, at: position)
    }
}

/// The candidate closest to `name`, if it is close enough to be a plausible
/// typo. A candidate is scored by its whole name and by each of its leading
/// `_`-separated parts (so `revnue` finds `revenue_usd_m`), plus a small
/// penalty for the part left out.
public func closestMatch(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    var best: (candidate: String, score: Int)?
    for candidate in candidates {
        let lower = candidate.lowercased()
        var prefixes = [lower]
        var index = lower.startIndex
        while let underscore = lower[index...].firstIndex(of: "_") {
            prefixes.append(String(lower[..<underscore]))
            index = lower.index(after: underscore)
        }
        let score = prefixes.map { editDistance(target, Array($0)) * 2 + (lower.count > $0.count ? 1 : 0) }.min() ?? .max
        if score < best?.score ?? .max { best = (candidate, score) }
    }
    guard let best else { return nil }
    return best.score <= max(2, target.count / 3) * 2 + 1 ? best.candidate : nil
}

private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
