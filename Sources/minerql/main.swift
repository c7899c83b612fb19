// The minerql command: parses flags, then hands over to the shell.
import ArgumentParser
import MinerQLShell

extension OutputFormat: ExpressibleByArgument {}

struct MinerQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minerql",
        abstract: "A SQL shell for research on bitcoin miners and their pivot to AI/HPC.",
        discussion: """
            With no -c, -f or script, opens the interactive shell at a terminal, or runs the statements \
            piped to stdin. A script stops at its first error (exit status 1) unless --keep-going.
            """,
        version: "minerql 0.6.0"
    )

    @Option(name: .customShort("c"), help: ArgumentHelp("Run SQL (repeatable; in order with -f).", valueName: "SQL"))
    var commands: [String] = []

    @Option(name: .customShort("f"), help: ArgumentHelp("Run a script file (repeatable; in order with -c).", valueName: "FILE"))
    var files: [String] = []

    @Argument(help: ArgumentHelp("A script file to run.", valueName: "FILE.sql"))
    var script: String?

    @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .box

    @Flag(help: "Shorthand for --format csv.") var csv = false
    @Flag(help: "Shorthand for --format json.") var json = false
    @Flag(help: "Shorthand for --format markdown.") var markdown = false

    @Option(help: ArgumentHelp("Load every *.csv in DIR as a table instead of the built-in tables.", valueName: "DIR"))
    var data: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Bind $NAME to VALUE (repeatable).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Flag(help: "Print each statement before its result.") var echo = false
    @Flag(help: "Run the rest of a script after a failing statement (still exits 1).") var keepGoing = false

    @Option(name: .customLong("init"), help: ArgumentHelp("Run FILE first instead of ~/.minerqlrc.", valueName: "FILE"))
    var initFile: String?

    @Flag(help: "Do not run ~/.minerqlrc or --init.") var noInit = false

    @Flag(help: "No colour, even at a terminal (also when NO_COLOR is set).") var noColor = false

    @Flag(help: ArgumentHelp("For scripts you did not write: read only the files given here (-f, FILE.sql, --init, --data), write none, no history.")) var safe = false

    mutating func validate() throws {
        if [csv, json, markdown].filter({ $0 }).count > 1 {
            throw ValidationError("Use only one of --csv, --json and --markdown.")
        }
        for parameter in parameters where !parameter.contains("=") || parameter.hasPrefix("=") {
            throw ValidationError("--param expects NAME=VALUE, got '\(parameter)'.")
        }
    }

    func run() throws {
        var options = SessionOptions()
        options.actions = orderedActions()
        options.format = csv ? .csv : json ? .json : markdown ? .markdown : format
        if let data { options.tables = .directory(data) }
        options.echo = echo
        options.keepGoing = keepGoing
        options.initFile = initFile
        options.noInit = noInit
        options.noColor = noColor
        if safe {
            options.fileAccess = .safe(files: files + [script, initFile].compactMap { $0 }, directories: [data].compactMap { $0 })
        }
        for parameter in parameters {
            let name = String(parameter.prefix { $0 != "=" })
            options.parameters[name] = Shell.parameterValue(String(parameter.dropFirst(name.count + 1)))
        }
        let status = Session.run(options)
        if status != 0 { throw ExitCode(status) }
    }

    /// -c and -f in the order they were given (argument-parser keeps each list's
    /// order but not their interleaving), then the positional script.
    private func orderedActions() -> [ScriptAction] {
        var actions: [ScriptAction] = []
        var commandIndex = 0, fileIndex = 0
        for argument in CommandLine.arguments.dropFirst() {
            if (argument == "-c" || argument.hasPrefix("-c")) && !argument.hasPrefix("--") && commandIndex < commands.count {
                actions.append(.command(commands[commandIndex]))
                commandIndex += 1
            } else if (argument == "-f" || argument.hasPrefix("-f")) && !argument.hasPrefix("--") && fileIndex < files.count {
                actions.append(.file(files[fileIndex]))
                fileIndex += 1
            }
        }
        actions += commands[commandIndex...].map(ScriptAction.command) + files[fileIndex...].map(ScriptAction.file)
        if let script { actions.append(.file(script)) }
        return actions
    }
}

MinerQLCommand.main()
