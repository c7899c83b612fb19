// The real REPL in a pseudo-terminal: a statement across two lines, Tab
// completion, history across restarts, Ctrl-C cancelling a long query, and
// Ctrl-D exiting cleanly.
import Foundation
import XCTest

final class ReplTests: XCTestCase {
    private var historyPath = ""

    override func setUp() {
        historyPath = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-history-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: historyPath)
    }

    func testQueryAcrossTwoLinesThenCtrlDExitsZero() throws {
        let session = try TerminalSession(historyPath: historyPath)
        session.waitFor("minerql> ")
        session.send("SELECT count(*) AS n\r")
        session.waitFor("...> ")
        let mark = session.screen.count
        session.send("FROM miners;\r")
        session.waitFor("│    12 │", after: mark)
        session.waitFor("minerql> ", after: mark)
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
    }

    func testTabCompletesTableName() throws {
        let session = try TerminalSession(historyPath: historyPath)
        session.waitFor("minerql> ")
        session.send("SELECT count(*) AS n FROM quar\t")
        session.waitFor("FROM quarters")
        session.send(";\r")
        session.waitFor("│    83 │")
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
    }

    func testHistoryIsRecalledAfterRestart() throws {
        let first = try TerminalSession(historyPath: historyPath)
        first.waitFor("minerql> ")
        first.send("SELECT 'remembered' AS word\r")
        first.waitFor("...> ")
        first.send(";\r")
        first.waitFor("│ remembered │")
        first.send("\u{4}")
        XCTAssertEqual(first.waitForExit(), 0)
        let saved = try String(contentsOfFile: historyPath, encoding: .utf8)
        XCTAssertEqual(saved, "SELECT 'remembered' AS word\\n;\n")

        let second = try TerminalSession(historyPath: historyPath)
        second.waitFor("minerql> ")
        let mark = second.screen.count
        second.send("\u{1B}[A")  // Up arrow: the previous entry, both lines
        second.waitFor("SELECT 'remembered' AS word", after: mark)
        second.send("\r")
        second.waitFor("│ remembered │", after: mark)
        second.send("\u{4}")
        XCTAssertEqual(second.waitForExit(), 0)
    }

    func testCtrlCCancelsALongQueryAndKeepsTheSession() throws {
        let session = try TerminalSession(historyPath: historyPath)
        session.waitFor("minerql> ")
        let before = session.screen.count
        session.send("SELECT count(*) FROM prices a, prices b, prices c, prices d, prices e;\r")
        session.waitFor("99%", after: before)  // the progress bar of a statement running over a second
        let started = Date()
        session.send("\u{3}")
        session.waitFor("INTERRUPT Error: Interrupted!")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        let mark = session.screen.count
        session.send("SELECT count(*) AS n FROM prices;\r")
        session.waitFor("│    55 │", after: mark)
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
    }

    func testCtrlCAtThePromptDiscardsInput() throws {
        let session = try TerminalSession(historyPath: historyPath)
        session.waitFor("minerql> ")
        session.send("SELECT 'discarded'")
        Thread.sleep(forTimeInterval: 0.3)
        session.send("\u{3}")
        Thread.sleep(forTimeInterval: 0.3)
        let mark = session.screen.count
        session.send("SELECT 'kept' AS k;\r")
        session.waitFor("│ kept    │", after: mark)
        XCTAssertFalse(session.screen.contains("Parser Error"))
        session.send("\u{4}")
        XCTAssertEqual(session.waitForExit(), 0)
    }
}
