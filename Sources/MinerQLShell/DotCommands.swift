// The dot commands: settings of the session and its output, files, and the
// commands that work on the previous result (`.last`, `.chart`) or statement
// (`.edit`). Each returns false when it failed, which stops a script.
import Foundation
import MinerQL

extension Shell {
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
            report(location + message)
            return false
        }
        func onOff() -> Bool? {
            guard arguments.count == 1, ["on", "off"].contains(arguments[0]) else { return nil }
            return arguments[0] == "on"
        }
        switch command {
        case ".quit", ".exit":
            quitRequested = true
        case ".help":
            guard let name = arguments.first else {
                page(Help.text, size: terminalSize())
                return true
            }
            guard arguments.count == 1, let topic = Help.topic(name) else {
                return fail("Error: no help on \"\(arguments.joined(separator: " "))\"; topics: \(Help.topics.map(\.name).joined(separator: ", "))")
            }
            page(Help.text(of: topic), size: terminalSize())
        case ".tables":
            let names = database.tableNames.map(TerminalText.escaped)
            if !names.isEmpty {
                let width = (names.map(\.count).max() ?? 0) + 2
                emit(names.map { $0.padding(width) }.joined().trimmingWhitespace() + "\n")
            }
        case ".schema":
            let names = arguments.isEmpty ? database.tableNames : arguments
            for name in names {
                guard let schema = database.schema(of: name) else { return fail("Error: no such table: \(name)") }
                let columns = schema.map { "\(TerminalText.escaped($0.name)) \($0.type)" }.joined(separator: ", ")
                emit("CREATE TABLE \(TerminalText.escaped(name))(\(columns));\n")
            }
        case ".mode":
            guard arguments.count == 1, let mode = OutputFormat(rawValue: arguments[0]) else {
                return fail("Error: mode should be one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: " "))")
            }
            format = mode
        case ".headers":
            guard let on = onOff() else { return fail("Usage: .headers on|off") }
            settings.headers = on
        case ".nullvalue":
            guard arguments.count == 1 else { return fail("Usage: .nullvalue TEXT") }
            settings.nullValue = arguments[0]
        case ".timer":
            guard let on = onOff() else { return fail("Usage: .timer on|off") }
            timerEnabled = on
        case ".output", ".once":
            guard closeRedirect() else { return false }
            if arguments.isEmpty {
                if command == ".once" { return fail("Usage: .once FILE") }
            } else if arguments.count == 1 {
                do {
                    try database.settings.fileAccess.checkWrite(arguments[0])
                } catch {
                    return fail("\(error)")
                }
                do {
                    redirect = try AtomicOutput(path: arguments[0])
                } catch {
                    return fail("\(error)")
                }
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
        case ".maxrows", ".maxwidth":
            guard arguments.count == 1, let n = Int(arguments[0]), n >= 0 else { return fail("Usage: \(command) N") }
            if command == ".maxrows" { settings.maxRows = n } else { settings.maxWidth = n == 0 ? nil : n }
        case ".numbers":
            guard let on = onOff() else { return fail("Usage: .numbers on|off") }
            settings.groupDigits = on
        case ".pager":
            guard arguments.count == 1, let mode = PagerMode(rawValue: arguments[0]) else { return fail("Usage: .pager on|off|auto") }
            pager = mode
        case ".last":
            guard arguments.isEmpty else { return fail("Usage: .last") }
            guard let lastResult else { return fail(missingLastResult("no previous result")) }
            show(lastResult, whole: true)
        case ".chart":
            return runChartCommand(arguments, fail: fail)
        case ".edit":
            guard arguments.isEmpty else { return fail("Usage: .edit") }
            return runEditCommand(fail: fail)
        default:
            var message = "Error: unknown command or invalid arguments: \"\(String(command.dropFirst()))\". Enter \".help\" for help"
            if let suggestion = closestMatch(to: String(command.dropFirst()), in: Help.commandNames) { message += ". Did you mean \".\(suggestion)\"?" }
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
                emit("$\(TerminalText.escaped(name)) = \(TerminalText.escaped(shown)) (\(value.type))\n")
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

