// The bound a top-k hands down to the scan it reads (ORDER BY x LIMIT k over a
// table): once k rows are kept, a row whose key encodes above the k-th kept
// row's cannot enter, so the scan tests the key in the table's own column and
// copies only the rows that pass — usually none of a chunk — instead of every
// row being copied, encoded and dropped above it. One bound per scan part,
// each used by one thread.

final class TopKBound {
    /// The key's column among the scan's columns.
    let column: Int
    let descending: Bool
    let nullsFirst: Bool
    /// The encoded key (SortOperator.encodedKeys) of the k-th row kept; rows
    /// encoding above it are skipped. Nil until k rows are kept.
    var threshold: UInt64?

    init(column: Int, descending: Bool, nullsFirst: Bool) {
        self.column = column
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    /// Whether a key of this type can be bounded (it has 64-bit codes).
    static func supports(_ type: DataType) -> Bool {
        [.bigint, .double, .date, .timestamp].contains(type)
    }

    /// The rows of `range` in `vector` whose key encodes at most `threshold`,
    /// as `encodedKeys` would encode them.
    func candidates(_ vector: Vector, in range: Range<Int>, threshold: UInt64) -> [Int] {
        let sign: UInt64 = 1 << 63
        let flip: UInt64 = descending ? .max : 0
        // The threshold as a value of the key's type, for a first test.
        let value = threshold ^ flip
        var rows: [Int] = []
        func scan<T: Comparable>(_ values: [T], limit: T, _ encode: (T) -> UInt64) {
            values.withUnsafeBufferPointer { buffer in
                if !vector.mayHaveNulls && !mayPass(buffer, range, limit: limit) { return }
                for row in range where encode(buffer[row]) ^ flip <= threshold { rows.append(row) }
            }
        }
        switch vector.data {
        case .bigint(let a), .timestamp(let a):
            scan(a, limit: Int64(bitPattern: value ^ sign)) { UInt64(bitPattern: $0) ^ sign }
        case .date(let a):
            let limit = Int64(bitPattern: value ^ sign)
            scan(a, limit: Int32(clamping: limit)) { UInt64(bitPattern: Int64($0)) ^ sign }
        case .double(let a):
            let limit = Double(bitPattern: value & sign != 0 ? value & ~sign : ~value)
            scan(a, limit: limit) { d in
                let bits = (d.isNaN ? Double.nan : (d == 0 ? 0 : d)).bitPattern
                return bits & sign != 0 ? ~bits : bits | sign
            }
        default: return Array(range)
        }
        guard vector.mayHaveNulls else { return rows }
        // A NULL's code is its placement's, whatever its slot holds.
        let nullPasses = (nullsFirst ? 0 : UInt64.max) <= threshold
        var withNulls: [Int] = []
        var next = 0
        for row in range {
            let listed = next < rows.count && rows[next] == row
            if listed { next += 1 }
            if vector.isNull(row) ? nullPasses : listed { withNulls.append(row) }
        }
        return withNulls
    }

    /// Whether a row of `range` may pass, tested in the values' own order: a
    /// loop without branches the compiler vectorizes, true for every row that
    /// passes (and for NaN, and near the clamped date limit, which the exact
    /// test then settles).
    private func mayPass<T: Comparable>(_ buffer: UnsafeBufferPointer<T>, _ range: Range<Int>, limit: T) -> Bool {
        guard let base = buffer.baseAddress.map({ $0 + range.lowerBound }) else { return false }
        let count = range.count
        var passing = 0
        var i = 0
        if descending {
            while i < count {
                passing &+= base[i] < limit ? 0 : 1
                i &+= 1
            }
        } else {
            while i < count {
                passing &+= base[i] > limit ? 0 : 1
                i &+= 1
            }
        }
        return passing > 0
    }
}
