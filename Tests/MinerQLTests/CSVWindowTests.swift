// A CSV file is parsed a window at a time in one part per core: records, quoted
// line breaks, doubled quotes and CRLF that straddle a window or a part's cut
// must come out exactly as when the whole file is one window.
@testable import MinerQL
import XCTest

final class CSVWindowTests: XCTestCase {
    private func read(_ text: String, headBytes: Int = 8 << 20, windowBytes: Int = 8 << 20) throws -> [[Value]] {
        var options = CSVOptions()
        options.header = true
        let result = try CSVReader.read(MemoryBytes(storage: Array(text.utf8)), name: "t.csv", tableName: "t", options: options,
                                        headBytes: headBytes, windowBytes: windowBytes)
        let table = result.table
        return (0..<table.rowCount).map { row in table.columns.map { $0.value(at: row) } }
    }

    /// About 3 MB (two parts) of records, some with quoted fields holding
    /// line breaks, CRLF and doubled quotes.
    private func text(quotedEvery: Int?, quotedFrom: Int = 0) -> (String, [[Value]]) {
        var lines = ["id,name,amount"]
        var expected: [[Value]] = []
        for i in 0..<60_000 {
            var name = "name \(i % 977) padding to make the file larger"
            var field = name
            if let every = quotedEvery, i >= quotedFrom, i % every == 0 {
                name = "line one\nline \"two\"\r\nline three \(i)"
                field = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            lines.append("\(i),\(field),\(Double(i) / 4)")
            expected.append([.bigint(Int64(i)), .varchar(name), .double(Double(i) / 4)])
        }
        return (lines.joined(separator: "\r\n") + "\r\n", expected)
    }

    func testWindowsAndPartsGiveTheWholeFileResult() throws {
        for quotedEvery in [nil, 7, 1] as [Int?] {
            let (csv, expected) = text(quotedEvery: quotedEvery)
            for window in [1 << 20, 4093, 61] {
                XCTAssertEqual(try read(csv, headBytes: 5000, windowBytes: window), expected, "quoted every \(String(describing: quotedEvery)), window \(window)")
            }
        }
    }

    /// No quote in the head, so the file is cut in two parts; quoted line
    /// breaks after the head put a record across the cut: the file is parsed
    /// again as one part.
    func testQuotesAfterTheHeadAcrossTheCut() throws {
        let (csv, expected) = text(quotedEvery: 1, quotedFrom: 100)
        XCTAssertEqual(try read(csv, headBytes: 2000, windowBytes: 65_536), expected)
    }

    func testErrorsInALaterPartNameTheirLine() throws {
        var (csv, _) = text(quotedEvery: nil)
        csv = csv.replacingOccurrences(of: "\r\n50000,", with: "\r\nfifty thousand,")
        XCTAssertThrowsError(try read(csv, headBytes: 4000, windowBytes: 10_000)) { error in
            XCTAssertEqual((error as? MinerQLError)?.description,
                           "Conversion Error: t.csv:50002: could not convert \"fifty thousand\" to BIGINT in column \"id\"")
        }
    }

    /// A record longer than the window (and the head) is read whole.
    func testARecordLongerThanTheWindow() throws {
        let long = String(repeating: "x", count: 300_000)
        let rows = try read("a,b\n1,\(long)\n2,\"\(long)\n\(long)\"\n", headBytes: 1000, windowBytes: 999)
        // Compared as a whole, so a failure does not print the long values.
        XCTAssertTrue(rows == [[.bigint(1), .varchar(long)], [.bigint(2), .varchar(long + "\n" + long)]],
                      "rows: \(rows.count), first: \(rows.first?.first.map { "\($0)" } ?? "none")")
    }
}
