// The built-in datasets: exact headers, row counts, parseable types, referential
// integrity, spot values, and every figure of quarters.csv checked against the
// fact sheet in ../shared/research (and every stated figure present).
import Foundation
import MinerQL
import XCTest

final class DatasetTests: XCTestCase {
    private func database() throws -> Database { try SQLLogicTests.builtinDatabase() }

    private func rows(_ sql: String) throws -> [[Value]] {
        try XCTUnwrap(try database().execute(sql).last).rows
    }

    func testHeadersAreExact() throws {
        let expected = [
            "miners": "ticker,name,exchange,hq_city,hq_country,fy_end_month,source",
            "quarters": "ticker,fiscal_label,period_end,revenue_usd_m,mining_revenue_usd_m,hpc_revenue_usd_m,capex_usd_m,btc_mined,hashrate_eh,net_income_usd_m,source",
            "prices": "date,symbol,open,high,low,close",
            "deals": "ticker,counterparty,announced,mw,value_usd_bn,years,note,source",
        ]
        for (name, header) in expected {
            let text = try String(contentsOf: TestPaths.datasets.appendingPathComponent("\(name).csv"), encoding: .utf8)
            XCTAssertEqual(text.split(separator: "\n").first.map(String.init), header, name)
        }
    }

    func testRowCountsAndTypes() throws {
        let db = try database()
        let counts = ["miners": 12, "quarters": 33, "prices": 55, "deals": 11]
        for (name, count) in counts {
            XCTAssertEqual(try db.execute("SELECT count(*) FROM \(name)").last?.rows, [[.bigint(Int64(count))]], name)
        }
        let types = { (table: String) in db.schema(of: table)!.map(\.type) }
        XCTAssertEqual(types("miners"), [.varchar, .varchar, .varchar, .varchar, .varchar, .bigint, .varchar])
        XCTAssertEqual(types("quarters"), [.varchar, .varchar, .date, .double, .double, .double, .double, .bigint, .double, .double, .varchar])
        XCTAssertEqual(types("prices"), [.date, .varchar, .double, .double, .double, .double])
        XCTAssertEqual(types("deals"), [.varchar, .varchar, .date, .bigint, .double, .bigint, .varchar, .varchar])
    }

    func testEveryTickerIsAMiner() throws {
        XCTAssertEqual(try rows("""
            SELECT count(*) FROM (SELECT ticker FROM quarters) q
             WHERE NOT EXISTS (SELECT 1 FROM miners m WHERE m.ticker = q.ticker)
            """), [[.bigint(0)]])
        XCTAssertEqual(try rows("SELECT count(*) FROM deals WHERE ticker NOT IN (SELECT ticker FROM miners)"), [[.bigint(0)]])
        XCTAssertEqual(try rows("SELECT count(*) FROM miners WHERE fy_end_month NOT BETWEEN 1 AND 12"), [[.bigint(0)]])
    }

    func testSpotValues() throws {
        XCTAssertEqual(try rows("SELECT revenue_usd_m FROM quarters WHERE ticker = 'IREN' AND fiscal_label = 'Q1 FY26'"), [[.double(240.3)]])
        XCTAssertEqual(try rows("SELECT btc_mined FROM quarters WHERE ticker = 'MARA' AND fiscal_label = 'Q3 2025'"), [[.bigint(2144)]])
        XCTAssertEqual(try rows("SELECT close FROM prices WHERE date = DATE '2025-10-31'"), [[.double(109561.0)]])
        XCTAssertEqual(try rows("SELECT max(high) FROM prices"), [[.double(124750.0)]])
        XCTAssertEqual(try rows("SELECT capex_usd_m FROM quarters WHERE ticker = 'IREN' AND period_end = DATE '2025-12-31'"), [[.double(800)]])
        XCTAssertEqual(try rows("SELECT hq_city, fy_end_month FROM miners WHERE ticker = 'HIVE'"), [[.null, .bigint(3)]])
        XCTAssertEqual(try rows("SELECT count(*) FROM quarters WHERE fiscal_label LIKE 'FY%'"), [[.bigint(0)]])
    }

    /// Reads the fact sheet's quarterly figures and checks quarters.csv against
    /// them cell by cell, in both directions.
    func testQuartersMatchTheFactSheet() throws {
        let url = TestPaths.shared.appendingPathComponent("research/quarterly_figures.csv")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("fact sheet not found at \(url.path)")
        }
        let facts = try Database()
        try facts.loadCSV(table: "facts", text: try String(contentsOf: url, encoding: .utf8))
        let sheet = try XCTUnwrap(try facts.execute("""
            SELECT ticker, period_label, period_end::VARCHAR, total_revenue_musd::VARCHAR, mining_revenue_musd::VARCHAR,
                   hpc_ai_revenue_musd::VARCHAR, btc_mined::VARCHAR, hashrate_ehs::VARCHAR, other
              FROM facts WHERE period_label NOT LIKE 'FY%'
            """).last).rows
        let ours = try rows("""
            SELECT ticker, fiscal_label, period_end, revenue_usd_m, mining_revenue_usd_m, hpc_revenue_usd_m,
                   capex_usd_m, btc_mined, hashrate_eh, net_income_usd_m
              FROM quarters
            """)
        XCTAssertEqual(ours.count, sheet.count, "one quarters row per three-month period of the fact sheet")
        for fact in sheet {
            let text = fact.map { $0.isNull ? "" : $0.description }
            let key = "\(text[0]) \(text[1])"
            guard let row = ours.first(where: { $0[0].description == text[0] && $0[1].description == text[1] }) else {
                XCTFail("\(key) missing from quarters.csv")
                continue
            }
            XCTAssertEqual(row[2].description, text[2], "\(key) period_end")
            let other = text[8]
            let hashrate = leadingNumber(text[7]) ?? firstMatch(#"([0-9.]+) EH/s"#, in: other)
            var income = firstMatch(#"N[IP] ([0-9.]+)(m|bn)"#, in: other, scaled: true)
            if let loss = firstMatch(#"NL ([0-9.]+)(m|bn)"#, in: other, scaled: true) { income = -loss }
            // The seed article's IREN figure is the one capex not in this file (FACTS.md §1).
            let capex = firstMatch(#"capex ([0-9.]+)m"#, in: other) ?? (key == "IREN Q2 FY26" ? 800 : nil)
            let expected: [(String, Double?, Value)] = [
                ("revenue", leadingNumber(text[3]), row[3]), ("mining", leadingNumber(text[4]), row[4]),
                ("hpc", leadingNumber(text[5]), row[5]), ("capex", capex, row[6]),
                ("btc_mined", leadingNumber(text[6]), row[7]), ("hashrate", hashrate, row[8]),
                ("net_income", income, row[9]),
            ]
            for (column, want, got) in expected {
                switch (want, got) {
                case (nil, .null): break
                case (let w?, .double(let g)): XCTAssertEqual(g, w, accuracy: 1e-9, "\(key) \(column)")
                case (let w?, .bigint(let g)): XCTAssertEqual(Double(g), w, "\(key) \(column)")
                default: XCTFail("\(key) \(column): fact sheet \(String(describing: want)), quarters.csv \(got)")
                }
            }
        }
    }

    /// The number a cell starts with (`29.4 (avg operating)` → 29.4, `~25` → 25).
    private func leadingNumber(_ text: String) -> Double? {
        firstMatch(#"^~?([0-9.]+)"#, in: text)
    }

    /// The first capture of a pattern as a number; with `scaled`, a second
    /// capture of `bn` multiplies by 1,000 (figures are in millions).
    private func firstMatch(_ pattern: String, in text: String, scaled: Bool = false) -> Double? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text), let value = Double(text[range]) else { return nil }
        if scaled, match.numberOfRanges > 2, let unit = Range(match.range(at: 2), in: text), text[unit] == "bn" {
            return value * 1000
        }
        return value
    }
}
