// Runs the project's own SQL tests: every Tests/sql/*.test file, each on a fresh
// database holding the built-in tables, with exact results and error texts.
import Foundation
import MinerQL
import MinerQLDatasets
import SQLLogicTest
import XCTest

final class SQLLogicTests: XCTestCase {
    static func builtinDatabase() throws -> Database {
        let database = Database()
        for (name, csv) in BuiltinDatasets.all { try database.loadCSV(table: name, text: csv) }
        return database
    }

    func testEverySQLFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.sqlTests.path)
            .filter { $0.hasSuffix(".test") }.sorted()
        XCTAssertFalse(files.isEmpty, "no .test files in Tests/sql")
        var total = 0
        for file in files {
            let text = try String(contentsOf: TestPaths.sqlTests.appendingPathComponent(file), encoding: .utf8)
            let report = SQLLogicTestRunner().run(text, file: file, database: try Self.builtinDatabase())
            print(report.summary)
            total += report.passed
            XCTAssertEqual(report.failed, 0, report.failures.joined(separator: "\n\n"))
            XCTAssertGreaterThan(report.passed, 0, "\(file) ran no record")
        }
        print("SQL tests: \(total) records passed")
    }
}
