// Runs sqllogictest records against a Database and counts what passed. Values
// are printed the way the format expects: `I` as integers, `R` with three
// decimals, `T` as text with `(empty)` for the empty string, NULL as `NULL`;
// large results compare as an MD5 hash of the sorted values.
import Crypto
import Foundation
import MinerQL

/// The outcome of running one test file.
public struct TestReport: Sendable {
    public var file: String
    public var passed = 0
    public var failed = 0
    /// One description per failed record: line, SQL, expected and actual.
    public var failures: [String] = []

    /// `file: N passed, M failed`
    public var summary: String { "\(file): \(passed) passed, \(failed) failed" }
}

/// Runs sqllogictest text.
public struct SQLLogicTestRunner {
    public init() {}

    /// Runs a file's records on `database` (setup statements first).
    public func run(_ text: String, file: String, database: Database, setup: [String] = []) -> TestReport {
        var report = TestReport(file: file)
        for statement in setup {
            do { try database.execute(statement) } catch {
                report.failed += 1
                report.failures.append("setup '\(statement)' failed: \(error)")
            }
        }
        var hashThreshold = 0
        for record in RecordParser.parse(text) {
            switch record {
            case .halt: return report
            case .hashThreshold(let n): hashThreshold = n
            case .statement(let sql, let expectError, let errorText, let line):
                let outcome = Result { try database.execute(sql) }
                switch (outcome, expectError) {
                case (.success, false): report.passed += 1
                case (.failure(let error), true):
                    let message = (error as? MinerQLError)?.description ?? "\(error)"
                    // A blank line ends a record, so an expected text can only hold
                    // the message's lines up to its first blank line.
                    if let errorText, message != errorText && !message.hasPrefix(errorText + "\n\n") {
                        report.fail(line, sql, expected: errorText, actual: message)
                    } else {
                        report.passed += 1
                    }
                case (.success, true): report.fail(line, sql, expected: "an error", actual: "success")
                case (.failure(let error), false):
                    report.fail(line, sql, expected: "success", actual: (error as? MinerQLError)?.description ?? "\(error)")
                }
            case .query(let sql, let types, let sort, let expected, let line):
                do {
                    let results = try database.execute(sql)
                    guard let result = results.last else {
                        report.fail(line, sql, expected: "rows", actual: "no result")
                        continue
                    }
                    if compare(result, types: types, sort: sort, expected: expected, hashThreshold: hashThreshold) {
                        report.passed += 1
                    } else {
                        let actual = format(result, types: types, sort: sort).map { $0.joined(separator: "\t") }
                        report.fail(line, sql, expected: expected.joined(separator: "\n"), actual: actual.joined(separator: "\n"))
                    }
                } catch {
                    report.fail(line, sql, expected: expected.joined(separator: "\n"),
                                actual: (error as? MinerQLError)?.description ?? "\(error)")
                }
            }
        }
        return report
    }

    /// The canonical text of each value, row by row, sorted per the sort mode.
    func format(_ result: QueryResult, types: [Character], sort: SortMode) -> [[String]] {
        formatted(result, types: types, sort: sort).map { $0.map(\.canonical) }
    }

    /// Each value's canonical text and, for `R` columns, its natural text too:
    /// SQLite's files print reals with three decimals, DuckDB-style files as
    /// DuckDB prints them, and either is accepted outside hashed results.
    private func formatted(_ result: QueryResult, types: [Character], sort: SortMode) -> [[(canonical: String, natural: String)]] {
        var rows = result.rows.map { row in
            row.enumerated().map { i, value -> (canonical: String, natural: String) in
                let type: Character = i < types.count ? types[i] : "T"
                let canonical = SQLLogicTestRunner.canonical(value, type: type)
                return (canonical, type == "R" ? SQLLogicTestRunner.canonical(value, type: "T") : canonical)
            }
        }
        if sort == .rowSort {
            rows.sort { $0.map(\.canonical).joined(separator: "\t") < $1.map(\.canonical).joined(separator: "\t") }
        }
        return rows
    }

    static func canonical(_ value: Value, type: Character) -> String {
        switch value {
        case .null: return "NULL"
        case .varchar(let s) where type == "T": return s.isEmpty ? "(empty)" : s
        default: break
        }
        switch type {
        case "I":
            switch value {
            case .bigint(let i): return String(i)
            case .double(let d): return d.isFinite ? String(Int64(max(-9.2e18, min(9.2e18, d.rounded(.towardZero))))) : "0"
            case .boolean(let b): return b ? "1" : "0"
            case .varchar(let s): return String(Int64(s.prefix { $0.isNumber || $0 == "-" }) ?? 0)
            default: return value.description
            }
        case "R":
            switch value {
            case .bigint(let i): return String(format: "%.3f", Double(i))
            case .double(let d): return String(format: "%.3f", d)
            default: return value.description
            }
        default:
            return value.description
        }
    }

    private func compare(_ result: QueryResult, types: [Character], sort: SortMode, expected: [String], hashThreshold: Int) -> Bool {
        let rows = formatted(result, types: types, sort: sort)
        var values = rows.flatMap { $0 }
        if sort == .valueSort { values.sort { $0.canonical < $1.canonical } }
        if expected.count == 1, let hashed = expected.first, hashed.contains(" values hashing to ") {
            let parts = hashed.split(separator: " ")
            guard parts.count == 5, Int(parts[0]) == values.count else { return false }
            return md5(values.map(\.canonical)) == parts[4]
        }
        if hashThreshold > 0 && values.count > hashThreshold { return false }
        // Expected values come one per line (SQLite) or one row per line with tabs (DuckDB).
        let split: (String) -> [String] = { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var wanted = expected.flatMap(split)
        if sort == .valueSort { wanted.sort() }
        if sort == .rowSort && expected.count == rows.count && expected.count != wanted.count {
            // One row per line: sort the expected rows the same way as the actual ones.
            wanted = expected.sorted().flatMap(split)
        }
        guard wanted.count == values.count else { return false }
        return zip(wanted, values).allSatisfy { $0 == $1.canonical || $0 == $1.natural }
    }

    private func md5(_ values: [String]) -> String {
        var hasher = Insecure.MD5()
        for value in values { hasher.update(data: Data((value + "\n").utf8)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

extension TestReport {
    mutating func fail(_ line: Int, _ sql: String, expected: String, actual: String) {
        failed += 1
        failures.append("\(file):\(line): \(sql)\n  expected: \(expected)\n  actual:   \(actual)")
    }
}
