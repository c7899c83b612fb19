// Statements past the engine's limits end in a clear error and leave the
// session usable: nesting 100,000 deep (which would overflow any stack if the
// parser recursed unchecked) and a statement that outgrows memory_limit.
import MinerQL
import XCTest

final class LimitTests: XCTestCase {
    private let depth = 100_000

    private func assertNestedTooDeeply(_ sql: String, file: StaticString = #filePath, line: UInt = #line) {
        let database = Database()
        XCTAssertThrowsError(try database.execute(sql), file: file, line: line) { error in
            let error = error as? MinerQLError
            XCTAssertEqual(error?.kind, .parser, file: file, line: line)
            XCTAssertEqual(error?.message, "Statement nested too deeply: max expression depth limit of 1000 exceeded",
                           file: file, line: line)
        }
        XCTAssertEqual(try database.execute("SELECT 42").first?.rows.first, [.bigint(42)], file: file, line: line)
    }

    func testParenthesesHundredThousandDeep() {
        assertNestedTooDeeply("SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth))
    }

    func testScalarSubqueriesHundredThousandDeep() {
        assertNestedTooDeeply("SELECT " + String(repeating: "(SELECT ", count: depth) + "1" + String(repeating: ")", count: depth))
    }

    func testTableSubqueriesHundredThousandDeep() {
        assertNestedTooDeeply("SELECT * FROM " + String(repeating: "(SELECT * FROM ", count: depth) + "range(3)"
                              + String(repeating: ")", count: depth))
    }

    func testOperatorsAndCallsHundredThousandDeep() {
        assertNestedTooDeeply("SELECT " + String(repeating: "NOT ", count: depth) + "true")
        assertNestedTooDeeply("SELECT " + String(repeating: "- ", count: depth) + "1")
        assertNestedTooDeeply("SELECT " + String(repeating: "abs(", count: depth) + "1" + String(repeating: ")", count: depth))
        assertNestedTooDeeply("SELECT " + String(repeating: "CASE WHEN true THEN ", count: depth) + "1"
                              + String(repeating: " END", count: depth))
    }

    /// A cross join sorted whole needs far more than 60 MB: the statement stops
    /// with an Out of Memory Error, and the next statement runs.
    func testMemoryLimitStopsTheStatementNotTheSession() throws {
        let database = Database()
        // Tests in this process may already hold more; measure from here.
        try database.execute("SET memory_limit = '60MB'")
        XCTAssertThrowsError(try database.execute("SELECT count(*) FROM (SELECT * FROM range(100000) a, range(100000) b ORDER BY 1)")) { error in
            let error = error as? MinerQLError
            XCTAssertEqual(error?.kind, .outOfMemory)
            XCTAssertTrue(error?.message.hasPrefix("could not allocate more memory (") ?? false, "\(String(describing: error))")
            XCTAssertTrue(error?.message.contains("/57.2 MiB used)") ?? false, "\(String(describing: error))")
        }
        try database.execute("SET memory_limit = 'none'")
        XCTAssertEqual(try database.execute("SELECT count(*) FROM range(1000) a, range(1000) b").first?.rows.first, [.bigint(1_000_000)])
    }

    /// One CSV record of 40 MB grows a single buffer, past the few
    /// checkpoints a row loop has: the reader checks the limit as it grows.
    func testMemoryLimitStopsAHugeCSVRecord() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-huge-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "a,b\n1,"
        text += String(repeating: "x", count: 40_000_000)
        text += "\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        text = ""
        let database = Database()
        try database.execute("SET memory_limit = '20MB'")
        XCTAssertThrowsError(try database.execute("SELECT length(b) FROM '\(path)'")) { error in
            XCTAssertEqual((error as? MinerQLError)?.kind, .outOfMemory, "\(error)")
        }
        try database.execute("SET memory_limit = 'none'")
        XCTAssertEqual(try database.execute("SELECT 1").first?.rows, [[.bigint(1)]])
    }

    /// A string built in one piece is checked against the limit before it
    /// is allocated, not at the next checkpoint after.
    func testMemoryLimitStopsOneLargeString() throws {
        let database = Database()
        try database.execute("SET memory_limit = '60MB'")
        XCTAssertThrowsError(try database.execute("SELECT length(repeat('x', 200000000))")) { error in
            let error = error as? MinerQLError
            XCTAssertEqual(error?.kind, .outOfMemory)
            XCTAssertTrue(error?.message.hasPrefix("could not allocate 190.7 MiB (") ?? false, "\(String(describing: error))")
        }
        try database.execute("SET memory_limit = 'none'")
        XCTAssertEqual(try database.execute("SELECT length(repeat('x', 2000000))").first?.rows, [[.bigint(2_000_000)]])
    }
}
