// --safe runs a script someone else wrote: it reads only the files named on
// the command line (-f, the script, --init, files under --data), writes none
// (COPY … TO, .output, .once), keeps no history, and `..` or a symbolic link
// does not lead out of an allowed directory.
import Foundation
import XCTest

final class SafeModeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-safe-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(to: data.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try "secret\n42\n".write(to: directory.appendingPathComponent("secret.csv"), atomically: true, encoding: .utf8)
        try "SELECT 'script ran' AS s;\n".write(to: directory.appendingPathComponent("ok.sql"), atomically: true, encoding: .utf8)
        try ".read other.sql\n".write(to: directory.appendingPathComponent("reads.sql"), atomically: true, encoding: .utf8)
        try "SELECT 'other ran' AS s;\n".write(to: directory.appendingPathComponent("other.sql"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("link.csv").path,
                                                   withDestinationPath: directory.appendingPathComponent("secret.csv").path)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func safe(_ arguments: [String]) throws -> BinaryRun {
        try BinaryRun.minerql(["--safe", "--csv"] + arguments, directory: directory)
    }

    private func refusedRead(_ path: String) -> String {
        "Permission Error: reading \"\(path)\" is not allowed in --safe mode (only the files given on the command line)"
    }

    func testReadsOnlyWhatTheCommandLineNames() throws {
        let allowed = try safe(["--data", "data", "-c", "SELECT * FROM t", "-c", "SELECT * FROM 'data/t.csv'", "-f", "ok.sql"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertEqual(allowed.stdout, "a,b\n1,2\na,b\n1,2\ns\nscript ran\n")
        // The link out of the --data folder is not loaded as a table either.
        XCTAssertEqual(allowed.stderr, "Notice: --safe: data/link.csv leads outside data; not loaded\n")
        let linked = try safe(["--data", "data", "-c", "SELECT * FROM link"])
        XCTAssertEqual(linked.status, 1)
        XCTAssertTrue(linked.stderr.contains("Table with name link does not exist"), linked.stderr)
        for query in ["SELECT * FROM 'secret.csv'", "SELECT * FROM read_csv('data/../secret.csv')",
                      "SELECT * FROM 'data/link.csv'", "COPY t FROM 'secret.csv'"] {
            let run = try safe(["--data", "data", "-c", query])
            XCTAssertEqual(run.status, 1, query)
            let path = query.split(separator: "'")[1]
            XCTAssertTrue(run.stderr.contains(refusedRead(String(path))), run.stderr)
        }
        let dotRead = try safe(["-f", "reads.sql"])
        XCTAssertEqual(dotRead.status, 1)
        XCTAssertTrue(dotRead.stderr.contains(refusedRead("other.sql")), dotRead.stderr)
        let dotImport = try safe(["-c", ".import secret.csv s"])
        XCTAssertEqual(dotImport.status, 1)
        XCTAssertTrue(dotImport.stderr.contains(refusedRead("secret.csv")), dotImport.stderr)
        // Without --safe the same reads work.
        XCTAssertEqual(try BinaryRun.minerql(["--csv", "-c", "SELECT * FROM 'secret.csv'"], directory: directory).stdout, "secret\n42\n")
    }

    func testWritesNothing() throws {
        for command in ["COPY (SELECT 1) TO 'out.csv'", ".output out.csv", ".once out.csv"] {
            let run = try safe(["-c", command, "-c", "SELECT 1"])
            XCTAssertEqual(run.status, 1, command)
            XCTAssertTrue(run.stderr.hasPrefix("Permission Error: writing \"out.csv\" is not allowed in --safe mode"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.csv").path), command)
        }
        // No setting turns it off.
        let set = try safe(["-c", "SET enable_external_access = true"])
        XCTAssertTrue(set.stderr.contains("unrecognized configuration parameter \"enable_external_access\""), set.stderr)
    }

    func testKeepsNoHistory() throws {
        let history = directory.appendingPathComponent("history").path
        let session = try TerminalSession(historyPath: history, arguments: "--safe")
        session.waitFor("minerql> ")
        session.send("SELECT 'typed' AS word;\r")
        session.waitFor("│ typed   │")
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: history))
    }
}
