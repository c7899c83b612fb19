// Starting a session the way the command line asks: which tables to load, then
// `-c` commands, the REPL at a terminal, or a script from stdin.
import CLibEdit
import Glibc
import MinerQL
import MinerQLDatasets

/// Where the tables of a new session come from.
public enum TableSource {
    /// The curated built-in tables embedded in the binary.
    case builtin
    /// Every `*.csv` of a directory, each a table named after its file.
    case directory(String)
}

/// The command line's options, resolved.
public struct SessionOptions {
    public var commands: [String] = []
    public var format: OutputFormat = .box
    public var tables: TableSource = .builtin

    public init() {}
}

public enum Session {
    /// Loads the tables into a new database.
    public static func database(_ source: TableSource) throws -> Database {
        let database = Database(cancellation: shellCancellation)
        switch source {
        case .builtin:
            for (name, csv) in BuiltinDatasets.all { try database.loadCSV(table: name, text: csv) }
        case .directory(let path):
            for file in try csvFiles(in: path) {
                let text = try readText(path + "/" + file)
                do {
                    try database.loadCSV(table: String(file.dropLast(4)), text: text)
                } catch let error as MinerQLError {
                    throw MinerQLError(error.kind, "\(file): \(error.message)")
                }
            }
        }
        return database
    }

    private static func csvFiles(in path: String) throws -> [String] {
        guard let dir = opendir(path) else {
            throw MinerQLError(.io, "Cannot open directory \"\(path)\": \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasSuffix(".csv") && !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    static func readText(_ path: String) throws -> String {
        guard let file = fopen(path, "rb") else {
            throw MinerQLError(.io, "Cannot open file \"\(path)\": \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs a whole session and returns the process exit status.
    public static func run(_ options: SessionOptions) -> Int32 {
        let database: Database
        do {
            database = try Session.database(options.tables)
        } catch let error as MinerQLError {
            fputs(error.description + "\n", minerql_stderr())
            return 1
        } catch {
            fputs("Error: \(error)\n", minerql_stderr())
            return 1
        }
        let shell = Shell(database: database, format: options.format)
        if !options.commands.isEmpty {
            for command in options.commands {
                shellCancellation.reset()
                if !shell.runSQL(command) { return 1 }
            }
            return 0
        }
        if isatty(0) != 0 && isatty(1) != 0 {
            installInterruptHandler()
            print("minerql: tables \(database.tableNames.joined(separator: ", ")). Enter \".help\" for usage hints.")
            let reader = EditLineReader(historyFile: HistoryFile(path: HistoryFile.defaultPath()),
                                        completer: Completer(database: database))
            _ = shell.run(reader: reader, interactive: true)
            return 0
        }
        return shell.run(reader: PlainLineReader(), interactive: false) ? 0 : 1
    }

    /// Ctrl-C sets the cancellation flag; without SA_RESTART, so a pending
    /// el_gets returns and the prompt discards its input.
    private static func installInterruptHandler() {
        minerql_install_sigint { _ in shellCancellation.cancel() }
    }
}
