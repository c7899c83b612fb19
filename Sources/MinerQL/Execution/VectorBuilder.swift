// Accumulates values of one type into a vector: used where rows arrive one at a
// time (VALUES, INSERT, CSV columns, results of per-row subqueries) or where
// chunks are concatenated into a table.

/// Builds a vector of a fixed type by appending.
struct VectorBuilder {
    let type: DataType
    private var booleans: [Bool] = []
    private var integers: [Int64] = []
    private var doubles: [Double] = []
    private var strings = StringVector()
    private var dates: [Int32] = []
    private var timestamps: [Int64] = []
    private var intervals: [Interval] = []
    private var nullRows: [Int] = []
    private(set) var count = 0

    init(_ type: DataType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .boolean: booleans.reserveCapacity(capacity)
        case .bigint: integers.reserveCapacity(capacity)
        case .double: doubles.reserveCapacity(capacity)
        case .varchar: strings.reserveCapacity(capacity)
        case .date: dates.reserveCapacity(capacity)
        case .timestamp: timestamps.reserveCapacity(capacity)
        case .interval: intervals.reserveCapacity(capacity)
        case .null: break
        }
    }

    /// Appends a value that already has this builder's type (or is NULL).
    mutating func append(_ value: Value) {
        switch (type, value) {
        case (_, .null):
            appendNull()
            return
        case (.boolean, .boolean(let b)): booleans.append(b)
        case (.bigint, .bigint(let i)): integers.append(i)
        case (.double, .double(let d)): doubles.append(d)
        case (.double, .bigint(let i)): doubles.append(Double(i))
        case (.varchar, .varchar(let s)): strings.append(s)
        case (.date, .date(let d)): dates.append(d)
        case (.timestamp, .timestamp(let t)): timestamps.append(t)
        case (.timestamp, .date(let d)): timestamps.append(DateCodec.saturatingTimestamp(days: d))
        case (.interval, .interval(let i)): intervals.append(i)
        default:
            appendNull()
            return
        }
        count += 1
    }

    mutating func appendNull() {
        nullRows.append(count)
        switch type {
        case .boolean: booleans.append(false)
        case .bigint: integers.append(0)
        case .double: doubles.append(0)
        case .varchar: strings.appendEmpty()
        case .date: dates.append(0)
        case .timestamp: timestamps.append(0)
        case .interval: intervals.append(Interval())
        case .null: break
        }
        count += 1
    }

    // Typed appends for readers that parse values themselves: no Value boxing.
    // Each must match the builder's type.

    @inline(__always) mutating func appendBoolean(_ b: Bool) { booleans.append(b); count += 1 }
    @inline(__always) mutating func appendInteger(_ i: Int64) { integers.append(i); count += 1 }
    @inline(__always) mutating func appendDouble(_ d: Double) { doubles.append(d); count += 1 }
    @inline(__always) mutating func appendString(_ s: String) { strings.append(s); count += 1 }
    /// Appends a string by its bytes, which must be valid UTF-8.
    @inline(__always) mutating func appendString(bytes: UnsafeRawBufferPointer) { strings.append(bytes); count += 1 }
    @inline(__always) mutating func appendDate(_ d: Int32) { dates.append(d); count += 1 }
    @inline(__always) mutating func appendTimestamp(_ t: Int64) { timestamps.append(t); count += 1 }

    /// Drops rows from the end until `newCount` remain (a row that turned out bad).
    mutating func truncate(to newCount: Int) {
        guard newCount < count else { return }
        let drop = count - newCount
        switch type {
        case .boolean: booleans.removeLast(drop)
        case .bigint: integers.removeLast(drop)
        case .double: doubles.removeLast(drop)
        case .varchar: strings.removeLast(drop)
        case .date: dates.removeLast(drop)
        case .timestamp: timestamps.removeLast(drop)
        case .interval: intervals.removeLast(drop)
        case .null: break
        }
        while let last = nullRows.last, last >= newCount { nullRows.removeLast() }
        count = newCount
    }

    /// Appends every row of a vector of the same type.
    mutating func append(_ vector: Vector) {
        let base = count
        switch vector.data {
        case .boolean(let a): booleans.append(contentsOf: a)
        case .bigint(let a): integers.append(contentsOf: a)
        case .double(let a): doubles.append(contentsOf: a)
        case .varchar(let a): strings.append(contentsOf: a)
        case .date(let a): dates.append(contentsOf: a)
        case .timestamp(let a): timestamps.append(contentsOf: a)
        case .interval(let a): intervals.append(contentsOf: a)
        case .null(let n):
            for row in 0..<n { append(Value.null); _ = row }
            return
        }
        if vector.validity.hasInvalid {
            for row in 0..<vector.count where !vector.validity.isValid(row) { nullRows.append(base + row) }
        }
        count += vector.count
    }

    func build() -> Vector {
        var validity = Validity.allValid
        for row in nullRows { validity.setInvalid(row, count: count) }
        switch type {
        case .boolean: return Vector(.boolean(booleans), validity: validity)
        case .bigint: return Vector(.bigint(integers), validity: validity)
        case .double: return Vector(.double(doubles), validity: validity)
        case .varchar: return Vector(.varchar(strings), validity: validity)
        case .date: return Vector(.date(dates), validity: validity)
        case .timestamp: return Vector(.timestamp(timestamps), validity: validity)
        case .interval: return Vector(.interval(intervals), validity: validity)
        case .null: return Vector(.null(count))
        }
    }
}
