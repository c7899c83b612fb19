// VARCHAR columns as 16-byte string views over one byte buffer, as DuckDB and
// Umbra keep them: no Swift String per value. A view holds the length and the
// first four bytes; a string of at most 12 bytes keeps all its bytes inline
// (zero-padded), a longer one the offset of its bytes in the column's buffer.
// Gathering, slicing and copying rows move views only (the buffer is shared);
// equality and hashing read the view's two words for short strings and the
// bytes only for long ones, ordering is by UTF-8 bytes. Every string is valid
// UTF-8 (the readers check it). A String is made only at the edges: results,
// and functions that work on Swift text.
import Glibc

/// One string of a StringVector.
struct StringView: Sendable {
    /// The length in the low 32 bits, the first four bytes above.
    fileprivate(set) var head: UInt64
    /// Bytes 4..<12 when inline; otherwise the offset of the bytes in the buffer.
    fileprivate(set) var tail: UInt64

    static let inlineCapacity = 12
    /// The longest string a view holds (its length is 32 bits).
    static let maximumCount = Int(UInt32.max)

    @inline(__always) var count: Int { Int(truncatingIfNeeded: head & 0xFFFF_FFFF) }
    @inline(__always) var isInline: Bool { count <= StringView.inlineCapacity }

    /// The first four bytes as a big-endian number (zero-padded): their order
    /// is the strings' order, as far as it goes.
    @inline(__always) var orderPrefix: UInt32 { UInt32(truncatingIfNeeded: head >> 32).byteSwapped }

    /// The empty string.
    static let empty = StringView(head: 0, tail: 0)
}

/// A column of strings: views, and the bytes of those longer than 12.
public struct StringVector: Sendable {
    private(set) var views: [StringView]
    private(set) var bytes: [UInt8]

    init() {
        views = []
        bytes = []
    }

    init(views: [StringView], bytes: [UInt8]) {
        self.views = views
        self.bytes = bytes
    }

    init<S: Sequence<String>>(_ strings: S) {
        self.init()
        views.reserveCapacity(strings.underestimatedCount)
        for s in strings { append(s) }
    }

    /// `count` copies of one string (sharing its bytes).
    init(repeating string: String, count: Int) {
        var one = StringVector()
        one.append(string)
        self.init(views: [StringView](repeating: one.views.first ?? .empty, count: count), bytes: one.bytes)
    }

    var count: Int { views.count }

    /// The string at a row, as a Swift String (an edge: results, functions).
    subscript(row: Int) -> String { withReader { $0.string(row) } }

    /// Every row as a Swift String.
    var strings: [String] {
        withReader { reader in (0..<reader.count).map(reader.string) }
    }

    mutating func reserveCapacity(_ n: Int) { views.reserveCapacity(n) }

    mutating func append(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a string given by its bytes, which must be valid UTF-8.
    @inline(__always)
    mutating func append(_ utf8: UnsafeRawBufferPointer) {
        precondition(utf8.count <= StringView.maximumCount, "string longer than 4 GiB")
        var view = StringView(head: UInt64(utf8.count), tail: 0)
        let inlined = utf8.count <= StringView.inlineCapacity ? utf8.count : 4
        if let source = utf8.baseAddress, inlined > 0 {
            withUnsafeMutableBytes(of: &view) { $0.baseAddress!.advanced(by: 4).copyMemory(from: source, byteCount: inlined) }
        }
        if utf8.count > StringView.inlineCapacity {
            view.tail = UInt64(bytes.count)
            bytes.append(contentsOf: utf8)
        }
        views.append(view)
    }

    @inline(__always) mutating func appendEmpty() { views.append(.empty) }

    /// Appends row `row` of another column.
    @inline(__always)
    mutating func append(_ other: Reader, _ row: Int) {
        let view = other.views[row]
        if view.isInline {
            views.append(view)
        } else {
            append(other.bytes(row))
        }
    }

    /// Appends every row of another column: its views as they are when all
    /// its strings are short, otherwise with the long strings' bytes copied —
    /// the whole buffer at once when the rows use most of it.
    mutating func append(contentsOf other: StringVector) {
        var long = 0
        for view in other.views where !view.isInline { long += view.count }
        if long == 0 {
            views.append(contentsOf: other.views)
        } else if other.bytes.count <= 2 * long {
            let base = UInt64(bytes.count)
            bytes.append(contentsOf: other.bytes)
            for var view in other.views {
                if !view.isInline { view.tail += base }
                views.append(view)
            }
        } else {
            other.withReader { reader in
                for row in 0..<reader.count { append(reader, row) }
            }
        }
    }

    mutating func removeLast(_ n: Int) {
        views.removeLast(n)
        if views.isEmpty { bytes.removeAll(keepingCapacity: true) }
    }

    /// The rows at `indices`, in that order (the buffer is shared).
    func gathered(_ indices: [Int]) -> StringVector {
        StringVector(views: indices.map { views[$0] }, bytes: bytes)
    }

    /// `gathered(indices)` with the rows shared out among `threads` threads.
    func gathered(_ indices: [Int], threads: Int) throws -> StringVector {
        StringVector(views: try ParallelGather.rows(views, indices, threads: threads), bytes: bytes)
    }

    /// Rows `range`, renumbered from 0 (the buffer is shared).
    func sliced(_ range: Range<Int>) -> StringVector {
        StringVector(views: Array(views[range]), bytes: bytes)
    }

    /// The same strings with a buffer holding only their bytes (after a
    /// selection left most of a large buffer unused).
    func compacted() -> StringVector {
        var copy = StringVector()
        copy.reserveCapacity(count)
        withReader { reader in
            for row in 0..<reader.count { copy.append(reader, row) }
        }
        return copy
    }

    @inline(__always)
    func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        try views.withUnsafeBufferPointer { v in
            try bytes.withUnsafeBufferPointer { b in try body(Reader(views: v, buffer: b)) }
        }
    }

    /// Unsafe access to a column's rows for loops, valid inside `withReader`.
    struct Reader {
        let views: UnsafeBufferPointer<StringView>
        let buffer: UnsafeBufferPointer<UInt8>

        @inline(__always) var count: Int { views.count }

        /// The bytes of a long view (pointing into the buffer).
        @inline(__always)
        private func longBytes(_ view: StringView) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: buffer.baseAddress.map { $0 + Int(truncatingIfNeeded: view.tail) },
                                   count: view.count)
        }

        /// The bytes of a row's string: only for long strings (in the buffer)
        /// are they stable beyond the call; use `withBytes` for any row.
        @inline(__always)
        func bytes(_ row: Int) -> UnsafeRawBufferPointer {
            let view = views[row]
            precondition(!view.isInline, "inline view has no stable bytes")
            return longBytes(view)
        }

        @inline(__always)
        func withBytes<R>(_ row: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            var view = views[row]
            let count = view.count
            if count > StringView.inlineCapacity { return try body(longBytes(view)) }
            return try withUnsafeBytes(of: &view) { raw in
                try body(UnsafeRawBufferPointer(rebasing: raw[4..<4 + count]))
            }
        }

        func string(_ row: Int) -> String {
            withBytes(row) { String(decoding: $0, as: UTF8.self) }
        }

        /// Byte for byte the same string as `other`'s row.
        @inline(__always)
        func isSame(_ row: Int, as other: Reader, _ otherRow: Int) -> Bool {
            let a = views[row], b = other.views[otherRow]
            guard a.head == b.head else { return false }
            if a.isInline { return a.tail == b.tail }
            let p = longBytes(a), q = other.longBytes(b)
            return memcmp(p.baseAddress!, q.baseAddress!, a.count) == 0
        }

        /// -1, 0 or 1 by UTF-8 byte order.
        @inline(__always)
        func compare(_ row: Int, _ other: Reader, _ otherRow: Int) -> Int {
            let a = views[row], b = other.views[otherRow]
            let x = a.orderPrefix, y = b.orderPrefix
            if x != y { return x < y ? -1 : 1 }
            if a.head == b.head && a.isInline && a.tail == b.tail { return 0 }
            return withBytes(row) { p in
                other.withBytes(otherRow) { q in
                    let n = min(p.count, q.count)
                    let order = n == 0 ? 0 : memcmp(p.baseAddress!, q.baseAddress!, n)
                    if order != 0 { return order < 0 ? -1 : 1 }
                    return p.count < q.count ? -1 : (p.count > q.count ? 1 : 0)
                }
            }
        }

        /// The key hash of a row's string: its two words for a short one,
        /// its bytes for a long one (a string is always the one or the other).
        @inline(__always)
        func hash(_ row: Int) -> UInt64 {
            let view = views[row]
            if view.isInline {
                var h = (view.head ^ 0x243F_6A88_85A3_08D3) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                h = (h ^ view.tail) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 32
                return h &* 0xD6E8_FEB8_6659_FD93
            }
            return KeyMapHashing.bytes(longBytes(view))
        }
    }
}
