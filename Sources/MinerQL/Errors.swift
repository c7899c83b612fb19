// The one error type of the engine. Every phase throws it with a case naming the
// phase and, where the culprit is in the SQL text, its position, so the shell can
// render DuckDB-style messages with the line and a caret in one place.

/// A position in SQL source text: a UTF-8 byte offset plus 1-based line and column.
public struct SourcePosition: Equatable, Hashable, Sendable {
    public var offset: Int
    public var line: Int
    public var column: Int
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }
}

/// An error raised while lexing, parsing, binding or running a statement.
public struct MinerQLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The phase that raised the error; it names the message's prefix.
    public enum Kind: String, Sendable {
        case parser = "Parser Error"
        case binder = "Binder Error"
        case catalog = "Catalog Error"
        case conversion = "Conversion Error"
        case constraint = "Constraint Error"
        case outOfRange = "Out of Range Error"
        case outOfMemory = "Out of Memory Error"
        case invalidInput = "Invalid Input Error"
        case io = "IO Error"
        case permission = "Permission Error"
        case interrupted = "INTERRUPT Error"
        case notImplemented = "Not implemented Error"
        case `internal` = "INTERNAL Error"
    }

    public var kind: Kind
    public var message: String
    public var position: SourcePosition?

    public init(_ kind: Kind, _ message: String, at position: SourcePosition? = nil) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    /// `Kind: message`, without the source excerpt.
    public var description: String { "\(kind.rawValue): \(message)" }

    /// The message followed, when the position is known, by `LINE n: …` and a caret
    /// under the culprit, as DuckDB renders errors.
    public func rendered(source: String?) -> String {
        guard let position, let source else { return description }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return description }
        return "\(description)\n\n" + MinerQLError.excerpt(line: position.line, text: lines[position.line - 1], column: position.column)
    }

    /// Characters of a source line shown around the caret; longer lines are cut.
    static let excerptWidth = 100

    /// `LINE n: text` and a caret under the 1-based `column`. Tabs become spaces;
    /// a line longer than `excerptWidth` is cut to a window around the caret,
    /// with `...` where text was left out.
    public static func excerpt<Line: StringProtocol>(line: Int, text: Line, column: Int) -> String {
        let characters = text.map { $0 == "\t" ? " " : $0 }
        let caret = max(0, min(column - 1, characters.count))
        var start = 0, end = characters.count
        if characters.count > excerptWidth {
            start = max(0, min(caret - excerptWidth / 2, characters.count - excerptWidth))
            end = start + excerptWidth
        }
        let before = start > 0 ? "..." : "", after = end < characters.count ? "..." : ""
        let prefix = "LINE \(line): " + before
        return prefix + String(characters[start..<end]) + after + "\n"
            + String(repeating: " ", count: prefix.count + caret - start) + "^"
    }

    static func `internal`(_ message: String) -> MinerQLError {
        MinerQLError(.internal, "\(message) (this is a bug in minerql; please report it)")
    }
}
