// Arithmetic kernels with DuckDB's semantics: BIGINT overflow is an Out of Range
// Error (never a trap), `/` is floating division, `//` and `%` by zero are errors
// unless error_on_division_by_zero is off (but DOUBLE `%` is fmod: NaN), and
// DATE ± BIGINT moves by days.

enum Arithmetic {
    static func negate(_ v: Vector, at position: SourcePosition) throws -> Vector {
        switch v.data {
        case .bigint(let a):
            var output = [Int64](repeating: 0, count: a.count)
            for i in 0..<a.count where v.validity.isValid(i) {
                guard a[i] != .min else {
                    throw MinerQLError(.outOfRange, "Overflow in negation of INT64 (\(a[i]))!", at: position)
                }
                output[i] = -a[i]
            }
            return Vector(.bigint(output), validity: v.validity)
        case .double(let a): return Vector(.double(a.map { -$0 }), validity: v.validity)
        case .interval(let a):
            var output = [Interval](repeating: Interval(), count: a.count)
            for i in 0..<a.count where v.validity.isValid(i) {
                output[i] = Interval(months: try CheckedMath.negate(a[i].months, at: position), days: try CheckedMath.negate(a[i].days, at: position),
                                     micros: try CheckedMath.negate(a[i].micros, at: position))
            }
            return Vector(.interval(output), validity: v.validity)
        default: return v
        }
    }

    /// The error for `a op b` with `b` zero; `function` names the function
    /// the user called instead of the operator (`mod(a, b)`).
    private static func divisionByZero(_ op: BinaryOperator, _ a: String, _ b: String, function: String?,
                                       at position: SourcePosition) -> MinerQLError {
        let expression = function.map { "\($0)(\(a), \(b))" } ?? "(\(a) \(op.rawValue) \(b))"
        return MinerQLError(.invalidInput, "Division by zero in expression \(expression). Use TRY(...) to return NULL for this expression, or SET error_on_division_by_zero=false to return NULL for all divisions by zero.", at: position)
    }

    /// Each valid row's two strings joined, byte by byte (NULL rows empty).
    private static func concatenated(_ x: StringVector, _ y: StringVector, _ validity: Validity) throws -> StringVector {
        var output = StringVector()
        output.reserveCapacity(x.count)
        var joined: [UInt8] = []
        try x.withReader { x in
            try y.withReader { y in
                for i in 0..<x.count {
                    guard validity.isValid(i) else {
                        output.appendEmpty()
                        continue
                    }
                    joined.removeAll(keepingCapacity: true)
                    x.withBytes(i) { joined.append(contentsOf: $0) }
                    y.withBytes(i) { joined.append(contentsOf: $0) }
                    try FunctionRegistry.checkStringSize(joined.count, made: "||")
                    joined.withUnsafeBytes { output.append($0) }
                }
            }
        }
        return output
    }

    /// `a op b` row by row; `function` is the name the user called it by,
    /// when it was a function (`mod`), for the error messages.
    static func apply(_ op: BinaryOperator, _ a: Vector, _ b: Vector, type: DataType, settings: Settings,
                      at position: SourcePosition, function: String? = nil) throws -> Vector {
        var validity = a.validity.intersection(b.validity)
        let count = a.count
        if op == .concat {
            return Vector(.varchar(try concatenated(Kernels.strings(a), Kernels.strings(b), validity)), validity: validity)
        }
        switch (a.data, b.data) {
        case (.bigint(let x), .bigint(let y)):
            var output = [Int64](repeating: 0, count: count)
            for i in 0..<count where validity.isValid(i) {
                let (l, r) = (x[i], y[i])
                let result: (partialValue: Int64, overflow: Bool)
                switch op {
                case .add: result = l.addingReportingOverflow(r)
                case .subtract: result = l.subtractingReportingOverflow(r)
                case .multiply: result = l.multipliedReportingOverflow(by: r)
                case .integerDivide, .divide, .modulo:
                    if r == 0 {
                        if settings.errorOnDivisionByZero { throw divisionByZero(op, String(l), String(r), function: function, at: position) }
                        validity.setInvalid(i, count: count)
                        continue
                    }
                    result = op == .modulo ? l.remainderReportingOverflow(dividingBy: r) : l.dividedReportingOverflow(by: r)
                default: result = (0, false)
                }
                if result.overflow {
                    let name = op == .add ? "addition" : op == .subtract ? "subtraction" : op == .multiply ? "multiplication" : "division"
                    throw MinerQLError(.outOfRange, "Overflow in \(name) of INT64 (\(l) \(op.rawValue) \(r))!", at: position)
                }
                output[i] = result.partialValue
            }
            return Vector(.bigint(output), validity: validity)
        case (.double(let x), .double(let y)):
            var output = [Double](repeating: 0, count: count)
            switch op {
            case .add: for i in 0..<count { output[i] = x[i] + y[i] }
            case .subtract: for i in 0..<count { output[i] = x[i] - y[i] }
            case .multiply: for i in 0..<count { output[i] = x[i] * y[i] }
            case .divide: for i in 0..<count { output[i] = x[i] / y[i] }
            case .integerDivide:
                // As DuckDB 2.0: `/` on doubles is IEEE (±inf, NaN), `//` by zero
                // is a division by zero.
                for i in 0..<count where validity.isValid(i) {
                    if y[i] == 0 {
                        if settings.errorOnDivisionByZero {
                            throw divisionByZero(op, Value.format(double: x[i]), Value.format(double: y[i]), function: function, at: position)
                        }
                        validity.setInvalid(i, count: count)
                    } else {
                        output[i] = x[i] / y[i]
                    }
                }
            case .modulo:
                // fmod: NaN for a zero divisor (DuckDB 2.0 raises no error here).
                for i in 0..<count { output[i] = x[i].truncatingRemainder(dividingBy: y[i]) }
            default: break
            }
            return Vector(.double(output), validity: validity)
        case (.date(let x), .bigint(let y)), (.bigint(let y), .date(let x)):
            var output = [Int32](repeating: 0, count: count)
            for i in 0..<count where validity.isValid(i) {
                let (days, overflow) = op == .subtract
                    ? Int64(x[i]).subtractingReportingOverflow(y[i]) : Int64(x[i]).addingReportingOverflow(y[i])
                guard !overflow, let value = Int32(exactly: days) else {
                    throw MinerQLError(.outOfRange, "Date out of range", at: position)
                }
                output[i] = value
            }
            return Vector(.date(output), validity: validity)
        case (.timestamp(let x), .interval(let y)):
            var output = [Int64](repeating: 0, count: count)
            for i in 0..<count where validity.isValid(i) {
                guard let t = Interval.add(y[i], toMicros: x[i], sign: op == .subtract ? -1 : 1) else {
                    throw MinerQLError(.outOfRange, "Timestamp out of range", at: position)
                }
                output[i] = t
            }
            return Vector(.timestamp(output), validity: validity)
        case (.interval(let x), .interval(let y)):
            var output = [Interval](repeating: Interval(), count: count)
            for i in 0..<count where validity.isValid(i) {
                if op == .subtract {
                    output[i] = Interval(months: try CheckedMath.subtract(x[i].months, y[i].months, at: position),
                                         days: try CheckedMath.subtract(x[i].days, y[i].days, at: position),
                                         micros: try CheckedMath.subtract(x[i].micros, y[i].micros, at: position))
                } else {
                    output[i] = Interval(months: try CheckedMath.add(x[i].months, y[i].months, at: position),
                                         days: try CheckedMath.add(x[i].days, y[i].days, at: position),
                                         micros: try CheckedMath.add(x[i].micros, y[i].micros, at: position))
                }
            }
            return Vector(.interval(output), validity: validity)
        case (.interval(let x), .bigint(let y)):
            var output = [Interval](repeating: Interval(), count: count)
            for i in 0..<count where validity.isValid(i) {
                if op == .divide {
                    guard y[i] != 0 else { throw divisionByZero(op, x[i].description, "0", function: function, at: position) }
                    // Months count as 30 days; what the days leave over is spread
                    // over microseconds. |remainder| < |divisor|, so remainder ×
                    // a day ÷ divisor is under a day: the full-width product
                    // divides back into an Int64.
                    let totalDays = Int64(x[i].months) * 30 + Int64(x[i].days)
                    let remainder = totalDays % y[i]
                    let spread = y[i].dividingFullWidth(remainder.multipliedFullWidth(by: DateCodec.microsPerDay)).quotient
                    let micros = try CheckedMath.add(spread, CheckedMath.divide(x[i].micros, y[i], at: position), at: position)
                    output[i] = Interval(days: try CheckedMath.int32(totalDays / y[i], at: position), micros: micros)
                } else {
                    let factor = try CheckedMath.int32(y[i], at: position)
                    output[i] = Interval(months: try CheckedMath.multiply(x[i].months, factor, at: position),
                                         days: try CheckedMath.multiply(x[i].days, factor, at: position),
                                         micros: try CheckedMath.multiply(x[i].micros, y[i], at: position))
                }
            }
            return Vector(.interval(output), validity: validity)
        case (.timestamp(let x), .timestamp(let y)):
            var output = [Interval](repeating: Interval(), count: count)
            for i in 0..<count where validity.isValid(i) {
                let (difference, overflow) = x[i].subtractingReportingOverflow(y[i])
                guard !overflow else { throw MinerQLError(.outOfRange, "Interval value out of range", at: position) }
                output[i] = Interval(days: Int32(clamping: difference / DateCodec.microsPerDay), micros: difference % DateCodec.microsPerDay)
            }
            return Vector(.interval(output), validity: validity)
        case (.date(let x), .date(let y)):
            var output = [Int64](repeating: 0, count: count)
            for i in 0..<count { output[i] = Int64(x[i]) - Int64(y[i]) }
            return Vector(.bigint(output), validity: validity)
        default:
            return Vector.nulls(type, count: count)
        }
    }
}
