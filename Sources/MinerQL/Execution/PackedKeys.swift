// Composite keys whose columns all have small ranges, packed into one 64-bit
// code each, so a key of several columns is found as one word: by a direct
// table when the codes are few bits wide, by a WordMap otherwise. The layout
// starts from the first chunk's ranges with room to spare; a later key outside
// it widens the layout and re-codes the keys stored so far (ranges at least
// double each time, so the work stays proportional to the keys), until the
// columns need more than 64 bits: then the caller takes every key back as a
// full row (`unpacked`) and keeps using rows.

struct PackedKeys {
    private(set) var packing: KeyPacking
    /// id + 1 per code, while codes have at most `directBits` bits; else empty.
    private var direct: [Int32] = []
    private var map = WordMap()
    /// Keys to make room for when the map is set up (a hint).
    private let room: Int

    /// Codes of up to this many bits index a direct table (1 MiB of ids).
    static let directBits = 18

    /// Packed keys laid out for the first chunk's key rows, or nil when a
    /// column does not pack (DOUBLE, INTERVAL) or the ranges need over 64 bits.
    init?(first words: [UInt64], rows: Int, encoder: KeyRowEncoder, room: Int) throws {
        guard let layout = encoder.packableWords,
              let packing = KeyPacking(layout, width: encoder.width,
                                       ranges: KeyPacking.ranges(of: words, rows: rows, layout, width: encoder.width))
        else { return nil }
        self.packing = packing
        self.room = room
        try setUpStore(keys: 0)
    }

    private mutating func setUpStore(keys: Int) throws {
        if packing.bits <= PackedKeys.directBits {
            direct = [Int32](repeating: 0, count: 1 << packing.bits)
        } else {
            direct = []
            // Emptied in place when already large enough: its pages are in memory.
            try map.removeAll(reservingFor: max(room, keys))
        }
    }

    /// The id of each row's key, adding unseen keys with ids `next`, `next` + 1,
    /// … in row order (`newRows` lists them). Returns false, changing nothing,
    /// when a row's key cannot be packed even in a wider layout.
    mutating func insert(_ words: [UInt64], rows: Int, ids: inout [Int], newRows: inout [Int], next: inout Int) throws -> Bool {
        var packed = codes(words, rows: rows)
        if packed == nil {
            guard try widen(toCover: words, rows: rows) else { return false }
            packed = codes(words, rows: rows)
        }
        guard let packed else { throw MinerQLError.internal("a widened key layout does not cover its keys") }
        if !direct.isEmpty {
            try insertDirect(packed, ids: &ids, newRows: &newRows, next: &next)
            return true
        }
        for r in map.lookAtHome(packed, ids: &ids) {
            if let existing = try map.value(for: packed[r], inserting: next) {
                ids[r] = existing
                continue
            }
            ids[r] = next
            newRows.append(r)
            next += 1
        }
        return true
    }

    /// `insert` by the direct table.
    private mutating func insertDirect(_ packed: [UInt64], ids: inout [Int], newRows: inout [Int], next: inout Int) throws {
        var first = next
        defer { next = first }
        try direct.withUnsafeMutableBufferPointer { direct in
            try ids.withUnsafeMutableBufferPointer { ids in
                for (r, code) in packed.enumerated() {
                    let slot = Int(truncatingIfNeeded: code)
                    if direct[slot] != 0 {
                        ids[r] = Int(direct[slot]) - 1
                        continue
                    }
                    guard first < Int(Int32.max) - 1 else { throw MinerQLError(.outOfRange, "too many distinct keys") }
                    direct[slot] = Int32(first + 1)
                    ids[r] = first
                    newRows.append(r)
                    first += 1
                }
            }
        }
    }

    /// The id of each row's key; -1 where it is absent or `absent` is set.
    func lookup(_ words: [UInt64], rows: Int, absent: [Bool]) -> [Int] {
        var ids = [Int](repeating: -1, count: rows)
        words.withUnsafeBufferPointer { words in
            for r in 0..<rows where !absent[r] {
                // A key outside the layout is none of the stored ones.
                guard let code = packing.code(words, r) else { continue }
                ids[r] = direct.isEmpty ? (map.value(for: code) ?? -1) : Int(direct[Int(code)]) - 1
            }
        }
        return ids
    }

    /// Every row's code, or nil when some row's key lies outside the layout.
    private func codes(_ words: [UInt64], rows: Int) -> [UInt64]? {
        var packed = [UInt64](repeating: 0, count: rows)
        let fits = words.withUnsafeBufferPointer { words in
            packed.withUnsafeMutableBufferPointer { packing.codes(words, rows: rows, into: $0) }
        }
        return fits ? packed : nil
    }

    /// Each stored key's code and id.
    private func forEachKey(_ body: (UInt64, Int) throws -> Void) rethrows {
        if direct.isEmpty {
            try map.forEach(body)
        } else {
            for (code, id) in direct.enumerated() where id != 0 { try body(UInt64(code), Int(id) - 1) }
        }
    }

    /// A layout covering the stored keys and these rows, the stored keys
    /// re-coded into it; false when no layout of 64 bits covers them.
    private mutating func widen(toCover words: [UInt64], rows: Int) throws -> Bool {
        var ranges = KeyPacking.ranges(of: words, rows: rows, packing.layout, width: packing.width)
        var keys = 0
        forEachKey { code, _ in
            packing.widen(&ranges, toCover: code)
            keys += 1
        }
        guard let wider = KeyPacking(packing.layout, width: packing.width, ranges: ranges) else { return false }
        var entries: [(code: UInt64, id: Int)] = []
        entries.reserveCapacity(keys)
        forEachKey { code, id in entries.append((packing.recode(code, into: wider), id)) }
        packing = wider
        try setUpStore(keys: keys)
        for (code, id) in entries {
            if direct.isEmpty {
                _ = try map.value(for: code, inserting: id)
            } else {
                direct[Int(code)] = Int32(id + 1)
            }
        }
        return true
    }

    /// Each stored key's code at its id (`count` ids, 0 to count - 1).
    func codesByID(count: Int) -> [UInt64] {
        var codes = [UInt64](repeating: 0, count: count)
        codes.withUnsafeMutableBufferPointer { codes in
            forEachKey { code, id in codes[id] = code }
        }
        return codes
    }

    /// Every stored key as a full key row (`packing.width` words each) and its id.
    func unpacked() -> (words: [UInt64], ids: [Int]) {
        var words: [UInt64] = [], ids: [Int] = []
        forEachKey { code, id in
            packing.appendRow(of: code, to: &words)
            ids.append(id)
        }
        return (words, ids)
    }
}

/// The layout of packed keys: each integer or text column's word minus its
/// base, plus one (0 is NULL), in its own bits of the code.
struct KeyPacking {
    struct Layout {
        /// Each column's word in a key row.
        let words: [Int]
        /// Integers compare as signed: their words are offset by 2^63 so that
        /// unsigned order is theirs (text ids are unsigned already).
        let signed: [Bool]
        let nullWord: Int
    }

    private struct Field {
        let base: UInt64
        /// The largest offset from base that fits (codes are offset + 1).
        let limit: UInt64
        let shift: Int
        let bits: Int
    }

    let layout: Layout
    let width: Int
    private let fields: [Field]
    let bits: Int

    /// Each column's smallest and largest value (offset when signed) among
    /// rows where it is not NULL; nil for a column of NULLs only.
    static func ranges(of words: [UInt64], rows: Int, _ layout: Layout, width: Int) -> [ClosedRange<UInt64>?] {
        layout.words.enumerated().map { column, word in
            var low = UInt64.max, high = UInt64.min
            let bit = UInt64(1) << UInt64(column & 63), flags = layout.nullWord + column / 64
            let flip: UInt64 = layout.signed[column] ? 1 << 63 : 0
            for r in 0..<rows where words[r * width + flags] & bit == 0 {
                let value = words[r * width + word] ^ flip
                low = min(low, value)
                high = max(high, value)
            }
            return low <= high ? low...high : nil
        }
    }

    /// A layout for values in `ranges`, or nil when they need over 64 bits.
    /// Bits left over go to room to grow: two per text column first (ids
    /// keep growing), then one per integer column.
    init?(_ layout: Layout, width: Int, ranges: [ClosedRange<UInt64>?]) {
        var needs: [Int] = []
        for range in ranges {
            // Codes 1 ... span for the values, 0 for NULL.
            let span = (range.map { $0.upperBound - $0.lowerBound } ?? 0).addingReportingOverflow(1)
            if span.overflow { return nil }
            needs.append(UInt64.bitWidth - span.partialValue.leadingZeroBitCount)
        }
        var spare = UInt64.bitWidth - needs.reduce(0, +)
        guard spare >= 0 else { return nil }
        for (wanted, signed) in [(2, false), (1, true)] {
            for column in needs.indices where layout.signed[column] == signed {
                let extra = min(wanted, spare)
                needs[column] += extra
                spare -= extra
            }
        }
        var shift = 0
        var fields: [Field] = []
        for (column, range) in ranges.enumerated() {
            let bits = needs[column]
            let limit = bits >= 64 ? UInt64.max - 1 : (UInt64(1) << UInt64(bits)) - 2
            // Room to grow on both sides of the values seen, as far as the word allows.
            let low = range?.lowerBound ?? 0
            let below = min(low, (limit - (range.map { $0.upperBound - $0.lowerBound } ?? 0)) / 2)
            fields.append(Field(base: low - below, limit: limit, shift: shift, bits: bits))
            shift += bits
        }
        self.layout = layout
        self.width = width
        self.fields = fields
        self.bits = shift
    }

    /// `code` for rows 0 ..< rows, column by column into `codes` (zeros on
    /// entry); false when some row's value lies outside its column's bits.
    func codes(_ words: UnsafeBufferPointer<UInt64>, rows: Int, into codes: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        for (column, field) in fields.enumerated() {
            let word = layout.words[column], flags = layout.nullWord + column / 64
            let bit = UInt64(1) << UInt64(column & 63), flip: UInt64 = layout.signed[column] ? 1 << 63 : 0
            let shift = UInt64(field.shift), base = field.base, limit = field.limit
            var outside = false
            for r in 0..<rows {
                let row = r * width
                let value = words[row + word] ^ flip
                let offset = value &- base
                let isNull = words[row + flags] & bit != 0
                outside = outside || (!isNull && (value < base || offset > limit))
                codes[r] |= isNull ? 0 : (offset &+ 1) << shift
            }
            if outside { return false }
        }
        return true
    }

    /// Row `r`'s code, or nil when a column's value lies outside its bits.
    @inline(__always) func code(_ words: UnsafeBufferPointer<UInt64>, _ r: Int) -> UInt64? {
        var code: UInt64 = 0
        let row = r * width
        for (column, field) in fields.enumerated() {
            if words[row + layout.nullWord + column / 64] & (UInt64(1) << UInt64(column & 63)) != 0 { continue }
            let value = words[row + layout.words[column]] ^ (layout.signed[column] ? 1 << 63 : 0)
            guard value >= field.base else { return nil }
            let offset = value - field.base
            guard offset <= field.limit else { return nil }
            code |= (offset + 1) << UInt64(field.shift)
        }
        return code
    }

    /// Column `column`'s value in `code` (offset when signed), nil for NULL.
    @inline(__always) private func value(_ code: UInt64, _ column: Int) -> UInt64? {
        let field = fields[column]
        let mask = field.bits >= 64 ? UInt64.max : (UInt64(1) << UInt64(field.bits)) - 1
        let stored = (code >> UInt64(field.shift)) & mask
        return stored == 0 ? nil : field.base + (stored - 1)
    }

    /// Column `column`'s word (as KeyRowEncoder writes it) in each of `codes`,
    /// 0 where it is NULL; returns which codes are NULL there.
    func columnWords(_ column: Int, of codes: [UInt64], into words: inout [UInt64]) -> Validity {
        let field = fields[column]
        let mask = field.bits >= 64 ? UInt64.max : (UInt64(1) << UInt64(field.bits)) - 1
        let shift = UInt64(field.shift), flip: UInt64 = layout.signed[column] ? 1 << 63 : 0
        var nulls: [Int] = []
        codes.withUnsafeBufferPointer { codes in
            words.withUnsafeMutableBufferPointer { words in
                for (k, code) in codes.enumerated() {
                    let stored = (code >> shift) & mask
                    if stored == 0 {
                        words[k] = 0
                        nulls.append(k)
                    } else {
                        words[k] = (field.base &+ (stored &- 1)) ^ flip
                    }
                }
            }
        }
        var validity = Validity.allValid
        for k in nulls { validity.setInvalid(k, count: codes.count) }
        return validity
    }

    /// Column `column`'s word in the key row `code` packs, nil for NULL.
    @inline(__always) func word(_ code: UInt64, _ column: Int) -> UInt64? {
        value(code, column).map { $0 ^ (layout.signed[column] ? 1 << 63 : 0) }
    }

    /// Extends `ranges` to the values of `code`.
    func widen(_ ranges: inout [ClosedRange<UInt64>?], toCover code: UInt64) {
        for column in fields.indices {
            guard let value = value(code, column) else { continue }
            let range = ranges[column]
            ranges[column] = min(range?.lowerBound ?? value, value)...max(range?.upperBound ?? value, value)
        }
    }

    /// The code of the same key in `other`, a layout that covers it.
    func recode(_ code: UInt64, into other: KeyPacking) -> UInt64 {
        var result: UInt64 = 0
        for column in fields.indices {
            guard let value = value(code, column) else { continue }
            result |= (value - other.fields[column].base + 1) << UInt64(other.fields[column].shift)
        }
        return result
    }

    /// Appends the full key row (`width` words) that `code` packs.
    func appendRow(of code: UInt64, to words: inout [UInt64]) {
        let start = words.count
        words.append(contentsOf: repeatElement(0, count: width))
        for column in fields.indices {
            if let word = word(code, column) {
                words[start + layout.words[column]] = word
            } else {
                words[start + layout.nullWord + column / 64] |= UInt64(1) << UInt64(column & 63)
            }
        }
    }
}
