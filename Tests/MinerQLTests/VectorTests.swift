// Vectors, string views and validity masks: gathering through a selection
// vector, slicing, building with NULLs, strings by their bytes.
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

    /// Strings of every shape around the view's limits: empty, inline (up to
    /// 12 bytes), long (13 and up), multi-byte characters across the 4- and
    /// 12-byte marks, NUL bytes.
    static let shapes: [String] = [
        "", "a", "abc", "abcd", "abcde", "abcdefghijkl", "abcdefghijklm", "id0000000001",
        "é", "aaé", "aaaé", "aaaaaaaaaaaé", "aaaaaaaaaaaaé", "日本語テキスト", "\u{1F44D}\u{1F3FD}",
        "x\u{0}y", "a\u{0}", "a", String(repeating: "a long string, ", count: 40), "ab\u{0}x",
    ]

    func testStringViewsKeepEveryShape() {
        let column = StringVector(VectorTests.shapes)
        XCTAssertEqual(column.strings, VectorTests.shapes)
        XCTAssertEqual((0..<column.count).map { column[$0] }, VectorTests.shapes)
        // Gathering and slicing share the buffer; appending another column
        // copies its long strings' bytes (one by one, or its whole buffer).
        let order = Array(VectorTests.shapes.indices.reversed()) + [0, 18, 18]
        XCTAssertEqual(column.gathered(order).strings, order.map { VectorTests.shapes[$0] })
        XCTAssertEqual(column.sliced(5..<15).strings, Array(VectorTests.shapes[5..<15]))
        var joined = StringVector(["first long string here", "x"])
        joined.append(contentsOf: column.gathered([18, 3]))
        joined.append(contentsOf: column)
        XCTAssertEqual(joined.strings, ["first long string here", "x", VectorTests.shapes[18], "abcd"] + VectorTests.shapes)
        XCTAssertEqual(column.gathered([18, 6]).compacted().strings, [VectorTests.shapes[18], "abcdefghijklm"])
        XCTAssertEqual(StringVector(repeating: "abcdefghijklmn", count: 3).strings, Array(repeating: "abcdefghijklmn", count: 3))
    }

    /// Equality, hashing and order are by bytes, whichever buffer a string
    /// lives in: equal strings hash alike, order is UTF-8 byte order.
    func testStringViewsCompareAndHashByBytes() {
        let a = StringVector(VectorTests.shapes)
        let b = StringVector(["padding to move offsets", "more padding, long enough"] + VectorTests.shapes.reversed())
        a.withReader { a in
            b.withReader { b in
                for i in 0..<a.count {
                    for j in 2..<b.count {
                        let x = VectorTests.shapes[i], y = b.string(j)
                        let bytes = Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : (Array(x.utf8) == Array(y.utf8) ? 0 : 1)
                        XCTAssertEqual(a.compare(i, b, j), bytes, "\(x.debugDescription) vs \(y.debugDescription)")
                        XCTAssertEqual(a.isSame(i, as: b, j), bytes == 0)
                        if bytes == 0 { XCTAssertEqual(a.hash(i), b.hash(j)) }
                    }
                }
            }
        }
    }

    func testUTF8ValidationRejectsMalformedBytes() {
        let valid: [[UInt8]] = [[], Array("plain ascii, longer than eight".utf8), Array("é日本\u{1F44D}".utf8),
                                [0xC2, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]]
        let invalid: [[UInt8]] = [[0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
                                  [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xC2], [0xE1, 0x80],
                                  Array("12345678".utf8) + [0xE1, 0x80, 0x41], [0xF0, 0x90, 0x80]]
        for bytes in valid { XCTAssertTrue(bytes.withUnsafeBytes(UTF8Validation.isValid), "\(bytes)") }
        for bytes in invalid { XCTAssertFalse(bytes.withUnsafeBytes(UTF8Validation.isValid), "\(bytes)") }
    }

    /// A scan's string chunks share the table's buffer: a reader that keeps
    /// every chunk (as a hash join's build side does) sees each chunk's own
    /// rows, as does one that drops each as it reads.
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
        // Chunks dropped as read.
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
