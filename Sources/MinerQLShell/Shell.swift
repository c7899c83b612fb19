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
    public var settings = RenderSettings()
    /// Values bound to `$name` in statements (`--param`, `.param set`).
    public var parameters: [String: Value] = [:]
    /// `--echo`: print each statement before its result.
    public var echo = false
    /// `--keep-going`: a failing statement in a script does not stop it.
    public var keepGoing = false
    var timerEnabled = false
    private let terminal: (String) -> Void
    private let errors: (String) -> Void
    /// `.output FILE` / `.once FILE`: where results go instead of the terminal.
    private var redirect: AtomicOutput?
    private var redirectOnce = false
    /// Set by `.quit`/`.exit`.
    private(set) var quitRequested = false
    /// Drawn on stderr during long statements when stderr is a terminal.
    public var showsProgress = isatty(2) != 0

    public init(database: Database, format: OutputFormat = .box,
                output: @escaping (String) -> Void = { fputs($0, minerql_stdout()); fflush(minerql_stdout()) },
                errors: @escaping (String) -> Void = { fputs($0, minerql_stderr()); fflush(minerql_stderr()) }) {
        self.database = database
        self.format = format
        self.terminal = output
        self.errors = errors
    }

    /// Results go to the redirect file if one is open, else to the terminal.
    private func emit(_ text: String) {
        if let redirect { redirect.append(text) } else { terminal(text) }
    }

    /// Reads and runs input until its end (or `.quit`). Outside the interactive
    /// prompt the first failing statement stops the run unless `keepGoing`.
    /// Returns false if any statement failed.
    public func run(reader: LineReader, source: InputSource) -> Bool {
        let interactive = source == .interactive
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
                let bar = showsProgress ? ProgressBar(progress: database.progress) : nil
                bar?.start()
                let result: QueryResult?
                do {
                    result = try database.execute(statement, parameters: parameters)
                    bar?.stop()
                } catch {
                    bar?.stop()
                    throw error
                }
                for notice in database.notices { errors("Notice: \(notice)\n") }
                if let result { emit(format.renderer(settings).render(result)) }
                if timerEnabled { terminal(timer.report() + "\n") }
            }
            finishOnce()
            return true
        } catch let error as MinerQLError {
            errors((location.map { $0.render(error) } ?? error.rendered(source: source)) + "\n")
        } catch {
            errors("Error: \(error)\n")
        }
        finishOnce()
        return false
    }

    private func finishOnce() {
        if redirectOnce { closeRedirect() }
    }

    /// Writes an open `.output`/`.once` file; call before exiting.
    public func finish() {
        closeRedirect()
    }

    private func closeRedirect() {
        guard let redirect else { return }
        self.redirect = nil
        redirectOnce = false
        do { try redirect.commit() } catch let error as MinerQLError {
            errors(error.description + "\n")
        } catch {
            errors("Error: \(error)\n")
        }
    }

    /// Runs a script file; errors name the file and line. Returns false if a
    /// statement failed or the file cannot be read.
    public func runFile(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else {
            errors("Error: cannot open \"\(path)\"\n")
            return false
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            errors("Error: \"\(path)\" is not valid UTF-8\n")
            return false
        }
        return run(reader: TextLineReader(text), source: .file(path))
    }

    // MARK: - Dot commands

    static let help = """
        Output
          .mode FORMAT          box (default), table, csv, tsv, json, jsonl, markdown, line
          .headers on|off       Show column names
          .nullvalue TEXT       Text shown for NULL
          .output [FILE]        Send results to FILE (written when closed); alone: back to the terminal
          .once FILE            Send the next result to FILE
          .timer on|off         Print run times after each statement
        Data
          .tables               List the tables
          .schema [TABLE]       Show CREATE statements for all tables or one
          .import FILE TABLE    Load a CSV file into a table (created if missing)
        Scripts
          .read FILE            Run the statements of FILE
          .param set NAME VALUE Bind $NAME to VALUE (a number, date or string)
          .param unset NAME     Remove a binding
          .param list           Show the bindings
          .param clear          Remove every binding
        Session
          .help                 Show this message
          .quit, .exit          Exit the shell

        """

    static let commandNames = ["exit", "headers", "help", "import", "mode", "nullvalue", "once", "output", "param",
                               "quit", "read", "schema", "tables", "timer"]

    /// Splits a dot command's arguments on blanks, honouring '…' and "…" quotes.
    static func arguments(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Runs a dot command; returns false if it failed.
    func runDotCommand(_ line: String, source: InputSource = .interactive, line lineNumber: Int = 1) -> Bool {
        let words = Shell.arguments(line)
        guard let command = words.first else { return true }
        let arguments = Array(words.dropFirst())
        func fail(_ message: String) -> Bool {
            let location = source.name.map { "\($0):\(lineNumber): " } ?? ""
            errors(location + message + "\n")
            return false
        }
        func onOff(_ usage: String) -> Bool? {
            guard arguments.count == 1, ["on", "off"].contains(arguments[0]) else { return nil }
            return arguments[0] == "on"
        }
        switch command {
        case ".quit", ".exit":
            quitRequested = true
        case ".help":
            terminal(Shell.help)
        case ".tables":
            let names = database.tableNames
            if !names.isEmpty {
                let width = (names.map(\.count).max() ?? 0) + 2
                emit(names.map { $0.padding(width) }.joined().trimmingWhitespace() + "\n")
            }
        case ".schema":
            let names = arguments.isEmpty ? database.tableNames : arguments
            for name in names {
                guard let schema = database.schema(of: name) else { return fail("Error: no such table: \(name)") }
                let columns = schema.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
                emit("CREATE TABLE \(name)(\(columns));\n")
            }
        case ".mode":
            guard arguments.count == 1, let mode = OutputFormat(rawValue: arguments[0]) else {
                return fail("Error: mode should be one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: " "))")
            }
            format = mode
        case ".headers":
            guard let on = onOff(".headers") else { return fail("Usage: .headers on|off") }
            settings.headers = on
        case ".nullvalue":
            guard arguments.count == 1 else { return fail("Usage: .nullvalue TEXT") }
            settings.nullValue = arguments[0]
        case ".timer":
            guard let on = onOff(".timer") else { return fail("Usage: .timer on|off") }
            timerEnabled = on
        case ".output", ".once":
            closeRedirect()
            if arguments.isEmpty {
                if command == ".once" { return fail("Usage: .once FILE") }
            } else if arguments.count == 1 {
                do {
                    try database.settings.fileAccess.checkWrite(arguments[0])
                } catch {
                    return fail("\(error)")
                }
                redirect = AtomicOutput(path: arguments[0])
                redirectOnce = command == ".once"
            } else {
                return fail("Usage: \(command) [FILE]")
            }
        case ".read":
            guard arguments.count == 1 else { return fail("Usage: .read FILE") }
            do {
                try database.settings.fileAccess.checkRead(arguments[0])
            } catch {
                return fail("\(error)")
            }
            return runFile(arguments[0])
        case ".import":
            guard arguments.count == 2 else { return fail("Usage: .import FILE TABLE") }
            let path = "'" + arguments[0].replacingOccurrences(of: "'", with: "''") + "'"
            let table = "\"" + arguments[1].replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let sql = database.schema(of: arguments[1]) == nil
                ? "CREATE TABLE \(table) AS SELECT * FROM read_csv(\(path))"
                : "INSERT INTO \(table) SELECT * FROM read_csv(\(path))"
            return runSQL(sql)
        case ".param":
            return runParamCommand(arguments, fail: fail)
        default:
            var message = "Error: unknown command or invalid arguments: \"\(String(command.dropFirst()))\". Enter \".help\" for help"
            if let suggestion = closestMatch(to: String(command.dropFirst()), in: Shell.commandNames) { message += ". Did you mean \".\(suggestion)\"?" }
            return fail(message)
        }
        return true
    }

    private func runParamCommand(_ arguments: [String], fail: (String) -> Bool) -> Bool {
        switch arguments.first {
        case "set":
            guard arguments.count == 3 else { return fail("Usage: .param set NAME VALUE") }
            parameters[arguments[1]] = Shell.parameterValue(arguments[2])
        case "unset":
            guard arguments.count == 2 else { return fail("Usage: .param unset NAME") }
            parameters[arguments[1]] = nil
        case "clear":
            parameters = [:]
        case "list", nil:
            for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
                let shown = value.type == .varchar ? "'\(value.description)'" : value.description
                emit("$\(name) = \(shown) (\(value.type))\n")
            }
        default:
            return fail("Usage: .param set|unset|list|clear")
        }
        return true
    }

    /// The typed value of a parameter given as text: an integer, a decimal, an
    /// ISO date, true/false, or else a string (quotes around it are dropped).
    public static func parameterValue(_ text: String) -> Value {
        if let i = Int64(text) { return .bigint(i) }
        if let d = Double(text), text.contains(where: { $0.isNumber }), !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) {
            return .double(d)
        }
        if let days = DateCodec.parse(text), text.count >= 8 { return .date(days) }
        switch text.lowercased() {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        default: break
        }
        if text.count >= 2, let first = text.first, first == text.last, first == "'" || first == "\"" {
            return .varchar(String(text.dropFirst().dropLast()))
        }
        return .varchar(text)
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
