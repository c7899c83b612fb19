// Charts: terminal drawings compared with golden files (Golden/*.txt; run
// with MINERQL_UPDATE_GOLDEN=1 to rewrite them after a deliberate change and
// review the diff), SVG documents parsed as XML and searched for their series,
// axis ticks and the errors of `.chart`.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MinerQL
@testable import MinerQLShell
import XCTest

final class ChartTests: ShellTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-chart-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A shell whose charts are 80 × 24, after running `sql`.
    private func shell(after sql: String) throws -> Shell {
        let shell = try shell()
        XCTAssertTrue(shell.runSQL(sql), errors)
        output = ""
        return shell
    }

    private func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt").path
        if ProcessInfo.processInfo.environment["MINERQL_UPDATE_GOLDEN"] != nil {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, expected, "golden file \(name).txt differs", file: file, line: line)
    }

    func testLineChartOfBitcoinsMonthlyClose() throws {
        let shell = try shell(after: "SELECT date, close FROM prices ORDER BY date")
        XCTAssertTrue(shell.runDotCommand(".chart line date close"), errors)
        try assertGolden(output, "line-btc-close")
        XCTAssertEqual(output.split(separator: "\n").count, 24)
    }

    func testLineChartWithTwoSeriesHasALegendAndSkipsNulls() throws {
        let shell = try shell(after: """
            SELECT period_end, revenue_usd_m, hpc_revenue_usd_m FROM quarters WHERE ticker = 'WULF' ORDER BY period_end
            """)
        XCTAssertTrue(shell.runDotCommand(".chart line period_end revenue_usd_m hpc_revenue_usd_m"), errors)
        try assertGolden(output, "line-wulf-two-series")
        XCTAssertTrue(output.contains("⣿ revenue_usd_m   ⣿ hpc_revenue_usd_m"), output)
    }

    func testBarChartOfHPCRevenueByMiner() throws {
        let shell = try shell(after: """
            SELECT ticker, sum(hpc_revenue_usd_m) AS hpc_usd_m FROM quarters
             WHERE hpc_revenue_usd_m IS NOT NULL GROUP BY ticker ORDER BY hpc_usd_m DESC
            """)
        XCTAssertTrue(shell.runDotCommand(".chart bar ticker hpc_usd_m"), errors)
        try assertGolden(output, "bar-hpc-by-miner")
    }

    func testBarChartWithNegativeValues() throws {
        let shell = try shell(after: "SELECT ticker, net_income_usd_m FROM quarters WHERE fiscal_label = 'Q3 2025' ORDER BY ticker")
        XCTAssertTrue(shell.runDotCommand(".chart bar ticker net_income_usd_m"), errors)
        try assertGolden(output, "bar-net-income")
    }

    func testScatterAndHistogram() throws {
        let shell = try shell(after: "SELECT revenue_usd_m, btc_mined FROM quarters")
        XCTAssertTrue(shell.runDotCommand(".chart scatter btc_mined revenue_usd_m"), errors)
        try assertGolden(output, "scatter-revenue-mined")
        output = ""
        XCTAssertTrue(shell.runDotCommand(".chart hist revenue_usd_m 6"), errors)
        try assertGolden(output, "hist-revenue")
    }

    func testChartErrors() throws {
        let shell = try shell(after: "SELECT ticker, name FROM miners")
        XCTAssertFalse(shell.runDotCommand(".chart line ticker nmae"))
        XCTAssertEqual(errors, "Error: no column \"nmae\" in the previous result; did you mean \"name\"? (columns: ticker, name)\n")
        errors = ""
        XCTAssertFalse(shell.runDotCommand(".chart bar ticker name"))
        XCTAssertEqual(errors, "Error: column \"name\" is VARCHAR; .chart bar needs numbers there\n")
        errors = ""
        XCTAssertFalse(shell.runDotCommand(".chart pie ticker"))
        XCTAssertEqual(errors, Shell.chartUsage + "\n")
        errors = ""
        XCTAssertFalse(shell.runDotCommand(".chart hist"))
        XCTAssertEqual(errors, "Usage: .chart hist COLUMN [BINS]\n")
        XCTAssertTrue(shell.runSQL("SELECT NULL::DOUBLE AS x, NULL::DOUBLE AS y"))
        errors = ""
        XCTAssertFalse(shell.runDotCommand(".chart scatter x y"))
        XCTAssertEqual(errors, "Error: nothing to draw: no row has both values\n")
        let fresh = Shell(database: Database(), errors: { self.errors += $0 })
        errors = ""
        XCTAssertFalse(fresh.runDotCommand(".chart line a b"))
        XCTAssertEqual(errors, "Error: no previous result to chart; run a query first\n")
    }

    /// The SVG's elements, parsed as XML.
    private final class Elements: NSObject, XMLParserDelegate {
        var found: [(name: String, attributes: [String: String])] = []
        var text: [String: String] = [:]
        private var current = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            found.append((name, attributes))
            current = name
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            current = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text[current, default: ""] += string
        }
    }

    private func parseSVG(_ path: String) throws -> Elements {
        let parser = try XCTUnwrap(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        let elements = Elements()
        parser.delegate = elements
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        return elements
    }

    func testSVGLineChartIsXMLWithSeriesAxesAndLegend() throws {
        let shell = try shell(after: """
            SELECT period_end, revenue_usd_m, hpc_revenue_usd_m FROM quarters WHERE ticker = 'WULF' ORDER BY period_end
            """)
        let path = directory + "/wulf.svg"
        XCTAssertTrue(shell.runDotCommand(".chart line period_end revenue_usd_m hpc_revenue_usd_m --svg \(path) --title \"TeraWulf <revenue & HPC>\""), errors)
        XCTAssertEqual(output, "", "an SVG chart draws nothing on the terminal")
        let svg = try parseSVG(path)
        XCTAssertEqual(svg.found.first?.name, "svg")
        XCTAssertEqual(svg.found.first?.attributes["xmlns"], "http://www.w3.org/2000/svg")
        XCTAssertEqual(svg.text["title"], "TeraWulf <revenue & HPC>")
        let series = svg.found.filter { $0.attributes["class"] == "series" }
        XCTAssertEqual(series.map(\.attributes["data-name"]), ["revenue_usd_m", "hpc_revenue_usd_m"])
        XCTAssertEqual(series.map(\.name), ["polyline", "polyline"])
        let counts = try XCTUnwrap(try result(shell, "SELECT count(revenue_usd_m), count(hpc_revenue_usd_m) FROM quarters WHERE ticker = 'WULF'"))
        XCTAssertEqual(series.map { $0.attributes["points"]?.split(separator: " ").count }, counts, "NULLs skipped")
        XCTAssertEqual(svg.found.filter { $0.attributes["class"] == "legend" }.count, 1)
        XCTAssertEqual(svg.found.filter { $0.attributes["class"] == "x-axis" || $0.attributes["class"] == "y-axis" }.count, 2)
    }

    private func result(_ shell: Shell, _ sql: String) throws -> [Int]? {
        try shell.database.execute(sql).last?.rows.first?.compactMap { if case .bigint(let n) = $0 { return Int(n) } else { return nil } }
    }

    func testSVGBarScatterAndHistogramParse() throws {
        let shell = try shell(after: "SELECT ticker, revenue_usd_m, btc_mined FROM quarters WHERE fiscal_label = 'Q3 2025'")
        for (command, elements) in [("bar ticker revenue_usd_m", "rect"), ("scatter btc_mined revenue_usd_m", "circle"), ("hist revenue_usd_m 5", "rect")] {
            let path = directory + "/chart.svg"
            XCTAssertTrue(shell.runDotCommand(".chart \(command) --svg \(path)"), errors)
            let svg = try parseSVG(path)
            XCTAssertEqual(svg.found.filter { $0.attributes["class"] == "series" }.count, 1, command)
            XCTAssertGreaterThan(svg.found.filter { $0.name == elements }.count, 2, command)
        }
    }

    func testRSVGRendersTheCommittedCharts() throws {
        let rsvg = "/usr/bin/rsvg-convert"
        guard FileManager.default.isExecutableFile(atPath: rsvg) else { throw XCTSkip("rsvg-convert is not installed (apt-get install librsvg2-bin)") }
        let shell = try shell(after: "SELECT 1 AS x")
        XCTAssertTrue(shell.run(reader: TextLineReader(try String(contentsOfFile: ChartTests.docs + "/charts.sql", encoding: .utf8)
            .replacingOccurrences(of: "docs/", with: directory + "/")), source: .command), errors)
        for name in ["btc-monthly-close", "hpc-revenue-by-miner"] {
            let svg = directory + "/\(name).svg"
            XCTAssertEqual(try String(contentsOfFile: svg, encoding: .utf8), try String(contentsOfFile: ChartTests.docs + "/\(name).svg", encoding: .utf8),
                           "docs/\(name).svg is what docs/charts.sql draws")
            let render = Process()
            render.executableURL = URL(fileURLWithPath: rsvg)
            render.arguments = [svg, "-o", directory + "/\(name).png"]
            try render.run()
            render.waitUntilExit()
            XCTAssertEqual(render.terminationStatus, 0, name)
            XCTAssertGreaterThan((try FileManager.default.attributesOfItem(atPath: directory + "/\(name).png")[.size] as? Int) ?? 0, 1000)
        }
    }

    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs").path

    /// Extreme and degenerate data draws something (or says why) at any
    /// size: nothing here may trap.
    func testExtremeValuesAndSizesDrawWithoutTrapping() throws {
        let shell = try shell(after: """
            SELECT * FROM (VALUES (1.7e308, -1.7e308, 9223372036854775807, 'a'), (-1.7e308, 1.7e308, -9223372036854775808, 'b'),
                                  ('inf'::DOUBLE, 'nan'::DOUBLE, 0, 'c'), (5e-324, 0.0, 1, NULL)) t(x, y, n, label)
            """)
        for width in [1, 9, 30, 200] {
            shell.settings.maxWidth = width
            for command in ["line x y", "line n x y", "scatter x y", "scatter n n", "bar label x", "bar label n", "hist x", "hist n 1000", "hist y 1"] {
                XCTAssertTrue(shell.runDotCommand(".chart \(command)"), "\(command) at \(width): \(errors)")
                let path = directory + "/extreme.svg"
                XCTAssertTrue(shell.runDotCommand(".chart \(command) --svg \(path)"), "\(command): \(errors)")
                _ = try parseSVG(path)
            }
        }
        XCTAssertTrue(shell.runSQL("SELECT TIMESTAMP '2025-01-01 00:00:00' AS t, DATE '0001-01-01' AS d, 1 AS y UNION ALL SELECT TIMESTAMP '2025-01-01 00:00:01', DATE '9999-12-31', 2"))
        XCTAssertTrue(shell.runDotCommand(".chart line t y"), errors)
        XCTAssertTrue(shell.runDotCommand(".chart line d y"), errors)
    }

    func testSVGIsNotWrittenInSafeMode() throws {
        let shell = try shell(after: "SELECT 1 AS x, 2 AS y")
        shell.database.settings.fileAccess = .safe(files: [], directories: [])
        XCTAssertFalse(shell.runDotCommand(".chart scatter x y --svg \(directory)/x.svg"))
        XCTAssertTrue(errors.hasPrefix("Permission Error: writing"), errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/x.svg"))
    }

    func testTicksAreRoundNumbersAndCalendarDates() {
        let numeric = AxisTicks.numeric(low: 16532, high: 115732, maxCount: 6)
        XCTAssertEqual(numeric.ticks.map(\.label), ["0", "50,000", "100,000", "150,000"])
        XCTAssertEqual(AxisTicks.numeric(low: 0.2, high: 0.9, maxCount: 5).ticks.map(\.label), ["0.2", "0.4", "0.6", "0.8", "1.0"])
        let start = Double(DateCodec.days(year: 2025, month: 1, day: 15)), end = Double(DateCodec.days(year: 2025, month: 12, day: 31))
        XCTAssertEqual(AxisTicks.dates(low: start, high: end, maxCount: 5).map(\.label), ["2025-04", "2025-07", "2025-10"])
        XCTAssertEqual(AxisTicks.dates(low: start, high: start + 20, maxCount: 4).map(\.label), ["2025-01-20", "2025-01-27", "2025-02-03"])
        XCTAssertEqual(AxisTicks.dates(low: Double(DateCodec.days(year: 2010, month: 1, day: 1)), high: end, maxCount: 5).map(\.label),
                       ["2010", "2015", "2020", "2025"])
    }
}
