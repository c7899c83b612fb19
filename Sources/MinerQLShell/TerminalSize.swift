// The size of the terminal results are shown on, asked for each time (the
// window may have been resized): it sets the default `.maxwidth`, the chart
// size and when `.pager auto` pages.
import CLibEdit
import Glibc

public struct TerminalSize: Equatable, Sendable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The size of the terminal on `descriptor`, or nil if it is not one.
    public static func of(_ descriptor: Int32) -> TerminalSize? {
        guard isatty(descriptor) != 0 else { return nil }
        var columns: Int32 = 0, rows: Int32 = 0
        minerql_terminal_size(descriptor, &columns, &rows)
        guard columns > 0, rows > 0 else { return nil }
        return TerminalSize(columns: Int(columns), rows: Int(rows))
    }
}

extension TerminalSize {
    /// The cells a line takes on screen: its characters without the colour
    /// sequences (`ESC [ … m`) in it.
    static func visibleWidth(_ line: Substring) -> Int {
        var width = 0
        var inEscape = false
        for c in line.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(c.value) && c != "[" { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else if c.properties.generalCategory != .nonspacingMark {
                width += 1
            }
        }
        return width
    }
}
