// Building blocks for function kernels: typed loops that map whole vectors and
// propagate NULLs, so each function is written once over plain Swift values.

enum Kernels {
    static func doubles(_ v: Vector) -> [Double] {
        switch v.data {
        case .double(let a): return a
        case .bigint(let a): return a.map(Double.init)
        default: return [Double](repeating: 0, count: v.count)
        }
    }

    static func bigints(_ v: Vector) -> [Int64] {
        if case .bigint(let a) = v.data { return a }
        return [Int64](repeating: 0, count: v.count)
    }

    static func dates(_ v: Vector) -> [Int32] {
        if case .date(let a) = v.data { return a }
        return [Int32](repeating: 0, count: v.count)
    }

    static func timestamps(_ v: Vector) -> [Int64] {
        if case .timestamp(let a) = v.data { return a }
        return [Int64](repeating: 0, count: v.count)
    }

    static func strings(_ v: Vector) -> StringVector {
        if case .varchar(let a) = v.data { return a }
        return StringVector(repeating: "", count: v.count)
    }

    /// A VARCHAR vector's rows as Swift Strings, for functions that work on
    /// Swift text (NULL rows as "").
    static func texts(_ v: Vector) -> [String] { strings(v).strings }

    static func mapDouble(_ v: Vector, _ f: (Double) -> Double) -> Vector {
        Vector(.double(doubles(v).map(f)), validity: v.validity)
    }

    static func mapBigint(_ v: Vector, _ f: (Int64) throws -> Int64) rethrows -> Vector {
        Vector(.bigint(try bigints(v).map(f)), validity: v.validity)
    }

    static func mapString(_ v: Vector, _ f: (String) -> String) -> Vector {
        var output = StringVector()
        output.reserveCapacity(v.count)
        strings(v).withReader { input in
            for row in 0..<input.count {
                if v.validity.isValid(row) { output.append(f(input.string(row))) } else { output.appendEmpty() }
            }
        }
        return Vector(.varchar(output), validity: v.validity)
    }

    static func bytesToBigint(_ v: Vector, _ f: (UnsafeRawBufferPointer) -> Int64) -> Vector {
        var output = [Int64](repeating: 0, count: v.count)
        strings(v).withReader { input in
            for row in 0..<input.count where v.validity.isValid(row) { output[row] = input.withBytes(row, f) }
        }
        return Vector(.bigint(output), validity: v.validity)
    }

    /// Validity of rows valid in every vector.
    static func validity(_ vectors: [Vector]) -> Validity {
        vectors.reduce(Validity.allValid) { $0.intersection($1.validity) }
    }
}
