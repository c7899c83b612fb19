// Every output format on awkward data: NULLs, commas, quotes, line breaks,
// tabs, Unicode, long values, and an empty result.
import Foundation
import MinerQL
@testable import MinerQLShell
import XCTest

final class FormatTests: XCTestCase {
    private static let awkward = """
        SELECT * FROM (VALUES
          (1, 'plain', 1.5, DATE '2025-10-31'),
          (2, 'comma, "quote"', NULL, NULL),
          (3, 'line
        break	tab', -0.25, DATE '2026-02-06'),
          (4, 'ünïcødé ₿ 日本', 1e300, NULL)
        ) t(id, text, x, d) ORDER BY id
        """

    private func render(_ format: OutputFormat, _ sql: String = FormatTests.awkward, settings: RenderSettings = RenderSettings()) throws -> String {
        let result = try XCTUnwrap(try Database().execute(sql).last)
        return format.renderer(settings).render(result)
    }

    func testCSVAndTSV() throws {
        XCTAssertEqual(try render(.csv), #"""
            id,text,x,d
            1,plain,1.5,2025-10-31
            2,"comma, ""quote""",,
            3,"line
            break\#ttab",-0.25,2026-02-06
            4,ünïcødé ₿ 日本,1e+300,

            """#)
        XCTAssertEqual(try render(.tsv), #"""
            id\#ttext\#tx\#td
            1\#tplain\#t1.5\#t2025-10-31
            2\#t"comma, ""quote"""\#t\#t
            3\#t"line
            break\#ttab"\#t-0.25\#t2026-02-06
            4\#tünïcødé ₿ 日本\#t1e+300\#t

            """#)
    }

    func testJSONIsValidAndTyped() throws {
        let text = try render(.json)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.count, 4)
        XCTAssertEqual(parsed[1]["text"] as? String, "comma, \"quote\"")
        XCTAssertTrue(parsed[1]["x"] is NSNull)
        XCTAssertEqual(parsed[2]["text"] as? String, "line\nbreak\ttab")
        XCTAssertEqual(parsed[3]["text"] as? String, "ünïcødé ₿ 日本")
        XCTAssertEqual(parsed[0]["d"] as? String, "2025-10-31")
        XCTAssertEqual((parsed[0]["id"] as? NSNumber)?.intValue, 1)
        let lines = try render(.jsonl).split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        for line in lines { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8))) }
        XCTAssertEqual(ResultWriter.jsonString("\u{1}\u{7F}"), "\"\\u0001\\u007f\"")
        XCTAssertEqual(try render(.json, "SELECT 1 AS a WHERE false"), "[]\n")
        XCTAssertEqual(try render(.jsonl, "SELECT 1 AS a WHERE false"), "")
    }

    func testMarkdownLineAndTable() throws {
        XCTAssertEqual(try render(.markdown, "SELECT 'a|b' AS t, NULL AS n, 2 AS k"), "| t | n | k |\n|---|---|---:|\n| a\\|b | NULL | 2 |\n")
        XCTAssertEqual(try render(.line, "SELECT 1 AS id, 'x' AS longer_name"),
                       "         id = 1\nlonger_name = x\n")
        XCTAssertEqual(try render(.table, "SELECT 'ab' AS s, 10 AS n"), "+----+----+\n| s  | n  |\n+----+----+\n| ab | 10 |\n+----+----+\n")
    }

    func testEmptyResultsKeepTheHeader() throws {
        let empty = "SELECT ticker, 1 AS n FROM (VALUES ('x')) t(ticker) WHERE false"
        XCTAssertEqual(try render(.csv, empty), "ticker,n\n")
        XCTAssertEqual(try render(.tsv, empty), "ticker\tn\n")
        XCTAssertEqual(try render(.markdown, empty), "| ticker | n |\n|---|---:|\n")
        XCTAssertEqual(try render(.line, empty), "")
        XCTAssertTrue(try render(.box, empty).contains("0 rows"))
    }

    func testHeadersOffNullValueAndLongValues() throws {
        var settings = RenderSettings()
        settings.headers = false
        settings.nullValue = "∅"
        XCTAssertEqual(try render(.csv, "SELECT NULL AS a, 'x' AS b", settings: settings), "∅,x\n")
        XCTAssertEqual(try render(.table, "SELECT NULL AS a", settings: settings), "+---+\n| ∅ |\n+---+\n")
        let long = String(repeating: "₿", count: 5000)
        XCTAssertEqual(try render(.csv, "SELECT '\(long)' AS v"), "v\n\(long)\n")
        XCTAssertTrue(try render(.box, "SELECT '\(long)' AS v").contains(long))
    }
}
