// A hash map from keys to Ints for the engine's hot paths (group ids, join
// buckets). Swift's Dictionary hashes with seeded SipHash, several times the
// cost of the multiply-and-shift hashes here; keys and their hashes sit in
// dense arrays, the table holds only their positions, with linear probing.

/// Keys that can hash themselves cheaply (not for untrusted hash flooding:
/// the data is the user's own).
protocol KeyMapKey: Equatable {
    var keyMapHash: UInt64 { get }
}

extension Int64: KeyMapKey {
    @inline(__always) var keyMapHash: UInt64 {
        var h = UInt64(bitPattern: self) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return h &* 0xD6E8_FEB8_6659_FD93
    }
}

enum KeyMapHashing {
    /// Eight bytes at a time, multiply-xorshift mixed.
    static func bytes(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(buffer.count)
        guard let raw = buffer.baseAddress else { return h }
        var i = 0
        while i + 8 <= buffer.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < buffer.count {
            tail |= UInt64(buffer[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return h &* 0xD6E8_FEB8_6659_FD93
    }
}

/// What a KeyMap keeps its keys in and reads probe keys from: a column whose
/// rows hash and compare with another column's rows (an array of KeyMapKey
/// values, or the string views of a StringVector with their bytes).
protocol KeyColumn {
    associatedtype Reader: KeyColumnReader
    init()
    var count: Int { get }
    func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R
    /// Appends row `row` of a probe column as a key.
    mutating func append(_ other: Reader, _ row: Int)
}

protocol KeyColumnReader {
    func hash(_ row: Int) -> UInt64
    /// Equal as the map tells keys apart (byte for byte).
    func isSame(_ row: Int, as other: Self, _ otherRow: Int) -> Bool
    /// Row `row` equal to row `row - 1` of the same column, known without
    /// reading beyond their own words (false may still be equal): the test
    /// for a row repeating the previous row's key.
    func repeatsPrevious(_ row: Int) -> Bool
}

extension Array: KeyColumn where Element: KeyMapKey {
    @inline(__always) func withReader<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer(body)
    }

    @inline(__always) mutating func append(_ other: UnsafeBufferPointer<Element>, _ row: Int) { append(other[row]) }
}

extension UnsafeBufferPointer: KeyColumnReader where Element: KeyMapKey {
    @inline(__always) func hash(_ row: Int) -> UInt64 { self[row].keyMapHash }
    @inline(__always) func isSame(_ row: Int, as other: Self, _ otherRow: Int) -> Bool { self[row] == other[otherRow] }
    @inline(__always) func repeatsPrevious(_ row: Int) -> Bool { self[row] == self[row - 1] }
}

extension StringVector: KeyColumn {}

extension StringVector.Reader: KeyColumnReader {
    /// Only a short string's inline words tell, without reading bytes.
    @inline(__always) func repeatsPrevious(_ row: Int) -> Bool {
        let a = views[row], b = views[row - 1]
        return a.isInline && a.head == b.head && a.tail == b.tail
    }
}

/// Keys to Int values, open addressing with linear probing. A slot holds the
/// key's position + 1 in its low half and the high half of its hash in its
/// high half: a probe reads a key only when those bits match, and growing
/// re-places keys from the slots alone.
struct KeyMap<Keys: KeyColumn> {
    /// 0 marks an empty slot.
    private var slots: [UInt64]
    private var keys = Keys()
    private var values: [Int] = []
    private var shift: UInt64

    init() {
        slots = [UInt64](repeating: 0, count: 16)
        shift = 64 - 4
    }

    var count: Int { keys.count }

    /// Every key, in the order first inserted.
    var keysInInsertionOrder: Keys { keys }
    /// Every key's value, in the order the keys were first inserted.
    var valuesInInsertionOrder: [Int] { values }

    /// The position of row `row` of `probe` among the keys, or the empty slot where it would go.
    @inline(__always)
    private func find(_ probe: Keys.Reader, _ row: Int, _ hash: UInt64, in keys: Keys.Reader) -> (slot: Int, position: Int) {
        slots.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            let salt = hash & SaltedSlots.salt
            var i = Int(truncatingIfNeeded: hash >> shift)
            while true {
                let slot = table[i]
                if slot == 0 { return (i, -1) }
                if slot & SaltedSlots.salt == salt {
                    let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    if keys.isSame(position, as: probe, row) { return (i, position) }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Each valid row's key looked up in its home slot alone: `ids[row]` gets
    /// its value where the key is there; the other rows (NULLs, keys placed
    /// further along, keys not in the map) are returned in order. Rows do not
    /// depend on each other, so their memory reads overlap — the point of a
    /// pass before the full probes. A row certainly repeating the previous
    /// row's key, when that one was found, takes its value (clustered data,
    /// such as a symbol's consecutive prices, is then almost free).
    func lookAtHome(_ column: Keys, _ validity: Validity, ids: inout [Int]) -> [Int] {
        var rest: [Int] = []
        var previousFound = false
        slots.withUnsafeBufferPointer { table in
            keys.withReader { keys in
                column.withReader { probe in
                    self.values.withUnsafeBufferPointer { stored in
                        ids.withUnsafeMutableBufferPointer { ids in
                            for row in 0..<column.count {
                                defer { previousFound = rest.last != row }
                                if validity.isValid(row) {
                                    if previousFound && validity.isValid(row - 1) && probe.repeatsPrevious(row) {
                                        ids[row] = ids[row - 1]
                                        continue
                                    }
                                    let hash = probe.hash(row)
                                    let slot = table[Int(truncatingIfNeeded: hash >> shift)]
                                    if slot != 0 && slot & SaltedSlots.salt == hash & SaltedSlots.salt {
                                        let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                                        if keys.isSame(position, as: probe, row) {
                                            ids[row] = stored[position]
                                            continue
                                        }
                                    }
                                }
                                rest.append(row)
                            }
                        }
                    }
                }
            }
        }
        return rest
    }

    /// The value of row `row` of a probe column's key, or nil if absent.
    @inline(__always)
    func value(_ probe: Keys.Reader, _ row: Int) -> Int? {
        let position = keys.withReader { find(probe, row, probe.hash(row), in: $0).position }
        return position < 0 ? nil : values[position]
    }

    /// The value of row `row` of a probe column's key if present; otherwise
    /// stores the key with `newValue` and returns nil.
    @inline(__always)
    mutating func value(_ probe: Keys.Reader, _ row: Int, inserting newValue: Int) -> Int? {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let hash = probe.hash(row)
        let (slot, position) = keys.withReader { find(probe, row, hash, in: $0) }
        if position >= 0 { return values[position] }
        keys.append(probe, row)
        values.append(newValue)
        slots[slot] = hash & SaltedSlots.salt | UInt64(keys.count)
        return nil
    }

    /// Doubles the table and re-places every key by the hash bits in its slot.
    private mutating func grow() {
        shift -= 1
        slots = SaltedSlots.doubled(slots, shift: shift)
    }
}

extension KeyMap {
    /// The value of one key, or nil if absent.
    @inline(__always)
    func value<K>(for key: K) -> Int? where Keys == [K] {
        withUnsafePointer(to: key) { value(UnsafeBufferPointer(start: $0, count: 1), 0) }
    }

    /// The value of one key if present; otherwise stores it with `newValue` and returns nil.
    @inline(__always)
    mutating func value<K>(for key: K, inserting newValue: Int) -> Int? where Keys == [K] {
        withUnsafePointer(to: key) { value(UnsafeBufferPointer(start: $0, count: 1), 0, inserting: newValue) }
    }
}

/// The slots of KeyMap and KeyRowMap: a key's position + 1 in the low half,
/// the high half of its hash in the high half (0: empty).
enum SaltedSlots {
    @inline(__always) static var salt: UInt64 { 0xFFFF_FFFF_0000_0000 }

    /// `old`'s keys in a table twice its size, each placed from the start its
    /// hash bits give under `shift` (which the larger table's size sets).
    static func doubled(_ old: [UInt64], shift: UInt64) -> [UInt64] {
        var slots = [UInt64](repeating: 0, count: old.count * 2)
        slots.withUnsafeMutableBufferPointer { table in
            let mask = table.count - 1
            for slot in old where slot != 0 {
                var i = Int(truncatingIfNeeded: slot >> shift)
                while table[i] != 0 { i = (i + 1) & mask }
                table[i] = slot
            }
        }
        return slots
    }
}
