// `.help`: commands listed by group, every topic's example runs on the
// built-in tables, unknown commands suggest the nearest one; and `.edit`
// runs what the editor saved.
import Foundation
import MinerQL
@testable import MinerQLShell
import XCTest

final class HelpTests: ShellTestCase {
    func testHelpListsEveryCommandByGroup() throws {
        let shell = try shell()
        XCTAssertTrue(shell.runDotCommand(".help"))
        let help = output
        XCTAssertEqual(help.split(separator: "\n").filter { !$0.hasPrefix(" ") }, ["Results", "Data", "Scripts", "Session"])
        XCTAssertTrue(help.contains(".help [TOPIC]"))
        for name in Help.commandNames where name != "exit" {
            XCTAssertTrue(help.contains("  .\(name)"), name)
            // Each listed command is one the shell knows.
            errors = ""
            _ = try self.shell().runDotCommand(".\(name) --bogus --arguments --here")
            XCTAssertFalse(errors.contains("unknown command"), name)
        }
    }

    func testEveryTopicExplainsAndItsExampleRuns() throws {
        for topic in Help.topics {
            let shell = try shell()
            XCTAssertTrue(shell.runDotCommand(".help \(topic.name.uppercased())"), topic.name)
            XCTAssertTrue(output.hasPrefix(topic.explanation + "\n\nExample:\n  "), topic.name)
            output = ""
            XCTAssertTrue(shell.run(reader: TextLineReader(topic.example), source: .command), "\(topic.name): \(errors)")
            XCTAssertEqual(errors, "", topic.name)
            XCTAssertFalse(output.isEmpty, topic.name)
        }
        let shell = try shell()
        XCTAssertFalse(shell.runDotCommand(".help joins"))
        XCTAssertEqual(errors, "Error: no help on \"joins\"; topics: pipe, asof, window, formats, chart\n")
    }

    func testUnknownCommandsSuggestTheNearest() throws {
        let shell = try shell()
        XCTAssertFalse(shell.runDotCommand(".chrat line a b"))
        XCTAssertEqual(errors, "Error: unknown command or invalid arguments: \"chrat\". Enter \".help\" for help. Did you mean \".chart\"?\n")
        errors = ""
        XCTAssertFalse(shell.runDotCommand(".maxrow 10"))
        XCTAssertTrue(errors.hasSuffix("Did you mean \".maxrows\"?\n"), errors)
        errors = ""
        XCTAssertFalse(shell.runDotCommand(".pagr off"))
        XCTAssertTrue(errors.hasSuffix("Did you mean \".pager\"?\n"), errors)
    }

    func testSettingsCommandsCheckTheirArguments() throws {
        let shell = try shell()
        for (command, usage) in [(".maxrows x", "Usage: .maxrows N"), (".maxwidth -1", "Usage: .maxwidth N"),
                                 (".numbers maybe", "Usage: .numbers on|off"), (".pager sometimes", "Usage: .pager on|off|auto"),
                                 (".last now", "Usage: .last")] {
            errors = ""
            XCTAssertFalse(shell.runDotCommand(command), command)
            XCTAssertEqual(errors, usage + "\n", command)
        }
        errors = ""
        XCTAssertFalse(shell.runDotCommand(".last"))
        XCTAssertEqual(errors, "Error: no previous result\n")
        XCTAssertTrue(shell.runDotCommand(".maxwidth 0"))
        XCTAssertNil(shell.settings.maxWidth)
        XCTAssertTrue(shell.runDotCommand(".maxwidth 72"))
        XCTAssertEqual(shell.settings.maxWidth, 72)
    }

    /// An "editor" that replaces the file with a statement, after saving
    /// what it was given.
    private func editor(writing statement: String, status: Int = 0) throws -> (command: String, seen: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-edit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/editor.sh"
        try "#!/bin/sh\ncp \"$1\" \(directory)/seen.sql\nprintf '%s\\n' \"\(statement)\" > \"$1\"\nexit \(status)\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        return (script, directory + "/seen.sql")
    }

    func testEditRunsWhatTheEditorSaved() throws {
        let shell = try shell()
        let editor = try editor(writing: "SELECT count(*) AS n FROM miners;")
        shell.environment = ["EDITOR": editor.command]
        XCTAssertTrue(shell.run(reader: TextLineReader("SELECT 1 AS first;"), source: .standardInput))
        output = ""
        XCTAssertTrue(shell.runDotCommand(".edit"), errors)
        XCTAssertEqual(try String(contentsOfFile: editor.seen, encoding: .utf8), "SELECT 1 AS first;\n", "the editor got the last statement")
        XCTAssertTrue(output.hasPrefix("SELECT count(*) AS n FROM miners;\n"), output)
        XCTAssertTrue(output.contains("│    12 │"), output)
        // VISUAL comes before EDITOR.
        let visual = try self.editor(writing: "SELECT 'visual' AS v;")
        shell.environment = ["EDITOR": editor.command, "VISUAL": visual.command]
        output = ""
        XCTAssertTrue(shell.runDotCommand(".edit"), errors)
        XCTAssertTrue(output.contains("│ visual  │"), output)
    }

    func testAFailingEditorRunsNothing() throws {
        let shell = try shell()
        let editor = try editor(writing: "DROP TABLE miners;", status: 1)
        shell.environment = ["EDITOR": editor.command]
        XCTAssertFalse(shell.runDotCommand(".edit"))
        XCTAssertTrue(errors.hasPrefix("Error: the editor \"\(editor.command)\" failed (status 1); nothing was run"), errors)
        XCTAssertNotNil(shell.database.schema(of: "miners"))
    }
}
