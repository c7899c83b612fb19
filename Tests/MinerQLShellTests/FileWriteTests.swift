// Files minerql writes over keep their owner's intent: COPY … TO and .output
// write through a symbolic link, keep a file's permissions and its other hard
// links, leave no temporary behind, and a write that fails (a missing folder,
// a full disk behind stdout) makes the exit status 1; a NUL in a value loses no
// output. A script that reads itself ends with an error.
import Foundation
import XCTest

final class FileWriteTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-writes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func minerql(_ arguments: [String], stdin: String = "") throws -> BinaryRun {
        try BinaryRun.minerql(arguments, stdin: stdin, directory: directory)
    }

    private func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    private func mode(_ name: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path(name))[.posixPermissions] as? Int) ?? -1
    }

    func testCopyKeepsPermissions() throws {
        try "old\n".write(toFile: path("private.csv"), atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path("private.csv"))
        let run = try minerql(["-c", "COPY (SELECT 1 AS x) TO 'private.csv'"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try text("private.csv"), "x\n1\n")
        XCTAssertEqual(try mode("private.csv"), 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["private.csv"])
    }

    func testCopyWritesThroughASymbolicLink() throws {
        try "old\n".write(toFile: path("target.csv"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path("link.csv"), withDestinationPath: "target.csv")
        let run = try minerql(["-c", "COPY (SELECT 2 AS x) TO 'link.csv'"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("link.csv")), "target.csv")
        XCTAssertEqual(try text("target.csv"), "x\n2\n")
    }

    func testCopyKeepsHardLinks() throws {
        try "old\n".write(toFile: path("one.csv"), atomically: false, encoding: .utf8)
        try FileManager.default.linkItem(atPath: path("one.csv"), toPath: path("two.csv"))
        let run = try minerql(["-c", "COPY (SELECT 3 AS x) TO 'one.csv'"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try text("one.csv"), "x\n3\n")
        XCTAssertEqual(try text("two.csv"), "x\n3\n")
    }

    func testOutputAndOnceFailuresExitOne() throws {
        let output = try minerql(["-c", ".output missing/out.csv", "-c", "SELECT 1 AS x"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("IO Error: Cannot open file for writing \"missing/out.csv\""), output.stderr)
        let once = try minerql(["-c", ".once missing/out.csv", "-c", "SELECT 1 AS x", "-c", "SELECT 2 AS y"])
        XCTAssertEqual(once.status, 1)
        XCTAssertEqual(once.stdout, "", "the script stops at the failed write")
    }

    func testOutputKeepsResultsBeforeAFailingStatement() throws {
        let run = try minerql(["--csv"], stdin: ".output kept.csv\nSELECT 1 AS x;\nSELECT nosuch;\n")
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(try text("kept.csv"), "x\n1\n")
    }

    func testNulInAValueKeepsTheRowsAfterIt() throws {
        for format in ["csv", "tsv", "markdown"] {
            let run = try minerql(["--format", format, "-c", "SELECT 'a' || chr(0) || 'b' AS x UNION ALL SELECT 'after'"])
            XCTAssertEqual(run.status, 0)
            XCTAssertTrue(run.stdout.contains("a\u{0}b"), format)
            XCTAssertTrue(run.stdout.contains("after"), format)
        }
    }

    func testAFailedWriteToStdoutExitsOne() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let run = try BinaryRun.minerql(["-c", "exec \"$0\" -c 'SELECT 1' > /dev/full", TerminalSession.binary.path],
                                        directory: directory, executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(run.status, 1)
    }

    func testScriptThatReadsItselfEndsWithAnError() throws {
        try ".read self.sql\n".write(toFile: path("self.sql"), atomically: false, encoding: .utf8)
        let run = try minerql(["self.sql"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("nests more than 64 scripts deep"), run.stderr)
    }
}
