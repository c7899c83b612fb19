// The comforts of the REPL as a person meets them in a pseudo-terminal (50 rows
// × 200 columns): Tab in each context, pasted text with tabs, elision and
// `.last`, which pager runs when, and colour or its absence.
import Foundation
import XCTest

final class ComfortReplTests: XCTestCase {
    private var directory = ""
    private var historyPath: String { directory + "/history" }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-comfort-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Sends keys and waits for `expected` to appear after them.
    private func type(_ keys: String, expect expected: String, in session: TerminalSession,
                      file: StaticString = #filePath, line: UInt = #line) {
        let mark = session.screen.count
        session.send(keys)
        session.waitFor(expected, after: mark, file: file, line: line)
    }

    func testTabCompletesTablesColumnsFilesAndDotCommands() throws {
        try "ticker,mw\nIREN,50\n".write(toFile: directory + "/site_capacity.csv", atomically: true, encoding: .utf8)
        let session = try TerminalSession(historyPath: historyPath, arguments: "--no-color")
        session.waitFor("minerql> ")
        // A table after FROM; a qualified column after `alias.`; a column in a pipe's WHERE.
        type("SELECT count(*) AS n FROM quar\t", expect: "FROM quarters ", in: session)
        type("q WHERE q.fis\t", expect: "q.fiscal_label ", in: session)
        type("= 'Q3 2025' |> WHERE n > 0 |> SELECT n * 1 AS nn;\r", expect: "│     7 │", in: session)
        type("FROM miners |> WHERE hq_co\t", expect: "hq_country ", in: session)
        type("= 'Canada' |> AGGREGATE count(*) AS canadian;\r", expect: "│        1 │", in: session)
        // A function in SELECT; columns after ON, GROUP BY and ORDER BY.
        type("SELECT upp\t", expect: "SELECT upper(", in: session)
        type("name) AS n FROM miners m JOIN quarters q ON q.tic\t", expect: "ON q.ticker ", in: session)
        type("= m.ticker GROUP BY m.na\t", expect: "GROUP BY m.name ", in: session)
        type("ORDER BY n, count(q.per\t", expect: "count(q.period_end ", in: session)
        type(") LIMIT 1;\r", expect: "│ APPLIED DIGITAL CORPORATION │", in: session)
        // A file path inside quotes, closed by the completion.
        type("SELECT sum(mw) AS total FROM '\(directory)/site_c\t", expect: "site_capacity.csv'", in: session)
        type(";\r", expect: "│    50 │", in: session)
        // Dot commands and their arguments; several candidates listed in columns.
        type(".max\t", expect: ".maxrows   .maxwidth", in: session)
        type("\u{3}", expect: "minerql> ", in: session)
        type(".mo\t", expect: ".mode ", in: session)
        type("mark\t", expect: "markdown ", in: session)
        type("\rSELECT 1 AS x;\r", expect: "| x |", in: session)
        type(".schema de\t", expect: ".schema deals ", in: session)
        type("\r", expect: "CREATE TABLE deals(", in: session)
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
    }

    func testPastedTabsAreNotCompletions() throws {
        let session = try TerminalSession(historyPath: historyPath, arguments: "--no-color")
        session.waitFor("minerql> ")
        // One write, as a terminal delivers a paste: the tabs stay whitespace.
        type("SELECT\tcount(*)\tAS\tn\tFROM\tquar\tters;\r", expect: "Catalog Error: Table with name quar does not exist!", in: session)
        type("SELECT\t42\tAS\tanswer;\r", expect: "│     42 │", in: session)
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
        XCTAssertEqual(try String(contentsOfFile: historyPath, encoding: .utf8),
                       "SELECT\tcount(*)\tAS\tn\tFROM\tquar\tters;\nSELECT\t42\tAS\tanswer;\n")
    }

    func testLongResultsAreElidedAndLastShowsThemWhole() throws {
        let session = try TerminalSession(historyPath: historyPath, arguments: "--no-color")
        session.waitFor("minerql> ")
        type(".pager off\rSELECT range AS i, range * 1000 AS big FROM range(1695);\r", expect: "1,695 rows (40 shown)  2 columns", in: session)
        XCTAssertFalse(session.screen.contains("│  100 │"))
        type(".numbers on\r.last\r", expect: "│ 1,694 │ 1,694,000 │", in: session)
        XCTAssertTrue(session.screen.contains("│   100 │   100,000 │"))
        type(".maxrows 4\rSELECT * FROM range(7);\r", expect: "7 rows (4 shown)  1 column", in: session)
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
    }

    func testThePagerIsMinerqlPagerThenPagerAndAutoPagesOnlyTallOutput() throws {
        let paged = directory + "/paged.txt", wrong = directory + "/wrong.txt"
        let session = try TerminalSession(historyPath: historyPath, arguments: "--no-color",
                                          environment: ["MINERQL_PAGER": "cat >> \(paged)", "PAGER": "cat >> \(wrong)"])
        session.waitFor("minerql> ")
        // auto (the REPL's default): 47 lines fit in 50 rows, 105 do not.
        type("SELECT * FROM range(100);\r", expect: "100 rows (40 shown)", in: session)
        XCTAssertFalse(FileManager.default.fileExists(atPath: paged))
        type(".last\rSELECT 'after' AS marker;\r", expect: "│ after   │", in: session)
        var text = try String(contentsOfFile: paged, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 105)
        XCTAssertTrue(text.contains("│    99 │"))
        XCTAssertFalse(session.screen.contains("│    77 │"), "the whole result went to the pager")
        type(".pager on\rSELECT 7 AS seven;\r.pager off\rSELECT 8 AS eight;\r", expect: "│     8 │", in: session)
        text = try String(contentsOfFile: paged, encoding: .utf8)
        XCTAssertTrue(text.contains("│     7 │"))
        XCTAssertFalse(text.contains("eight"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: wrong))
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
    }

    func testColourAtATerminalUnlessNoColorOrNoColorFlag() throws {
        let keys = "SELECT 1.5 AS d, NULL AS n;\rSELECT nope;\r"
        let coloured = try TerminalSession(historyPath: historyPath, environment: ["NO_COLOR": nil])
        coloured.waitFor("minerql> ")
        type(keys, expect: "Referenced column \"nope\" not found", in: coloured)
        let raw = coloured.rawScreen
        XCTAssertTrue(raw.contains("\u{1B}[1;32mminerql>"), "prompt")
        XCTAssertTrue(raw.contains("\u{1B}[1md\u{1B}[0m"), "header")
        XCTAssertTrue(raw.contains("\u{1B}[36m1.5\u{1B}[0m"), "number")
        XCTAssertTrue(raw.contains("\u{1B}[2mNULL\u{1B}[0m"), "NULL dimmed")
        XCTAssertTrue(raw.contains("\u{1B}[1;31mBinder Error"), "error in red")
        coloured.send("\u{4}")
        XCTAssertEqual(coloured.waitForExit(), 0)

        for (arguments, environment) in [("", ["NO_COLOR": "1"]), ("--no-color", ["NO_COLOR": nil])] as [(String, [String: String?])] {
            let plain = try TerminalSession(historyPath: historyPath, arguments: arguments, environment: environment)
            plain.waitFor("minerql> ")
            type(keys, expect: "Referenced column \"nope\" not found", in: plain)
            XCTAssertFalse(plain.rawScreen.contains("m1.5"), arguments)
            XCTAssertFalse(plain.rawScreen.contains("\u{1B}[1;"), arguments)
            plain.send("\u{4}")
            XCTAssertEqual(plain.waitForExit(), 0)
        }
    }
}
