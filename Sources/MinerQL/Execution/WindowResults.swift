// A window function's results, written one input row at a time in whatever
// order the partitions are walked: BIGINT and DOUBLE results straight into
// typed buffers (ranks, counts, sums, running extremes), results of other
// types as values.

struct WindowResults {
    let type: DataType
    private var integers: [Int64] = []
    private var doubles: [Double] = []
    private var others: [Value] = []
    /// Rows written with a non-NULL value; every other row is NULL.
    private var valid: [Bool]

    init(_ type: DataType, count: Int) {
        self.type = type
        valid = [Bool](repeating: false, count: count)
        switch type {
        case .bigint: integers = [Int64](repeating: 0, count: count)
        case .double: doubles = [Double](repeating: 0, count: count)
        default: others = [Value](repeating: .null, count: count)
        }
    }

    /// Sets a row to a value of the result's type (or NULL).
    mutating func set(_ row: Int, _ value: Value) {
        switch (type, value) {
        case (_, .null): valid[row] = false
        case (.bigint, .bigint(let i)): setInteger(row, i)
        case (.double, .double(let d)): setDouble(row, d)
        case (.double, .bigint(let i)): setDouble(row, Double(i))
        case (.bigint, _), (.double, _): valid[row] = false
        default:
            others[row] = value
            valid[row] = true
        }
    }

    /// Sets a row of a BIGINT result.
    @inline(__always) mutating func setInteger(_ row: Int, _ value: Int64) {
        integers[row] = value
        valid[row] = true
    }

    /// Sets a row of a DOUBLE result.
    @inline(__always) mutating func setDouble(_ row: Int, _ value: Double) {
        doubles[row] = value
        valid[row] = true
    }

    func build() -> Vector {
        switch type {
        case .bigint: return Vector(.bigint(integers), validity: validity())
        case .double: return Vector(.double(doubles), validity: validity())
        default:
            var builder = VectorBuilder(type, capacity: others.count)
            for value in others { builder.append(value) }
            return builder.build()
        }
    }

    /// The mask of the rows written with a value (typed results only: the
    /// others carry their NULLs as values).
    private func validity() -> Validity {
        guard valid.contains(false) else { return .allValid }
        var validity = Validity.allInvalid(valid.count)
        for (row, isValid) in valid.enumerated() where isValid { validity.setValid(row) }
        return validity
    }
}
