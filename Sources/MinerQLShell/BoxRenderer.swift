// DuckDB-style box tables: column names and types in the header, numbers
// right-aligned, NULL shown as NULL, and results longer than `maxRows` elided in
// the middle with a footer that says how many rows there were.
import MinerQL

struct BoxRenderer: ResultRenderer {
    let maxRows: Int

    func render(_ result: QueryResult) -> String {
        let total = result.rowCount
        let rows = result.rows
        // Rows shown: all, or the first and last halves of maxRows.
        var shown: [[Value]]
        var elided = false
        if total > maxRows {
            let head = (maxRows + 1) / 2, tail = maxRows / 2
            shown = Array(rows.prefix(head)) + Array(rows.suffix(tail))
            elided = true
        } else {
            shown = rows
        }
        let cells = shown.map { $0.map { $0.description } }
        let types = result.types.map(\.displayName)
        var widths = zip(result.names, types).map { max($0.count, $1.count) }
        for row in cells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        if widths.isEmpty { return "" }
        // The footer spans the table; widen the last column if it would not fit.
        let footer: String? = elided ? "\(total) rows (\(shown.count) shown)" : (total == 0 ? "0 rows" : nil)
        if let footer {
            let inner = widths.reduce(0) { $0 + $1 + 3 } - 1
            if footer.count + 2 > inner { widths[widths.count - 1] += footer.count + 2 - inner }
        }
        let numeric = result.types.map { $0 == .bigint || $0 == .double }

        func line(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
        }
        func center(_ text: String, _ width: Int) -> String {
            let space = max(0, width - text.count)
            let before = space / 2
            return String(repeating: " ", count: before) + text + String(repeating: " ", count: space - before)
        }
        func pad(_ text: String, _ width: Int, right: Bool) -> String {
            let space = String(repeating: " ", count: max(0, width - text.count))
            return right ? space + text : text + space
        }

        var out = line("┌", "┬", "┐")
        out += "│" + zip(result.names, widths).map { " \(center($0, $1)) " }.joined(separator: "│") + "│\n"
        out += "│" + zip(types, widths).map { " \(center($0, $1)) " }.joined(separator: "│") + "│\n"
        out += line("├", "┼", "┤")
        let headCount = elided ? (maxRows + 1) / 2 : cells.count
        for (r, row) in cells.enumerated() {
            if elided && r == headCount {
                for _ in 0..<3 {
                    out += "│" + widths.map { " \(center("·", $0)) " }.joined(separator: "│") + "│\n"
                }
            }
            out += "│" + row.enumerated().map { i, cell in " \(pad(cell, widths[i], right: numeric[i])) " }.joined(separator: "│") + "│\n"
        }
        if let footer {
            let inner = widths.reduce(0) { $0 + $1 + 3 } - 1
            out += line("├", "┴", "┤")
            out += "│" + center(footer, inner) + "│\n"
            out += "└" + String(repeating: "─", count: inner) + "┘\n"
        } else {
            out += line("└", "┴", "┘")
        }
        return out
    }
}
