// Values shown in a terminal must not act on it: a control character or an
// escape sequence inside data (a CSV from the internet) could move the
// cursor, recolour or retitle the terminal. The display formats show them as
// visible escapes instead; csv, json and the other export formats keep the
// data as it is.

enum TerminalText {
    /// `text` with every control character (C0, DEL and C1) written as
    /// `\n`, `\r`, `\t` or `\xHH`; everything else unchanged.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` escaped line by line: its newlines stay (a multi-line error
    /// message with its excerpt and caret), every other control character
    /// becomes visible.
    static func escapedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
