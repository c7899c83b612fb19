// Tables drawn in a grid. Box style is DuckDB's: column names and types in the
// header, numbers right-aligned, NULL shown as NULL, and results longer than
// `maxRows` elided in the middle with a footer that says how many rows there
// were. ASCII style is the sqlite3 shell's table mode: names only, every row.
// Control characters in names and values are shown escaped (TerminalText).
import MinerQL

struct GridRenderer: ResultRenderer {
    enum Style {
        case box, ascii
    }

    let style: Style
    let settings: RenderSettings

    /// The line-drawing characters: horizontal, vertical, then the corners and
    /// junctions top-left/top/top-right, left/middle/right, bottom-left/bottom/bottom-right.
    private var glyphs: (h: String, v: String, top: [String], middle: [String], bottom: [String]) {
        switch style {
        case .box: return ("─", "│", ["┌", "┬", "┐"], ["├", "┼", "┤"], ["└", "┴", "┘"])
        case .ascii: return ("-", "|", ["+", "+", "+"], ["+", "+", "+"], ["+", "+", "+"])
        }
    }

    func render(_ result: QueryResult) -> String {
        let total = result.rowCount
        let rows = result.rows
        let maxRows = style == .box ? settings.maxRows : Int.max
        let nullText = settings.nullValue ?? "NULL"
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
        let cells = shown.map { $0.map { TerminalText.escaped($0.isNull ? nullText : $0.description) } }
        let names = result.names.map(TerminalText.escaped)
        let types = result.types.map(\.displayName)
        let headers = settings.headers
        let showTypes = headers && style == .box
        var widths = names.enumerated().map { i, name in
            max(headers ? name.count : 0, showTypes ? types[i].count : 0, 1)
        }
        for row in cells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        if widths.isEmpty { return "" }
        // The footer spans the table; widen the last column if it would not fit.
        let footer: String? = elided ? "\(total) rows (\(shown.count) shown)" : (total == 0 && style == .box ? "0 rows" : nil)
        if let footer {
            let inner = widths.reduce(0) { $0 + $1 + 3 } - 1
            if footer.count + 2 > inner { widths[widths.count - 1] += footer.count + 2 - inner }
        }
        let numeric = result.types.map { $0 == .bigint || $0 == .double }

        let g = glyphs
        func line(_ parts: [String]) -> String {
            parts[0] + widths.map { String(repeating: g.h, count: $0 + 2) }.joined(separator: parts[1]) + parts[2] + "\n"
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

        func row(_ texts: [String]) -> String { g.v + texts.joined(separator: g.v) + g.v + "\n" }
        var out = line(g.top)
        if headers {
            out += row(zip(names, widths).map { " \(style == .box ? center($0, $1) : pad($0, $1, right: false)) " })
            if showTypes { out += row(zip(types, widths).map { " \(center($0, $1)) " }) }
            out += line(g.middle)
        }
        let headCount = elided ? (maxRows + 1) / 2 : cells.count
        for (r, values) in cells.enumerated() {
            if elided && r == headCount {
                for _ in 0..<3 { out += row(widths.map { " \(center("·", $0)) " }) }
            }
            out += row(values.enumerated().map { i, cell in " \(pad(cell, widths[i], right: numeric[i])) " })
        }
        if let footer {
            let inner = widths.reduce(0) { $0 + $1 + 3 } - 1
            out += line([g.middle[0], g.bottom[1], g.middle[2]])
            out += g.v + center(footer, inner) + g.v + "\n"
            out += g.bottom[0] + String(repeating: g.h, count: inner) + g.bottom[2] + "\n"
        } else {
            out += line(g.bottom)
        }
        return out
    }
}
