// What Tab offers in each context: tables after FROM and JOIN, files inside
// quotes, columns (qualified after `alias.`) and functions in expressions,
// pipe operators, keywords, and dot commands with their arguments.
import Foundation
import MinerQL
@testable import MinerQLShell
import XCTest

final class CompleterTests: XCTestCase {
    private var pending = ""
    private var completer: Completer!

    override func setUpWithError() throws {
        pending = ""
        let database = try Session.database(.builtin)
        completer = Completer(database: database, pendingInput: { self.pending }, resultColumns: { ["date", "close"] })
    }

    private func texts(_ before: String, after: String = "") -> [String] {
        completer.complete(before: before, after: after).candidates.map(\.text)
    }

    func testTablesAndTableFunctionsAfterFromAndJoin() {
        XCTAssertEqual(texts("SELECT * FROM "), ["deals", "miners", "prices", "quarters", "read_csv", "read_json", "range", "generate_series"])
        XCTAssertEqual(texts("SELECT * FROM quarters q JOIN m"), ["miners"])
        XCTAssertEqual(texts("SELECT * FROM miners, q"), ["quarters"])
        XCTAssertEqual(completer.complete(before: "FROM pri").candidates, [Completer.Candidate(text: "prices", suffix: " ")])
        XCTAssertEqual(completer.complete(before: "FROM read_c").candidates, [Completer.Candidate(text: "read_csv", suffix: "(")])
        XCTAssertEqual(texts("WITH recent AS (SELECT 1) SELECT * FROM rec"), ["recent"])
    }

    func testColumnsOfTheStatementsTablesAndFunctions() {
        // Only the columns of the tables named, even after the cursor.
        XCTAssertEqual(texts("SELECT ti", after: " FROM miners"), ["ticker"])
        XCTAssertEqual(texts("SELECT * FROM deals WHERE coun"), ["counterparty", "count"])
        XCTAssertEqual(texts("SELECT * FROM quarters WHERE hpc"), ["hpc_revenue_usd_m"])
        XCTAssertEqual(texts("SELECT * FROM quarters ORDER BY period"), ["period_end"])
        XCTAssertEqual(texts("SELECT * FROM quarters GROUP BY tic"), ["ticker"])
        let functions = completer.complete(before: "SELECT date_tr").candidates
        XCTAssertEqual(functions, [Completer.Candidate(text: "date_trunc", suffix: "(")])
        XCTAssertTrue(texts("SELECT * FROM prices WHERE close > 1 A").contains("AND"))
        XCTAssertTrue(texts("select * from prices where close > 1 a").contains("and"), "keywords in the case typed")
    }

    func testQualifiedColumnsAfterAnAlias() {
        XCTAssertEqual(texts("SELECT m.", after: " FROM miners m JOIN quarters q USING (ticker)"),
                       ["ticker", "name", "exchange", "hq_city", "hq_country", "fy_end_month", "source"])
        XCTAssertEqual(texts("SELECT * FROM miners m JOIN quarters q ON q.tic"), ["ticker"])
        XCTAssertEqual(texts("SELECT * FROM quarters JOIN miners ON quarters.fis"), ["fiscal_label"])
    }

    func testColumnsOnLaterLinesOfAStatement() {
        pending = "SELECT *\n  FROM deals d"
        XCTAssertEqual(texts(" WHERE d.mw"), [])
        XCTAssertEqual(texts(" WHERE d.m"), ["mw"])
        XCTAssertEqual(texts(" WHERE coun"), ["counterparty", "count"])
    }

    func testPipeOperatorsAndStatementKeywords() {
        XCTAssertEqual(texts("FROM prices |> AGG"), ["AGGREGATE"])
        XCTAssertEqual(texts("FROM prices |> WHERE clo"), ["close"])
        XCTAssertEqual(texts("sel"), ["select"])
        XCTAssertEqual(texts("SELECT 1; DES"), ["DESCRIBE"])
        XCTAssertEqual(texts("SELECT * FROM prices WH"), ["WHERE"])
    }

    func testFilesInsideQuotes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-complete-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/sub dir", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for file in ["prices.csv", "deals.json", "notes.md", ".hidden.csv"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + file, contents: Data()))
        }
        let all = completer.complete(before: "SELECT * FROM '\(directory)/")
        XCTAssertEqual(all.word, "")
        XCTAssertEqual(all.candidates, [Completer.Candidate(text: "deals.json", suffix: "'"), Completer.Candidate(text: "prices.csv", suffix: "'"),
                                        Completer.Candidate(text: "sub dir", suffix: "/")])
        XCTAssertEqual(completer.complete(before: "FROM read_csv('\(directory)/pr").candidates.map(\.text), ["prices.csv"])
        XCTAssertEqual(completer.complete(before: ".read \(directory)/pr").candidates, [Completer.Candidate(text: "prices.csv", suffix: "")])
        XCTAssertEqual(completer.complete(before: ".import '\(directory)/de").candidates, [Completer.Candidate(text: "deals.json", suffix: "'")])
        XCTAssertEqual(completer.complete(before: "SELECT 'it''s a str").candidates, [], "a string that names no file")
    }

    func testDotCommandsAndTheirArguments() {
        XCTAssertEqual(texts(".sc"), [".schema"])
        XCTAssertEqual(texts(".ma"), [".maxrows", ".maxwidth"])
        XCTAssertEqual(texts(".mode j"), ["json", "jsonl"])
        XCTAssertEqual(texts(".schema q"), ["quarters"])
        XCTAssertEqual(texts(".pager "), ["on", "off", "auto"])
        XCTAssertEqual(texts(".help a"), ["asof"])
        XCTAssertEqual(texts(".chart "), ["line", "bar", "scatter", "hist"])
        XCTAssertEqual(texts(".chart line "), ["date", "close", "--svg", "--title"])
        XCTAssertEqual(texts(".chart line date c"), ["close"])
        XCTAssertEqual(texts(".import data.csv q"), ["quarters"])
    }

    func testCommonPrefixIgnoresCase() {
        XCTAssertEqual(Completer.commonPrefix(["maxrows", "maxwidth"]), "max")
        XCTAssertEqual(Completer.commonPrefix(["Date", "date_trunc"]), "Date")
    }
}
