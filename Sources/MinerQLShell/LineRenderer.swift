// Line mode: one `column = value` per line with the names right-aligned, and a
// blank line between records, as the sqlite3 shell prints it; control
// characters shown escaped.
import MinerQL

struct LineRenderer: ResultRenderer {
    let settings: RenderSettings

    func render(_ result: QueryResult, totalRows: Int?) -> String {
        let escapedNames = result.names.map(TerminalText.escaped)
        let width = escapedNames.map(\.count).max() ?? 0
        let names = escapedNames.map { String(repeating: " ", count: width - $0.count) + $0 }
        var out = ""
        for (r, row) in result.rows.enumerated() {
            if r > 0 { out += "\n" }
            for (i, value) in row.enumerated() {
                out += "\(names[i]) = \(TerminalText.escaped(value.isNull ? settings.nullValue ?? "NULL" : value.description))\n"
            }
        }
        return out
    }
}
