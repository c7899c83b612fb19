// Cancelling (Ctrl-C in the shell) stops every kind of long statement — scan,
// hash join, sort, window, CSV load, INSERT — promptly, and leaves the tables
// as they were. Each statement runs on a thread of its own and is cancelled
// once it is well under way; the time from cancel() to the error is measured.
import Foundation
import MinerQL
import XCTest

final class CancellationTests: XCTestCase {
    /// The guarantee is 0.2 s; a debug build on a loaded two-core machine
    /// gets some slack (release builds answer within a few milliseconds), and
    /// a sanitized build (`make sanitize` sets MINERQL_TEST_TIME_SCALE) more.
    private let allowed = 0.5 * (ProcessInfo.processInfo.environment["MINERQL_TEST_TIME_SCALE"].flatMap(Double.init) ?? 1)

    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-cancel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The statement's session and result, handed to its thread and back.
    private final class Run: @unchecked Sendable {
        let database: Database
        var error: Error?
        var finished: Date?
        init(_ database: Database) { self.database = database }
    }

    /// Runs `sql`, cancels it after `delay` seconds, and checks that it stops
    /// with an INTERRUPT error within `allowed` and changes no table.
    private func assertCancels(_ sql: String, in database: Database, after delay: TimeInterval = 0.4,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let tablesBefore = try snapshot(database)
        let outcome = Run(database)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { try outcome.database.execute(sql) } catch { outcome.error = error }
            outcome.finished = Date()
            done.signal()
        }
        Thread.sleep(forTimeInterval: delay)
        let cancelled = Date()
        database.cancellation.cancel()
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success, "never stopped: \(sql)", file: file, line: line)
        let latency = (outcome.finished ?? .distantFuture).timeIntervalSince(cancelled)
        XCTAssertEqual((outcome.error as? MinerQLError)?.kind, .interrupted,
                       "finished before it was cancelled, or failed otherwise (\(String(describing: outcome.error))): \(sql)",
                       file: file, line: line)
        XCTAssertLessThan(latency, allowed, sql, file: file, line: line)
        XCTAssertEqual(try snapshot(database), tablesBefore, "the tables changed: \(sql)", file: file, line: line)
        database.cancellation.reset()
    }

    /// Each table's name and row count.
    private func snapshot(_ database: Database) throws -> [String] {
        try database.tableNames.map { name in
            "\(name): \(try database.execute("SELECT count(*) FROM \"\(name)\"").first?.rows.first?.first ?? .null)"
        }
    }

    /// A million rows, so that sorting, windowing and hash-table building run
    /// long after the scan that feeds them has ended (their own phases must
    /// poll too); built once for the class.
    nonisolated(unsafe) private static var shared: Database?

    private func database() throws -> Database {
        if let shared = CancellationTests.shared { return shared.copy() }
        let database = Database()
        try database.execute("""
            CREATE TABLE t AS SELECT range AS i, range % 1000 AS g, (range * 7919) % 100003 AS x, 'sym' || (range % 2000) AS s
            FROM range(1000000)
            """)
        CancellationTests.shared = database
        return database.copy()
    }

    func testScanFilterAggregate() throws {
        try assertCancels("SELECT count(*), sum(range) FROM range(1000000000000) WHERE range % 7 = 3", in: database())
    }

    func testHashJoin() throws {
        try assertCancels("SELECT count(*) FROM t a JOIN t b ON a.x = b.x", in: database(), after: 0.2)
    }

    func testNestedLoopJoin() throws {
        try assertCancels("SELECT count(*) FROM t a, t b WHERE a.i + b.i = -1", in: database())
    }

    func testSort() throws {
        try assertCancels("CREATE TABLE sorted AS SELECT * FROM t ORDER BY x, s DESC, i", in: database())
    }

    func testWindow() throws {
        try assertCancels("SELECT max(w) FROM (SELECT sum(i) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN 100 PRECEDING AND CURRENT ROW) AS w FROM t)",
                          in: database())
    }

    func testGroupBy() throws {
        try assertCancels("SELECT s, x, count(*), avg(i) FROM t, range(10) GROUP BY s, x", in: database())
    }

    func testInsertChangesNothing() throws {
        try assertCancels("INSERT INTO t SELECT range, 0, 0, 'x' FROM range(1000000000)", in: database())
    }

    func testCSVLoad() throws {
        let path = directory.appendingPathComponent("big.csv").path
        var text = "date,symbol,close,volume\n"
        for row in 0..<400_000 { text += "2024-01-\(row % 28 + 10),S\(row % 2000),\(Double(row) / 7),\(row)\n" }
        let once = text.dropFirst("date,symbol,close,volume\n".count)
        text += String(repeating: String(once), count: 4)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let database = try database()
        try assertCancels("CREATE TABLE loaded AS SELECT * FROM read_csv('\(path)')", in: database, after: 0.3)
    }
}
