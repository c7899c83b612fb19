// Starting a session the way the command line asks: which tables to load, the
// init file, then `-c` commands and script files in order, the REPL at a
// terminal, or a script piped to stdin.
import CLibEdit
import Foundation
import MinerQL
import MinerQLDatasets

/// Where the tables of a new session come from.
public enum TableSource {
    /// The curated built-in tables embedded in the binary.
    case builtin
    /// Every `*.csv` of a directory, each a table named after its file.
    case directory(String)
}

/// One unit of work from the command line, run in the order given.
public enum ScriptAction: Equatable {
    /// `-c SQL`
    case command(String)
    /// `-f FILE` or a positional script.
    case file(String)
}

/// The command line's options, resolved.
public struct SessionOptions {
    public var actions: [ScriptAction] = []
    public var format: OutputFormat = .box
    public var tables: TableSource = .builtin
    public var echo = false
    public var keepGoing = false
    public var parameters: [String: Value] = [:]
    /// `--init FILE`; nil means `~/.minerqlrc` at the interactive prompt.
    public var initFile: String?
    public var noInit = false
    /// `--safe`: what statements and file commands may read and write; also
    /// no ~/.minerqlrc and no history file.
    public var fileAccess = FileAccess.unrestricted
    /// `--no-color`: plain output even at a colour terminal.
    public var noColor = false

    public init() {}
}

public enum Session {
    /// Loads the tables into a new database, then restricts its file access.
    /// Under --safe a file of the --data folder that is a link to somewhere
    /// outside it is not loaded (a notice says so), as no read may leave it.
    public static func database(_ source: TableSource, access: FileAccess = .unrestricted) throws -> Database {
        let database = Database(cancellation: shellCancellation)
        defer { database.settings.fileAccess = access }
        switch source {
        case .builtin:
            for (name, csv) in BuiltinDatasets.all { try database.loadCSV(table: name, text: csv) }
        case .directory(let path):
            let files = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
            for file in files {
                if (try? access.checkRead(path + "/" + file)) == nil {
                    fputs("Notice: --safe: \(path)/\(file) leads outside \(path); not loaded\n", minerql_stderr())
                    continue
                }
                try database.loadCSV(table: String(file.dropLast(4)), path: path + "/" + file)
            }
        }
        return database
    }

    /// Runs a whole session and returns the process exit status: 1 if a
    /// statement failed, a `.output`/`.once` file could not be written or
    /// writing to stdout failed.
    public static func run(_ options: SessionOptions) -> Int32 {
        var shell: Shell?
        let status = run(options, shell: &shell)
        guard let shell else { return status }
        let written = shell.finish() && !shell.writeFailed && !StreamOutput.failed.load(ordering: .relaxed)
        return written ? status : 1
    }

    private static func run(_ options: SessionOptions, shell made: inout Shell?) -> Int32 {
        let database: Database
        do {
            database = try Session.database(options.tables, access: options.fileAccess)
        } catch let error as MinerQLError {
            fputs(error.description + "\n", minerql_stderr())
            return 1
        } catch {
            fputs("Error: \(error.localizedDescription)\n", minerql_stderr())
            return 1
        }
        let shell = Shell(database: database, format: options.format)
        made = shell
        shell.echo = options.echo
        shell.keepGoing = options.keepGoing
        shell.parameters = options.parameters
        shell.palette = Palette.forStream(1, noColorFlag: options.noColor)
        shell.errorPalette = Palette.forStream(2, noColorFlag: options.noColor)
        shell.terminalSize = { TerminalSize.of(1) }
        let interactive = options.actions.isEmpty && isatty(0) != 0 && isatty(1) != 0
        installTerminationHandlers(interactive: interactive)

        if !options.noInit {
            if let initFile = options.initFile {
                if !shell.runFile(initFile) && !interactive { return 1 }
            } else if interactive, options.fileAccess == .unrestricted, let home = ProcessInfo.processInfo.environment["HOME"],
                      FileManager.default.fileExists(atPath: home + "/.minerqlrc") {
                _ = shell.runFile(home + "/.minerqlrc")
            }
        }

        if !options.actions.isEmpty {
            var succeeded = true
            for action in options.actions {
                let ok: Bool
                switch action {
                case .command(let sql): ok = shell.run(reader: TextLineReader(sql), source: .command)
                case .file(let path): ok = shell.runFile(path)
                }
                if !ok {
                    succeeded = false
                    if !options.keepGoing { return 1 }
                }
            }
            return succeeded ? 0 : 1
        }
        if interactive {
            installInterruptHandler()
            print("minerql: tables \(database.tableNames.joined(separator: ", ")). Enter \".help\" for usage hints.")
            let history = options.fileAccess == .unrestricted ? HistoryFile.defaultPath() : nil
            shell.pager = .auto
            let reader = EditLineReader(historyFile: HistoryFile(path: history),
                                        completer: Completer(database: database, pendingInput: { [unowned shell] in shell.pendingInput },
                                                             resultColumns: { [unowned shell] in shell.lastResultColumns }),
                                        palette: shell.palette)
            _ = shell.run(reader: reader, source: .interactive)
            return 0
        }
        return shell.run(reader: PlainLineReader(), source: .standardInput) ? 0 : 1
    }

    /// Ctrl-C sets the cancellation flag; without SA_RESTART, so a pending
    /// el_gets returns and the prompt discards its input.
    private static func installInterruptHandler() {
        minerql_install_handler(SIGINT) { _ in shellCancellation.cancel() }
    }

    /// SIGTERM, SIGHUP (and, outside the REPL, Ctrl-C) end the process as
    /// they would anyway, but first remove the temporary file of a write in
    /// progress: the target keeps its old contents and nothing is left over.
    private static func installTerminationHandlers(interactive: Bool) {
        FileIO.prepareForSignals()
        for signal in interactive ? [SIGTERM, SIGHUP] : [SIGTERM, SIGHUP, SIGINT] {
            minerql_install_handler(signal) { signal in
                FileIO.removeTemporaryInProgress()
                _exit(128 + signal)
            }
        }
    }
}
