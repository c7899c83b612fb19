// Golden output of the renderers.
import MinerQL
@testable import MinerQLShell
import XCTest

final class RendererTests: XCTestCase {
    private func result(_ sql: String) throws -> QueryResult {
        try XCTUnwrap(try Database().execute(sql).last)
    }

    func testBoxAlignsNumbersRightAndShowsNull() throws {
        let text = GridRenderer(style: .box, settings: RenderSettings()).render(try result("SELECT 'a' AS s, 1.5 AS d, NULL::BIGINT AS n"))
        XCTAssertEqual(text, """
            ┌─────────┬────────┬───────┐
            │    s    │   d    │   n   │
            │ varchar │ double │ int64 │
            ├─────────┼────────┼───────┤
            │ a       │    1.5 │  NULL │
            └─────────┴────────┴───────┘

            """)
    }

    /// Escape sequences and control characters in data reach the terminal
    /// only as visible text, in every display format.
    func testControlCharactersAreShownEscaped() throws {
        let sql = "SELECT 'red\u{1B}[31m!' AS \"bell\u{07}\", 'two\nlines\tand\r\u{7F}\u{9B}' AS s"
        let box = GridRenderer(style: .box, settings: RenderSettings()).render(try result(sql))
        XCTAssertEqual(box, """
            ┌──────────────┬───────────────────────────┐
            │   bell\\x07   │             s             │
            │   varchar    │          varchar          │
            ├──────────────┼───────────────────────────┤
            │ red\\x1B[31m! │ two\\nlines\\tand\\r\\x7F\\x9B │
            └──────────────┴───────────────────────────┘

            """)
        let ascii = GridRenderer(style: .ascii, settings: RenderSettings()).render(try result(sql))
        let line = LineRenderer(settings: RenderSettings()).render(try result(sql))
        for text in [box, ascii, line] {
            XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) }, text)
        }
        XCTAssertEqual(line, "bell\\x07 = red\\x1B[31m!\n       s = two\\nlines\\tand\\r\\x7F\\x9B\n")
    }

    func testBoxElidesLongResults() throws {
        let rows = (1...7).map { "(\($0))" }.joined(separator: ", ")
        let text = GridRenderer(style: .box, settings: { var s = RenderSettings(); s.maxRows = 4; return s }()).render(try result("SELECT col0 AS x FROM (VALUES \(rows))"))
        XCTAssertEqual(text, """
            ┌───────┐
            │   x   │
            │ int64 │
            ├───────┤
            │     1 │
            │     2 │
            │   ·   │
            │   ·   │
            │   ·   │
            │     6 │
            │     7 │
            └───────┘
              7 rows (4 shown)  1 column

            """)
    }

    func testProgressBarLine() {
        XCTAssertEqual(ProgressBar.line(fraction: 0.42, width: 10), "[===>      ]  42%")
        XCTAssertEqual(ProgressBar.line(fraction: 0, width: 4), "[    ]   0%")
        XCTAssertEqual(ProgressBar.line(fraction: 1, width: 4), "[===>] 100%")
    }

    func testCSVQuotesAndNulls() throws {
        let text = ResultWriter(format: .csv).render(try result("SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z, true AS t, DATE '2025-10-31' AS d, 0.1 + 0.2 AS f"))
        XCTAssertEqual(text, "x,y,z,t,d,f\n\"a,b\",\"say \"\"hi\"\"\",,true,2025-10-31,0.30000000000000004\n")
    }
}
