// The total order on values used by sorting, min/max and DISTINCT ordering:
// numbers numerically, strings by UTF-8 bytes, NULL handled by callers.

enum ValueOrder {
    /// -1, 0 or 1. Values of different types (only possible across NULLs or
    /// numeric mixes) compare numerically where they can.
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.bigint(let x), .bigint(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.double(let x), .double(let y)): return compareDoubles(x, y)
        case (.bigint(let x), .double(let y)): return compareDoubles(Double(x), y)
        case (.double(let x), .bigint(let y)): return compareDoubles(x, Double(y))
        case (.varchar(let x), .varchar(let y)): return Comparison.compareStrings(x, y)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.timestamp(let x), .timestamp(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.interval(let x), .interval(let y)): return x < y ? -1 : (y < x ? 1 : 0)
        case (.boolean(let x), .boolean(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        default: return 0
        }
    }

    /// NaN sorts above every other double, as in DuckDB.
    @inline(__always)
    static func compareDoubles(_ x: Double, _ y: Double) -> Int {
        if x < y { return -1 }
        if x > y { return 1 }
        if x == y { return 0 }
        return x.isNaN ? (y.isNaN ? 0 : 1) : -1
    }

    /// A double as a UInt64 whose unsigned order is SQL's (NaN above every
    /// number); -0.0 and 0.0 share a code, as do all NaNs.
    @inline(__always)
    static func orderCode(_ d: Double) -> UInt64 {
        let sign: UInt64 = 1 << 63
        let bits = (d.isNaN ? Double.nan : (d == 0 ? 0 : d)).bitPattern
        return bits & sign != 0 ? ~bits : bits | sign
    }

    /// The double whose `orderCode` is `code`.
    @inline(__always)
    static func double(fromOrderCode code: UInt64) -> Double {
        let sign: UInt64 = 1 << 63
        return Double(bitPattern: code & sign != 0 ? code ^ sign : ~code)
    }
}
