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
        var out = prologue(names: result.names, types: result.types)
        var written = 0
        for chunk in result.chunks {
            write(chunk, names: result.names, after: written, into: &out)
            written += chunk.count
        }
        return out + epilogue(rows: written)
    }

    // A result can also be written as it is produced: the prologue, each
    // chunk's rows, then the epilogue, so a large one is never held whole.

    /// The text before the first row: the header line of CSV, TSV and Markdown.
    public func prologue(names: [String], types: [DataType]) -> String {
        switch format {
        case .csv, .tsv:
            return header ? names.map(quoteDelimited).joined(separator: String(delimiter)) + "\n" : ""
        case .json: return "["
        case .jsonl: return ""
        case .markdown:
            guard header else { return "" }
            return "| " + names.map(ResultWriter.markdownCell).joined(separator: " | ") + " |\n"
                + "|" + types.map { $0.isNumeric ? "---:|" : "---|" }.joined() + "\n"
        }
    }

    /// The rows of one chunk; `rowsBefore` counts the rows already written.
    public func write(_ chunk: DataChunk, names: [String], after rowsBefore: Int, into out: inout String) {
        switch format {
        case .csv, .tsv:
            let separator = String(delimiter)
            for row in 0..<chunk.count {
                out += chunk.columns.map { $0.isNull(row) ? nullText : quoteDelimited($0.value(at: row).description) }
                    .joined(separator: separator)
                out += "\n"
            }
        case .json, .jsonl:
            let lines = format == .jsonl
            let jsonKeys = names.map(ResultWriter.jsonString)
            for row in 0..<chunk.count {
                if !lines { out += rowsBefore + row == 0 ? "\n" : ",\n" }
                out += "{"
                for (i, column) in chunk.columns.enumerated() {
                    if i > 0 { out += "," }
                    out += jsonKeys[i] + ":" + ResultWriter.jsonValue(column.value(at: row))
                }
                out += lines ? "}\n" : "}"
            }
        case .markdown:
            for row in 0..<chunk.count {
                out += "| " + chunk.columns.map { $0.isNull(row) ? nullText : ResultWriter.markdownCell($0.value(at: row).description) }
                    .joined(separator: " | ") + " |\n"
            }
        }
    }

    /// The text after the last of `rows` rows.
    public func epilogue(rows: Int) -> String {
        format == .json ? (rows == 0 ? "]\n" : "\n]\n") : ""
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

    /// A Markdown table cell: pipes escaped, line breaks as <br>.
    static func markdownCell(_ text: String) -> String {
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
}
