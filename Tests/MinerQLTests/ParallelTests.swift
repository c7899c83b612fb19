// Aggregates over big tables run on several threads (SET threads); the merged
// result must equal the one-thread result exactly for integers, dates, counts
// and extremes, and agree to rounding for double sums.
import MinerQL
import XCTest

final class ParallelTests: XCTestCase {
    private func rows(_ db: Database, _ sql: String) throws -> [[Value]] {
        try XCTUnwrap(try db.execute(sql).last).rows
    }

    func testSplitAggregatesMatchOneThread() throws {
        let db = Database()
        try db.execute("""
            CREATE TABLE big AS SELECT x, CASE WHEN x % 11 = 0 THEN NULL ELSE x % 13 END AS g,
                   DATE '2020-01-01' + (x % 1000)::INTEGER AS day, x::DOUBLE / 7 AS d,
                   CASE WHEN x % 5 = 0 THEN NULL ELSE x END AS maybe
            FROM range(400000) t(x)
            """)
        try db.execute("CREATE TABLE small AS SELECT k, k % 2 AS parity, 'label ' || (k % 4) AS label FROM range(10) t(k)")
        let queries = [
            "SELECT g, count(*), count(maybe), sum(x), sum(maybe), min(day), max(day), min(d), max(maybe) FROM big GROUP BY g ORDER BY g NULLS FIRST",
            "SELECT count(*), sum(x), min(d), max(day) FROM big WHERE x % 3 = 1",
            "SELECT count(*), sum(x), min(d) FROM big WHERE x < 0",
            "SELECT g, sum(x) FILTER (WHERE x % 2 = 0) FROM big GROUP BY ALL ORDER BY ALL",
            // Joins to a small table: each thread builds its own hash table.
            "SELECT s.label, count(*), sum(b.x) FROM big b JOIN small s ON b.g = s.k AND b.x % 2 = s.parity GROUP BY s.label ORDER BY s.label",
            "SELECT s.label, count(*), count(b.g) FROM big b LEFT JOIN small s ON b.g = s.k GROUP BY s.label ORDER BY s.label NULLS FIRST",
            // count(DISTINCT) runs as distinct pairs, then counts.
            "SELECT g, count(DISTINCT day), count(DISTINCT day) FROM big GROUP BY g ORDER BY g NULLS FIRST",
            "SELECT count(DISTINCT maybe % 1000) FROM big WHERE x > 1000",
            // Top-k: each part's best rows, then the best of those; ties in input order.
            "SELECT x, g FROM big ORDER BY g DESC NULLS LAST LIMIT 25 OFFSET 3",
            "SELECT x, day FROM big WHERE x % 3 = 0 ORDER BY day, d DESC LIMIT 7",
            // Full sorts: runs sorted on each thread, then merged; rows gathered on every thread.
            "SELECT x, g, day FROM big ORDER BY g NULLS FIRST, day DESC",
            "SELECT maybe, x FROM big ORDER BY maybe % 1000 DESC NULLS LAST",
            // Windows: partitions shared out among the threads, results back in input order.
            """
            SELECT x, row_number() OVER (PARTITION BY g ORDER BY x DESC) AS n,
                   max(d) OVER (PARTITION BY g ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS peak,
                   rank() OVER (PARTITION BY x % 7 ORDER BY day) AS r, lag(day) OVER (PARTITION BY g ORDER BY x) AS before,
                   sum(maybe) OVER (PARTITION BY x % 3 ORDER BY x ROWS 5 PRECEDING) AS recent
            FROM big ORDER BY x
            """,
            "SELECT x, count(*) OVER (ORDER BY day) FROM big ORDER BY x",
        ]
        for query in queries {
            try db.execute("SET threads = 2")
            let split = try rows(db, query)
            try db.execute("SET threads = 1")
            XCTAssertEqual(split, try rows(db, query), query)
        }
        try db.execute("SET threads = 2")
        let averages = try rows(db, "SELECT avg(d), sum(d) FROM big")[0]
        guard case .double(let average) = averages[0], case .double(let sum) = averages[1] else { return XCTFail("not doubles") }
        XCTAssertEqual(average, 399_999.0 / 2 / 7, accuracy: 1e-6)
        XCTAssertEqual(sum, 399_999.0 * 400_000 / 2 / 7, accuracy: 1e-3)
    }

    /// ORDER BY … LIMIT finds its rows from the key columns and row numbers,
    /// then fetches the rest: the rows must be those a full sort puts first.
    /// A million groups of keys in every shape (strings short and long,
    /// NULLs in any column, doubles with -0.0): each thread's rows prove
    /// mostly distinct, so it hands them on to the partitions, which merge
    /// the groups aggregated before that and then aggregate the rows handed
    /// on. The last rows repeat earlier keys, so a key can be in both.
    func testAMillionGroupsPartitionedAcrossThreads() throws {
        let db = Database()
        try db.execute("""
            CREATE TABLE many AS SELECT x,
                CASE WHEN x % 1000000 % 1000 = 3 THEN NULL ELSE 'k' || (x % 1000000) END AS s,
                CASE WHEN x % 1000000 % 7 = 0 THEN repeat('long key ', 2) || (x % 1000000 % 5) ELSE 'v' END AS l,
                CASE WHEN x % 1000000 % 999 = 5 THEN NULL ELSE (x % 1000000) // 3 END AS i,
                CASE WHEN x % 1000000 = 0 THEN -0.0 ELSE (x % 1000000 % 11)::DOUBLE END AS d
            FROM range(1200000) t(x)
            """)
        let grouped = "SELECT s, l, i, d, count(*) AS n, sum(x) AS total, min(x) AS first FROM many GROUP BY s, l, i, d"
        let summary = "SELECT count(*), sum(n), sum(total), sum(first), count(s), count(i), max(n), sum(d) FROM (\(grouped)) g"
        // As DuckDB 2.0 gives them.
        let expected: [Value] = [.bigint(1_000_000), .bigint(1_200_000), .bigint(719_999_400_000), .bigint(499_999_500_000),
                                 .bigint(999_000), .bigint(998_999), .bigint(2), .double(4_999_995)]
        let page = "\(grouped) ORDER BY first LIMIT 3 OFFSET 999990"
        let pageRows: [[Value]] = [
            [.varchar("k999990"), .varchar("v"), .bigint(333_330), .double(2), .bigint(1), .bigint(999_990), .bigint(999_990)],
            [.varchar("k999991"), .varchar("v"), .bigint(333_330), .double(3), .bigint(1), .bigint(999_991), .bigint(999_991)],
            [.varchar("k999992"), .varchar("long key long key 2"), .bigint(333_330), .double(4), .bigint(1), .bigint(999_992), .bigint(999_992)],
        ]
        for threads in [2, 1] {
            try db.execute("SET threads = \(threads)")
            XCTAssertEqual(try rows(db, summary), [expected], "threads = \(threads)")
            XCTAssertEqual(try rows(db, page), pageRows, "threads = \(threads)")
        }
    }

    func testTopKFetchesWhatAFullSortPutsFirst() throws {
        let db = Database()
        try db.execute("""
            CREATE TABLE big AS SELECT x, CASE WHEN x % 11 = 0 THEN NULL ELSE x % 13 END AS g,
                   'name ' || (x % 977) AS name, x::DOUBLE / 7 AS d
            FROM range(300000) t(x)
            """)
        let cases: [(order: String, offset: Int, limit: Int)] = [
            ("SELECT name, x, g FROM big ORDER BY g DESC NULLS LAST", 3, 25),
            ("SELECT name, d FROM big WHERE x % 3 = 0 ORDER BY d DESC", 0, 7),
            ("SELECT * FROM big WHERE name LIKE '%7' ORDER BY g NULLS FIRST, d DESC", 10, 40),
            ("FROM big |> WHERE g = 5 |> SELECT name, x |> ORDER BY x DESC", 0, 5),
        ]
        for threads in [1, 2] {
            try db.execute("SET threads = \(threads)")
            for (order, offset, limit) in cases {
                let all = try rows(db, order)
                let limited = order.hasPrefix("FROM") ? "\(order) |> LIMIT \(limit) OFFSET \(offset)" : "\(order) LIMIT \(limit) OFFSET \(offset)"
                XCTAssertEqual(try rows(db, limited), Array(all[offset..<offset + limit]), limited)
            }
        }
    }

    func testOverflowInAnyPartIsReported() throws {
        let db = Database()
        try db.execute("CREATE TABLE huge AS SELECT 4611686018427387904 AS v FROM range(200000) t(x)")
        XCTAssertThrowsError(try db.execute("SELECT sum(v) FROM huge")) { error in
            XCTAssertEqual((error as? MinerQLError)?.description, "Out of Range Error: Overflow in SUM of INT64 values")
        }
    }
}
