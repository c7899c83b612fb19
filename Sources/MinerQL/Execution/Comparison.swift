// Comparison kernels. The binder has already cast both sides to one type, so each
// case is a tight loop over two arrays of the same element type.

enum Comparison {
    @inline(__always)
    static func test<T: Comparable>(_ op: BinaryOperator, _ a: T, _ b: T) -> Bool {
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessEqual: return a <= b
        case .greater: return a > b
        case .greaterEqual: return a >= b
        default: return false
        }
    }

    static func loop<T: Comparable>(_ op: BinaryOperator, _ a: [T], _ b: [T]) -> [Bool] {
        var output = [Bool](repeating: false, count: a.count)
        switch op {
        case .equal: for i in 0..<a.count { output[i] = a[i] == b[i] }
        case .notEqual: for i in 0..<a.count { output[i] = a[i] != b[i] }
        case .less: for i in 0..<a.count { output[i] = a[i] < b[i] }
        case .lessEqual: for i in 0..<a.count { output[i] = a[i] <= b[i] }
        case .greater: for i in 0..<a.count { output[i] = a[i] > b[i] }
        case .greaterEqual: for i in 0..<a.count { output[i] = a[i] >= b[i] }
        default: break
        }
        return output
    }

    static func compare(_ op: BinaryOperator, _ a: Vector, _ b: Vector) -> Vector {
        let validity = a.validity.intersection(b.validity)
        let output: [Bool]
        switch (a.data, b.data) {
        case (.bigint(let x), .bigint(let y)): output = loop(op, x, y)
        case (.double(let x), .double(let y)):
            // DuckDB orders NaN above every number and equal to itself; IEEE
            // comparison is kept for the common case without NaNs.
            if x.contains(where: \.isNaN) || y.contains(where: \.isNaN) {
                output = zip(x, y).map { test(op, ValueOrder.compareDoubles($0, $1), 0) }
            } else {
                output = loop(op, x, y)
            }
        case (.date(let x), .date(let y)): output = loop(op, x, y)
        case (.timestamp(let x), .timestamp(let y)): output = loop(op, x, y)
        case (.interval(let x), .interval(let y)): output = loop(op, x, y)
        case (.varchar(let x), .varchar(let y)): output = stringLoop(op, x, y)
        case (.boolean(let x), .boolean(let y)): output = loop(op, x.map { $0 ? 1 : 0 }, y.map { $0 ? 1 : 0 })
        default:
            return Vector.nulls(.boolean, count: a.count)
        }
        return Vector(.boolean(output), validity: validity)
    }

    /// Strings compare by their UTF-8 bytes (as DuckDB does), not by Unicode
    /// canonical equivalence as Swift's `<` would.
    static func stringLoop(_ op: BinaryOperator, _ a: StringVector, _ b: StringVector) -> [Bool] {
        var output = [Bool](repeating: false, count: a.count)
        a.withReader { a in
            b.withReader { b in
                switch op {
                case .equal: for i in 0..<a.count { output[i] = a.isSame(i, as: b, i) }
                case .notEqual: for i in 0..<a.count { output[i] = !a.isSame(i, as: b, i) }
                default: for i in 0..<a.count { output[i] = test(op, a.compare(i, b, i), 0) }
                }
            }
        }
        return output
    }

    /// -1, 0 or 1 by UTF-8 byte order.
    @inline(__always)
    static func compareStrings(_ a: String, _ b: String) -> Int {
        // Native strings (all the engine makes) expose their bytes without a copy.
        if let order = a.utf8.withContiguousStorageIfAvailable({ p in
            b.utf8.withContiguousStorageIfAvailable { q in compareBytes(p, q) }
        }), let order { return order }
        return compareBytes(Array(a.utf8), Array(b.utf8))
    }

    @inline(__always)
    private static func compareBytes<C: Collection<UInt8>>(_ p: C, _ q: C) -> Int where C.Index == Int {
        let n = min(p.count, q.count)
        var i = 0
        while i < n {
            let x = p[p.startIndex + i], y = q[q.startIndex + i]
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return p.count < q.count ? -1 : (p.count > q.count ? 1 : 0)
    }

    /// IS [NOT] DISTINCT FROM: never NULL; two NULLs are not distinct.
    static func distinct(_ a: Vector, _ b: Vector, negated: Bool) -> Vector {
        let equal = compare(.equal, a, b)
        let values = Logic.booleans(equal)
        var output = [Bool](repeating: false, count: a.count)
        for row in 0..<a.count {
            let aNull = a.isNull(row), bNull = b.isNull(row)
            let isDistinct = aNull || bNull ? aNull != bNull : !values[row]
            output[row] = isDistinct != negated
        }
        return Vector(.boolean(output))
    }
}
