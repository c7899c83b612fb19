// The shell reads input through this protocol: libedit when a person is at a
// terminal, plain stdin or a file's text otherwise, and a scripted reader in tests.

/// What one read of an input line produced.
public enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: discard what was typed so far.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// A source of input lines.
public protocol LineReader: AnyObject {
    /// Reads one line (without its newline), showing `prompt` if interactive.
    func readLine(prompt: String) -> LineInput
    /// Records a complete entry (possibly several lines) in the history.
    func addHistory(_ entry: String)
}

/// Reads lines from standard input, without prompts or history: for pipes.
public final class PlainLineReader: LineReader {
    public init() {}

    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }

    public func addHistory(_ entry: String) {}
}

/// Reads the lines of a text already in memory: script files and `-c` commands.
public final class TextLineReader: LineReader {
    private var lines: [Substring]
    private var index = 0

    public init(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last == "" { lines.removeLast() }
    }

    public func readLine(prompt: String) -> LineInput {
        guard index < lines.count else { return .endOfInput }
        index += 1
        return .line(String(lines[index - 1]))
    }

    public func addHistory(_ entry: String) {}
}
