// The shell: reads statements and dot commands from a LineReader, runs them on
// the database, and writes rendered results and errors. The same loop serves the
// interactive REPL, piped scripts, script files and tests; only the reader and
// the source (which decides prompts, history and error locations) differ.
import CLibEdit
import Foundation
import MinerQL

/// Flag shared with the SIGINT handler: Ctrl-C cancels the running statement.
public let shellCancellation = Cancellation()

/// Where input comes from, which decides how errors are located and whether a
/// failure stops the run.
public enum InputSource: Equatable {
    /// A person at the prompt: errors are shown and the session goes on.
    case interactive
    /// A `-c` command.
    case command
    /// Statements piped to stdin, reported as `<stdin>:LINE:COLUMN`.
    case standardInput
    /// A script file, reported as `FILE:LINE:COLUMN`.
    case file(String)

    var name: String? {
        switch self {
        case .interactive, .command: return nil
        case .standardInput: return "<stdin>"
        case .file(let path): return path
        }
    }
}

/// An interactive or batch session over one database.
public final class Shell {
    public let database: Database
    public var format: OutputFormat
    /// How results look (`.mode`, `.headers`, `.maxrows`, …); `maxWidth` nil
    /// means the terminal's width.
    public var settings = RenderSettings()
    /// Colours of results shown on the terminal, and of errors.
    public var palette = Palette.plain
    public var errorPalette = Palette.plain
    /// `.pager`: the REPL starts with `auto`, everything else with `off`.
    public var pager = PagerMode.off
    /// The terminal results are shown on, or nil when they go to a pipe or file.
    public var terminalSize: () -> TerminalSize? = { nil }
    /// Where the pager and editor commands are looked up.
    public var environment = ProcessInfo.processInfo.environment
    /// Values bound to `$name` in statements (`--param`, `.param set`).
    public var parameters: [String: Value] = [:]
    /// `--echo`: print each statement before its result.
    public var echo = false
    /// `--keep-going`: a failing statement in a script does not stop it.
    public var keepGoing = false
    var timerEnabled = false
    let terminal: (String) -> Void
    let errors: (String) -> Void
    /// `.output FILE` / `.once FILE`: where results go instead of the terminal.
    var redirect: AtomicOutput?
    var redirectOnce = false
    /// Set by `.quit`/`.exit`.
    var quitRequested = false
    /// The last statement's result, for `.last` and `.chart`.
    var lastResult: QueryResult?
    /// Rows of a streamed or elided result kept for `.last` and `.chart`; a
    /// longer one is not kept.
    var lastResultRows = 1_000_000
    /// The row count of a last result too long to keep (0 when it was kept).
    var lastResultOmittedRows = 0

    /// Why there is no last result to show, for `.last` and `.chart`.
    func missingLastResult(_ otherwise: String) -> String {
        guard lastResultOmittedRows > 0 else { return "Error: " + otherwise }
        return "Error: the last result (\(DigitGrouping.grouped(lastResultOmittedRows)) rows) was too long to keep; "
            + "at most \(DigitGrouping.grouped(lastResultRows)) rows are"
    }
    /// The last SQL entered, for `.edit`.
    var lastStatement: String?
    /// The prompt's reader, for `.edit` to add what it runs to the history.
    weak var activeReader: LineReader?
    /// The lines of an unfinished statement, for completion.
    public private(set) var pendingInput = ""
    /// The columns of the last result, for completing `.chart`.
    public var lastResultColumns: [String] { lastResult?.names ?? [] }
    /// Drawn on stderr during long statements when stderr is a terminal.
    public var showsProgress = isatty(2) != 0

    public init(database: Database, format: OutputFormat = .box,
                output: @escaping (String) -> Void = { StreamOutput.write($0, to: minerql_stdout()) },
                errors: @escaping (String) -> Void = { StreamOutput.write($0, to: minerql_stderr()) }) {
        self.database = database
        self.format = format
        self.terminal = output
        self.errors = errors
    }

    /// Results go to the redirect file if one is open, else to the terminal.
    func emit(_ text: String) {
        if let redirect { redirect.append(text) } else { terminal(text) }
    }

    /// Renders a result where results go: to a file plain and whole; to the
    /// terminal in colour, fitted to its width and through the pager when
    /// `.pager` says so. `whole` (`.last`) shows every row and column.
    /// `totalRows`: the result holds only the first and last rows of that
    /// many (a result too long to keep, see ResultSink).
    func show(_ result: QueryResult, whole: Bool = false, totalRows: Int? = nil) {
        var settings = self.settings
        if whole {
            settings.maxRows = 0
            settings.maxWidth = nil
        }
        guard redirect == nil else {
            emit(format.renderer(settings).render(result, totalRows: totalRows))
            return
        }
        let size = terminalSize()
        if !whole && settings.maxWidth == nil { settings.maxWidth = size?.columns }
        settings.palette = palette
        page(format.renderer(settings).render(result, totalRows: totalRows), size: size)
    }

    /// Where the next query's rows go: written as they come in an export
    /// format to a file or a pipe; collected for the display formats and for
    /// the terminal (which pages and fits them).
    private func resultSink() -> ResultSink {
        let streams = format.isExport && (redirect != nil || terminalSize() == nil)
        return ResultSink(shell: self, writer: streams ? format.writer(settings) : nil, settings: settings,
                          elides: !streams && format == .box && settings.maxRows > 0)
    }

    /// Writes text for the terminal, through the pager if it is on or the
    /// text does not fit (`auto`).
    func page(_ text: String, size: TerminalSize?) {
        if Pager.shouldPage(text, mode: pager, terminal: size) {
            let command = Pager.command(environment: environment)
            if Pager.show(text, command: command) { return }
            errors(errorPalette.paint("Error: could not run the pager \"\(command)\"", .error) + "\n")
        }
        terminal(text)
    }

    /// Writes an error message, in red at a colour terminal.
    func report(_ message: String) {
        // An identifier or a value quoted in an error reaches the terminal too.
        errors(errorPalette.paint(TerminalText.escapedLines(message), .error) + "\n")
    }

    /// Reads and runs input until its end (or `.quit`). Outside the interactive
    /// prompt the first failing statement stops the run unless `keepGoing`.
    /// Returns false if any statement failed.
    public func run(reader: LineReader, source: InputSource) -> Bool {
        let interactive = source == .interactive
        if interactive { activeReader = reader }
        var buffer = ""
        var bufferStart = (line: 1, column: 1)
        var lineNumber = 0
        var lines: [String] = []
        var succeeded = true

        /// Runs complete statements; false means "stop reading".
        func runStatements(_ statements: [String]) -> Bool {
            shellCancellation.reset()
            var position = bufferStart
            for statement in statements {
                lastStatement = statement.trimmingWhitespace()
                let start = Shell.advance(position, over: statement.prefix { $0.isWhitespace })
                position = Shell.advance(position, over: Substring(statement))
                let location = source.name.map { SourceLocation(file: $0, line: start.line, column: start.column, lines: lines) }
                if !runSQL(statement, location: location) {
                    succeeded = false
                    if !interactive && !keepGoing { return false }
                    if interactive { break }
                }
            }
            return true
        }

        while !quitRequested {
            let prompt = buffer.isEmpty ? "minerql> " : "   ...> "
            pendingInput = buffer
            switch reader.readLine(prompt: prompt) {
            case .endOfInput:
                if !StatementSplitter.isBlank(buffer) {
                    reader.addHistory(buffer.trimmingWhitespace())
                    _ = runStatements([buffer])
                }
                if interactive { terminal("\n") }
                return succeeded
            case .interrupted:
                buffer = ""
                if interactive { terminal("\n") }
            case .line(let line):
                lineNumber += 1
                if source.name != nil { lines.append(line) }
                if StatementSplitter.isBlank(buffer) && line.trimmingWhitespace().hasPrefix(".") {
                    reader.addHistory(line.trimmingWhitespace())
                    buffer = ""
                    if !runDotCommand(line.trimmingWhitespace(), source: source, line: lineNumber) {
                        succeeded = false
                        if !interactive && !keepGoing { return false }
                    }
                    continue
                }
                if StatementSplitter.isBlank(buffer) {
                    buffer = line
                    bufferStart = (lineNumber, 1)
                } else {
                    buffer += "\n" + line
                }
                let (statements, rest) = StatementSplitter.split(buffer)
                guard !statements.isEmpty else { continue }
                reader.addHistory(statements.joined().trimmingWhitespace())
                let restStart = Shell.advance(bufferStart, over: Substring(statements.joined()))
                if !runStatements(statements) { return false }
                buffer = StatementSplitter.isBlank(rest) ? "" : rest
                bufferStart = restStart
            }
        }
        return succeeded
    }

    /// The line and column reached after reading `text` from `start`.
    private static func advance(_ start: (line: Int, column: Int), over text: Substring) -> (line: Int, column: Int) {
        var position = start
        for c in text {
            if c == "\n" || c == "\r\n" {
                position = (position.line + 1, 1)
            } else {
                position.column += 1
            }
        }
        return position
    }

    /// Runs SQL text (one or more statements), printing results and errors.
    /// Returns false at the first failing statement.
    @discardableResult
    public func runSQL(_ text: String, location: SourceLocation? = nil) -> Bool {
        let source = text.trimmingWhitespace()
        guard !StatementSplitter.isBlank(source) else { return true }
        do {
            for statement in try database.parse(source) {
                if echo { terminal(statement.text.trimmingWhitespace() + "\n") }
                let timer = RunTimer()
                let bar = showsProgress && database.settings.progressBar ? ProgressBar(progress: database.progress) : nil
                bar?.start()
                let result: QueryResult?
                let sink = resultSink()
                do {
                    result = try database.execute(statement, parameters: parameters, streamingTo: sink)
                    bar?.stop()
                } catch {
                    bar?.stop()
                    throw error
                }
                for notice in database.notices { errors("Notice: \(notice)\n") }
                if let result {
                    lastResult = result
                    lastResultOmittedRows = 0
                    show(result)
                } else if sink.began {
                    sink.finish()
                }
                if timerEnabled { terminal(timer.report() + "\n") }
            }
            return finishOnce()
        } catch let error as MinerQLError {
            report(location.map { $0.render(error) } ?? error.rendered(source: source))
        } catch {
            report("Error: \(error)")
        }
        _ = finishOnce()
        return false
    }

    /// Closes a `.once` file after its statement; false if it could not be written.
    private func finishOnce() -> Bool {
        redirectOnce ? closeRedirect() : true
    }

    /// Writes an open `.output`/`.once` file; call before exiting. False if
    /// it could not be written (the session's exit status is then 1).
    public func finish() -> Bool {
        closeRedirect()
    }

    /// Scripts being run inside one another (`.read` in a script), and how
    /// many may be.
    private var fileDepth = 0
    static let maximumFileDepth = 64

    /// Whether writing a `.output`/`.once` file has failed in this session.
    public private(set) var writeFailed = false

    /// Writes and closes the redirect file, if one is open; false (with the
    /// error reported) if it could not be written.
    @discardableResult
    func closeRedirect() -> Bool {
        guard let redirect else { return true }
        self.redirect = nil
        redirectOnce = false
        do {
            try redirect.commit()
            return true
        } catch let error as MinerQLError {
            report(error.description)
        } catch {
            report("Error: \(error)")
        }
        writeFailed = true
        return false
    }

    /// Runs a script file; errors name the file and line. Returns false if a
    /// statement failed or the file cannot be read.
    public func runFile(_ path: String) -> Bool {
        // A script that reads itself, directly or through others, would nest
        // until the stack overflows.
        guard fileDepth < Shell.maximumFileDepth else {
            report("Error: .read of \"\(path)\" nests more than \(Shell.maximumFileDepth) scripts deep (does a script read itself?)")
            return false
        }
        fileDepth += 1
        defer { fileDepth -= 1 }
        guard let data = FileManager.default.contents(atPath: path) else {
            report("Error: cannot open \"\(path)\"")
            return false
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            report("Error: \"\(path)\" is not valid UTF-8")
            return false
        }
        return run(reader: TextLineReader(text), source: .file(path))
    }

}

/// Where a statement started in a script, for `FILE:LINE:COLUMN:` errors.
public struct SourceLocation {
    public var file: String
    public var line: Int
    public var column: Int
    /// The script's lines read so far, for the excerpt under the message.
    var lines: [String]

    /// `file:line:col: Kind: message`, then the line of the script and a caret.
    func render(_ error: MinerQLError) -> String {
        guard let position = error.position else { return "\(file):\(line): \(error.description)" }
        let absoluteLine = line + position.line - 1
        let absoluteColumn = position.line == 1 ? column + position.column - 1 : position.column
        var text = "\(file):\(absoluteLine):\(absoluteColumn): \(error.description)"
        if absoluteLine >= 1 && absoluteLine <= lines.count {
            text += "\n\n" + MinerQLError.excerpt(line: absoluteLine, text: lines[absoluteLine - 1], column: absoluteColumn)
        }
        return text
    }
}

extension String {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
