// Names and quoted text reach the terminal through more than result cells:
// .tables, .schema, .param list, error messages and their excerpt, chart
// titles and legends. None of them may carry a raw control sequence.
import MinerQL
@testable import MinerQLShell
import XCTest

final class ControlSequenceTests: ShellTestCase {
    private let escape = "\u{1B}"

    func testNamesAndErrorsAreEscaped() throws {
        let shell = try shell()
        XCTAssertTrue(shell.runSQL("CREATE TABLE \"t\(escape)[31m\" AS SELECT 1 AS \"c\(escape)]0;x\u{7}\""), errors)
        XCTAssertTrue(shell.runDotCommand(".tables"))
        XCTAssertTrue(shell.runDotCommand(".schema t\(escape)[31m"))
        XCTAssertTrue(shell.runDotCommand(".param set p \(escape)[2J"))
        XCTAssertTrue(shell.runDotCommand(".param list"))
        XCTAssertFalse(shell.runSQL("SELECT nosuch FROM \"t\(escape)[31m\""))
        XCTAssertTrue(shell.runSQL("SELECT 1 AS \"x\(escape)[1m\", 2 AS \"y\(escape)[1m\""))
        XCTAssertTrue(shell.runDotCommand(".chart bar x\(escape)[1m y\(escape)[1m"), errors)
        for text in [output, errors] {
            XCTAssertFalse(text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" }, text)
        }
        XCTAssertTrue(output.contains("CREATE TABLE t\\x1B[31m(c\\x1B]0;x\\x07 BIGINT);"), output)
        XCTAssertTrue(output.contains("$p = '\\x1B[2J' (VARCHAR)"), output)
        XCTAssertTrue(errors.contains("LINE 1: SELECT nosuch FROM \"t\\x1B[31m\""), errors)
        XCTAssertTrue(output.contains("y\\x1B[1m by x\\x1B[1m"), output)
    }
}
