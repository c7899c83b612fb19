// A statement ends at a `;` outside quotes and comments.
import MinerQLShell
import XCTest

final class StatementSplitterTests: XCTestCase {
    func testSplitsOnlyOutsideQuotesAndComments() {
        let (statements, rest) = StatementSplitter.split("SELECT ';' AS \"a;b\"; -- c;\nSELECT /* ; */ 2; SELECT")
        XCTAssertEqual(statements, ["SELECT ';' AS \"a;b\";", " -- c;\nSELECT /* ; */ 2;"])
        XCTAssertEqual(rest, " SELECT")
    }

    func testIncompleteInputHasNoStatement() {
        XCTAssertEqual(StatementSplitter.split("SELECT 'it''s;").statements, [])
        XCTAssertTrue(StatementSplitter.isBlank("  -- only a comment\n /* and this */ "))
        XCTAssertFalse(StatementSplitter.isBlank("-- c\nSELECT"))
    }
}
