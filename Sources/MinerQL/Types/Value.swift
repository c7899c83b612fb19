// A single SQL value. Used for constants, parameters and results handed to the
// shell, never in the executor's hot loops, which work on typed vectors.

/// One SQL value of any type. Equality and hashing are SQL's for keys, as in
/// DuckDB: every NaN is one value and -0.0 equals 0.0 (so GROUP BY, DISTINCT,
/// joins and set operations over `[Value]` keys see one NaN group), and
/// intervals compare normalized (`1 month` = `30 days`).
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

    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.bigint(let x), .bigint(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.varchar(let x), .varchar(let y)): return x == y
        case (.date(let x), .date(let y)): return x == y
        case (.timestamp(let x), .timestamp(let y)): return x == y
        case (.interval(let x), .interval(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .boolean(let x): hasher.combine(x)
        case .bigint(let x): hasher.combine(x)
        // Double's own hash already gives -0.0 and 0.0 one hash; NaNs get one too.
        case .double(let x): hasher.combine(x.isNaN ? Double.nan : x)
        case .varchar(let x): hasher.combine(x)
        case .date(let x): hasher.combine(x)
        case .timestamp(let x): hasher.combine(x)
        case .interval(let x): hasher.combine(x)
        }
    }

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
