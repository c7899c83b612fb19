// Copies of a string column's rows for scans, sorts and selections. A Swift
// String is two words; its object word's top bit marks an immortal string — a
// short string held inline, or a literal — that is never reference counted.
// Such rows (symbols, tickers, dates as text) are copied as raw bytes instead
// of with a retain call each; other rows are copied normally.

enum StringRows {
    private static let immortal: UInt64 = 1 << 63

    /// Initializes `target` with a copy of `source`.
    @inline(__always)
    private static func copy(_ source: UnsafePointer<String>, to target: UnsafeMutablePointer<String>) {
        if UnsafeRawPointer(source).load(fromByteOffset: 8, as: UInt64.self) & immortal != 0 {
            UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: MemoryLayout<String>.size)
        } else {
            target.initialize(to: source.pointee)
        }
    }

    /// Rows `range` of `strings`, renumbered from 0: in one block when all
    /// of them are immortal.
    static func copy(_ strings: [String], _ range: Range<Int>) -> [String] {
        copyNoting(strings, range).rows
    }

    /// `copy`, and whether the rows were all immortal.
    private static func copyNoting(_ strings: [String], _ range: Range<Int>) -> (rows: [String], immortal: Bool) {
        var immortalRows = false
        let rows = strings.withUnsafeBufferPointer { source in
            [String](unsafeUninitializedCapacity: range.count) { target, initialized in
                guard let from = source.baseAddress.map({ $0 + range.lowerBound }), let to = target.baseAddress else { return }
                immortalRows = allImmortal(from, count: range.count)
                if immortalRows {
                    UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: range.count * MemoryLayout<String>.stride)
                } else {
                    for i in 0..<range.count { copy(from + i, to: to + i) }
                }
                initialized = range.count
            }
        }
        return (rows, immortalRows)
    }

    private static func allImmortal(_ strings: UnsafePointer<String>, count: Int) -> Bool {
        let words = UnsafeRawPointer(strings).assumingMemoryBound(to: UInt64.self)
        var objects = UInt64.max
        for i in 0..<count { objects &= words[2 * i + 1] }
        return objects & immortal != 0
    }

    /// A scan's chunk of one string column, refilled in place: when the last
    /// chunk's rows and the next ones are all immortal and the reader has
    /// let go of the last chunk, the rows are overwritten with no release of
    /// the old ones nor retain of the new (a chunk still held is copied first).
    struct ChunkBuffer {
        private var rows: [String] = []
        private var immortalRows = false

        mutating func fill(from strings: [String], _ range: Range<Int>) -> [String] {
            let reusable = strings.withUnsafeBufferPointer { source -> Bool in
                guard immortalRows, rows.count == range.count, let from = source.baseAddress.map({ $0 + range.lowerBound }),
                      StringRows.allImmortal(from, count: range.count) else { return false }
                rows.withUnsafeMutableBufferPointer { target in
                    UnsafeMutableRawPointer(target.baseAddress!).copyMemory(from: from, byteCount: range.count * MemoryLayout<String>.stride)
                }
                return true
            }
            if !reusable { (rows, immortalRows) = StringRows.copyNoting(strings, range) }
            return rows
        }
    }

    /// The rows at `indices`, in that order.
    static func gather(_ strings: [String], _ indices: [Int]) -> [String] {
        gather(strings, indices) { count, fill in fill(0..<count) }
    }

    /// The rows at `indices`, in that order, shared out among `threads` threads.
    static func gather(_ strings: [String], _ indices: [Int], threads: Int) throws -> [String] {
        try gather(strings, indices) { count, fill in
            _ = try DeepStack.parallel(threads) { fill(DeepStack.share($0, of: count, among: threads)) }
        }
    }

    /// A gather whose `run` fills every position of the result, calling
    /// `fill` for disjoint shares of them.
    private static func gather(_ strings: [String], _ indices: [Int],
                               run: (Int, @escaping @Sendable (Range<Int>) -> Void) throws -> Void) rethrows -> [String] {
        try strings.withUnsafeBufferPointer { source in
            try [String](unsafeUninitializedCapacity: indices.count) { target, initialized in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                let rows = SharedRows(source: from, count: source.count, target: to, indices: indices)
                try run(indices.count) { share in
                    for i in share {
                        let row = rows.indices[i]
                        precondition(row >= 0 && row < rows.count, "gathered row out of range")
                        copy(rows.source + row, to: rows.target + i)
                    }
                }
                initialized = indices.count
            }
        }
    }

    /// A gather's source and result, shared by its threads (each writes its own positions).
    private struct SharedRows: @unchecked Sendable {
        let source: UnsafePointer<String>
        let count: Int
        let target: UnsafeMutablePointer<String>
        let indices: [Int]
    }
}
