// The minerql binary used from scripts: -c, --format csv, --data, statements
// piped to stdin, and exit statuses.
import Foundation
import XCTest

final class CommandLineTests: XCTestCase {
    private func minerql(_ arguments: [String], stdin: String = "") throws -> BinaryRun {
        try BinaryRun.minerql(arguments, stdin: stdin)
    }

    func testCommandWithCSVFormat() throws {
        let run = try minerql(["--format", "csv", "-c", "SELECT ticker, name, fy_end_month, hq_city FROM miners WHERE ticker IN ('MARA', 'HIVE') ORDER BY ticker"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout, "ticker,name,fy_end_month,hq_city\nHIVE,HIVE Digital Technologies Ltd.,3,\nMARA,\"MARA Holdings, Inc.\",12,Fort Lauderdale\n")
    }

    func testVersion() throws {
        let run = try minerql(["--version"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.hasPrefix("minerql "), run.stdout)
    }

    func testFailingCommandExitsOneWithErrorOnStderr() throws {
        let run = try minerql(["-c", "SELECT revnue FROM quarters"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr, """
            Binder Error: Referenced column "revnue" not found in FROM clause! Did you mean "revenue_usd_m"?

            LINE 1: SELECT revnue FROM quarters
                           ^

            """)
    }

    func testPipedScriptRunsInOrderAndStopsAtFirstError() throws {
        let ok = try minerql(["--format", "csv"], stdin: "CREATE TABLE t AS SELECT 1 AS x;\nINSERT INTO t VALUES (2);\nSELECT sum(x) AS s\n  FROM t;\n")
        XCTAssertEqual(ok.status, 0)
        XCTAssertEqual(ok.stdout, "s\n3\n")
        let failing = try minerql(["--format", "csv"], stdin: "SELECT 1 AS a;\nSELECT nope;\nSELECT 2 AS b;\n")
        XCTAssertEqual(failing.status, 1)
        XCTAssertEqual(failing.stdout, "a\n1\n")
        XCTAssertTrue(failing.stderr.hasPrefix("<stdin>:2:8: Binder Error: Referenced column \"nope\" not found in FROM clause!"), failing.stderr)
    }

    func testDataDirectoryReplacesBuiltins() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "symbol,close,day\nBTC,1.5,2025-01-01\nETH,,2025-01-02\n".write(to: directory.appendingPathComponent("ticks.csv"), atomically: true, encoding: .utf8)
        let run = try minerql(["--data", directory.path, "--format", "csv", "-c", "SELECT typeof(close), typeof(day), count(*) FROM ticks GROUP BY 1, 2"])
        XCTAssertEqual(run.stdout, "typeof(close),typeof(day),count_star()\nDOUBLE,DATE,2\n")
        let builtins = try minerql(["--data", directory.path, "-c", "SELECT * FROM miners"])
        XCTAssertEqual(builtins.status, 1)
        XCTAssertTrue(builtins.stderr.hasPrefix("Catalog Error: Table with name miners does not exist!"), builtins.stderr)
    }

    func testBuiltinsAreEmbeddedInTheBinary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("minerql")
        try FileManager.default.copyItem(at: TerminalSession.binary, to: copy)
        let run = try BinaryRun.minerql(["--format", "csv", "-c", "SELECT count(*) AS n FROM prices"], directory: directory, executable: copy)
        let text = run.stdout
        XCTAssertEqual(text, "n\n55\n")
    }
}
