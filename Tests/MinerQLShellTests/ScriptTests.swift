// Saved scripts run from the command line: errors located as FILE:LINE:COL,
// --keep-going, -c/-f order, --echo, .read, parameters bound as typed values,
// the init file, and .output/.once redirecting only results.
import Foundation
import XCTest

final class ScriptTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-scripts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func minerql(_ arguments: [String], stdin: String = "") throws -> BinaryRun {
        try BinaryRun.minerql(arguments, stdin: stdin, directory: directory)
    }

    func testScriptStopsAtFirstErrorAndNamesFileLineColumn() throws {
        let script = try write("report.sql", """
            -- quarterly report
            SELECT count(*) AS n FROM miners;
            SELECT ticker,
                   revnue FROM quarters;
            SELECT 'after' AS later;

            """)
        let run = try minerql(["--csv", "-f", script])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "n\n12\n")
        XCTAssertEqual(run.stderr, """
            \(script):4:8: Binder Error: Referenced column "revnue" not found in FROM clause! Did you mean "revenue_usd_m"?

            LINE 4:        revnue FROM quarters;
                           ^

            """)
        let going = try minerql(["--csv", "--keep-going", script])
        XCTAssertEqual(going.status, 1)
        XCTAssertEqual(going.stdout, "n\n12\nlater\nafter\n")
    }

    func testCommandsAndFilesRunInOrderWithEcho() throws {
        let script = try write("two.sql", "SELECT 2 AS two;\n")
        let run = try minerql(["--csv", "--echo", "-c", "SELECT 1 AS one", "-f", script, "-c", "SELECT 3 AS three"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout, "SELECT 1 AS one\none\n1\nSELECT 2 AS two\ntwo\n2\nSELECT 3 AS three\nthree\n3\n")
    }

    func testReadNamesTheInnerFile() throws {
        let inner = try write("inner.sql", "SELECT 1 AS ok;\nSELECT * FROM nowhere;\n")
        let outer = try write("outer.sql", "SELECT 0 AS start;\n.read \(inner)\nSELECT 'not reached';\n")
        let run = try minerql(["--csv", outer])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "start\n0\nok\n1\n")
        XCTAssertTrue(run.stderr.hasPrefix("\(inner):2:15: Catalog Error: Table with name nowhere does not exist!"), run.stderr)
    }

    func testParametersBindAsTypedValuesAndCannotInject() throws {
        let query = "SELECT count(*) AS n, typeof($since) AS t FROM quarters WHERE ticker = $ticker AND period_end >= $since"
        let run = try minerql(["--csv", "--param", "ticker=IREN", "--param", "since=2025-01-01", "-c", query])
        XCTAssertEqual(run.stdout, "n,t\n3,DATE\n")
        let injected = try minerql(["--csv", "--param", "ticker=x' OR '1'='1", "--param", "since=2000-01-01", "-c", query])
        XCTAssertEqual(injected.stdout, "n,t\n0,DATE\n")
        let dot = try minerql(["--csv"], stdin: ".param set n 2\n.param set who 'MARA'\nSELECT ticker, $n + 1 AS m FROM miners WHERE ticker = $who;\n")
        XCTAssertEqual(dot.stdout, "ticker,m\nMARA,3\n")
        let unset = try minerql(["-c", "SELECT $missing"])
        XCTAssertEqual(unset.status, 1)
        XCTAssertTrue(unset.stderr.hasPrefix("Binder Error: Parameter $missing is not set"), unset.stderr)
    }

    func testOutputRedirectsOnlyResults() throws {
        let script = """
            .output out.csv
            .mode csv
            SELECT ticker FROM miners ORDER BY ticker LIMIT 2;
            .timer on
            SELECT nope;
            SELECT 42 AS t;
            .output
            .timer off
            .once once.md
            .mode markdown
            SELECT 1 AS x;
            SELECT 2 AS y;

            """
        let run = try minerql(["--keep-going"], stdin: script)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(try String(contentsOfFile: directory.appendingPathComponent("out.csv").path, encoding: .utf8), "ticker\nAPLD\nBITF\nt\n42\n")
        XCTAssertEqual(try String(contentsOfFile: directory.appendingPathComponent("once.md").path, encoding: .utf8), "| x |\n|---:|\n| 1 |\n")
        XCTAssertTrue(run.stdout.hasPrefix("Run Time (s): real "), "the timer line goes to the terminal: \(run.stdout)")
        XCTAssertTrue(run.stdout.hasSuffix("| y |\n|---:|\n| 2 |\n"), run.stdout)
        XCTAssertTrue(run.stderr.contains("Binder Error: Referenced column \"nope\""), run.stderr)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testImportCreatesThenAppends() throws {
        let csv = try write("ticks.csv", "symbol;close\nBTC;1.5\nETH;2\n")
        let run = try minerql(["--csv"], stdin: ".import \(csv) ticks\n.import \(csv) ticks\nSELECT count(*) AS n, sum(close) AS s FROM ticks;\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "n,s\n4,7.0\n")
    }

    func testInitFile() throws {
        _ = try write(".minerqlrc", ".mode csv\n")
        let custom = try write("init.sql", ".mode markdown\n.param set who 'IREN'\n")
        // ~/.minerqlrc runs only at the interactive prompt; --init always.
        XCTAssertEqual(try minerql(["-c", "SELECT 1 AS a"]).stdout.hasPrefix("┌"), true)
        XCTAssertEqual(try minerql(["--init", custom, "-c", "SELECT $who AS w"]).stdout, "| w |\n|---|\n| IREN |\n")
        XCTAssertEqual(try minerql(["--init", custom, "--no-init", "--csv", "-c", "SELECT 1 AS a"]).stdout, "a\n1\n")
    }
}
