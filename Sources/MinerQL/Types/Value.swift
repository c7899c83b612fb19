// A single SQL value. Used for constants, parameters and results handed to the
// shell, never in the executor's hot loops, which work on typed vectors.

/// One SQL value of any type.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case boolean(Bool)
    case bigint(Int64)
    case double(Double)
    case varchar(String)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since 1970-01-01 00:00:00.
    case timestamp(Int64)
    case interval(Interval)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value's own type (`.null` for NULL).
    public var type: DataType {
        switch self {
        case .null: return .null
        case .boolean: return .boolean
        case .bigint: return .bigint
        case .double: return .double
        case .varchar: return .varchar
        case .date: return .date
        case .timestamp: return .timestamp
        case .interval: return .interval
        }
    }

    /// The text a user sees: ISO dates, shortest round-tripping doubles,
    /// `true`/`false`, and `NULL` for NULL.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .boolean(let b): return b ? "true" : "false"
        case .bigint(let i): return String(i)
        case .double(let d): return Value.format(double: d)
        case .varchar(let s): return s
        case .date(let d): return DateCodec.format(days: d)
        case .timestamp(let t): return DateCodec.format(micros: t)
        case .interval(let i): return i.description
        }
    }

    /// Formats a double in the shortest form that round-trips, as DuckDB does.
    public static func format(double d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }
}
