// The shell reads input through this protocol: libedit when a person is at a
// terminal, plain stdin otherwise, and a scripted reader in tests.

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

/// Reads lines from standard input, without prompts or history: for scripts
/// and pipes.
public final class PlainLineReader: LineReader {
    public init() {}

    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }

    public func addHistory(_ entry: String) {}
}
