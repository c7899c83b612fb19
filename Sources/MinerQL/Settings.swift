// Session settings changed with `SET name = value`. Names and defaults are
// DuckDB's; the two compatibility switches exist for SQLite's test corpus.
import Glibc

/// The settings of one database session.
public struct Settings: Sendable {
    /// `/` on two integers is integer division (SQLite's behaviour). Default off.
    public var integerDivision = false
    /// Division or modulo by zero is an error (DuckDB's default) rather than NULL.
    public var errorOnDivisionByZero = true
    /// A scalar subquery returning several rows is an error.
    public var scalarSubqueryErrorOnMultipleRows = true
    /// Threads a statement may use (scans and aggregates split across them);
    /// DuckDB's `threads`, defaulting to the number of cores.
    public var threads = Settings.cores
    /// Bytes the process may hold before a statement stops with an Out of
    /// Memory Error (DuckDB's `memory_limit`, default 80% of physical memory).
    public var memoryLimit = MemoryLimit.defaultBytes
    /// Where NULLs sort when ORDER BY does not say (DuckDB's `default_null_order`).
    public var defaultNullOrder = NullOrder.nullsLast
    /// Whether the shell draws a progress bar for a long statement at a
    /// terminal (DuckDB's `enable_progress_bar`).
    public var progressBar = true
    /// Which files statements may read and write (`--safe`); no SET changes it.
    public var fileAccess = FileAccess.unrestricted

    static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// The values of `default_null_order`, with DuckDB's names.
    public enum NullOrder: String, Sendable, CaseIterable {
        case nullsFirst = "nulls_first"
        case nullsLast = "nulls_last"
        case nullsFirstOnAscLastOnDesc = "nulls_first_on_asc_last_on_desc"
        case nullsLastOnAscFirstOnDesc = "nulls_last_on_asc_first_on_desc"
    }

    /// Whether NULLs come first in an ORDER BY item: as written, else as
    /// `default_null_order` says for the item's direction.
    func nullsFirst(_ written: Bool?, descending: Bool) -> Bool {
        if let written { return written }
        switch defaultNullOrder {
        case .nullsFirst: return true
        case .nullsLast: return false
        case .nullsFirstOnAscLastOnDesc: return !descending
        case .nullsLastOnAscFirstOnDesc: return descending
        }
    }

    public init() {}

    mutating func set(_ name: String, _ value: Value, at position: SourcePosition) throws {
        func boolean() throws -> Bool {
            guard case .boolean(let b) = try Cast.value(value, to: .boolean, at: position) else {
                throw MinerQLError(.invalidInput, "setting \(name) expects a BOOLEAN", at: position)
            }
            return b
        }
        switch name.lowercased() {
        case "integer_division": integerDivision = try boolean()
        case "error_on_division_by_zero": errorOnDivisionByZero = try boolean()
        case "scalar_subquery_error_on_multiple_rows": scalarSubqueryErrorOnMultipleRows = try boolean()
        case "threads", "worker_threads":
            guard case .bigint(let n) = try Cast.value(value, to: .bigint, at: position), n >= 1, n <= 1024 else {
                throw MinerQLError(.invalidInput, "threads must be between 1 and 1024", at: position)
            }
            threads = Int(n)
        case "memory_limit", "max_memory":
            guard case .varchar(let text) = try Cast.value(value, to: .varchar, at: position) else {
                throw MinerQLError(.parser, "Memory must have a number (e.g. 1GB)", at: position)
            }
            memoryLimit = try MemoryLimit.parse(text)
        case "default_null_order", "null_order":
            let text = try Cast.value(value, to: .varchar, at: position).description.lowercased()
            let short: [String: NullOrder] = ["first": .nullsFirst, "last": .nullsLast]
            guard let order = NullOrder(rawValue: text) ?? short[text] else {
                throw MinerQLError(.invalidInput, "Unrecognized null order '\(text)', expected either NULLS FIRST, NULLS LAST, NULLS_FIRST_ON_ASC_LAST_ON_DESC or NULLS_LAST_ON_ASC_FIRST_ON_DESC", at: position)
            }
            defaultNullOrder = order
        case "enable_progress_bar": progressBar = try boolean()
        case "preserve_insertion_order":
            // Results always keep insertion order, which both values allow.
            _ = try boolean()
        default:
            var message = "unrecognized configuration parameter \"\(name)\""
            let known = ["integer_division", "error_on_division_by_zero", "scalar_subquery_error_on_multiple_rows", "threads", "memory_limit",
                         "default_null_order", "preserve_insertion_order", "enable_progress_bar"]
            if let suggestion = closestMatch(to: name, in: known) { message += "\n\nDid you mean: \"\(suggestion)\"" }
            throw MinerQLError(.catalog, message, at: position)
        }
    }
}
