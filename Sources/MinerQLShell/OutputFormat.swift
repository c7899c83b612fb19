// The output formats of `--format` and `.mode`.
import MinerQL

/// How query results are written.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Box-drawn table with column types, DuckDB style.
    case box
    /// RFC 4180 CSV with a header line.
    case csv

    func renderer(maxRows: Int) -> ResultRenderer {
        switch self {
        case .box: return BoxRenderer(maxRows: maxRows)
        case .csv: return CSVRenderer()
        }
    }
}

/// Turns a query result into text.
protocol ResultRenderer {
    func render(_ result: QueryResult) -> String
}
