// A forgiving scan of the SQL typed so far, for completion: words and
// punctuation of the statement the cursor is in (text before the last `;` is
// dropped), skipping comments and string literals, and whether the text ends
// inside a quote. Unlike the engine's lexer it never fails on half a statement.

struct SQLScan {
    struct Token: Equatable {
        var text: String
        /// A name or keyword (letters, digits, `_`, or a "quoted" name).
        var isWord: Bool
    }

    private(set) var tokens: [Token] = []
    /// The text after an unterminated `'`: a string, or a file path, being typed.
    private(set) var openQuote: String?
    /// The text ends inside a "quoted identifier".
    private(set) var inIdentifierQuote = false

    init(_ text: String) {
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "-" && i + 1 < characters.count && characters[i + 1] == "-" {
                while i < characters.count && characters[i] != "\n" { i += 1 }
            } else if c == "/" && i + 1 < characters.count && characters[i + 1] == "*" {
                i += 2
                while i + 1 < characters.count && !(characters[i] == "*" && characters[i + 1] == "/") { i += 1 }
                i += 2
            } else if c == "'" || c == "\"" {
                var j = i + 1
                var closed = false
                while j < characters.count {
                    if characters[j] == c {
                        // A doubled quote is the quote character itself.
                        if j + 1 < characters.count && characters[j + 1] == c { j += 2; continue }
                        closed = true
                        break
                    }
                    j += 1
                }
                if !closed {
                    if c == "'" { openQuote = String(characters[(i + 1)...]) } else { inIdentifierQuote = true }
                    return
                }
                if c == "\"" { tokens.append(Token(text: String(characters[(i + 1)..<j]).replacingOccurrences(of: "\"\"", with: "\""), isWord: true)) }
                else { tokens.append(Token(text: "'…'", isWord: false)) }
                i = j + 1
            } else if c.isLetter || c == "_" || c.isNumber {
                var j = i
                while j < characters.count && (characters[j].isLetter || characters[j].isNumber || characters[j] == "_") { j += 1 }
                tokens.append(Token(text: String(characters[i..<j]), isWord: !c.isNumber))
                i = j
            } else if c == "|" && i + 1 < characters.count && characters[i + 1] == ">" {
                tokens.append(Token(text: "|>", isWord: false))
                i += 2
            } else if c == ";" {
                tokens = []
                i += 1
            } else if c.isWhitespace {
                i += 1
            } else {
                tokens.append(Token(text: String(c), isWord: false))
                i += 1
            }
        }
    }
}
