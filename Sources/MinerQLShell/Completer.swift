// Tab completion candidates: SQL keywords, table names and the column names of
// every table, matched case-insensitively against the word before the cursor.
import MinerQL

/// Computes completions for the word being typed.
public struct Completer {
    static let keywords = [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "JOIN", "LEFT", "RIGHT",
        "FULL", "INNER", "OUTER", "CROSS", "ON", "USING", "AND", "OR", "NOT", "NULL", "IS", "IN", "BETWEEN",
        "LIKE", "ILIKE", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "AS", "DISTINCT", "ASC", "DESC", "NULLS",
        "FIRST", "LAST", "CREATE", "TABLE", "INSERT", "INTO", "VALUES", "DROP", "EXISTS", "TRUE", "FALSE",
        "DATE", "BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN", "DESCRIBE", "SET",
    ]

    let database: Database

    public init(database: Database) { self.database = database }

    /// The candidates that extend `word`, tables and columns first.
    public func candidates(for word: String) -> [String] {
        guard !word.isEmpty else { return [] }
        let lower = word.lowercased()
        var names = database.tableNames
        for table in database.tableNames {
            for column in database.schema(of: table) ?? [] where !names.contains(column.name) { names.append(column.name) }
        }
        let isUpper = word.first?.isUppercase ?? false
        let matchingNames = names.filter { $0.lowercased().hasPrefix(lower) }.sorted()
        let matchingKeywords = Completer.keywords.filter { $0.lowercased().hasPrefix(lower) }
            .map { isUpper ? $0 : $0.lowercased() }.sorted()
        var seen = Set<String>()
        return (matchingNames + matchingKeywords).filter { seen.insert($0).inserted }
    }

    /// The longest prefix shared by all candidates.
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// The word ending at the end of `text`: letters, digits and underscores.
    public static func currentWord(_ text: String) -> String {
        String(text.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
    }
}
