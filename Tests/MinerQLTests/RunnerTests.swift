// The sqllogictest runner must fail what is wrong: a wrong value, a wrong hash,
// a wrong error text, and an error where success was expected.
import MinerQL
import SQLLogicTest
import XCTest

final class RunnerTests: XCTestCase {
    private func report(_ text: String) -> TestReport {
        SQLLogicTestRunner().run(text, file: "inline.test", database: Database())
    }

    private let setup = """
        statement ok
        CREATE TABLE t(a INTEGER)

        statement ok
        INSERT INTO t VALUES (1), (2), (3)

        """

    func testCorrectRecordsPass() {
        let result = report(setup + """

            query I rowsort
            SELECT a FROM t
            ----
            3 values hashing to c0710d6b4f15dfa88f600b0e6b624077

            query IR nosort
            SELECT a, a / 2 FROM t ORDER BY a
            ----
            1\t0.5
            2\t1.0
            3\t1.5

            statement error
            SELECT nope FROM t
            ----
            Binder Error: Referenced column "nope" not found in FROM clause!
            """)
        XCTAssertEqual(result.failed, 0, result.failures.joined(separator: "\n"))
        XCTAssertEqual(result.passed, 5)
    }

    func testWrongValueFails() {
        XCTAssertEqual(report(setup + "\nquery I rowsort\nSELECT a FROM t\n----\n1\n2\n4\n").failed, 1)
    }

    func testWrongHashFails() {
        XCTAssertEqual(report(setup + "\nquery I rowsort\nSELECT a FROM t\n----\n3 values hashing to 0123456789abcdef0123456789abcdef\n").failed, 1)
    }

    func testWrongErrorTextFails() {
        XCTAssertEqual(report(setup + "\nstatement error\nSELECT nope FROM t\n----\nBinder Error: something else\n").failed, 1)
    }

    func testUnexpectedErrorFails() {
        XCTAssertEqual(report("statement ok\nSELECT nope\n").failed, 1)
    }
}
