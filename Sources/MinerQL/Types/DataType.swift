// The logical types of the engine. Each maps to one physical column layout
// (see Execution/Vector.swift); there is deliberately no DECIMAL: decimal literals
// are DOUBLE.

/// A SQL column type.
public enum DataType: Hashable, Sendable, CustomStringConvertible {
    case boolean
    case bigint
    case double
    case varchar
    /// Days since 1970-01-01, stored as Int32.
    case date
    /// Microseconds since 1970-01-01 00:00:00, stored as Int64 (no time zone).
    case timestamp
    /// Months, days and microseconds (see Interval).
    case interval
    /// The type of a bare `NULL` before anything gives it a better one.
    case null

    /// The SQL name, as DESCRIBE and error messages show it.
    public var description: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .bigint: return "BIGINT"
        case .double: return "DOUBLE"
        case .varchar: return "VARCHAR"
        case .date: return "DATE"
        case .timestamp: return "TIMESTAMP"
        case .interval: return "INTERVAL"
        case .null: return "NULL"
        }
    }

    /// The short physical name DuckDB's box renderer prints under a column name.
    public var displayName: String {
        switch self {
        case .boolean: return "boolean"
        case .bigint: return "int64"
        case .double: return "double"
        case .varchar: return "varchar"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .interval: return "interval"
        case .null: return "\"null\""
        }
    }

    public var isNumeric: Bool { self == .bigint || self == .double }

    /// Parses a type name as written in `CAST(x AS …)` or `CREATE TABLE`, with
    /// the aliases DuckDB accepts. Returns nil for an unknown name.
    public init?(sqlName: String) {
        switch sqlName.uppercased() {
        case "BOOLEAN", "BOOL", "LOGICAL": self = .boolean
        case "BIGINT", "INT8", "LONG", "INTEGER", "INT", "INT4", "SIGNED", "SMALLINT", "INT2",
             "SHORT", "TINYINT", "INT1", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT":
            self = .bigint
        case "DOUBLE", "FLOAT8", "FLOAT", "FLOAT4", "REAL", "DECIMAL", "NUMERIC":
            self = .double
        case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR", "NVARCHAR", "CHARACTER":
            self = .varchar
        case "DATE": self = .date
        case "TIMESTAMP", "DATETIME", "TIMESTAMP_US": self = .timestamp
        case "INTERVAL": self = .interval
        default: return nil
        }
    }

    /// The type both operands are converted to when two types meet in an
    /// operator, a CASE, a UNION or a comparison; nil when there is none.
    static func common(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if a.isNumeric && b.isNumeric { return .double }
        if (a == .date && b == .timestamp) || (a == .timestamp && b == .date) { return .timestamp }
        return nil
    }
}
