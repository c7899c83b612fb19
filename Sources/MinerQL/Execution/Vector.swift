// A column of values of one type: a typed contiguous buffer plus a validity mask.
// Every operator and kernel works on these, a chunk of about 2,048 rows at a time;
// `Value` appears only at the edges (constants, results).

/// The typed storage of a vector.
public enum VectorData: Sendable {
    case boolean([Bool])
    case bigint([Int64])
    case double([Double])
    case varchar(StringVector)
    /// Days since 1970-01-01.
    case date([Int32])
    /// Microseconds since 1970-01-01 00:00:00.
    case timestamp([Int64])
    case interval([Interval])
    /// Every row is NULL (the type of a bare NULL).
    case null(Int)
}

/// A column of `count` values of one type with a NULL mask.
public struct Vector: Sendable {
    public let type: DataType
    var data: VectorData
    var validity: Validity

    public var count: Int {
        switch data {
        case .boolean(let a): return a.count
        case .bigint(let a): return a.count
        case .double(let a): return a.count
        case .varchar(let a): return a.count
        case .date(let a): return a.count
        case .timestamp(let a): return a.count
        case .interval(let a): return a.count
        case .null(let n): return n
        }
    }

    init(_ data: VectorData, validity: Validity = .allValid) {
        switch data {
        case .boolean: type = .boolean
        case .bigint: type = .bigint
        case .double: type = .double
        case .varchar: type = .varchar
        case .date: type = .date
        case .timestamp: type = .timestamp
        case .interval: type = .interval
        case .null: type = .null
        }
        self.data = data
        self.validity = validity
    }

    /// An empty vector of the type.
    static func empty(_ type: DataType) -> Vector {
        switch type {
        case .boolean: return Vector(.boolean([]))
        case .bigint: return Vector(.bigint([]))
        case .double: return Vector(.double([]))
        case .varchar: return Vector(.varchar(StringVector()))
        case .date: return Vector(.date([]))
        case .timestamp: return Vector(.timestamp([]))
        case .interval: return Vector(.interval([]))
        case .null: return Vector(.null(0))
        }
    }

    /// `count` copies of a value, as a vector of `type`.
    static func constant(_ value: Value, type: DataType, count: Int) -> Vector {
        switch (value, type) {
        case (.null, _):
            return Vector.nulls(type, count: count)
        case (.boolean(let b), _): return Vector(.boolean([Bool](repeating: b, count: count)))
        case (.bigint(let i), .double): return Vector(.double([Double](repeating: Double(i), count: count)))
        case (.bigint(let i), _): return Vector(.bigint([Int64](repeating: i, count: count)))
        case (.double(let d), _): return Vector(.double([Double](repeating: d, count: count)))
        case (.varchar(let s), _): return Vector(.varchar(StringVector(repeating: s, count: count)))
        case (.date(let d), .timestamp):
            return Vector(.timestamp([Int64](repeating: DateCodec.saturatingTimestamp(days: d), count: count)))
        case (.date(let d), _): return Vector(.date([Int32](repeating: d, count: count)))
        case (.timestamp(let t), _): return Vector(.timestamp([Int64](repeating: t, count: count)))
        case (.interval(let i), _): return Vector(.interval([Interval](repeating: i, count: count)))
        }
    }

    /// `count` NULLs of a type.
    static func nulls(_ type: DataType, count: Int) -> Vector {
        let invalid = Validity.allInvalid(count)
        switch type {
        case .boolean: return Vector(.boolean([Bool](repeating: false, count: count)), validity: invalid)
        case .bigint: return Vector(.bigint([Int64](repeating: 0, count: count)), validity: invalid)
        case .double: return Vector(.double([Double](repeating: 0, count: count)), validity: invalid)
        case .varchar: return Vector(.varchar(StringVector(repeating: "", count: count)), validity: invalid)
        case .date: return Vector(.date([Int32](repeating: 0, count: count)), validity: invalid)
        case .timestamp: return Vector(.timestamp([Int64](repeating: 0, count: count)), validity: invalid)
        case .interval: return Vector(.interval([Interval](repeating: Interval(), count: count)), validity: invalid)
        case .null: return Vector(.null(count))
        }
    }

    /// False when no row is NULL, so loops can skip the per-row test.
    var mayHaveNulls: Bool {
        if case .null = data { return true }
        return validity.hasInvalid
    }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        if case .null = data { return true }
        return !validity.isValid(row)
    }

    /// The value at a row, for results and constants (not for hot loops).
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch data {
        case .boolean(let a): return .boolean(a[row])
        case .bigint(let a): return .bigint(a[row])
        case .double(let a): return .double(a[row])
        case .varchar(let a): return .varchar(a[row])
        case .date(let a): return .date(a[row])
        case .timestamp(let a): return .timestamp(a[row])
        case .interval(let a): return .interval(a[row])
        case .null: return .null
        }
    }

    /// The rows at `indices`, in that order: how a selection vector is applied.
    func gathered(_ indices: [Int]) -> Vector {
        let validity = self.validity.gathered(indices)
        switch data {
        case .boolean(let a): return Vector(.boolean(indices.map { a[$0] }), validity: validity)
        case .bigint(let a): return Vector(.bigint(indices.map { a[$0] }), validity: validity)
        case .double(let a): return Vector(.double(indices.map { a[$0] }), validity: validity)
        case .varchar(let a): return Vector(.varchar(a.gathered(indices)), validity: validity)
        case .date(let a): return Vector(.date(indices.map { a[$0] }), validity: validity)
        case .timestamp(let a): return Vector(.timestamp(indices.map { a[$0] }), validity: validity)
        case .interval(let a): return Vector(.interval(indices.map { a[$0] }), validity: validity)
        case .null: return Vector(.null(indices.count))
        }
    }

    /// `gathered(indices)` with the rows shared out among `threads` threads.
    func gathered(_ indices: [Int], threads: Int) throws -> Vector {
        guard threads > 1 else { return gathered(indices) }
        let validity = self.validity.gathered(indices)
        func gather<T>(_ source: [T]) throws -> [T] { try ParallelGather.rows(source, indices, threads: threads) }
        switch data {
        case .boolean(let a): return Vector(.boolean(try gather(a)), validity: validity)
        case .bigint(let a): return Vector(.bigint(try gather(a)), validity: validity)
        case .double(let a): return Vector(.double(try gather(a)), validity: validity)
        case .varchar(let a): return Vector(.varchar(try a.gathered(indices, threads: threads)), validity: validity)
        case .date(let a): return Vector(.date(try gather(a)), validity: validity)
        case .timestamp(let a): return Vector(.timestamp(try gather(a)), validity: validity)
        case .interval(let a): return Vector(.interval(try gather(a)), validity: validity)
        case .null: return Vector(.null(indices.count))
        }
    }

    /// This vector with `rows[k]` holding `values[k]` (a row named twice takes the later value).
    func replacingRows(_ rows: [Int], with values: Vector) -> Vector {
        var builder = VectorBuilder(type, capacity: count + values.count)
        builder.append(self)
        builder.append(values)
        var order = Array(0..<count)
        for (k, row) in rows.enumerated() { order[row] = count + k }
        return builder.build().gathered(order)
    }

    /// Rows `range`, renumbered from 0.
    func sliced(_ range: Range<Int>) -> Vector {
        if range.lowerBound == 0 && range.count == count { return self }
        let validity = self.validity.sliced(range)
        switch data {
        case .boolean(let a): return Vector(.boolean(Array(a[range])), validity: validity)
        case .bigint(let a): return Vector(.bigint(Array(a[range])), validity: validity)
        case .double(let a): return Vector(.double(Array(a[range])), validity: validity)
        case .varchar(let a): return Vector(.varchar(a.sliced(range)), validity: validity)
        case .date(let a): return Vector(.date(Array(a[range])), validity: validity)
        case .timestamp(let a): return Vector(.timestamp(Array(a[range])), validity: validity)
        case .interval(let a): return Vector(.interval(Array(a[range])), validity: validity)
        case .null: return Vector(.null(range.count))
        }
    }
}

/// Gathering rows on several threads, each writing its own share of the result.
enum ParallelGather {
    static func rows<T>(_ source: [T], _ indices: [Int], threads: Int) throws -> [T] {
        try [T](unsafeUninitializedCapacity: indices.count) { buffer, initialized in
            let target = SharedBuffer(buffer)
            let count = indices.count
            do {
                _ = try DeepStack.parallel(threads) { part in
                    for i in DeepStack.share(part, of: count, among: threads) {
                        target.buffer.initializeElement(at: i, to: source[indices[i]])
                    }
                }
                initialized = count
            } catch {
                initialized = 0
                throw error
            }
        }
    }
}
