// ORDER BY … LIMIT keeps the best k rows in a buffer it sorts and cuts back;
// it must agree with a full sort, ties in input order included.
@testable import MinerQL
import XCTest

final class TopKTests: XCTestCase {
    /// Every k — none, one, within a chunk, across several compactions of the
    /// buffer, half the rows, more than the rows — gives the full sort's first
    /// k rows, ties (many: 37 distinct keys) in input order, on one thread and
    /// on two (the table is large enough to be split), for a key with codes and for one without (INTERVAL).
    func testEveryLimitAgreesWithTheFullSort() throws {
        let db = Database()
        try db.execute("""
            CREATE TABLE t AS SELECT i AS id, (i * 7919) % 37 AS v,
                CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 31) % 53 END AS n
            FROM range(140000) r(i)
            """)
        try db.execute("CREATE TABLE s AS SELECT id, ((id % 37) || ' days')::INTERVAL AS d FROM t WHERE id < 9000")
        for threads in [1, 2] {
            try db.execute("SET threads = \(threads)")
            for (table, key) in [("t", "n DESC NULLS LAST, v"), ("t", "v, id DESC"), ("s", "d")] {
                let full = try XCTUnwrap(try db.execute("SELECT id FROM \(table) ORDER BY \(key)").last).rows
                for k in [0, 1, 2049, 4500, 10_000, 70_000, 140_000, 150_000] {
                    let top = try XCTUnwrap(try db.execute("SELECT id FROM \(table) ORDER BY \(key) LIMIT \(k)").last).rows
                    XCTAssertEqual(top, Array(full.prefix(k)), "ORDER BY \(key) LIMIT \(k), \(threads) threads")
                }
            }
        }
    }

    /// `row_number() <= k` per partition streams the candidates of each part
    /// of the table and numbers only those: it must give the rows and numbers
    /// the full window gives (`rn + 0 <= k` is not rewritten), ties in input
    /// order, for every k, for DOUBLE keys with NaN and -0.0, NULLs first or
    /// last, two order keys, dates, and a key that partitions by a string.
    func testRowNumberLimitAgreesWithTheFullWindow() throws {
        let db = Database()
        try db.execute("""
            CREATE TABLE w AS SELECT i AS id, (i * 7919) % 600 AS p, 'g' || (i % 13) AS s,
                CASE WHEN i % 17 = 0 THEN NULL WHEN i % 19 = 0 THEN 'nan'::DOUBLE WHEN i % 23 = 0 THEN -0.0
                     ELSE ((i * 31) % 53)::DOUBLE END AS d,
                DATE '2024-01-01' + ((i * 13) % 400)::INTEGER AS day
            FROM range(140000) r(i)
            """)
        let windows = ["PARTITION BY p ORDER BY d NULLS FIRST, id DESC",
                       "PARTITION BY s, p % 7 ORDER BY day, d DESC NULLS LAST", "ORDER BY d DESC, day"]
        for (threads, ks) in [(2, [1, 1024]), (1, [3])] {
            try db.execute("SET threads = \(threads)")
            for window in windows {
                for k in ks {
                    func rows(_ filter: String) throws -> [[Value]] {
                        try XCTUnwrap(try db.execute("""
                            SELECT id, rn FROM (SELECT id, row_number() OVER (\(window)) AS rn FROM w) t
                            WHERE \(filter) ORDER BY id
                            """).last).rows
                    }
                    XCTAssertEqual(try rows("rn <= \(k)"), try rows("rn + 0 <= \(k)"), "\(window), k = \(k), \(threads) threads")
                }
            }
        }
    }

    /// The scan's bound passes exactly the rows whose encoded key is within
    /// the threshold: doubles with NaN, ±0 and infinities, integers at their
    /// extremes, dates, NULLs placed first or last, either direction.
    func testScanBoundPassesExactlyTheRowsWithinTheThreshold() {
        var generator = SystemRandomNumberGenerator()
        let doubles: [Double] = [.nan, 0, -0.0, .infinity, -.infinity, 1.5, -1.5, 1e300, -1e-300, 42, 42]
        let integers: [Int64] = [.min, .max, 0, -1, 1, 7, 7, 1 << 40]
        for _ in 0..<200 {
            let count = Int.random(in: 1..<300, using: &generator)
            let nulls = (0..<count).map { _ in Int.random(in: 0..<8, using: &generator) == 0 }
            var validity = Validity.allValid
            for (row, null) in nulls.enumerated() where null { validity.setInvalid(row, count: count) }
            let vectors = [
                Vector(.double((0..<count).map { _ in doubles.randomElement(using: &generator) ?? 0 }), validity: validity),
                Vector(.bigint((0..<count).map { _ in integers.randomElement(using: &generator) ?? 0 }), validity: validity),
                Vector(.date((0..<count).map { _ in Int32.random(in: -3...3, using: &generator) })),
                Vector(.double((0..<count).map { _ in Double(Int.random(in: -5...5, using: &generator)) })),
            ]
            for vector in vectors {
                let descending = Bool.random(using: &generator), nullsFirst = Bool.random(using: &generator)
                guard let codes = SortOperator.encodedKeys(vector, descending: descending, nullsFirst: nullsFirst) else { return XCTFail() }
                let bound = TopKBound(column: 0, descending: descending, nullsFirst: nullsFirst)
                let lower = Int.random(in: 0..<count, using: &generator), upper = Int.random(in: lower...count, using: &generator)
                // Thresholds from the data, as the top-k takes them, and the NULL codes.
                for threshold in [codes[Int.random(in: 0..<count, using: &generator)], 0, .max] {
                    let expected = (lower..<upper).filter { codes[$0] <= threshold }
                    XCTAssertEqual(bound.candidates(vector, in: lower..<upper, threshold: threshold), expected,
                                   "\(vector.type) descending \(descending) nulls first \(nullsFirst) threshold \(threshold)")
                }
            }
        }
    }

    func testLimitOverSortUsesTheSameOrder() throws {
        let db = try SQLLogicTests.builtinDatabase()
        let full = try XCTUnwrap(try db.execute("SELECT ticker, fy_end_month FROM miners ORDER BY fy_end_month DESC").last).rows
        let top = try XCTUnwrap(try db.execute("SELECT ticker, fy_end_month FROM miners ORDER BY fy_end_month DESC LIMIT 4 OFFSET 3").last).rows
        XCTAssertEqual(top, Array(full[3..<7]))
    }
}
