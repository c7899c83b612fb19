// The shell: reads statements and dot commands from a LineReader, runs them on
// the database, and writes rendered results and errors. The same loop serves the
// interactive REPL, piped scripts and tests; only the reader differs.
import CLibEdit
import Glibc
import MinerQL

/// Flag shared with the SIGINT handler: Ctrl-C cancels the running statement.
public let shellCancellation = Cancellation()

/// An interactive or batch session over one database.
public final class Shell {
    public let database: Database
    public var format: OutputFormat
    /// Results longer than this are elided in box mode.
    public var maxRows = 40
    var timerEnabled = false
    private let output: (String) -> Void
    private let errors: (String) -> Void
    /// Set by `.quit`/`.exit`.
    private(set) var quitRequested = false

    public init(database: Database, format: OutputFormat = .box,
                output: @escaping (String) -> Void = { fputs($0, minerql_stdout()); fflush(minerql_stdout()) },
                errors: @escaping (String) -> Void = { fputs($0, minerql_stderr()); fflush(minerql_stderr()) }) {
        self.database = database
        self.format = format
        self.output = output
        self.errors = errors
    }

    /// Reads and runs input until its end (or `.quit`). In batch mode the first
    /// failing statement stops the run. Returns false if any statement failed.
    public func run(reader: LineReader, interactive: Bool) -> Bool {
        var buffer = ""
        var succeeded = true
        while !quitRequested {
            let prompt = buffer.isEmpty ? "minerql> " : "   ...> "
            switch reader.readLine(prompt: prompt) {
            case .endOfInput:
                if !StatementSplitter.isBlank(buffer) {
                    reader.addHistory(buffer.trimmingWhitespace())
                    succeeded = runSQL(buffer) && succeeded
                }
                if interactive { output("\n") }
                return succeeded
            case .interrupted:
                buffer = ""
                if interactive { output("\n") }
            case .line(let line):
                if StatementSplitter.isBlank(buffer) && line.trimmingWhitespace().hasPrefix(".") {
                    reader.addHistory(line.trimmingWhitespace())
                    buffer = ""
                    if !runDotCommand(line.trimmingWhitespace()) {
                        succeeded = false
                        if !interactive { return false }
                    }
                    continue
                }
                buffer += buffer.isEmpty ? line : "\n" + line
                let (statements, rest) = StatementSplitter.split(buffer)
                guard !statements.isEmpty else { continue }
                let entered = statements.joined()
                reader.addHistory(entered.trimmingWhitespace())
                buffer = StatementSplitter.isBlank(rest) ? "" : rest
                shellCancellation.reset()
                for statement in statements where !runSQL(statement) {
                    succeeded = false
                    if !interactive { return false }
                    break
                }
            }
        }
        return succeeded
    }

    /// Runs SQL text (one or more statements), printing results and errors.
    /// Returns false at the first failing statement.
    @discardableResult
    public func runSQL(_ text: String) -> Bool {
        let source = text.trimmingWhitespace()
        guard !StatementSplitter.isBlank(source) else { return true }
        do {
            for statement in try database.parse(source) {
                let timer = RunTimer()
                if let result = try database.execute(statement) {
                    output(format.renderer(maxRows: maxRows).render(result))
                }
                if timerEnabled { output(timer.report() + "\n") }
            }
            return true
        } catch let error as MinerQLError {
            errors(error.rendered(source: source) + "\n")
        } catch {
            errors("Error: \(error)\n")
        }
        return false
    }

    // MARK: - Dot commands

    static let help = """
        .exit                 Exit the shell
        .help                 Show this message
        .mode box|csv         Set the output format
        .quit                 Exit the shell
        .schema [TABLE]       Show CREATE statements for all tables or one
        .tables               List the tables
        .timer on|off         Print run times after each statement

        """

    /// Runs a dot command; returns false if it failed.
    func runDotCommand(_ line: String) -> Bool {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let command = words.first else { return true }
        let arguments = Array(words.dropFirst())
        switch command {
        case ".quit", ".exit":
            quitRequested = true
        case ".help":
            output(Shell.help)
        case ".tables":
            let names = database.tableNames
            if !names.isEmpty {
                let width = (names.map(\.count).max() ?? 0) + 2
                output(names.map { $0.padding(width) }.joined().trimmingWhitespace() + "\n")
            }
        case ".schema":
            let names = arguments.isEmpty ? database.tableNames : arguments
            for name in names {
                guard let schema = database.schema(of: name) else {
                    errors("Error: no such table: \(name)\n")
                    return false
                }
                let columns = schema.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
                output("CREATE TABLE \(name)(\(columns));\n")
            }
        case ".mode":
            guard arguments.count == 1, let mode = OutputFormat(rawValue: arguments[0]) else {
                errors("Error: mode should be one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: " "))\n")
                return false
            }
            format = mode
        case ".timer":
            guard arguments.count == 1, arguments[0] == "on" || arguments[0] == "off" else {
                errors("Usage: .timer on|off\n")
                return false
            }
            timerEnabled = arguments[0] == "on"
        default:
            errors("Error: unknown command or invalid arguments: \"\(String(command.dropFirst()))\". Enter \".help\" for help\n")
            return false
        }
        return true
    }
}

extension String {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
