// The history file: escaping keeps multi-line entries whole, duplicates in a
// row are dropped, and the file is private to the user.
import Foundation
@testable import MinerQLShell
import XCTest

final class HistoryFileTests: XCTestCase {
    func testEntriesSurviveARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        let path = directory.appendingPathComponent("nested/history").path
        let history = HistoryFile(path: path)
        history.append("SELECT 1\n  FROM t; -- a \\ backslash")
        history.append("SELECT 2;")
        history.append("SELECT 2;")
        let reloaded = HistoryFile(path: path)
        XCTAssertEqual(reloaded.entries, ["SELECT 1\n  FROM t; -- a \\ backslash", "SELECT 2;"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        try? FileManager.default.removeItem(at: directory)
    }

    func testDefaultPathPrecedence() {
        XCTAssertEqual(HistoryFile.defaultPath(environment: ["MINERQL_HISTORY": "/x/h", "XDG_STATE_HOME": "/s", "HOME": "/home/u"]), "/x/h")
        XCTAssertEqual(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/u"]), "/s/minerql/history")
        XCTAssertEqual(HistoryFile.defaultPath(environment: ["HOME": "/home/u"]), "/home/u/.local/state/minerql/history")
    }
}
