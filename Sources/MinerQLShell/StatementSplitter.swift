// Finds where SQL statements end in typed or piped input: at a `;` outside
// string literals, quoted identifiers and comments, and, in CREATE TRIGGER,
// only at the `;` after the body's END (as sqlite3_complete does). The shell
// uses it to know when to run what was typed and when to show the continuation
// prompt.

/// Splits accumulated input into complete statements and an unfinished rest.
public enum StatementSplitter {
    /// The complete statements of `text` (each with its `;`), and what follows the
    /// last one.
    public static func split(_ text: String) -> (statements: [String], rest: String) {
        let bytes = Array(text.utf8)
        var statements: [String] = []
        var start = 0
        var i = 0
        let n = bytes.count
        /// The first words of the current statement (up to three) and its last word.
        var leading: [String] = []
        var lastWord = ""
        while i < n {
            let b = bytes[i]
            if isWordByte(b) {
                let wordStart = i
                while i < n && isWordByte(bytes[i]) { i += 1 }
                lastWord = String(decoding: bytes[wordStart..<i], as: UTF8.self).uppercased()
                if leading.count < 3 { leading.append(lastWord) }
                continue
            }
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                i += 1
                while i < n {
                    if bytes[i] == b {
                        if i + 1 < n && bytes[i + 1] == b { i += 2; continue }
                        break
                    }
                    i += 1
                }
            case UInt8(ascii: "-") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "-"):
                while i < n && bytes[i] != 10 { i += 1 }
            case UInt8(ascii: "/") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i < n && !(bytes[i] == UInt8(ascii: "*") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 1
            case UInt8(ascii: ";"):
                if isTrigger(leading) && lastWord != "END" {
                    lastWord = ";"
                    break
                }
                statements.append(String(decoding: bytes[start...i], as: UTF8.self))
                start = i + 1
                leading = []
                lastWord = ""
            default:
                if !(b == 32 || (9...13).contains(b)) { lastWord = "" }
            }
            i += 1
        }
        let rest = start < n ? String(decoding: bytes[start...], as: UTF8.self) : ""
        return (statements, rest)
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b >= 0x80
    }

    /// True for the first words of `CREATE [TEMP|TEMPORARY] TRIGGER`.
    private static func isTrigger(_ leading: [String]) -> Bool {
        guard leading.first == "CREATE", leading.count >= 2 else { return false }
        return leading[1] == "TRIGGER" || (leading.count == 3 && (leading[1] == "TEMP" || leading[1] == "TEMPORARY") && leading[2] == "TRIGGER")
    }

    /// True if the text holds nothing but whitespace and comments.
    public static func isBlank(_ text: String) -> Bool {
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(of: "*/") {
                rest = rest[end.upperBound...]
            } else {
                return rest.isEmpty
            }
        }
    }
}
