// Splits SQL text into tokens over its UTF-8 bytes, tracking line and column
// (counted in Unicode scalars) so positions match what the user sees.

/// Turns SQL source text into tokens.
public struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    public init(_ source: String) {
        bytes = Array(source.utf8)
    }

    /// All tokens of the text, ending with one `.end` token.
    public static func tokenize(_ source: String) throws -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var position: SourcePosition { SourcePosition(offset: index, line: line, column: column) }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    private mutating func advance() {
        let b = bytes[index]
        index += 1
        if b == 10 {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipTrivia() throws {
        while let b = peek() {
            if b == 32 || b == 9 || b == 10 || b == 13 || b == 12 {
                advance()
            } else if b == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-") {
                while let c = peek(), c != 10 { advance() }
            } else if b == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let start = position
                advance(); advance()
                while true {
                    guard let c = peek() else {
                        throw MinerQLError(.parser, "unterminated /* comment", at: start)
                    }
                    if c == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                        advance(); advance()
                        break
                    }
                    advance()
                }
            } else {
                return
            }
        }
    }

    private static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80
    }

    private static func isIdentifierPart(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || (b >= 48 && b <= 57) || b == UInt8(ascii: "$")
    }

    private static func isDigit(_ b: UInt8?) -> Bool {
        guard let b else { return false }
        return b >= 48 && b <= 57
    }

    private func text(from start: Int) -> String {
        String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// The next token; `.end` once the text is exhausted.
    public mutating func next() throws -> Token {
        try skipTrivia()
        let start = position
        guard let b = peek() else { return Token(kind: .end, text: "", position: start) }

        if Lexer.isIdentifierStart(b) {
            while let c = peek(), Lexer.isIdentifierPart(c) { advance() }
            return Token(kind: .word, text: text(from: start.offset), position: start)
        }
        if Lexer.isDigit(b) || (b == UInt8(ascii: ".") && Lexer.isDigit(peek(1))) {
            return try number(start)
        }
        switch b {
        case UInt8(ascii: "'"):
            return Token(kind: .string, text: try quoted(UInt8(ascii: "'"), start, what: "string literal"), position: start)
        case UInt8(ascii: "\""):
            let name = try quoted(UInt8(ascii: "\""), start, what: "quoted identifier")
            return Token(kind: .quotedIdentifier, text: name, position: start)
        case UInt8(ascii: "$") where peek(1).map(Lexer.isIdentifierStart) == true || Lexer.isDigit(peek(1)):
            advance()
            let nameStart = index
            while let c = peek(), Lexer.isIdentifierPart(c) && c != UInt8(ascii: "$") { advance() }
            return Token(kind: .parameter, text: text(from: nameStart), position: start)
        case UInt8(ascii: "?"):
            advance()
            return Token(kind: .parameter, text: "", position: start)
        default:
            break
        }
        for (symbol, utf8) in Lexer.symbols where startsWith(utf8) {
            for _ in 0..<utf8.count { advance() }
            return Token(kind: .symbol, text: symbol, position: start)
        }
        throw MinerQLError(.parser, "syntax error at or near \"\(String(decoding: [b], as: UTF8.self))\"", at: start)
    }

    /// Whether the unread text starts with these bytes.
    private func startsWith(_ utf8: [UInt8]) -> Bool {
        guard bytes.count - index >= utf8.count else { return false }
        var k = 0
        while k < utf8.count {
            if bytes[index + k] != utf8[k] { return false }
            k += 1
        }
        return true
    }

    /// Longest first, so `<=` wins over `<`.
    private static let symbols = [
        "|>", "::", ":=", "<=", ">=", "<>", "!=", "==", "||", "//", "->",
        "(", ")", ",", ";", ".", "+", "-", "*", "/", "%", "<", ">", "=", "[", "]", "{", "}", ":", "^", "~", "&", "|",
    ].map { ($0, Array($0.utf8)) }

    private mutating func number(_ start: SourcePosition) throws -> Token {
        var isDecimal = false
        while let c = peek(), Lexer.isDigit(c) || c == UInt8(ascii: "_") { advance() }
        if peek() == UInt8(ascii: "."), !(peek(1) == UInt8(ascii: ".")) {
            isDecimal = true
            advance()
            while let c = peek(), Lexer.isDigit(c) { advance() }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let sign = peek(1)
            if Lexer.isDigit(sign) || ((sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")) && Lexer.isDigit(peek(2))) {
                isDecimal = true
                advance(); advance()
                while let c = peek(), Lexer.isDigit(c) { advance() }
            }
        }
        let literal = String(text(from: start.offset).filter { $0 != "_" })
        return Token(kind: isDecimal ? .decimal : .integer, text: literal, position: start)
    }

    private mutating func quoted(_ quote: UInt8, _ start: SourcePosition, what: String) throws -> String {
        advance()
        var content: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw MinerQLError(.parser, "unterminated \(what)", at: start)
            }
            advance()
            if c == quote {
                if peek() == quote {
                    content.append(quote)
                    advance()
                } else {
                    break
                }
            } else {
                content.append(c)
            }
        }
        return String(decoding: content, as: UTF8.self)
    }
}
