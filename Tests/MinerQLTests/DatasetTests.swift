// The built-in datasets: exact headers, row counts, parseable types, referential
// integrity, spot values, and every figure of quarters.csv and deals.csv checked
// against the fact sheet in ../shared/research (and every stated figure present).
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
            "quarters": "ticker,fiscal_label,period_end,revenue_usd_m,mining_revenue_usd_m,hpc_revenue_usd_m,capex_usd_m,btc_mined,hashrate_eh,net_income_usd_m,adj_ebitda_usd_m,cash_usd_m,btc_held,source_grade,source",
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
        let counts = ["miners": 12, "quarters": 83, "prices": 55, "deals": 20]
        for (name, count) in counts {
            XCTAssertEqual(try db.execute("SELECT count(*) FROM \(name)").last?.rows, [[.bigint(Int64(count))]], name)
        }
        let types = { (table: String) in db.schema(of: table)!.map(\.type) }
        XCTAssertEqual(types("miners"), [.varchar, .varchar, .varchar, .varchar, .varchar, .bigint, .varchar])
        XCTAssertEqual(types("quarters"), [.varchar, .varchar, .date, .double, .double, .double, .double, .bigint, .double, .double,
                                           .double, .double, .bigint, .varchar, .varchar])
        XCTAssertEqual(types("prices"), [.date, .varchar, .double, .double, .double, .double])
        XCTAssertEqual(types("deals"), [.varchar, .varchar, .date, .double, .double, .bigint, .varchar, .varchar])
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
        XCTAssertEqual(try rows("SELECT revenue_usd_m, btc_mined, adj_ebitda_usd_m, btc_held, source_grade FROM quarters WHERE ticker = 'MARA' AND fiscal_label = 'Q4 2024'"),
                       [[.double(214.4), .bigint(2492), .double(794.4), .bigint(44893), .varchar("primary")]])
        XCTAssertEqual(try rows("SELECT net_income_usd_m, adj_ebitda_usd_m FROM quarters WHERE ticker = 'MARA' AND fiscal_label = 'Q4 2025'"),
                       [[.double(-1710), .double(-1490)]])
        XCTAssertEqual(try rows("SELECT cash_usd_m FROM quarters WHERE ticker = 'IREN' AND fiscal_label = 'Q2 FY26'"), [[.double(3260)]])
        XCTAssertEqual(try rows("SELECT source_grade FROM quarters WHERE ticker = 'BTDR' AND fiscal_label = 'Q1 2025'"), [[.varchar("weak")]])
        XCTAssertEqual(try rows("SELECT count(*) FROM quarters WHERE source_grade NOT IN ('primary', 'secondary', 'weak')"), [[.bigint(0)]])
        // A deal added in this edition, its qualifiers moved to note.
        XCTAssertEqual(try rows("SELECT mw, value_usd_bn, years, note LIKE 'mw 25 (initial critical IT); value_usd_bn 0.311 (initial term); Rockdale TX%' FROM deals WHERE ticker = 'RIOT' AND announced = DATE '2026-01-16'"),
                       [[.double(25), .double(0.311), .bigint(10), .boolean(true)]])
        XCTAssertEqual(try rows("SELECT count(*) FROM deals WHERE announced IS NULL AND note NOT LIKE 'announced %'"), [[.bigint(0)]])
    }

    /// The fact sheet's CSV files loaded into a database of their own, or a skip.
    private func factSheet() throws -> Database {
        let folder = TestPaths.shared.appendingPathComponent("research")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("deals.csv").path) else {
            throw XCTSkip("fact sheet not found at \(folder.path)")
        }
        let facts = Database()
        for name in ["quarterly_figures", "deals"] {
            let path = folder.appendingPathComponent("\(name).csv").path
            try facts.execute("CREATE TABLE \(name) AS FROM read_csv('\(path)', all_varchar = true)")
        }
        return facts
    }

    /// Checks quarters.csv against the fact sheet's quarterly figures cell by
    /// cell, in both directions, and the grade against the row's flag.
    func testQuartersMatchTheFactSheet() throws {
        // Outside XCTUnwrap, so a missing fact sheet skips rather than fails.
        let facts = try factSheet()
        let sheet = try XCTUnwrap(try facts.execute("""
            SELECT ticker, period_label, period_end, total_revenue_musd, mining_revenue_musd, hpc_ai_revenue_musd,
                   btc_mined, hashrate_ehs, coalesce(other, ''), adj_ebitda_musd, cash_musd, btc_held
              FROM quarterly_figures WHERE period_label NOT LIKE 'FY%'
            """).last).rows
        let ours = try rows("""
            SELECT ticker, fiscal_label, period_end, revenue_usd_m, mining_revenue_usd_m, hpc_revenue_usd_m,
                   capex_usd_m, btc_mined, hashrate_eh, net_income_usd_m, adj_ebitda_usd_m, cash_usd_m, btc_held, source_grade
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
            // IREN Q1 FY25's installed hashrate is stated only in `other` (the first edition's figure).
            let hashrate = leadingNumber(text[7]) ?? firstMatch(#"installed ([0-9.]+) EH/s"#, in: other)
            var income = firstMatch(#"\bN[IP](?: attributable)? ([0-9.]+)(m|bn)"#, in: other, scaled: true)
            if let loss = firstMatch(#"\bNL(?: attributable)?(?: from continuing ops)? ~?([0-9.]+)(m|bn)"#, in: other, scaled: true),
               income == nil || other.range(of: "NL")!.lowerBound < other.range(of: #"\bN[IP]"#, options: .regularExpression)!.lowerBound {
                income = -loss
            }
            // The seed article's IREN figure is the one capex not in the fact sheet's rows (FACTS.md §1).
            let capex = firstMatch(#"capex ([0-9.]+)m"#, in: other) ?? (key == "IREN Q2 FY26" ? 800 : nil)
            let expected: [(String, Double?, Value)] = [
                ("revenue", leadingNumber(text[3]), row[3]), ("mining", leadingNumber(text[4]), row[4]),
                ("hpc", leadingNumber(text[5]), row[5]), ("capex", capex, row[6]),
                ("btc_mined", leadingNumber(text[6]), row[7]), ("hashrate", hashrate, row[8]),
                ("net_income", income, row[9]), ("adj_ebitda", leadingNumber(text[9]), row[10]),
                ("cash", leadingNumber(text[10]), row[11]), ("btc_held", leadingNumber(text[11]), row[12]),
            ]
            for (column, want, got) in expected {
                switch (want, got) {
                case (nil, .null): break
                case (let w?, .double(let g)): XCTAssertEqual(g, w, accuracy: 1e-9, "\(key) \(column)")
                case (let w?, .bigint(let g)): XCTAssertEqual(Double(g), w, "\(key) \(column)")
                default: XCTFail("\(key) \(column): fact sheet \(String(describing: want)), quarters.csv \(got)")
                }
            }
            let flag = other.lowercased()
            if flag.hasPrefix("secondary") || flag.hasPrefix("weak") {
                XCTAssertEqual(row[13].description, flag.hasPrefix("weak") ? "weak" : "secondary", "\(key) source_grade")
            }
        }
    }

    /// Every fact-sheet deal is a row with the same leading figures, and every
    /// qualifier the figure loses is kept in `note`.
    func testDealsMatchTheFactSheet() throws {
        let facts = try factSheet()
        let sheet = try XCTUnwrap(try facts.execute(
            "SELECT ticker, counterparty, announced, mw, value_usd_bn, years FROM deals").last).rows
        let ours = try rows("SELECT ticker, counterparty, announced, mw, value_usd_bn, years, note FROM deals")
        XCTAssertEqual(ours.count, sheet.count)
        for (fact, row) in zip(sheet, ours) {
            let text = fact.map { $0.isNull ? "" : $0.description }
            let key = "\(text[0]) \(text[1]) \(text[2])"
            XCTAssertEqual(row[0].description, text[0], key)
            XCTAssertEqual(row[1].description, text[1], key)
            let note = row[6].description
            let date = text[2].prefix(10)
            if text[2].range(of: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}"#, options: .regularExpression) != nil {
                XCTAssertEqual(row[2].description, String(date), key)
            } else {
                XCTAssertTrue(row[2].isNull, key)
            }
            if text[2] != String(date) || row[2].isNull { XCTAssertTrue(note.contains("announced \(text[2].prefix(7))"), key) }
            for (index, column) in [(3, "mw"), (4, "value_usd_bn"), (5, "years")] {
                let want = leadingNumber(text[index])
                switch (want, row[index]) {
                case (nil, .null): break
                case (let w?, .double(let g)): XCTAssertEqual(g, w, "\(key) \(column)")
                case (let w?, .bigint(let g)): XCTAssertEqual(Double(g), w, "\(key) \(column)")
                default: XCTFail("\(key) \(column): fact sheet \(text[index]), deals.csv \(row[index])")
                }
                if let w = want, text[index] != String(format: "%g", w), text[index] != row[index].description {
                    XCTAssertTrue(note.contains("\(column) \(text[index])"), "\(key) \(column) qualifier in note")
                }
                if want == nil { XCTAssertTrue(note.contains("\(column) \(text[index])"), "\(key) \(column) in note") }
            }
        }
    }

    /// The number a cell starts with (`29.4 (avg operating)` → 29.4, `~25` → 25, `-8.5`).
    private func leadingNumber(_ text: String) -> Double? {
        firstMatch(#"^[~>]?(-?[0-9.]+)"#, in: text)
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
