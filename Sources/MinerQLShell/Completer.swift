// Tab completion that knows where the cursor is: table names after FROM and
// JOIN, file paths inside quotes, the columns of the statement's tables (of
// one table after `alias.`) and function names in expressions, pipe
// operators after `|>`, and dot commands with their arguments. The statement
// so far may span several lines; the shell hands over the lines before the
// current one.
import Foundation
import MinerQL

public final class Completer {
    /// One thing Tab may insert: the text, then what follows it when it is
    /// the only candidate (a space, `(` after a function, a closing quote
    /// after a file, `/` after a directory).
    public struct Candidate: Equatable {
        public var text: String
        public var suffix: String
    }

    /// What to complete: the word before the cursor and what may replace it.
    public struct Completion: Equatable {
        public var word: String
        public var candidates: [Candidate]
    }

    static let statementKeywords = ["SELECT", "FROM", "WITH", "CREATE", "INSERT", "UPDATE", "DELETE", "DROP", "COPY",
                                    "DESCRIBE", "SUMMARIZE", "EXPLAIN", "SET", "VALUES"]
    static let pipeOperators = ["WHERE", "SELECT", "EXTEND", "SET", "DROP", "RENAME", "AS", "AGGREGATE", "ORDER BY",
                                "LIMIT", "DISTINCT", "JOIN", "LEFT JOIN", "ASOF JOIN", "CROSS JOIN", "UNION ALL",
                                "INTERSECT", "EXCEPT"]
    /// What may follow a table in FROM.
    static let afterTableKeywords = ["AS", "WHERE", "JOIN", "LEFT", "RIGHT", "FULL", "INNER", "CROSS", "ASOF", "ON",
                                     "USING", "GROUP BY", "ORDER BY", "HAVING", "QUALIFY", "WINDOW", "LIMIT", "UNION",
                                     "INTERSECT", "EXCEPT"]
    static let expressionKeywords = ["AND", "OR", "NOT", "NULL", "IS", "IN", "BETWEEN", "LIKE", "ILIKE", "CASE", "WHEN",
                                     "THEN", "ELSE", "END", "CAST", "AS", "DISTINCT", "ASC", "DESC", "NULLS", "FIRST",
                                     "LAST", "TRUE", "FALSE", "DATE", "INTERVAL", "OVER", "PARTITION BY", "FILTER",
                                     "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "EXISTS"]
    static let tableFunctions = ["read_csv", "read_json", "range", "generate_series"]
    /// Words that end a table reference rather than name its alias.
    static let reserved: Set<String> = Set((afterTableKeywords + expressionKeywords + statementKeywords)
        .flatMap { $0.split(separator: " ").map(String.init) } + ["NATURAL", "OUTER", "OFFSET", "RETURNING"])
    /// Files offered inside quotes (and every directory).
    static let dataExtensions = ["csv", "tsv", "json", "jsonl", "ndjson", "txt", "sql"]

    private let database: Database
    private let pendingInput: () -> String
    private let resultColumns: () -> [String]

    /// `pendingInput`: the lines of the statement before the current one;
    /// `resultColumns`: the previous result's columns, for `.chart`.
    public init(database: Database, pendingInput: @escaping () -> String = { "" },
                resultColumns: @escaping () -> [String] = { [] }) {
        self.database = database
        self.pendingInput = pendingInput
        self.resultColumns = resultColumns
    }

    /// Completions for the cursor after `before` on the current line, with
    /// `after` the rest of the line.
    public func complete(before: String, after: String = "") -> Completion {
        let pending = pendingInput()
        if StatementSplitter.isBlank(pending), before.drop(while: { $0 == " " }).hasPrefix(".") {
            return dotCommand(String(before.drop(while: { $0 == " " })))
        }
        let text = StatementSplitter.isBlank(pending) ? before : pending + "\n" + before
        let scan = SQLScan(text)
        if let partial = scan.openQuote { return files(partial) }
        if scan.inIdentifierQuote { return Completion(word: "", candidates: []) }
        var tokens = scan.tokens
        let word = Completer.currentWord(text)
        if !word.isEmpty, tokens.last?.text == word { tokens.removeLast() }
        let tables = Completer.tableReferences(SQLScan(String(text.dropLast(word.count)) + " " + after).tokens)

        // `alias.` : the columns of that table.
        if tokens.last?.text == ".", tokens.count >= 2, tokens[tokens.count - 2].isWord {
            let qualifier = tokens[tokens.count - 2].text.lowercased()
            let table = tables.first { $0.alias?.lowercased() == qualifier } ?? tables.first { $0.name.lowercased() == qualifier }
            let columns = (table.flatMap { database.schema(of: $0.name) } ?? database.schema(of: qualifier) ?? []).map(\.name)
            return Completion(word: word, candidates: Completer.matching(word, columns, suffix: " "))
        }
        guard let previous = tokens.last else {
            return Completion(word: word, candidates: keywords(Completer.statementKeywords, word))
        }
        let upper = previous.text.uppercased()
        if upper == "|>" { return Completion(word: word, candidates: keywords(Completer.pipeOperators, word)) }
        let clause = Completer.clause(tokens)
        if ["FROM", "JOIN", "INTO", "UPDATE", "TABLE", "DESCRIBE", "SUMMARIZE"].contains(upper)
            || (upper == "," && clause == "FROM") {
            var candidates = Completer.matching(word, database.tableNames + Completer.commonTableNames(tokens), suffix: " ")
            if upper == "FROM" || upper == "JOIN" || upper == "," {
                candidates += Completer.matching(word, Completer.tableFunctions, suffix: "(")
            }
            return Completion(word: word, candidates: candidates)
        }
        if clause == "FROM" || clause == "JOIN" {
            return Completion(word: word, candidates: keywords(Completer.afterTableKeywords, word))
        }
        var columns: [String] = []
        for table in tables.isEmpty ? database.tableNames.map({ TableReference(name: $0, alias: nil) }) : tables {
            for column in database.schema(of: table.name) ?? [] where !columns.contains(column.name) { columns.append(column.name) }
        }
        let candidates = Completer.matching(word, columns.sorted(), suffix: " ")
            + Completer.matching(word, Database.functionNames, suffix: "(")
            + keywords(Completer.expressionKeywords, word)
        return Completion(word: word, candidates: Completer.unique(candidates))
    }

    /// Keywords matching `word`, in its case (upper unless it starts lower).
    private func keywords(_ list: [String], _ word: String) -> [Candidate] {
        let lower = word.first?.isLowercase ?? false
        return Completer.matching(word, list.map { lower ? $0.lowercased() : $0 }, suffix: " ")
    }

    static func matching(_ word: String, _ names: [String], suffix: String) -> [Candidate] {
        let lower = word.lowercased()
        return names.filter { $0.lowercased().hasPrefix(lower) && $0 != word }.map { Candidate(text: $0, suffix: suffix) }
    }

    private static func unique(_ candidates: [Candidate]) -> [Candidate] {
        var seen = Set<String>()
        return candidates.filter { seen.insert($0.text.lowercased()).inserted }
    }

    // MARK: - Dot commands

    private func dotCommand(_ line: String) -> Completion {
        guard let space = line.firstIndex(of: " ") else {
            let names = Help.commandNames.map { "." + $0 }
            return Completion(word: line, candidates: Completer.matching(line, names, suffix: " "))
        }
        let command = String(line[..<space])
        let arguments = Shell.arguments(String(line[space...]))
        let typingNew = line.hasSuffix(" ")
        let word = typingNew ? "" : arguments.last ?? ""
        let position = typingNew ? arguments.count : max(0, arguments.count - 1)
        let values: [String]
        var suffix = " "
        switch (command, position) {
        case (".mode", 0): values = OutputFormat.allCases.map(\.rawValue)
        case (".schema", 0), (".import", 1): values = database.tableNames
        case (".headers", 0), (".timer", 0), (".numbers", 0): values = ["on", "off"]
        case (".pager", 0): values = PagerMode.allCases.map(\.rawValue)
        case (".help", 0): values = Help.topics.map(\.name)
        case (".param", 0): values = ["set", "unset", "list", "clear"]
        case (".chart", 0): values = Chart.Kind.allCases.map(\.rawValue)
        case (".chart", _):
            if arguments[position - 1] == "--svg" { return files(word, closing: "") }
            values = resultColumns() + ["--svg", "--title"]
        case (".read", 0), (".output", 0), (".once", 0), (".import", 0):
            // An open quote is closed after a file name.
            let quotes = line.filter { $0 == "'" || $0 == "\"" }
            return files(word, closing: quotes.count % 2 == 1 ? String(quotes.last ?? "'") : "")
        default: values = []
        }
        if values.isEmpty { suffix = "" }
        return Completion(word: word, candidates: Completer.matching(word, values, suffix: suffix))
    }

    // MARK: - Files

    /// The entries of the directory named in `partial` that extend its last
    /// part: directories and data files; a file's candidate is followed by
    /// `closing` (its quote).
    func files(_ partial: String, closing: String = "'") -> Completion {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let namePart = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~"), let home = ProcessInfo.processInfo.environment["HOME"] { directory = home + directory.dropFirst() }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return Completion(word: namePart, candidates: [])
        }
        var candidates: [Candidate] = []
        for entry in entries.sorted() where entry.hasPrefix(namePart) && (namePart.hasPrefix(".") || !entry.hasPrefix(".")) {
            var isDirectory: ObjCBool = false
            // An entry removed since the listing is not offered.
            guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(entry), isDirectory: &isDirectory) else {
                continue
            }
            if isDirectory.boolValue {
                candidates.append(Candidate(text: entry, suffix: "/"))
            } else if Completer.dataExtensions.contains((entry as NSString).pathExtension.lowercased()) {
                candidates.append(Candidate(text: entry, suffix: closing))
            }
        }
        return Completion(word: namePart, candidates: candidates)
    }

    // MARK: - The statement's shape

    struct TableReference: Equatable {
        var name: String
        var alias: String?
    }

    /// The tables a statement reads, with their aliases: each name after
    /// FROM, JOIN (also in pipe operators), UPDATE and INTO, and after a comma
    /// in a FROM list.
    static func tableReferences(_ tokens: [SQLScan.Token]) -> [TableReference] {
        var references: [TableReference] = []
        var index = 0
        var inFrom = false
        while index < tokens.count {
            let upper = tokens[index].text.uppercased()
            let introduces = ["FROM", "JOIN", "UPDATE", "INTO"].contains(upper) || (upper == "," && inFrom)
            if ["FROM", "JOIN"].contains(upper) { inFrom = true }
            if ["WHERE", "GROUP", "ORDER", "HAVING", "QUALIFY", "LIMIT", "ON", "USING", "|>", "SELECT", ")"].contains(upper) { inFrom = false }
            guard introduces, index + 1 < tokens.count, tokens[index + 1].isWord,
                  !reserved.contains(tokens[index + 1].text.uppercased()) else {
                index += 1
                continue
            }
            var reference = TableReference(name: tokens[index + 1].text, alias: nil)
            var next = index + 2
            if next < tokens.count, tokens[next].text.uppercased() == "AS" { next += 1 }
            if next < tokens.count, tokens[next].isWord, !reserved.contains(tokens[next].text.uppercased()) {
                reference.alias = tokens[next].text
            }
            references.append(reference)
            index += 2
        }
        return references
    }

    /// The names a WITH clause defines.
    static func commonTableNames(_ tokens: [SQLScan.Token]) -> [String] {
        guard tokens.first?.text.uppercased() == "WITH" else { return [] }
        var names: [String] = []
        for (i, token) in tokens.enumerated() where token.text.uppercased() == "AS" && i > 0 && i + 1 < tokens.count && tokens[i + 1].text == "(" {
            if tokens[i - 1].isWord { names.append(tokens[i - 1].text) }
        }
        return names
    }

    /// The clause the cursor is in: the nearest clause keyword before it.
    static func clause(_ tokens: [SQLScan.Token]) -> String? {
        let clauses: Set<String> = ["SELECT", "FROM", "JOIN", "WHERE", "ON", "BY", "HAVING", "QUALIFY", "SET", "USING",
                                    "EXTEND", "AGGREGATE", "LIMIT", "VALUES", "WINDOW", "|>", "RENAME", "DROP", "OVER"]
        return tokens.last { clauses.contains($0.text.uppercased()) }?.text.uppercased()
    }

    /// The word ending at the end of `text`: letters, digits and underscores.
    public static func currentWord(_ text: String) -> String {
        String(text.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
    }

    /// The longest prefix shared by all candidates, ignoring case.
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.lowercased().hasPrefix(prefix.lowercased()) { prefix.removeLast() }
        }
        return prefix
    }
}
