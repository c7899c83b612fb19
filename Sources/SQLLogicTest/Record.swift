// The records of a sqllogictest file: the format of SQLite's corpus, with
// DuckDB's additions (an expected error text after `----` for `statement error`).

/// How a query's result values are ordered before comparison.
enum SortMode: String {
    case noSort = "nosort", rowSort = "rowsort", valueSort = "valuesort"
}

/// One record of a test file.
enum Record {
    case statement(sql: String, expectError: Bool, errorText: String?, line: Int)
    case query(sql: String, types: [Character], sort: SortMode, expected: [String], line: Int)
    case hashThreshold(Int)
    case halt
}

/// Parses test files into records, applying skipif/onlyif for this engine.
enum RecordParser {
    /// The engine name that skipif/onlyif conditions are matched against.
    static let engine = "minerql"

    static func parse(_ text: String) -> [Record] {
        // "\r\n" is one Character in Swift, so CRLF files need their own separator.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
        var records: [Record] = []
        var i = 0
        while i < lines.count {
            // Gather one block of non-blank lines.
            while i < lines.count && lines[i].trimmingCharacters(in: " \t").isEmpty { i += 1 }
            guard i < lines.count else { break }
            let start = i
            var block: [String] = []
            while i < lines.count && !lines[i].trimmingCharacters(in: " \t").isEmpty {
                block.append(lines[i])
                i += 1
            }
            if let record = parseBlock(block, line: start + 1) {
                records.append(record)
                if case .halt = record { break }
            }
        }
        return records
    }

    private static func parseBlock(_ block: [String], line: Int) -> Record? {
        var lines = block.filter { !$0.hasPrefix("#") }
        // Conditions.
        var skip = false
        while let first = lines.first {
            let words = first.split(separator: " ").map(String.init)
            if words.first == "skipif" {
                if words.count > 1 && words[1] == engine { skip = true }
            } else if words.first == "onlyif" {
                if words.count > 1 && words[1] != engine { skip = true }
            } else {
                break
            }
            lines.removeFirst()
        }
        guard let header = lines.first else { return nil }
        let words = header.split(separator: " ").map(String.init)
        let body = Array(lines.dropFirst())
        let separator = body.firstIndex(of: "----")
        let sql = (separator.map { Array(body[..<$0]) } ?? body).joined(separator: "\n")
        let after = separator.map { Array(body[($0 + 1)...]) } ?? []
        switch words.first {
        case "statement":
            if skip { return nil }
            let expectError = words.count > 1 && words[1] == "error"
            return .statement(sql: sql, expectError: expectError, errorText: after.isEmpty ? nil : after.joined(separator: "\n"), line: line)
        case "query":
            if skip { return nil }
            let types = words.count > 1 ? Array(words[1]) : []
            let sort = words.count > 2 ? SortMode(rawValue: words[2]) ?? .noSort : .noSort
            return .query(sql: sql, types: types, sort: sort, expected: after, line: line)
        case "hash-threshold":
            return words.count > 1 ? Int(words[1]).map(Record.hashThreshold) : nil
        case "halt":
            return skip ? nil : .halt
        default:
            return nil
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        guard let first = firstIndex(where: { !chars.contains($0) }),
              let last = lastIndex(where: { !chars.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
