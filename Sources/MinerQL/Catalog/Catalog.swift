// The tables of a database. Names are case-insensitive and keep the case they
// were created with, as in DuckDB.

/// The set of tables a database holds.
struct Catalog {
    private var tables: [String: Table] = [:]

    static func key(_ name: String) -> String { name.lowercased() }

    func table(_ name: String) -> Table? { tables[Catalog.key(name)] }

    var tableNames: [String] { tables.values.map(\.name).sorted() }

    mutating func put(_ table: Table) { tables[Catalog.key(table.name)] = table }

    mutating func remove(_ name: String) -> Bool { tables.removeValue(forKey: Catalog.key(name)) != nil }

    /// The table name closest to `name`, for "did you mean" hints.
    func suggestion(for name: String) -> String? {
        closestMatch(to: name, in: tableNames)
    }
}

/// The candidate with the smallest edit distance to `name`, if it is close enough
/// to be a plausible typo.
func closestMatch(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(target, Array(candidate.lowercased()))
        if best == nil || distance < best!.1 { best = (candidate, distance) }
    }
    guard let (candidate, distance) = best else { return nil }
    return distance <= max(2, target.count / 2) ? candidate : nil
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
