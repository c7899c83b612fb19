// ORDER BY … LIMIT keeps a heap of the first k rows; it must agree with a full
// sort, ties in input order included.
@testable import MinerQL
import XCTest

final class TopKTests: XCTestCase {
    func testSmallestAgreesWithSorting() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let count = Int.random(in: 0..<300, using: &generator)
            let values = (0..<count).map { _ in Int.random(in: 0..<20, using: &generator) }
            let precedes: (Int, Int) -> Bool = { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
            let k = Int.random(in: 0..<40, using: &generator)
            XCTAssertEqual(SortOperator.smallest(k, of: count, by: precedes), Array(Array(0..<count).sorted(by: precedes).prefix(k)))
        }
    }

    func testLimitOverSortUsesTheSameOrder() throws {
        let db = try SQLLogicTests.builtinDatabase()
        let full = try XCTUnwrap(try db.execute("SELECT ticker, fy_end_month FROM miners ORDER BY fy_end_month DESC").last).rows
        let top = try XCTUnwrap(try db.execute("SELECT ticker, fy_end_month FROM miners ORDER BY fy_end_month DESC LIMIT 4 OFFSET 3").last).rows
        XCTAssertEqual(top, Array(full[3..<7]))
    }
}
