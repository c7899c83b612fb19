// Vectors and validity masks: gathering through a selection vector, slicing,
// and building with NULLs.
@testable import MinerQL
import XCTest

final class VectorTests: XCTestCase {
    func testBuilderGatherAndSlice() {
        var builder = VectorBuilder(.bigint)
        for value in [Value.bigint(10), .null, .bigint(30), .bigint(40)] { builder.append(value) }
        let vector = builder.build()
        XCTAssertEqual((0..<4).map(vector.value(at:)), [.bigint(10), .null, .bigint(30), .bigint(40)])
        let gathered = vector.gathered([3, 1, 0])
        XCTAssertEqual((0..<3).map(gathered.value(at:)), [.bigint(40), .null, .bigint(10)])
        let sliced = vector.sliced(1..<3)
        XCTAssertEqual((0..<2).map(sliced.value(at:)), [.null, .bigint(30)])
    }

    /// Slices of string columns: inline short strings are copied as bytes,
    /// a range holding any heap string is copied with its reference counts,
    /// and either copy outlives the column it came from.
    func testStringSlicesOutliveTheirColumn() {
        func make(_ count: Int, every: Int) -> [String] {
            (0..<count).map { i in i % every == 0 ? String(repeating: "heap string \(i) ", count: 3) : "S\(i % 100)" }
        }
        for (every, range) in [(Int.max, 3..<900), (7, 3..<900), (500, 0..<499), (500, 1..<501), (2, 5..<5)] {
            var column: [String]? = make(1000, every: every)
            let slice = StringRows.copy(column!, range)
            column = nil
            XCTAssertNil(column)
            XCTAssertEqual(slice, Array(make(1000, every: every)[range]), "every \(every) rows \(range)")
        }
    }

    /// A scan refills its string chunk in place once the reader lets go of
    /// it; a reader that keeps every chunk (as a hash join's build side
    /// does) must still see each chunk's own rows.
    func testScannedStringChunksStayIntact() throws {
        let db = Database()
        try db.execute("""
            CREATE TABLE t AS SELECT x, 'S' || (x % 50) AS s,
                CASE WHEN x % 3000 = 7 THEN repeat('a long heap string ', 3) || x ELSE 'k' || x END AS mixed
            FROM range(10000) r(x)
            """)
        let table = try XCTUnwrap(db.catalog.table("t"))
        let context = ExecutionContext(catalog: db.catalog, settings: db.settings, cancellation: Cancellation())
        func expected(_ chunk: DataChunk, from start: Int) -> Bool {
            (0..<chunk.count).allSatisfy { i in
                let x = start + i
                let mixed = x % 3000 == 7 ? String(repeating: "a long heap string ", count: 3) + "\(x)" : "k\(x)"
                return chunk.columns[1].value(at: i) == .varchar("S\(x % 50)") && chunk.columns[2].value(at: i) == .varchar(mixed)
            }
        }
        // Chunks dropped as read: refilled in place.
        let streaming = ScanOperator(table: table, context: context)
        var start = 0
        while let chunk = try streaming.next() {
            XCTAssertTrue(expected(chunk, from: start), "chunk at \(start)")
            start += chunk.count
        }
        XCTAssertEqual(start, 10000)
        // Chunks all kept, then checked.
        let keeping = ScanOperator(table: table, context: context)
        var kept: [DataChunk] = []
        while let chunk = try keeping.next() { kept.append(chunk) }
        start = 0
        for chunk in kept {
            XCTAssertTrue(expected(chunk, from: start), "kept chunk at \(start)")
            start += chunk.count
        }
    }

    /// Short ASCII text becomes an inline String equal to the standard
    /// library's; longer or non-ASCII text is left to the standard path.
    func testInlineStringsEqualTheStandardOnes() {
        for text in ["", "a", "S0000", "BTC-USD", "123456789012345", "with space!~"] {
            let made = Array(text.utf8).withUnsafeBytes { InlineString.make($0) }
            XCTAssertEqual(made, text)
            XCTAssertEqual(made?.count, text.count)
            XCTAssertEqual(made.map { Array($0.utf8) }, Array(text.utf8))
            XCTAssertEqual(made?.hashValue, text.hashValue)
            XCTAssertEqual(made.map { $0 + "!" }, text + "!")
        }
        for text in ["1234567890123456", "é", "naïve", "\u{1F600}"] {
            XCTAssertNil(Array(text.utf8).withUnsafeBytes { InlineString.make($0) }, text)
        }
    }

    func testValidityAcrossWordBoundaries() {
        var validity = Validity.allValid
        XCTAssertFalse(validity.hasInvalid)
        validity.setInvalid(64, count: 130)
        validity.setInvalid(129, count: 130)
        XCTAssertTrue(validity.isValid(63))
        XCTAssertFalse(validity.isValid(64))
        XCTAssertFalse(validity.isValid(129))
        XCTAssertEqual(validity.sliced(60..<70).isValid(4), false)
    }

    func testDateCodecRoundTrips() {
        for text in ["1970-01-01", "2024-02-29", "2025-10-31", "1900-03-01", "0001-01-01", "9999-12-31"] {
            let days = DateCodec.parse(text)
            XCTAssertNotNil(days, text)
            XCTAssertEqual(days.map(DateCodec.format(days:)), text)
        }
        XCTAssertNil(DateCodec.parse("2025-02-29"))
        XCTAssertNil(DateCodec.parse("2025-1-1x"))
        XCTAssertEqual(DateCodec.parse("2025-1-2").map(DateCodec.format(days:)), "2025-01-02")
    }
}
