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

    func testBoxElidesLongResults() throws {
        let rows = (1...7).map { "(\($0))" }.joined(separator: ", ")
        let text = GridRenderer(style: .box, settings: { var s = RenderSettings(); s.maxRows = 4; return s }()).render(try result("SELECT col0 AS x FROM (VALUES \(rows))"))
        XCTAssertEqual(text, """
            ┌──────────────────┐
            │        x         │
            │      int64       │
            ├──────────────────┤
            │                1 │
            │                2 │
            │        ·         │
            │        ·         │
            │        ·         │
            │                6 │
            │                7 │
            ├──────────────────┤
            │ 7 rows (4 shown) │
            └──────────────────┘

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
