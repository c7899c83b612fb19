// SQLite's sqllogictest corpus, run the way DuckDB runs it: in a session switched
// to SQLite's integer division and NULL on division by zero. Each file must pass
// a share of its records. The shares are the analytic-SQL issue's targets
// (99% for select1–5, 98% for random/ and index/, 95% for evidence/ as a whole).
import Foundation
import MinerQL
import SQLLogicTest
import XCTest

final class ConformanceTests: XCTestCase {
    static let compatibility = ["SET integer_division = true", "SET error_on_division_by_zero = false"]

    private var corpus: URL { TestPaths.shared.appendingPathComponent("conformance/sqllogictest") }

    private func report(_ relativePath: String) throws -> TestReport {
        let url = corpus.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("\(url.path) not found: the shared folder is not beside the repository")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        let report = SQLLogicTestRunner().run(text, file: relativePath, database: Database(), setup: Self.compatibility)
        print(report.summary)
        return report
    }

    private func require(_ files: [String], atLeast share: Double) throws {
        for file in files {
            let result = try report(file)
            let ratio = Double(result.passed) / Double(max(1, result.passed + result.failed))
            XCTAssertGreaterThanOrEqual(ratio, share, "\(result.summary)\nfirst failures:\n" + result.failures.prefix(5).joined(separator: "\n\n"))
        }
    }

    func testSelectFiles() throws {
        try require((1...5).map { "select\($0).test" }, atLeast: 0.99)
    }

    func testOneFileOfEachRandomAndIndexKind() throws {
        try require(["random/aggregates/slt_good_0.test", "random/expr/slt_good_0.test", "random/groupby/slt_good_0.test",
                     "random/select/slt_good_0.test", "index/between/1/slt_good_0.test", "index/commute/10/slt_good_10.test",
                     "index/delete/1/slt_good_0.test", "index/orderby/10/slt_good_0.test", "index/orderby_nosort/10/slt_good_0.test",
                     "index/random/1000/slt_good_0.test", "index/view/10000/slt_good_0.test"], atLeast: 0.98)
    }

    func testEvidenceFiles() throws {
        let directory = corpus.appendingPathComponent("evidence")
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw XCTSkip("no evidence files beside the repository")
        }
        var passed = 0, failed = 0
        for file in files.sorted() where file.hasSuffix(".test") {
            let result = try report("evidence/" + file)
            passed += result.passed
            failed += result.failed
        }
        print("evidence: \(passed) passed, \(failed) failed")
        XCTAssertGreaterThanOrEqual(Double(passed) / Double(max(1, passed + failed)), 0.95)
    }
}
