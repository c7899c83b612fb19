// Results that stay readable: the footer of an elided result, columns fitted
// to a width, thousands separators, `.last`, and colour that never changes the
// layout.
import MinerQL
@testable import MinerQLShell
import XCTest

final class DisplayTests: XCTestCase {
    private func result(_ sql: String) throws -> QueryResult {
        try XCTUnwrap(try Database().execute(sql).last)
    }

    private func box(_ sql: String, _ configure: (inout RenderSettings) -> Void = { _ in }) throws -> String {
        var settings = RenderSettings()
        configure(&settings)
        return GridRenderer(style: .box, settings: settings).render(try result(sql))
    }

    func testFooterCountsRowsAndColumnsWithSeparators() throws {
        let text = try box("SELECT range AS i, range * 2 AS j, 'abc' AS s FROM range(1695)")
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 4 + 20 + 3 + 20 + 1 + 1)
        XCTAssertEqual(lines.last, "  1,695 rows (40 shown)  3 columns")
        XCTAssertEqual(lines[4], "│     0 │     0 │ abc     │")
        XCTAssertEqual(lines[lines.count - 3], "│  1694 │  3388 │ abc     │")
        XCTAssertFalse(try box("SELECT 1 AS x").contains("rows"))
        XCTAssertTrue(try box("SELECT * FROM range(0)").contains("│ 0 rows │"))
    }

    func testMaxRowsZeroShowsEveryRow() throws {
        let text = try box("SELECT range AS i FROM range(100)") { $0.maxRows = 0 }
        XCTAssertEqual(text.split(separator: "\n").count, 4 + 100 + 1)
    }

    func testLongValuesAreTruncatedToTheWidth() throws {
        let sql = "SELECT 1 AS id, repeat('x', 60) AS a, repeat('y', 60) AS b"
        let text = try box(sql) { $0.maxWidth = 80 }
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        XCTAssertTrue(text.contains("│ " + String(repeating: "x", count: 31) + "… │"), text)
        // No columns were left out, so no footer.
        XCTAssertFalse(text.contains("columns"), text)
        XCTAssertEqual(try box(sql).split(separator: "\n")[0].count, 1 + 8 + 63 + 63)
        // Numbers are never cut: a column of them is left out instead.
        let numbers = try box("SELECT 1 AS id, 1234567890123456789 AS a, 1234567890123456789 AS b") { $0.maxWidth = 40 }
        XCTAssertTrue(numbers.contains("│     1 │ … │ 1234567890123456789 │"), numbers)
        XCTAssertTrue(numbers.hasSuffix("  1 row       3 columns (2 shown)\n"), numbers)
    }

    func testMiddleColumnsAreLeftOutBehindAnEllipsisColumn() throws {
        let columns = (1...30).map { "\($0) AS column_\($0)" }.joined(separator: ", ")
        let text = try box("SELECT \(columns)") { $0.maxWidth = 100 }
        let lines = text.split(separator: "\n")
        for line in lines { XCTAssertLessThanOrEqual(line.count, 100, String(line)) }
        XCTAssertEqual(lines[1], "│ column_1 │ column_2 │ column_3 │ column_4 │ … │ column_27 │ column_28 │ column_29 │ column_30 │")
        XCTAssertEqual(lines[4], "│        1 │        2 │        3 │        4 │ … │        27 │        28 │        29 │        30 │")
        XCTAssertEqual(lines.last, "  1 row                                                                    30 columns (8 shown)")
    }

    func testAWidthTooSmallForAnyColumnShowsTheFirst() throws {
        XCTAssertEqual(try box("SELECT 12345 AS x") { $0.maxWidth = 3 }, """
            ┌───────┐
            │   x   │
            │ int64 │
            ├───────┤
            │ 12345 │
            └───────┘

            """)
        let text = try box("SELECT 'abcdef' AS s, 2 AS n") { $0.maxWidth = 12 }
        XCTAssertTrue(text.hasPrefix("┌──────┬───┐\n│  s   │ … │\n│ var… │ … │\n├──────┼───┤\n│ abc… │ … │\n"), text)
        XCTAssertTrue(text.hasSuffix("  1 row  2 columns (1 shown)\n"), text)
    }

    func testNumbersWithThousandsSeparators() throws {
        XCTAssertEqual(DigitGrouping.grouped("1695"), "1,695")
        XCTAssertEqual(DigitGrouping.grouped("-1234567.25"), "-1,234,567.25")
        XCTAssertEqual(DigitGrouping.grouped("999"), "999")
        XCTAssertEqual(DigitGrouping.grouped("1.5e+20"), "1.5e+20")
        XCTAssertEqual(DigitGrouping.grouped("inf"), "inf")
        XCTAssertEqual(DigitGrouping.grouped("12345abc"), "12345abc")
        let text = try box("SELECT 1234567 AS n, 115732.5 AS d, '1234567' AS s") { $0.groupDigits = true }
        XCTAssertTrue(text.contains("│ 1,234,567 │ 115,732.5 │ 1234567 │"), text)
    }

    func testColourWrapsTextWithoutMovingIt() throws {
        let sql = "SELECT 'a' AS s, 1.5 AS d, NULL::BIGINT AS n FROM range(3)"
        let plain = try box(sql)
        let coloured = try box(sql) { $0.palette = .ansi }
        XCTAssertNotEqual(plain, coloured)
        XCTAssertTrue(coloured.contains("\u{1B}[1m"), "bold headers")
        XCTAssertTrue(coloured.contains("\u{1B}[2mNULL\u{1B}[0m"), "dimmed NULL")
        XCTAssertTrue(coloured.contains("\u{1B}[36m1.5\u{1B}[0m"), "coloured numbers")
        XCTAssertEqual(TerminalSession.stripEscapes(coloured), plain)
    }

    func testNoColorAndNonTerminalsArePlain() {
        XCTAssertFalse(Palette.forStream(1, noColorFlag: false, environment: ["NO_COLOR": "1"]).enabled)
        XCTAssertFalse(Palette.forStream(1, noColorFlag: true, environment: [:]).enabled)
        // A pipe is never coloured.
        var pipe: [Int32] = [0, 0]
        XCTAssertEqual(Glibc.pipe(&pipe), 0)
        defer { close(pipe[0]); close(pipe[1]) }
        XCTAssertFalse(Palette.forStream(pipe[1], noColorFlag: false, environment: [:]).enabled)
        XCTAssertEqual(Palette.plain.paint("x", .error), "x")
        XCTAssertEqual(Palette.ansi.paint("x", .error), "\u{1B}[1;31mx\u{1B}[0m")
    }

    func testLastShowsTheWholePreviousResult() throws {
        var output = ""
        let shell = Shell(database: try Session.database(.builtin), output: { output += $0 })
        shell.terminalSize = { TerminalSize(columns: 60, rows: 1000) }
        XCTAssertTrue(shell.runSQL("SELECT date, close, close * 2 AS a, close * 3 AS b, close * 4 AS c FROM prices ORDER BY date"))
        XCTAssertTrue(output.hasPrefix("┌────────────┬──────────┬───┬───────────┐\n│    date    │  close   │ … │     c     │\n"), output)
        XCTAssertTrue(output.hasSuffix("  55 rows (40 shown)  5 columns (3 shown)\n"), output)
        output = ""
        XCTAssertTrue(shell.runDotCommand(".last"))
        XCTAssertEqual(output.split(separator: "\n").count, 4 + 55 + 1)
        XCTAssertTrue(output.contains("│ 2024-12-31 │  93395.0 │  186790.0 │           280185.0 │  373580.0 │"), output)
        output = ""
        XCTAssertTrue(shell.runDotCommand(".mode csv"))
        XCTAssertTrue(shell.runDotCommand(".last"))
        XCTAssertTrue(output.hasPrefix("date,close,a,b,c\n2022-01-31,38446.79,"), output)
        XCTAssertEqual(output.split(separator: "\n").count, 56)
    }

    func testPagerSelection() {
        XCTAssertEqual(Pager.command(environment: ["MINERQL_PAGER": "most", "PAGER": "more"]), "most")
        XCTAssertEqual(Pager.command(environment: ["MINERQL_PAGER": " ", "PAGER": "more"]), "more")
        XCTAssertEqual(Pager.command(environment: [:]), "less -SRFX")
        let size = TerminalSize(columns: 20, rows: 5)
        // Four lines and the prompt fill five rows.
        XCTAssertFalse(Pager.shouldPage("a\n\nc\nd\n", mode: .auto, terminal: size))
        XCTAssertTrue(Pager.shouldPage("a\n\nc\nd\ne\n", mode: .auto, terminal: size))
        XCTAssertTrue(Pager.shouldPage(String(repeating: "x", count: 21) + "\n", mode: .auto, terminal: size))
        XCTAssertFalse(Pager.shouldPage("\u{1B}[1m" + String(repeating: "x", count: 20) + "\u{1B}[0m\n", mode: .auto, terminal: size))
        XCTAssertTrue(Pager.shouldPage("a\n", mode: .on, terminal: size))
        XCTAssertFalse(Pager.shouldPage(String(repeating: "a\n", count: 100), mode: .off, terminal: size))
        XCTAssertFalse(Pager.shouldPage("a\n", mode: .on, terminal: nil), "never without a terminal")
    }
}
