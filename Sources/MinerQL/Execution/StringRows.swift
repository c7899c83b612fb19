// Copies of a string column's rows for scans. A Swift String is two words; its
// object word's top bit marks an immortal string — a short string held inline,
// or a literal — that is never reference counted. Rows that are all immortal
// (symbols, tickers, dates as text) are copied as raw bytes instead of one
// retain call per row.

enum StringRows {
    private static let immortal: UInt64 = 1 << 63

    /// Rows `range` of `strings`, renumbered from 0.
    static func copy(_ strings: [String], _ range: Range<Int>) -> [String] {
        strings.withUnsafeBufferPointer { source -> [String] in
            guard let base = source.baseAddress, !range.isEmpty else { return [] }
            let words = UnsafeRawPointer(base + range.lowerBound).assumingMemoryBound(to: UInt64.self)
            var all = UInt64.max
            for row in 0..<range.count { all &= words[2 * row + 1] }
            guard all & immortal != 0 else { return Array(source[range]) }
            return [String](unsafeUninitializedCapacity: range.count) { target, initialized in
                UnsafeMutableRawPointer(target.baseAddress!).copyMemory(
                    from: UnsafeRawPointer(base + range.lowerBound), byteCount: range.count * MemoryLayout<String>.stride)
                initialized = range.count
            }
        }
    }
}
