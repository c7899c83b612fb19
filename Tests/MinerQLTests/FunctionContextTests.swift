// A scalar function runs with what an operator runs with: the session's
// settings and its own place in the statement, so `mod(5, 0)` follows
// error_on_division_by_zero as `5 % 0` does and its error points at the call.
import MinerQL
import XCTest

final class FunctionContextTests: XCTestCase {
    func testFunctionFollowsTheSessionSettings() throws {
        let database = Database()
        XCTAssertThrowsError(try database.execute("SELECT mod(5, 0)"))
        _ = try database.execute("SET error_on_division_by_zero = false")
        let row = try database.execute("SELECT mod(5, 0), 5 % 0, mod(x, 0) FROM range(1) t(x)").first?.rows.first
        XCTAssertEqual(row, [.null, .null, .null])
        _ = try database.execute("SET error_on_division_by_zero = true")
        XCTAssertThrowsError(try database.execute("SELECT mod(x, 0) FROM range(1) t(x)"))
    }

    func testFunctionErrorPointsAtTheCall() {
        let sql = "SELECT 1,\n  mod(x,\n 0) FROM range(1) t(x)"
        XCTAssertThrowsError(try Database().execute(sql)) { error in
            let error = error as? MinerQLError
            XCTAssertEqual(error?.message, "Division by zero in expression mod(0, 0). Use TRY(...) to return NULL for this "
                           + "expression, or SET error_on_division_by_zero=false to return NULL for all divisions by zero.")
            XCTAssertEqual(error?.position?.line, 2)
            XCTAssertEqual(error?.position?.column, 3)
        }
    }
}
