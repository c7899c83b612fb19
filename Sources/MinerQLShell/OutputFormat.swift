// The output formats of `--format` and `.mode`, and the settings they share.
import MinerQL

/// How query results are written.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Box-drawn table with column types, DuckDB style (the default).
    case box
    /// ASCII table (`+---+`), as the sqlite3 shell's table mode.
    case table
    case csv, tsv
    /// A JSON array of objects.
    case json
    /// One JSON object per line.
    case jsonl
    case markdown
    /// One `column = value` per line, records separated by a blank line.
    case line

    /// The engine's file format of the same name, for the modes that are one.
    private var fileFormat: ResultFileFormat {
        switch self {
        case .tsv: return .tsv
        case .json: return .json
        case .jsonl: return .jsonl
        case .markdown: return .markdown
        default: return .csv
        }
    }

    /// Whether the format is a file format, written row by row.
    var isExport: Bool {
        switch self {
        case .box, .table, .line: return false
        case .csv, .tsv, .json, .jsonl, .markdown: return true
        }
    }

    /// The file format's writer, with the shell's header and NULL settings.
    func writer(_ settings: RenderSettings) -> ResultWriter {
        var writer = ResultWriter(format: fileFormat)
        writer.header = settings.headers
        if let null = settings.nullValue { writer.nullText = null }
        return writer
    }

    func renderer(_ settings: RenderSettings) -> ResultRenderer {
        switch self {
        case .box: return GridRenderer(style: .box, settings: settings)
        case .table: return GridRenderer(style: .ascii, settings: settings)
        case .line: return LineRenderer(settings: settings)
        case .csv, .tsv, .json, .jsonl, .markdown: return writer(settings)
        }
    }
}

/// The shell settings that change how results look.
public struct RenderSettings: Sendable {
    /// `.headers on|off`: column names above the rows.
    public var headers = true
    /// `.nullvalue TEXT`; nil keeps each format's own (NULL on screen, empty in CSV).
    public var nullValue: String?
    /// `.maxrows N`: box results longer than this show their first and last
    /// rows (0: every row).
    public var maxRows = 40
    /// `.maxwidth N`: box results wider than this truncate long values, then
    /// leave out middle columns (nil: no limit).
    public var maxWidth: Int?
    /// `.numbers on`: thousands separators in the display formats.
    public var groupDigits = false
    /// Colours for the display formats; plain for files and pipes.
    public var palette = Palette.plain

    public init() {}
}

/// Turns a query result into text. `totalRows`, when given, says the result
/// holds only the first and last rows of that many (only the box, which
/// shows no more, is given such a result).
protocol ResultRenderer {
    func render(_ result: QueryResult, totalRows: Int?) -> String
}

extension ResultRenderer {
    func render(_ result: QueryResult) -> String { render(result, totalRows: nil) }
}

extension ResultWriter: ResultRenderer {
    func render(_ result: QueryResult, totalRows: Int?) -> String { write(result) }
}
