// minerql-slt: runs sqllogictest files on a fresh database each and prints
// `FILE: N passed, M failed` per file. Exit status 1 if any record failed.
import ArgumentParser
import Foundation
import MinerQL
import MinerQLDatasets
import SQLLogicTest

struct SLTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minerql-slt", abstract: "Run sqllogictest files against the minerql engine.")

    @Flag(help: "SQLite compatibility: SET integer_division = true and error_on_division_by_zero = false first.")
    var sqlite = false

    @Flag(help: "Start each file with the built-in tables loaded.")
    var builtins = false

    @Option(help: "Print up to N failures per file.")
    var showFailures = 0

    @Argument(help: "The .test files to run.")
    var files: [String]

    func run() throws {
        var anyFailed = false
        let setup = sqlite ? ["SET integer_division = true", "SET error_on_division_by_zero = false"] : []
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let database = Database()
            if builtins {
                for (name, csv) in BuiltinDatasets.all { try database.loadCSV(table: name, text: csv) }
            }
            let report = SQLLogicTestRunner().run(text, file: file, database: database, setup: setup)
            print(report.summary)
            for failure in report.failures.prefix(showFailures) { print(failure + "\n") }
            anyFailed = anyFailed || report.failed > 0
        }
        if anyFailed { throw ExitCode(1) }
    }
}

SLTCommand.main()
