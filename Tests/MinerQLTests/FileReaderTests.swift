// Reading files a user brings: DuckDB-style CSV sniffing and options, JSON,
// clear errors with line numbers for malformed files (and no table left behind),
// and COPY round trips.
import Foundation
import MinerQL
import XCTest

final class FileReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes a fixture and returns its path.
    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }

    private func rows(_ db: Database, _ sql: String) throws -> [[Value]] {
        try XCTUnwrap(try db.execute(sql).last).rows
    }

    private func assertError(_ db: Database, _ sql: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try db.execute(sql), file: file, line: line) { error in
            XCTAssertEqual((error as? MinerQLError)?.description, message, file: file, line: line)
        }
    }

    func testTheExternalDailyBitcoinFile() throws {
        let path = TestPaths.shared.appendingPathComponent("external-data/daily_bitcoin_prices.csv").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) not found") }
        let db = Database()
        try db.execute("CREATE TABLE daily AS FROM '\(path)'")
        let schema = try XCTUnwrap(db.schema(of: "daily"))
        XCTAssertEqual(schema.count, 13)
        XCTAssertEqual(schema[0].name, "Date")
        XCTAssertEqual(schema[0].type, .date)
        XCTAssertEqual(Set(schema.dropFirst().map(\.type)), [.double])
        XCTAssertTrue(schema.dropFirst().allSatisfy { $0.name.hasPrefix("BTC_") })
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM daily"), [[.bigint(5348)]])
        XCTAssertEqual(try rows(db, "SELECT Date, BTC_USD FROM daily ORDER BY BTC_USD DESC LIMIT 1"),
                       [[.date(DateCodec.parse("2025-10-07")!), .double(124750)]])
    }

    func testSniffsDelimiterHeaderAndTypes() throws {
        let db = Database()
        let semicolon = try file("semi.csv", "day;price;note;ok\n2025-01-01;1,5;\"a;b\";true\n2025-01-02;2;;false\n")
        XCTAssertEqual(try rows(db, "SELECT typeof(day), typeof(price), typeof(note), typeof(ok), note FROM '\(semicolon)' ORDER BY day"), [
            [.varchar("DATE"), .varchar("VARCHAR"), .varchar("VARCHAR"), .varchar("BOOLEAN"), .varchar("a;b")],
            [.varchar("DATE"), .varchar("VARCHAR"), .varchar("VARCHAR"), .varchar("BOOLEAN"), .null],
        ])
        let tabs = try file("tabs.tsv", "a\tb\n1\t2.5\n")
        XCTAssertEqual(try rows(db, "SELECT a + b FROM '\(tabs)'"), [[.double(3.5)]])
        let pipes = try file("pipes.csv", "x|y\n1|2\n3|4\n")
        XCTAssertEqual(try rows(db, "SELECT sum(y) FROM read_csv('\(pipes)')"), [[.bigint(6)]])
        let stamps = try file("stamps.csv", "at,n\n2025-10-07 00:00:00,1\n2025-10-07 12:30:15.25,2\n")
        XCTAssertEqual(try rows(db, "SELECT typeof(at), max(at)::VARCHAR FROM '\(stamps)' GROUP BY 1"),
                       [[.varchar("TIMESTAMP"), .varchar("2025-10-07 12:30:15.25")]])
        let jsonStamps = try file("stamps.json", "[{\"at\": \"2025-10-07T01:00:00\"}]")
        XCTAssertEqual(try rows(db, "SELECT typeof(at), at::VARCHAR FROM '\(jsonStamps)'"), [[.varchar("TIMESTAMP"), .varchar("2025-10-07 01:00:00")]])
        // No header: the first line is data when it fits the column types.
        let headless = try file("headless.csv", "1,2025-01-01\n2,2025-01-02\n")
        XCTAssertEqual(try rows(db, "SELECT column0, column1 FROM '\(headless)' ORDER BY 1 LIMIT 1"),
                       [[.bigint(1), .date(DateCodec.parse("2025-01-01")!)]])
    }

    func testBOMCRLFQuotedNewlinesAndNulls() throws {
        let db = Database()
        let path = try file("messy.csv", [0xEF, 0xBB, 0xBF] + Array("id,text\r\n1,\"two\r\nlines\"\r\n2,\r\n3,\"\"\r\n".utf8))
        XCTAssertEqual(try rows(db, "SELECT id, text, text IS NULL FROM '\(path)' ORDER BY id"), [
            [.bigint(1), .varchar("two\r\nlines"), .boolean(false)],
            [.bigint(2), .null, .boolean(true)],
            [.bigint(3), .varchar(""), .boolean(false)],
        ])
    }

    func testOptionsOverrideSniffing() throws {
        let db = Database()
        let path = try file("opts.csv", "d,code\n31/10/2025,007\n01/11/2025,010\n")
        XCTAssertEqual(try rows(db, """
            SELECT d, code FROM read_csv('\(path)', dateformat = '%d/%m/%Y', types = {'code': 'VARCHAR'}) ORDER BY d
            """), [[.date(DateCodec.parse("2025-10-31")!), .varchar("007")], [.date(DateCodec.parse("2025-11-01")!), .varchar("010")]])
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM read_csv('\(path)', header = false)"), [[.bigint(3)]])
        XCTAssertEqual(try rows(db, "SELECT b FROM read_csv('\(path)', columns = {'a': 'VARCHAR', 'b': 'VARCHAR'}, header = true) LIMIT 1"),
                       [[.varchar("007")]])
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM read_csv('\(path)', delim = ';')"), [[.bigint(2)]])
        assertError(db, "SELECT * FROM read_csv('\(path)', nonsense = 1)", "Binder Error: Invalid named parameter \"nonsense\" for read_csv")
        // Options are honoured or refused, never accepted and ignored.
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM read_csv('\(path)', quote = '\"', escape = '\"', format = 'csv', auto_detect = true)"),
                       [[.bigint(2)]])
        assertError(db, "SELECT * FROM read_csv('\(path)', quote = '|')", "Not implemented Error: read_csv reads only '\"' as the quote character, not '|'")
        assertError(db, "SELECT * FROM read_csv('\(path)', auto_detect = false)",
                    "Binder Error: read_csv with auto_detect = false needs columns = {'name': 'TYPE', …}")
        assertError(db, "SELECT * FROM read_csv('\(path)', delim = chr(10))", "Binder Error: The delimiter option cannot be a newline or the quote character")
    }

    func testMalformedCSVFilesNameTheLineAndLeaveNothingBehind() throws {
        let db = Database()
        let ragged = try file("ragged.csv", "a,b\n1,2\n3,4,5\n")
        assertError(db, "CREATE TABLE t AS FROM '\(ragged)'", "IO Error: ragged.csv:3: expected 2 fields, found 3")
        let unterminated = try file("open.csv", "a,b\n1,\"never closed\n2,3\n")
        assertError(db, "CREATE TABLE t AS FROM '\(unterminated)'", "IO Error: open.csv:2: unterminated quoted field")
        let invalid = try file("bytes.csv", Array("a\nok\n".utf8) + [0xFF, 0xFE, 10])
        assertError(db, "CREATE TABLE t AS FROM '\(invalid)'", "IO Error: bytes.csv:3: invalid UTF-8")
        let trailing = try file("trailing.csv", "a,b\n\"x\"y,1\n")
        assertError(db, "CREATE TABLE t AS FROM '\(trailing)'", "IO Error: trailing.csv:2: unexpected text after a closing quote")
        let breaking = try file("late.csv", "n\n1\n2\nthree\n")
        assertError(db, "CREATE TABLE t AS SELECT * FROM read_csv('\(breaking)', sample_size = 1)",
                    "Conversion Error: late.csv:4: could not convert \"three\" to BIGINT in column \"n\"")
        assertError(db, "SELECT * FROM '\(directory.path)/missing.csv'", "IO Error: No files found that match the pattern \"\(directory.path)/missing.csv\"")
        XCTAssertEqual(db.tableNames, [])
        try db.execute("CREATE TABLE t AS SELECT * FROM read_csv('\(ragged)', ignore_errors = true)")
        XCTAssertEqual(db.notices, ["\(ragged): skipped 1 row that did not fit (ignore_errors)"])
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM t"), [[.bigint(1)]])
    }

    /// Files from the internet at their worst: a binary file, NUL bytes,
    /// 100,000 columns, a 10 MB field. Each gives a table or an error with
    /// its line, never a crash or a hang.
    func testHostileFilesGiveATableOrAnError() throws {
        let db = Database()
        let binary = try file("image.csv", (0..<4096).map { UInt8(truncatingIfNeeded: 0x80 + $0 * 7) })
        assertError(db, "SELECT * FROM '\(binary)'", "IO Error: image.csv:1: invalid UTF-8")
        let nul = try file("nul.csv", Array("a,b\n1,x".utf8) + [0] + Array("y\n".utf8))
        XCTAssertEqual(try rows(db, "SELECT b FROM '\(nul)'"), [[.varchar("x\u{0}y")]])
        let columns = 100_000
        let wide = try file("wide.csv", (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
                                          + (0..<columns).map(String.init).joined(separator: ",") + "\n")
        try db.execute("CREATE TABLE wide AS FROM '\(wide)'")
        XCTAssertEqual(db.schema(of: "wide")?.count, columns)
        XCTAssertEqual(try rows(db, "SELECT c0, c99999 FROM wide"), [[.bigint(0), .bigint(99_999)]])
        let long = try file("long.csv", "a,b\n1," + String(repeating: "x", count: 10_000_000) + "\n2,y\n")
        XCTAssertEqual(try rows(db, "SELECT a, length(b) FROM '\(long)'"), [[.bigint(1), .bigint(10_000_000)], [.bigint(2), .bigint(1)]])
    }

    /// The same for JSON, plus nesting 100,000 deep and a truncated file.
    func testHostileJSONFilesGiveATableOrAnError() throws {
        let db = Database()
        let binary = try file("image.json", (0..<4096).map { UInt8(truncatingIfNeeded: 0x80 + $0 * 7) })
        assertError(db, "SELECT * FROM '\(binary)'", "IO Error: image.json:1: unexpected byte 0x80")
        let invalid = try file("invalid.json", Array("[{\"a\": \"x".utf8) + [0xFF, 0xFE] + Array("y\"}]".utf8))
        assertError(db, "SELECT * FROM '\(invalid)'", "IO Error: invalid.json:1: invalid UTF-8")
        let nul = try file("nul.jsonl", Array("{\"a\": 1}\n".utf8) + [0] + Array("\n".utf8))
        assertError(db, "SELECT * FROM '\(nul)'", "IO Error: nul.jsonl:2: unexpected byte 0x00")
        let escapedNul = try file("escaped.json", "[{\"a\": \"x\\u0000y\"}]")
        XCTAssertEqual(try rows(db, "SELECT a FROM '\(escapedNul)'"), [[.varchar("x\u{0}y")]])
        let depth = 100_000
        let deep = try file("deep.json", "[{\"a\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}]")
        assertError(db, "SELECT * FROM '\(deep)'", "IO Error: deep.json:1: nesting too deep")
        let truncated = try file("truncated.json", "[{\"a\": 1}, {\"a\": ")
        assertError(db, "SELECT * FROM '\(truncated)'", "IO Error: truncated.json:1: unexpected end of input")
        let columns = 100_000
        let wide = try file("wide.json", "[{" + (0..<columns).map { "\"c\($0)\": \($0)" }.joined(separator: ",") + "}]")
        try db.execute("CREATE TABLE wide AS FROM '\(wide)'")
        XCTAssertEqual(db.schema(of: "wide")?.count, columns)
        XCTAssertEqual(try rows(db, "SELECT c0, c99999 FROM wide"), [[.bigint(0), .bigint(99_999)]])
        let long = try file("long.json", "[{\"a\": 1, \"b\": \"" + String(repeating: "x", count: 10_000_000) + "\"}, {\"a\": 2, \"b\": \"y\"}]")
        XCTAssertEqual(try rows(db, "SELECT a, length(b) FROM '\(long)'"), [[.bigint(1), .bigint(10_000_000)], [.bigint(2), .bigint(1)]])
    }

    /// Files over a megabyte without quotes are parsed in parts on all cores:
    /// the rows stay in order and errors name the right line.
    func testLargeFilesReadInPartsKeepOrderAndLines() throws {
        let rows = 200_000
        var text = "id,day,price,name\n"
        for i in 0..<rows { text += "\(i),2025-01-\(10 + i % 20),\(Double(i) / 4),n\(i % 7)\n" }
        let db = Database()
        let path = try file("big.csv", text)
        try db.execute("CREATE TABLE big AS FROM '\(path)'")
        XCTAssertEqual(try self.rows(db, "SELECT count(*), sum(id), min(day), max(price), count(DISTINCT name) FROM big"),
                       [[.bigint(Int64(rows)), .bigint(Int64(rows) * Int64(rows - 1) / 2), .date(Int32(DateCodec.days(year: 2025, month: 1, day: 10))),
                         .double(Double(rows - 1) / 4), .bigint(7)]])
        // Row order survives the split: ids are consecutive.
        XCTAssertEqual(try self.rows(db, "SELECT count(*) FROM (SELECT id - lag(id) OVER () AS step FROM big) s WHERE step <> 1"), [[.bigint(0)]])
        let broken = try file("broken.csv", text + "oops,2025-01-01,1.0,x\n")
        assertError(db, "CREATE TABLE t AS SELECT * FROM read_csv('\(broken)', types = {'id': 'BIGINT'})",
                    "Conversion Error: broken.csv:\(rows + 2): could not convert \"oops\" to BIGINT in column \"id\"")
    }

    func testJSONArraysAndLines() throws {
        let db = Database()
        let array = try file("deals.json", """
            [{"ticker": "IREN", "mw": 200, "value": 9.7, "announced": "2025-11-03", "tags": ["ai"], "ok": true},
             {"ticker": "CIFR", "mw": 168, "value": 3, "announced": null, "extra": "é\\n"}]
            """)
        XCTAssertEqual(try rows(db, "SELECT typeof(ticker), typeof(mw), typeof(value), typeof(announced), typeof(tags), typeof(ok) FROM '\(array)' LIMIT 1"),
                       [["VARCHAR", "BIGINT", "DOUBLE", "DATE", "VARCHAR", "BOOLEAN"].map(Value.varchar)])
        XCTAssertEqual(try rows(db, "SELECT tags, extra, value FROM read_json('\(array)') ORDER BY ticker"),
                       [[.null, .varchar("é\n"), .double(3)], [.varchar("[\"ai\"]"), .null, .double(9.7)]])
        let lines = try file("rows.jsonl", "{\"a\": 1}\n{\"a\": 2, \"b\": \"x\"}\n")
        XCTAssertEqual(try rows(db, "SELECT sum(a), count(b) FROM '\(lines)'"), [[.bigint(3), .bigint(1)]])
        let broken = try file("broken.json", "[{\"a\": 1},\n {\"a\": }]")
        assertError(db, "CREATE TABLE j AS FROM '\(broken)'", "IO Error: broken.json:2: unexpected character '}'")
        XCTAssertEqual(db.tableNames, [])
    }

    func testCopyRoundTrips() throws {
        let db = try SQLLogicTests.builtinDatabase()
        for ext in ["csv", "json", "jsonl"] {
            let path = directory.appendingPathComponent("quarters.\(ext)").path
            try db.execute("COPY quarters TO '\(path)'")
            try db.execute("CREATE OR REPLACE TABLE back AS FROM '\(path)'")
            XCTAssertEqual(db.schema(of: "back"), db.schema(of: "quarters"), ext)
            XCTAssertEqual(try rows(db, "FROM back ORDER BY ticker, period_end"), try rows(db, "FROM quarters ORDER BY ticker, period_end"), ext)
        }
        let path = directory.appendingPathComponent("top.csv").path
        try db.execute("COPY (SELECT ticker, revenue_usd_m FROM quarters ORDER BY revenue_usd_m DESC LIMIT 2) TO '\(path)' (HEADER false, DELIMITER '|')")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "MARA|252.4\nIREN|240.3\n")
        try db.execute("CREATE TABLE top (ticker VARCHAR, revenue DOUBLE)")
        try db.execute("COPY top FROM '\(path)' (HEADER false)")
        XCTAssertEqual(try rows(db, "SELECT count(*), max(revenue) FROM top"), [[.bigint(2), .double(252.4)]])
        XCTAssertThrowsError(try db.execute("COPY miners TO '\(directory.path)/no/such/dir/m.csv'"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory.path)/no/such/dir/m.csv"))
    }
}
