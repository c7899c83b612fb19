// The radix path of ORDER BY must order rows exactly as the comparators do:
// NULL placement, direction, NaN above numbers, -0.0 equal to 0.0, strings by
// UTF-8 bytes, ties in input order, on one thread or merged from several.
@testable import MinerQL
import XCTest

final class SortTests: XCTestCase {
    private func check(_ vector: Vector, file: StaticString = #filePath, line: UInt = #line) {
        for descending in [false, true] {
            for nullsFirst in [false, true] {
                let compare = SortOperator.comparator(vector, descending: descending, nullsFirst: nullsFirst)
                let precedes: (Int, Int) -> Bool = { a, b in
                    let c = compare(a, b)
                    return c != 0 ? c < 0 : a < b
                }
                let expected = Array(0..<vector.count).sorted(by: precedes)
                let codes = try! XCTUnwrap(SortOperator.sortCodes(vector, descending: descending, nullsFirst: nullsFirst, cancellation: Cancellation()))
                // Split into sorted runs on several threads, then merged: the same order.
                for threads in [1, 2, 3, 5] {
                    XCTAssertEqual(try RadixSort.order(codes, count: vector.count, threads: threads, cancellation: Cancellation()), expected,
                                   "descending \(descending) nullsFirst \(nullsFirst) threads \(threads)", file: file, line: line)
                }
            }
        }
    }

    func testRadixOrderAgreesWithComparators() {
        var generator = SystemRandomNumberGenerator()
        let specials: [Double] = [.nan, -.nan, 0.0, -0.0, .infinity, -.infinity, 1e-300, -1e300]
        for _ in 0..<30 {
            let count = Int.random(in: 0..<400, using: &generator)
            var doubles = VectorBuilder(.double)
            var integers = VectorBuilder(.bigint)
            var dates = VectorBuilder(.date)
            var strings = VectorBuilder(.varchar)
            var flags = VectorBuilder(.boolean)
            for _ in 0..<count {
                strings.append(.varchar(["", "a", "ab", "b", "Z", "é", "e\u{301}", "a long string past fifteen bytes"]
                    .randomElement(using: &generator)!))
                flags.append(.boolean(Bool.random(using: &generator)))
                switch Int.random(in: 0..<10, using: &generator) {
                case 0:
                    doubles.appendNull()
                    integers.appendNull()
                    dates.appendNull()
                    strings.truncate(to: strings.count - 1)
                    strings.appendNull()
                case 1:
                    doubles.append(.double(specials.randomElement(using: &generator)!))
                    integers.append(.bigint([Int64.min, Int64.max, 0, -1].randomElement(using: &generator)!))
                    dates.append(.date([Int32.min, Int32.max, 0, -1].randomElement(using: &generator)!))
                default:
                    doubles.append(.double(Double(Int.random(in: -50..<50, using: &generator)) / 4))
                    integers.append(.bigint(Int64.random(in: -30..<30, using: &generator)))
                    dates.append(.date(Int32.random(in: -30..<30, using: &generator)))
                }
            }
            check(doubles.build())
            check(integers.build())
            check(dates.build())
            check(strings.build())
            check(flags.build())
        }
    }

    /// Codes that fit in 64 bits together are packed into one array, codes
    /// already in order are not sorted at all: both must keep the order of
    /// comparing the arrays row by row, ties in input order.
    func testPackedAndPresortedCodesKeepTheOrder() throws {
        var generator = SystemRandomNumberGenerator()
        let n = 5000
        let small = (0..<n).map { _ in UInt64.random(in: 100..<140, using: &generator) }
        let wide = (0..<n).map { _ in [0, UInt64.max, 1 << 63, UInt64.random(in: 0...UInt64.max, using: &generator)][Int.random(in: 0..<4, using: &generator)] }
        let cases: [[[UInt64]]] = [
            [small, small.map { 200 - $0 }],          // packs into 12 bits
            [small.sorted(), Array(repeating: 7, count: n)],   // already ordered
            [wide, small],                             // too wide to pack
            [Array(repeating: 3, count: n), Array(repeating: 3, count: n)],   // one value
        ]
        for (index, codes) in cases.enumerated() {
            let expected = Array(0..<n).sorted { a, b in
                for column in codes where column[a] != column[b] { return column[a] < column[b] }
                return a < b
            }
            for threads in [1, 2, 3] {
                XCTAssertEqual(try RadixSort.order(codes, count: n, threads: threads, cancellation: Cancellation()), expected, "case \(index) threads \(threads)")
            }
        }
    }

    func testTiesAreResolvedByTheNextKeys() throws {
        let db = Database()
        try db.execute("CREATE TABLE t AS SELECT x % 3 AS a, x AS b FROM range(20) r(x)")
        let rows = try XCTUnwrap(try db.execute("SELECT a, b FROM t ORDER BY a DESC, b DESC").last).rows
        let pairs: [(a: Int64, b: Int64)] = (0..<20).map { (Int64($0 % 3), Int64($0)) }
        let expected = pairs.sorted { x, y in x.a != y.a ? x.a > y.a : x.b > y.b }
        XCTAssertEqual(rows, expected.map { [Value.bigint($0.a), Value.bigint($0.b)] })
    }

    /// ORDER BY … LIMIT streams with a threshold; it must return the full
    /// sort's first rows, ties (in input order) and NULLs included.
    func testStreamingTopKMatchesTheFullSort() throws {
        let db = Database()
        try db.execute("CREATE TABLE t AS SELECT x, CASE WHEN x % 17 = 0 THEN NULL ELSE (x * 7919) % 101 END AS v, (x * 31) % 5 AS w FROM range(30000) r(x)")
        for order in ["v", "v DESC", "v NULLS FIRST", "v DESC NULLS LAST, w", "w DESC, v", "v::DOUBLE / 3"] {
            for limit in [1, 10, 250] {
                let full = try XCTUnwrap(try db.execute("SELECT x FROM t ORDER BY \(order), x").last).rows
                let ranked = try XCTUnwrap(try db.execute("SELECT x FROM t ORDER BY \(order)").last).rows
                let top = try XCTUnwrap(try db.execute("SELECT x FROM t ORDER BY \(order) LIMIT \(limit)").last).rows
                XCTAssertEqual(top, Array(ranked.prefix(limit)), "ORDER BY \(order) LIMIT \(limit)")
                XCTAssertEqual(top, Array(full.prefix(limit)), "ties keep input order: ORDER BY \(order) LIMIT \(limit)")
            }
        }
    }
}
