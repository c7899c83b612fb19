// Tables drawn in a grid. Box style is DuckDB's: column names and types in the
// header, numbers right-aligned, NULL shown as NULL; results longer than
// `maxRows` show their first and last rows with a marker between, results
// wider than `maxWidth` truncate long values and then leave out middle columns
// behind a `…` column, and either elision adds a footer with the full counts.
// ASCII style is the sqlite3 shell's table mode: names only, every row and
// column. Control characters in names and values are shown escaped
// (TerminalText).
import MinerQL

struct GridRenderer: ResultRenderer {
    enum Style {
        case box, ascii
    }

    let style: Style
    let settings: RenderSettings

    /// Values narrower than this are never truncated to fit the width.
    static let minimumTruncatedWidth = 16

    /// The line-drawing characters: horizontal, vertical, then the corners and
    /// junctions top-left/top/top-right, left/middle/right, bottom-left/bottom/bottom-right.
    private var glyphs: (h: String, v: String, top: [String], middle: [String], bottom: [String]) {
        switch style {
        case .box: return ("─", "│", ["┌", "┬", "┐"], ["├", "┼", "┤"], ["└", "┴", "┘"])
        case .ascii: return ("-", "|", ["+", "+", "+"], ["+", "+", "+"], ["+", "+", "+"])
        }
    }

    /// One column as drawn: where it comes from (nil for the `…` column of
    /// left-out columns), its width and alignment.
    private struct Column {
        var source: Int?
        var width: Int
        var numeric: Bool
    }

    func render(_ result: QueryResult, totalRows: Int?) -> String {
        guard !result.names.isEmpty else { return "" }
        let held = result.rowCount
        let total = totalRows ?? held
        let maxRows = style == .box && settings.maxRows > 0 ? settings.maxRows : Int.max
        let rowsElided = total > maxRows
        let head = rowsElided ? (maxRows + 1) / 2 : total
        // A result of only the first and last rows holds exactly those.
        let rows = !rowsElided || totalRows != nil ? result.rows
            : result.rows(in: 0..<head) + result.rows(in: (held - maxRows / 2)..<held)
        let nullText = settings.nullValue ?? "NULL"
        let cells = rows.map { row in
            row.map { value -> String in
                if value.isNull { return TerminalText.escaped(nullText) }
                let text = TerminalText.escaped(value.description)
                return settings.groupDigits && (value.type == .bigint || value.type == .double) ? DigitGrouping.grouped(text) : text
            }
        }
        let names = result.names.map(TerminalText.escaped)
        let types = result.types.map(\.displayName)
        let headers = settings.headers
        let showTypes = headers && style == .box
        var natural = names.enumerated().map { i, name in
            max(headers ? name.count : 0, showTypes ? types[i].count : 0, 1)
        }
        for row in cells {
            for (i, cell) in row.enumerated() { natural[i] = max(natural[i], cell.count) }
        }
        let numeric = result.types.map { $0 == .bigint || $0 == .double }
        var columns = natural.indices.map { Column(source: $0, width: natural[$0], numeric: numeric[$0]) }
        if style == .box, let maxWidth = settings.maxWidth { columns = fit(columns, into: maxWidth) }
        let columnsElided = columns.contains { $0.source == nil }

        // The footer under an elided table; an empty box says "0 rows" inside.
        var footer: (left: String, right: String)?
        if style == .box && (rowsElided || columnsElided) {
            var left = total == 1 ? "1 row" : "\(DigitGrouping.grouped(total)) rows"
            if rowsElided { left += " (\(DigitGrouping.grouped(rows.count)) shown)" }
            var right = natural.count == 1 ? "1 column" : "\(DigitGrouping.grouped(natural.count)) columns"
            if columnsElided { right += " (\(columns.count - 1) shown)" }
            footer = (left, right)
        }
        let emptyNote = total == 0 && style == .box ? "0 rows" : nil
        if let emptyNote {
            let inner = columns.reduce(0) { $0 + $1.width + 3 } - 1
            if emptyNote.count + 2 > inner { columns[columns.count - 1].width += emptyNote.count + 2 - inner }
        }

        let palette = settings.palette
        let g = glyphs
        let border = { (text: String) in palette.paint(text, .border) }
        func line(_ parts: [String]) -> String {
            border(parts[0] + columns.map { String(repeating: g.h, count: $0.width + 2) }.joined(separator: parts[1]) + parts[2]) + "\n"
        }
        func row(_ texts: [String]) -> String {
            border(g.v) + texts.joined(separator: border(g.v)) + border(g.v) + "\n"
        }
        func cell(_ text: String, _ column: Column, role: Palette.Role?, centered: Bool = false) -> String {
            let shown = GridRenderer.truncated(text, to: column.width)
            let space = column.width - shown.count
            let before = centered ? space / 2 : column.numeric ? space : 0
            let painted = role.map { palette.paint(shown, $0) } ?? shown
            return " " + String(repeating: " ", count: before) + painted + String(repeating: " ", count: space - before) + " "
        }
        func headerCells(_ texts: [String], role: Palette.Role) -> String {
            row(columns.map { column in
                guard let i = column.source else { return cell("…", column, role: nil, centered: true) }
                var plain = column
                plain.numeric = false
                return cell(texts[i], plain, role: role, centered: style == .box)
            })
        }

        var out = line(g.top)
        if headers {
            out += headerCells(names, role: .header)
            if showTypes { out += headerCells(types, role: .type) }
            out += line(g.middle)
        }
        for (r, values) in cells.enumerated() {
            if rowsElided && r == head {
                for _ in 0..<3 { out += row(columns.map { cell("·", $0, role: nil, centered: true) }) }
            }
            out += row(columns.map { column in
                guard let i = column.source else { return cell("…", column, role: nil, centered: true) }
                let role: Palette.Role? = rows[r][i].isNull ? .null : column.numeric ? .number : nil
                return cell(values[i], column, role: role)
            })
        }
        if let emptyNote {
            let inner = columns.reduce(0) { $0 + $1.width + 3 } - 1
            out += line([g.middle[0], g.bottom[1], g.middle[2]])
            let space = inner - emptyNote.count
            out += border(g.v) + String(repeating: " ", count: space / 2) + emptyNote
                + String(repeating: " ", count: space - space / 2) + border(g.v) + "\n"
            out += border(g.bottom[0] + String(repeating: g.h, count: inner) + g.bottom[2]) + "\n"
        } else {
            out += line(g.bottom)
        }
        if let footer {
            let width = columns.reduce(1) { $0 + $1.width + 3 }
            let gap = max(2, width - 4 - footer.left.count - footer.right.count)
            out += palette.paint("  " + footer.left + String(repeating: " ", count: gap) + footer.right, .footer) + "\n"
        }
        return out
    }

    /// The columns that fit in `maxWidth` characters: first long text is
    /// truncated (no column below `minimumTruncatedWidth`, the widest first;
    /// numbers never, a cut number would read as another);
    /// if that is not enough, columns are kept alternately from the left and
    /// the right and a `…` column stands for the ones between.
    private func fit(_ columns: [Column], into maxWidth: Int) -> [Column] {
        func width(_ columns: [Column]) -> Int { columns.reduce(1) { $0 + $1.width + 3 } }
        guard width(columns) > maxWidth else { return columns }
        func capped(_ cap: Int) -> [Column] {
            columns.map { column in
                var column = column
                if !column.numeric { column.width = min(column.width, max(cap, GridRenderer.minimumTruncatedWidth)) }
                return column
            }
        }
        let floor = capped(GridRenderer.minimumTruncatedWidth)
        if width(floor) <= maxWidth {
            // The largest cap that fits, by bisection.
            var low = GridRenderer.minimumTruncatedWidth, high = columns.map(\.width).max() ?? low
            while low < high {
                let middle = (low + high + 1) / 2
                if width(capped(middle)) <= maxWidth { low = middle } else { high = middle - 1 }
            }
            return capped(low)
        }
        let ellipsis = Column(source: nil, width: 1, numeric: false)
        var left: [Column] = [], right: [Column] = []
        var nextLeft = 0, nextRight = floor.count - 1
        while nextLeft <= nextRight {
            let takeLeft = left.count <= right.count
            let candidate = floor[takeLeft ? nextLeft : nextRight]
            if width(left + [ellipsis] + right) + candidate.width + 3 > maxWidth { break }
            if takeLeft {
                left.append(candidate)
                nextLeft += 1
            } else {
                right.insert(candidate, at: 0)
                nextRight -= 1
            }
        }
        if left.isEmpty {
            // Not even one column fits beside the marker: show the first,
            // text cut to the width (a number whole, wider than asked).
            var first = floor[0]
            if !first.numeric { first.width = max(1, min(first.width, maxWidth - 8)) }
            left = [first]
            nextLeft = 1
        }
        return nextLeft > nextRight ? left + right : left + [ellipsis] + right
    }

    /// `text` cut to `width` characters, its last one an ellipsis if cut.
    static func truncated(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }
}
