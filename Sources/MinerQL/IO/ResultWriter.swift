// Serializes query results as CSV/TSV, JSON, JSON Lines and Markdown: used by
// `COPY … TO` and by the shell's output modes of the same names, so a file and
// the screen always agree.

/// A text format for results that is also a file format.
public enum ResultFileFormat: String, CaseIterable, Sendable {
    case csv, tsv, json, jsonl, markdown
}

/// Writes results in a file format.
public struct ResultWriter: Sendable {
    public var format: ResultFileFormat
    /// Write a header line (CSV, TSV, Markdown).
    public var header = true
    /// The text of NULL in CSV, TSV and Markdown.
    public var nullText = ""
    /// The CSV field separator.
    public var delimiter: Character = ","

    public init(format: ResultFileFormat) {
        self.format = format
        if format == .tsv { delimiter = "\t" }
        if format == .markdown { nullText = "NULL" }
    }

    public func write(_ result: QueryResult) -> String {
        var out = ""
        write(result, into: &out)
        return out
    }

    public func write(_ result: QueryResult, into out: inout String) {
        switch format {
        case .csv, .tsv: writeDelimited(result, into: &out)
        case .json: writeJSON(result, lines: false, into: &out)
        case .jsonl: writeJSON(result, lines: true, into: &out)
        case .markdown: writeMarkdown(result, into: &out)
        }
    }

    private func writeDelimited(_ result: QueryResult, into out: inout String) {
        let separator = String(delimiter)
        if header { out += result.names.map(quoteDelimited).joined(separator: separator) + "\n" }
        for chunk in result.chunks {
            for row in 0..<chunk.count {
                out += chunk.columns.map { $0.isNull(row) ? nullText : quoteDelimited($0.value(at: row).description) }
                    .joined(separator: separator)
                out += "\n"
            }
        }
    }

    /// RFC 4180 quoting: a field with the delimiter, a quote or a line break is
    /// quoted and its quotes doubled.
    func quoteDelimited(_ field: String) -> String {
        guard field.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return field
        }
        var quoted = "\""
        for c in field { quoted += c == "\"" ? "\"\"" : String(c) }
        return quoted + "\""
    }

    private func writeJSON(_ result: QueryResult, lines: Bool, into out: inout String) {
        let keys = result.names.map(ResultWriter.jsonString)
        var first = true
        if !lines { out += "[" }
        for chunk in result.chunks {
            for row in 0..<chunk.count {
                if !lines { out += first ? "\n" : ",\n" }
                first = false
                out += "{"
                for (i, column) in chunk.columns.enumerated() {
                    if i > 0 { out += "," }
                    out += keys[i] + ":" + ResultWriter.jsonValue(column.value(at: row))
                }
                out += lines ? "}\n" : "}"
            }
        }
        if !lines { out += first ? "]\n" : "\n]\n" }
    }

    /// A value as JSON: numbers as numbers (non-finite ones as null, which JSON
    /// cannot express otherwise), dates as ISO strings.
    public static func jsonValue(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .bigint(let i): return String(i)
        case .double(let d): return d.isFinite ? Value.format(double: d) : "null"
        case .varchar(let s): return jsonString(s)
        case .date, .timestamp, .interval: return jsonString(value.description)
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private func writeMarkdown(_ result: QueryResult, into out: inout String) {
        func cell(_ text: String) -> String {
            var escaped = ""
            for c in text {
                switch c {
                case "|": escaped += "\\|"
                case "\n", "\r\n": escaped += "<br>"
                default: escaped.append(c)
                }
            }
            return escaped
        }
        let numeric = result.types.map(\.isNumeric)
        if header {
            out += "| " + result.names.map(cell).joined(separator: " | ") + " |\n"
            out += "|" + numeric.map { $0 ? "---:|" : "---|" }.joined() + "\n"
        }
        for chunk in result.chunks {
            for row in 0..<chunk.count {
                out += "| " + chunk.columns.map { $0.isNull(row) ? nullText : cell($0.value(at: row).description) }
                    .joined(separator: " | ") + " |\n"
            }
        }
    }
}
