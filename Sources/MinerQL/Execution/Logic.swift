// SQL's three-valued logic over boolean vectors.

enum Logic {
    static func booleans(_ v: Vector) -> [Bool] {
        if case .boolean(let a) = v.data { return a }
        return [Bool](repeating: false, count: v.count)
    }

    /// True where the value is TRUE (not FALSE, not NULL): what WHERE keeps.
    static func trueRows(_ v: Vector) -> [Bool] {
        let values = booleans(v)
        guard v.validity.hasInvalid else { return values }
        var output = values
        for row in 0..<output.count where !v.validity.isValid(row) { output[row] = false }
        return output
    }

    /// The rows whose flag is set, in order: a selection vector, built
    /// without a branch per row (every row is written, the count advances by
    /// its flag), so an unpredictable filter costs what a predictable one does.
    static func selection(_ keep: [Bool]) -> [Int] {
        [Int](unsafeUninitializedCapacity: keep.count) { rows, count in
            var k = 0
            keep.withUnsafeBufferPointer { keep in
                for row in 0..<keep.count {
                    rows[k] = row
                    k += keep[row] ? 1 : 0
                }
            }
            count = k
        }
    }

    static func not(_ v: Vector) -> Vector {
        if case .null = v.data { return v }
        return Vector(.boolean(booleans(v).map { !$0 }), validity: v.validity)
    }

    /// FALSE wins over NULL; NULL wins over TRUE.
    static func and(_ a: Vector, _ b: Vector) -> Vector {
        let count = a.count
        let x = booleans(a), y = booleans(b)
        var output = [Bool](repeating: false, count: count)
        var validity = Validity.allValid
        for row in 0..<count {
            let aNull = a.isNull(row), bNull = b.isNull(row)
            if (!aNull && !x[row]) || (!bNull && !y[row]) { continue }
            if aNull || bNull {
                validity.setInvalid(row, count: count)
            } else {
                output[row] = true
            }
        }
        return Vector(.boolean(output), validity: validity)
    }

    /// TRUE wins over NULL; NULL wins over FALSE.
    static func or(_ a: Vector, _ b: Vector) -> Vector {
        let count = a.count
        let x = booleans(a), y = booleans(b)
        var output = [Bool](repeating: false, count: count)
        var validity = Validity.allValid
        for row in 0..<count {
            let aNull = a.isNull(row), bNull = b.isNull(row)
            if (!aNull && x[row]) || (!bNull && y[row]) {
                output[row] = true
            } else if aNull || bNull {
                validity.setInvalid(row, count: count)
            }
        }
        return Vector(.boolean(output), validity: validity)
    }
}
