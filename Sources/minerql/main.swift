// The minerql command: parses flags, then hands over to the shell.
import ArgumentParser
import MinerQLShell

extension OutputFormat: ExpressibleByArgument {}

struct MinerQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minerql",
        abstract: "A SQL shell for research on bitcoin miners and their pivot to AI/HPC.",
        discussion: "With no -c, opens the interactive shell at a terminal, or runs the statements piped to stdin."
    )

    @Option(name: .customShort("c"), help: ArgumentHelp("Run SQL and exit (repeatable, in order).", valueName: "SQL"))
    var commands: [String] = []

    @Option(help: "Output format: box or csv.")
    var format: OutputFormat = .box

    @Option(help: ArgumentHelp("Load every *.csv in DIR as a table instead of the built-in tables.", valueName: "DIR"))
    var data: String?

    func run() throws {
        var options = SessionOptions()
        options.commands = commands
        options.format = format
        if let data { options.tables = .directory(data) }
        let status = Session.run(options)
        if status != 0 { throw ExitCode(status) }
    }
}

MinerQLCommand.main()
