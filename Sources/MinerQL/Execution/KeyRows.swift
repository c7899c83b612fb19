// Keys of any number of columns as fixed-width rows of 64-bit words, so that
// they hash and compare as plain integers whatever their types: an integer-like
// column is its value, a DOUBLE its bit pattern (every NaN one pattern, -0.0 as
// 0.0), an INTERVAL its normalized fields in two words (`1 month` = `30 days`),
// and a VARCHAR the dense id of its bytes in a per-column dictionary. A final
// word per 64 columns holds the NULL bits, so NULL is a key value of its own
// (grouping) or rules a row out (join lookups). No `[Value]` per row.

struct KeyRowEncoder {
    fileprivate enum Column {
        case integer, double, interval, text(Int), null
    }

    fileprivate let columns: [Column]
    private let types: [DataType]
    /// The first word of each column in a row.
    fileprivate let offsets: [Int]
    /// Words per key row: the columns' words, then the NULL bits.
    let width: Int
    fileprivate let nullWord: Int
    /// One dictionary per VARCHAR column: the string's bytes to a dense id.
    /// Held by reference, so that encoding for lookups (which only reads it)
    /// can run on several threads at once.
    private let dictionaries: TextDictionaries

    init(types: [DataType]) {
        var columns: [Column] = []
        var offsets: [Int] = []
        var words = 0
        var texts = 0
        for type in types {
            offsets.append(words)
            switch type {
            case .bigint, .date, .timestamp, .boolean:
                columns.append(.integer)
                words += 1
            case .double:
                columns.append(.double)
                words += 1
            case .interval:
                columns.append(.interval)
                words += 2
            case .varchar:
                columns.append(.text(texts))
                texts += 1
                words += 1
            case .null:
                columns.append(.null)
            }
        }
        self.columns = columns
        self.types = types
        self.offsets = offsets
        self.nullWord = words
        self.width = words + (types.count + 63) / 64
        self.dictionaries = TextDictionaries(count: texts)
    }

    /// The key rows of `rows` rows, `width` words each. With `inserting`, unseen
    /// strings get new ids; without, a row holding a string never seen (which
    /// can match no key) is marked in `absent`, as is a row with a NULL when
    /// `nullsAbsent`.
    func encode(_ keys: [Vector], rows: Int, inserting: Bool, nullsAbsent: Bool,
                         absent: inout [Bool]) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: rows * width)
        let width = self.width
        words.withUnsafeMutableBufferPointer { out in
            for (c, vector) in keys.enumerated() {
                let base = offsets[c]
                switch (columns[c], vector.data) {
                case (.integer, .bigint(let a)), (.integer, .timestamp(let a)):
                    for r in 0..<rows { out[r * width + base] = UInt64(bitPattern: a[r]) }
                case (.integer, .date(let a)):
                    for r in 0..<rows { out[r * width + base] = UInt64(bitPattern: Int64(a[r])) }
                case (.integer, .boolean(let a)):
                    for r in 0..<rows { out[r * width + base] = a[r] ? 1 : 0 }
                case (.double, .double(let a)):
                    for r in 0..<rows { out[r * width + base] = KeyRowEncoder.canonicalBits(a[r]) }
                case (.interval, .interval(let a)):
                    for r in 0..<rows {
                        let n = a[r].normalized
                        out[r * width + base] = UInt64(UInt32(truncatingIfNeeded: n.months)) << 32
                            | UInt64(UInt32(truncatingIfNeeded: n.days))
                        out[r * width + base + 1] = UInt64(bitPattern: n.micros)
                    }
                case (.text(let d), .varchar(let a)):
                    encodeText(a, vector.validity, dictionary: d, into: out, at: base, rows: rows,
                               inserting: inserting, absent: &absent)
                default:
                    break
                }
                if vector.mayHaveNulls {
                    let bit = UInt64(1) << UInt64(c & 63)
                    let word = nullWord + c / 64
                    for r in 0..<rows where vector.isNull(r) {
                        // A NULL's value words stay 0, so all NULLs of a column are one key.
                        for w in 0..<KeyRowEncoder.words(columns[c]) { out[r * width + base + w] = 0 }
                        out[r * width + word] |= bit
                        if nullsAbsent { absent[r] = true }
                    }
                }
            }
        }
        return words
    }

    private static func words(_ column: Column) -> Int {
        switch column {
        case .integer, .double, .text: return 1
        case .interval: return 2
        case .null: return 0
        }
    }

    /// -0.0 as 0.0 and every NaN as one NaN: equal doubles, equal bits.
    @inline(__always) static func canonicalBits(_ d: Double) -> UInt64 {
        if d.isNaN { return Double.nan.bitPattern }
        return d == 0 ? 0 : d.bitPattern
    }

    private func encodeText(_ strings: StringVector, _ validity: Validity, dictionary d: Int,
                                     into out: UnsafeMutableBufferPointer<UInt64>, at base: Int, rows: Int,
                                     inserting: Bool, absent: inout [Bool]) {
        var ids = [Int](repeating: 0, count: rows)
        var next = dictionaries.maps[d].count
        let pending = dictionaries.maps[d].lookAtHome(strings, validity, ids: &ids)
        strings.withReader { strings in
            for r in pending where validity.isValid(r) {
                if inserting {
                    if let existing = dictionaries.maps[d].value(strings, r, inserting: next) {
                        ids[r] = existing
                    } else {
                        ids[r] = next
                        next += 1
                    }
                } else if let existing = dictionaries.maps[d].value(strings, r) {
                    ids[r] = existing
                } else {
                    absent[r] = true
                }
            }
        }
        for r in 0..<rows where validity.isValid(r) { out[r * width + base] = UInt64(ids[r]) }
    }
}

/// The string dictionaries of a KeyRowEncoder.
private final class TextDictionaries {
    var maps: [KeyMap<StringVector>]
    init(count: Int) { maps = [KeyMap<StringVector>](repeating: KeyMap<StringVector>(), count: count) }
}

/// Fixed-width key rows to dense ids 0, 1, 2, … in order of first insertion;
/// open addressing with linear probing. A slot holds a key's id + 1 in its low
/// half and the high half of its hash in its high half, so a probe reads a key
/// row only when those 32 bits match, and growing re-places keys from the
/// slots alone (the start of a probe is a prefix of those bits).
struct KeyRowMap {
    let width: Int
    /// 0 marks an empty slot.
    private var slots: [UInt64]
    private var stored: [UInt64] = []
    /// The id the table's owner gave each key, by position; kept only once
    /// an id differs from its key's position (until then a lookup saves
    /// reading it).
    private var ids: [Int] = []
    private var idsArePositions = true
    private var shift: UInt64
    private(set) var count = 0

    init(width: Int) {
        self.width = width
        slots = [UInt64](repeating: 0, count: 16)
        shift = 64 - 4
    }

    @inline(__always) private static func hash(_ words: UnsafeBufferPointer<UInt64>, _ start: Int, _ width: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for w in 0..<width {
            h = (h ^ words[start + w]) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        h ^= h >> 32
        return h &* 0xD6E8_FEB8_6659_FD93
    }

    /// The id of each key row, adding unseen keys with ids `next`, `next` +
    /// 1, …; `newRows` gets the rows whose key was new, in id order. Keys in
    /// their home slot are found in one pass whose rows do not depend on each
    /// other (their memory reads overlap); the rest are probed, and new keys
    /// added, in row order.
    mutating func insert(_ words: [UInt64], rows: Int, ids: inout [Int], newRows: inout [Int], next: inout Int) throws {
        let width = self.width
        var hashes = [UInt64](repeating: 0, count: rows)
        var rest: [Int] = []
        words.withUnsafeBufferPointer { keys in
            slots.withUnsafeBufferPointer { table in
                stored.withUnsafeBufferPointer { stored in
                    for r in 0..<rows {
                        let start = r * width
                        let hash = KeyRowMap.hash(keys, start, width)
                        hashes[r] = hash
                        let slot = table[Int(truncatingIfNeeded: hash >> shift)]
                        if slot != 0 && slot & SaltedSlots.salt == hash & SaltedSlots.salt {
                            let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                            if KeyRowMap.same(stored, id * width, keys, start, width) {
                                ids[r] = ownerId(id)
                                continue
                            }
                        }
                        rest.append(r)
                    }
                }
            }
        }
        try words.withUnsafeBufferPointer { keys in
            for r in rest {
                if (count + 1) * 2 > slots.count { try grow() }
                let start = r * width
                let hash = hashes[r]
                let (slot, id) = probe(hash, keys, start)
                if id >= 0 {
                    ids[r] = ownerId(id)
                } else {
                    guard count < Int(UInt32.max) - 1 else { throw MinerQLError(.outOfRange, "too many distinct keys") }
                    slots[slot] = hash & SaltedSlots.salt | UInt64(count + 1)
                    stored.append(contentsOf: keys[start..<start + width])
                    record(next)
                    ids[r] = next
                    newRows.append(r)
                    count += 1
                    next += 1
                }
            }
        }
    }

    @inline(__always) private func ownerId(_ position: Int) -> Int { idsArePositions ? position : ids[position] }

    /// Notes the owner's id of the key about to take position `count`.
    @inline(__always) private mutating func record(_ id: Int) {
        if idsArePositions {
            guard id != count else { return }
            idsArePositions = false
            ids = Array(0..<count)
        }
        ids.append(id)
    }

    /// Takes in distinct keys, none of them in the map yet, with the ids their
    /// owner gave them (keys that lived elsewhere until now).
    mutating func adopt(_ words: [UInt64], ids: [Int]) throws {
        try words.withUnsafeBufferPointer { keys in
            for (k, id) in ids.enumerated() {
                if (count + 1) * 2 > slots.count { try grow() }
                let start = k * width
                let hash = KeyRowMap.hash(keys, start, width)
                let (slot, existing) = probe(hash, keys, start)
                guard existing < 0 else { throw MinerQLError.internal("a key adopted twice") }
                slots[slot] = hash & SaltedSlots.salt | UInt64(count + 1)
                stored.append(contentsOf: keys[start..<start + width])
                record(id)
                count += 1
            }
        }
    }

    /// Word `word` of every key, at its owner's id in `words` (one per key);
    /// returns which keys have the NULL bit `bit` of word `nullWord` set.
    func columnWords(_ word: Int, nullWord: Int, bit: UInt64, into words: inout [UInt64]) -> Validity {
        var nulls: [Int] = []
        stored.withUnsafeBufferPointer { stored in
            words.withUnsafeMutableBufferPointer { words in
                for position in 0..<count {
                    let row = position * width, id = ownerId(position)
                    if stored[row + nullWord] & bit != 0 {
                        words[id] = 0
                        nulls.append(id)
                    } else {
                        words[id] = stored[row + word]
                    }
                }
            }
        }
        var validity = Validity.allValid
        for id in nulls { validity.setInvalid(id, count: words.count) }
        return validity
    }

    /// The id of each key row, or -1 where it is absent or `skip` is set.
    func lookup(_ words: [UInt64], rows: Int, skip: [Bool]) -> [Int] {
        var ids = [Int](repeating: -1, count: rows)
        words.withUnsafeBufferPointer { keys in
            for r in 0..<rows where !skip[r] {
                let start = r * width
                let id = probe(KeyRowMap.hash(keys, start, width), keys, start).id
                ids[r] = id < 0 ? -1 : ownerId(id)
            }
        }
        return ids
    }

    /// The slot holding the key at `keys[start...]` and its id, or the empty
    /// slot where it would go and -1.
    @inline(__always) private func probe(_ hash: UInt64, _ keys: UnsafeBufferPointer<UInt64>,
                                         _ start: Int) -> (slot: Int, id: Int) {
        slots.withUnsafeBufferPointer { table in
            stored.withUnsafeBufferPointer { stored in
                let mask = table.count - 1
                let salt = hash & SaltedSlots.salt
                var i = Int(truncatingIfNeeded: hash >> shift)
                while true {
                    let slot = table[i]
                    if slot == 0 { return (i, -1) }
                    if slot & SaltedSlots.salt == salt {
                        let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                        if KeyRowMap.same(stored, id * width, keys, start, width) { return (i, id) }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// The stored key row at `at` holds the words of `keys` from `start`.
    @inline(__always) private static func same(_ stored: UnsafeBufferPointer<UInt64>, _ at: Int,
                                               _ keys: UnsafeBufferPointer<UInt64>, _ start: Int, _ width: Int) -> Bool {
        for w in 0..<width where stored[at + w] != keys[start + w] { return false }
        return true
    }

    /// Sizes an empty map for `keys` keys, so that it does not grow (and
    /// re-place its keys) on the way there.
    mutating func reserve(_ keys: Int) throws {
        var size = slots.count, bits = shift
        while size < keys * 2 && size < 1 << 32 {
            size *= 2
            bits -= 1
        }
        guard count == 0, size > slots.count else { return }
        try MemoryLimit.checkRoom(for: size * MemoryLayout<UInt64>.stride + keys * width * MemoryLayout<UInt64>.stride)
        slots = [UInt64](repeating: 0, count: size)
        shift = bits
        stored.reserveCapacity(keys * width)
    }

    /// Doubles the table and re-places every key by the hash bits in its slot.
    private mutating func grow() throws {
        guard slots.count < 1 << 32 else { throw MinerQLError(.outOfRange, "too many distinct keys") }
        if slots.count >= 1 << 20 { try MemoryLimit.checkRoom(for: slots.count * 2 * MemoryLayout<UInt64>.stride) }
        shift -= 1
        slots = SaltedSlots.doubled(slots, shift: shift)
        // Room for the keys the larger table takes before it grows again.
        stored.reserveCapacity(slots.count / 2 * width)
    }
}

extension KeyRowEncoder {
    var columnCount: Int { columns.count }

    /// Where column `c` is in a key row: its word and its NULL bit.
    func place(of c: Int) -> (word: Int, nullWord: Int, bit: UInt64) {
        (offsets[c], nullWord + c / 64, UInt64(1) << UInt64(c & 63))
    }

    /// Whether column `c`'s word gives back its value exactly: all but DOUBLE
    /// (-0.0 is encoded as 0.0, and NaNs alike) and INTERVAL (`1 month` as
    /// `30 days`), where a result shows the first value seen.
    func decodes(_ c: Int) -> Bool {
        types[c] != .double && types[c] != .interval
    }

    /// Column `c` of keys given by their words (as `encode` writes them),
    /// where `decodes(c)`.
    func keyVector(_ words: [UInt64], _ validity: Validity, column c: Int) -> Vector? {
        switch (types[c], columns[c]) {
        case (.bigint, _): return Vector(.bigint(words.map { Int64(bitPattern: $0) }), validity: validity)
        case (.timestamp, _): return Vector(.timestamp(words.map { Int64(bitPattern: $0) }), validity: validity)
        case (.date, _): return Vector(.date(words.map { Int32(truncatingIfNeeded: Int64(bitPattern: $0)) }), validity: validity)
        case (.boolean, _): return Vector(.boolean(words.map { $0 != 0 }), validity: validity)
        case (.varchar, .text(let d)):
            let strings = dictionaries.maps[d].keysInInsertionOrder
            // Only NULLs: no string to point at.
            guard strings.count > 0 else { return Vector.nulls(.varchar, count: words.count) }
            return Vector(.varchar(strings.gathered(words.map { Int(truncatingIfNeeded: $0) })), validity: validity)
        case (.null, _): return Vector(.null(words.count))
        default: return nil
        }
    }

    /// A hash of each row's key from its values alone (strings by their bytes),
    /// so that equal keys hash alike in any table: it picks the partition a
    /// group goes to when partial tables built apart are merged.
    static func valueHashes(_ keys: [Vector], rows: Int) -> [UInt64] {
        var hashes = [UInt64](repeating: 0x243F_6A88_85A3_08D3, count: rows)
        for vector in keys {
            func mix(_ r: Int, _ word: UInt64) {
                var h = (hashes[r] ^ word) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                hashes[r] = h
            }
            // A NULL hashes alike whatever value lies under it.
            let nulls = vector.mayHaveNulls ? (0..<rows).filter { vector.isNull($0) } : []
            let before = nulls.map { hashes[$0] }
            switch vector.data {
            case .bigint(let a), .timestamp(let a): for r in 0..<rows { mix(r, UInt64(bitPattern: a[r])) }
            case .date(let a): for r in 0..<rows { mix(r, UInt64(bitPattern: Int64(a[r]))) }
            case .boolean(let a): for r in 0..<rows { mix(r, a[r] ? 1 : 0) }
            case .double(let a): for r in 0..<rows { mix(r, canonicalBits(a[r])) }
            case .varchar(let a): a.withReader { a in for r in 0..<rows { mix(r, a.hash(r)) } }
            case .interval(let a):
                for r in 0..<rows {
                    let n = a[r].normalized
                    mix(r, UInt64(bitPattern: n.months &* 31 &+ n.days))
                    mix(r, UInt64(bitPattern: n.micros))
                }
            case .null: break
            }
            for (k, r) in nulls.enumerated() {
                hashes[r] = before[k]
                mix(r, 0x5851_F42D_4C95_7F2D)
            }
        }
        for r in 0..<rows {
            let h = hashes[r] ^ (hashes[r] >> 32)
            hashes[r] = h &* 0xD6E8_FEB8_6659_FD93
        }
        return hashes
    }
}

extension KeyRowEncoder {
    /// Where each column's word is in a key row and whether it is a signed
    /// integer, when every column is an integer or text; nil otherwise.
    var packableWords: KeyPacking.Layout? {
        var words: [Int] = [], signed: [Bool] = []
        for (column, kind) in columns.enumerated() {
            switch kind {
            case .integer: signed.append(true)
            case .text: signed.append(false)
            case .double, .interval, .null: return nil
            }
            words.append(offsets[column])
        }
        return KeyPacking.Layout(words: words, signed: signed, nullWord: nullWord)
    }
}
