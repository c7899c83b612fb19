// Tokens carry their kind, their text and where they start, so every parse or bind
// error can point at the exact spot in the user's SQL.

/// One lexical token.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A bare word: a keyword or an unquoted identifier (the parser decides).
        case word
        /// A `"double quoted"` identifier; `text` holds it unquoted.
        case quotedIdentifier
        /// A `'single quoted'` string; `text` holds it unquoted.
        case string
        case integer
        case decimal
        /// `$name` or `?`; `text` holds the name without `$`.
        case parameter
        /// An operator or punctuation mark, e.g. `<=`, `::`, `|>`, `(`.
        case symbol
        case end
    }

    public var kind: Kind
    public var text: String
    public var position: SourcePosition

    /// True if this is the given keyword (case-insensitive), not a quoted name.
    func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.caseInsensitiveEquals(keyword)
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}

extension String {
    /// ASCII case-insensitive equality, cheap enough for keyword checks.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lx = x >= 65 && x <= 90 ? x + 32 : x
            let ly = y >= 65 && y <= 90 ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }
}
