// A statement ends at a `;` outside quotes and comments (in CREATE TRIGGER,
// after END).
import MinerQLShell
import XCTest

final class StatementSplitterTests: XCTestCase {
    func testSplitsOnlyOutsideQuotesAndComments() {
        let (statements, rest) = StatementSplitter.split("SELECT ';' AS \"a;b\"; -- c;\nSELECT /* ; */ 2; SELECT")
        XCTAssertEqual(statements, ["SELECT ';' AS \"a;b\";", " -- c;\nSELECT /* ; */ 2;"])
        XCTAssertEqual(rest, " SELECT")
    }

    func testTriggerBodyEndsAtEnd() {
        let trigger = "CREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x); DELETE FROM c; END;"
        var (statements, rest) = StatementSplitter.split(trigger + " SELECT 1;")
        XCTAssertEqual(statements, [trigger, " SELECT 1;"])
        XCTAssertEqual(rest, "")
        (statements, rest) = StatementSplitter.split("create trigger t delete on a begin select 1;\n")
        XCTAssertEqual(statements, [])
        // A table named like the keyword does not start a trigger.
        XCTAssertEqual(StatementSplitter.split("CREATE TABLE trigger_log(x INT); SELECT 1;").statements.count, 2)
    }

    func testIncompleteInputHasNoStatement() {
        XCTAssertEqual(StatementSplitter.split("SELECT 'it''s;").statements, [])
        XCTAssertTrue(StatementSplitter.isBlank("  -- only a comment\n /* and this */ "))
        XCTAssertFalse(StatementSplitter.isBlank("-- c\nSELECT"))
    }
}
