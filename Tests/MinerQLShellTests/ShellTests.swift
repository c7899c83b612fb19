// The shell loop with a scripted reader: statements across lines, dot commands,
// output formats, errors and the timer line.
import MinerQL
@testable import MinerQLShell
import XCTest

final class ShellTests: ShellTestCase {
    func testStatementAcrossLinesRunsOnceComplete() throws {
        let reader = ScriptedReader(lines: ["SELECT count(*)", "  FROM miners;"])
        XCTAssertTrue(try shell().run(reader: reader, source: .interactive))
        XCTAssertEqual(reader.prompts.prefix(2), ["minerql> ", "   ...> "])
        XCTAssertTrue(output.contains("│           12 │"), output)
        XCTAssertEqual(reader.history, ["SELECT count(*)\n  FROM miners;"])
    }

    func testInterruptDiscardsPartialInput() throws {
        let reader = ScriptedReader([.line("SELECT nonsense"), .interrupted, .line("SELECT 1 AS one;")])
        XCTAssertTrue(try shell().run(reader: reader, source: .interactive))
        XCTAssertEqual(errors, "")
        XCTAssertTrue(output.contains("one"), output)
    }

    func testBatchStopsAtFirstError() throws {
        let reader = ScriptedReader(lines: ["SELECT nope FROM miners;", "SELECT 42 AS answer;"])
        XCTAssertFalse(try shell().run(reader: reader, source: .standardInput))
        XCTAssertTrue(errors.hasPrefix("<stdin>:1:8: Binder Error: Referenced column \"nope\" not found in FROM clause! Did you mean \"name\"?"), errors)
        XCTAssertFalse(output.contains("answer"))
    }

    func testCSVModeAndTables() throws {
        let reader = ScriptedReader(lines: [".tables", ".mode csv", "SELECT ticker, fy_end_month FROM miners WHERE ticker IN ('IREN', 'MARA') ORDER BY 1;"])
        XCTAssertTrue(try shell().run(reader: reader, source: .standardInput))
        XCTAssertEqual(output, "deals     miners    prices    quarters\nticker,fy_end_month\nIREN,6\nMARA,12\n")
    }

    func testSchemaAndUnknownCommand() throws {
        let s = try shell()
        XCTAssertTrue(s.runDotCommand(".schema deals"))
        XCTAssertEqual(output, "CREATE TABLE deals(ticker VARCHAR, counterparty VARCHAR, announced DATE, mw DOUBLE, value_usd_bn DOUBLE, years BIGINT, note VARCHAR, source VARCHAR);\n")
        XCTAssertFalse(s.runDotCommand(".frobnicate"))
        XCTAssertEqual(errors, "Error: unknown command or invalid arguments: \"frobnicate\". Enter \".help\" for help\n")
    }

    func testTimerLineShape() throws {
        let reader = ScriptedReader(lines: [".timer on", "SELECT 1;"])
        XCTAssertTrue(try shell().run(reader: reader, source: .standardInput))
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertNotNil(last.range(of: #"^Run Time \(s\): real \d+\.\d{3} user \d+\.\d{3} sys \d+\.\d{3}$"#, options: .regularExpression), last)
    }

    func testQuitStopsReading() throws {
        let reader = ScriptedReader(lines: [".quit", "SELECT 1;"])
        XCTAssertTrue(try shell().run(reader: reader, source: .interactive))
        XCTAssertEqual(reader.prompts.count, 1)
    }
}
