// Integer arithmetic on user data. Swift traps on overflow, and in the engine a
// trap is a crashed session, so every operation whose operands come from data,
// literals or function arguments goes through these helpers (or through a
// `…ReportingOverflow` call of its own), and an overflow becomes DuckDB's
// `Out of Range Error: Overflow in addition of INT32 (2147483647 + 1)!`.

enum CheckedMath {
    /// DuckDB's name of an integer type in overflow messages.
    private static func name<T: FixedWidthInteger>(_: T.Type) -> String { "INT\(T.bitWidth)" }

    private static func overflow<T: FixedWidthInteger>(_ what: String, _ a: T, _ op: String, _ b: T,
                                                      at position: SourcePosition?) -> MinerQLError {
        MinerQLError(.outOfRange, "Overflow in \(what) of \(name(T.self)) (\(a) \(op) \(b))!", at: position)
    }

    static func add<T: FixedWidthInteger>(_ a: T, _ b: T, at position: SourcePosition? = nil) throws -> T {
        let (sum, overflowed) = a.addingReportingOverflow(b)
        if overflowed { throw overflow("addition", a, "+", b, at: position) }
        return sum
    }

    static func subtract<T: FixedWidthInteger>(_ a: T, _ b: T, at position: SourcePosition? = nil) throws -> T {
        let (difference, overflowed) = a.subtractingReportingOverflow(b)
        if overflowed { throw overflow("subtraction", a, "-", b, at: position) }
        return difference
    }

    static func multiply<T: FixedWidthInteger>(_ a: T, _ b: T, at position: SourcePosition? = nil) throws -> T {
        let (product, overflowed) = a.multipliedReportingOverflow(by: b)
        if overflowed { throw overflow("multiplication", a, "*", b, at: position) }
        return product
    }

    /// Truncating division; the caller has ruled out a zero divisor.
    static func divide<T: FixedWidthInteger>(_ a: T, _ b: T, at position: SourcePosition? = nil) throws -> T {
        let (quotient, overflowed) = a.dividedReportingOverflow(by: b)
        if overflowed { throw overflow("division", a, "/", b, at: position) }
        return quotient
    }

    static func negate<T: FixedWidthInteger & SignedInteger>(_ a: T, at position: SourcePosition? = nil) throws -> T {
        guard a != T.min else {
            throw MinerQLError(.outOfRange, "Overflow in negation of \(name(T.self)) (\(a))!", at: position)
        }
        return -a
    }

    /// A BIGINT narrowed to INT32, with DuckDB's cast error.
    static func int32(_ value: Int64, at position: SourcePosition? = nil) throws -> Int32 {
        guard let narrow = Int32(exactly: value) else {
            throw MinerQLError(.invalidInput, "Type INT64 with value \(value) can't be cast because the value is out of range for the destination type INT32", at: position)
        }
        return narrow
    }

    /// Floor division by a positive constant and its remainder (0 ≤ remainder
    /// < divisor), without the `a - b + 1` that overflows near Int64.min.
    static func floorDivide(_ a: Int64, by b: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = a / b, remainder = a % b
        if remainder < 0 {
            quotient -= 1
            remainder += b
        }
        return (quotient, remainder)
    }
}
