// Results are written as the engine produces them: the export formats chunk
// by chunk (the text is the same as written whole), the box from its first
// and last rows with the full count; a result longer than the shell keeps is
// not kept for .last, which says so; the modes that show every row show every
// row, however long the result.
import MinerQL
@testable import MinerQLShell
import XCTest

final class StreamingTests: ShellTestCase {
    func testExportFormatsStreamTheSameText() throws {
        for format in [OutputFormat.csv, .tsv, .json, .jsonl, .markdown] {
            let shell = try shell()
            shell.format = format
            XCTAssertTrue(shell.runSQL("SELECT i, 'r' || i AS s FROM range(5000) t(i)"), errors)
            let streamed = output
            let whole = try XCTUnwrap(try shell.database.execute("SELECT i, 'r' || i AS s FROM range(5000) t(i)").last)
            XCTAssertEqual(streamed, format.writer(RenderSettings()).write(whole), "\(format)")
            output = ""
            XCTAssertTrue(shell.runSQL("SELECT 1 AS x WHERE false"), errors)
            XCTAssertEqual(output, format.writer(RenderSettings()).write(QueryResult(names: ["x"], types: [.bigint], chunks: [])))
        }
    }

    func testALongResultIsShownFromItsEndsAndNotKept() throws {
        let shell = try shell()
        let rows = shell.lastResultRows + 5
        XCTAssertTrue(shell.runSQL("SELECT i FROM range(\(rows)) t(i)"), errors)
        let lines = output.split(separator: "\n")
        XCTAssertEqual(lines.last.map(String.init), "  \(DigitGrouping.grouped(rows)) rows (40 shown)  1 column")
        // The rows drawn: the first 20 and the last 20.
        let cells = lines.filter { $0.hasPrefix("│") && !$0.contains("int") && $0.contains(where: \.isNumber) }.compactMap { Int($0.filter(\.isNumber)) }
        XCTAssertEqual(cells, Array(0..<20) + Array((rows - 20)..<rows))
        XCTAssertFalse(shell.runDotCommand(".last"))
        XCTAssertTrue(errors.contains("the last result (\(DigitGrouping.grouped(rows)) rows) was too long to keep"), errors)
        errors = ""
        XCTAssertTrue(shell.runSQL("SELECT 42 AS answer"))
        output = ""
        XCTAssertTrue(shell.runDotCommand(".last"), errors)
        XCTAssertTrue(output.contains("42"), output)
    }

    func testModesThatShowEveryRowKeepEveryRow() throws {
        let shell = try shell()
        shell.lastResultRows = 100
        for mode in [".mode table", ".mode line", ".maxrows 0"] {
            XCTAssertTrue(shell.runDotCommand(mode), errors)
            output = ""
            XCTAssertTrue(shell.runSQL("SELECT i FROM range(1000) t(i)"), errors)
            let numbers = output.split(separator: "\n").compactMap { Int($0.filter(\.isNumber)) }
            XCTAssertEqual(numbers.suffix(1000), ArraySlice(0..<1000), mode)
        }
        // At the terminal an export format is collected for the pager: all of it.
        shell.terminalSize = { TerminalSize(columns: 80, rows: 24) }
        XCTAssertTrue(shell.runDotCommand(".mode csv"), errors)
        output = ""
        XCTAssertTrue(shell.runSQL("SELECT i FROM range(1000) t(i)"), errors)
        XCTAssertEqual(output, "i\n" + (0..<1000).map { "\($0)\n" }.joined())
    }
}
