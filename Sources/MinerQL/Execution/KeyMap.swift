// A hash map from keys to Ints for the engine's hot paths (group ids, join
// buckets). Swift's Dictionary hashes with seeded SipHash, several times the
// cost of the multiply-and-shift hashes here; keys and their hashes sit in
// dense arrays, the table holds only their positions, with linear probing.

/// Keys that can hash themselves cheaply (not for untrusted hash flooding:
/// the data is the user's own).
protocol KeyMapKey: Equatable {
    var keyMapHash: UInt64 { get }
    /// Equal as the map tells keys apart (byte for byte), cheaper than a lookup.
    func isSameKey(as other: Self) -> Bool
    /// Equal without reading beyond the value itself (false may still be
    /// equal): the test for a row repeating the previous row's key.
    func isCertainlySameKey(as other: Self) -> Bool
}

extension Int64: KeyMapKey {
    @inline(__always) func isSameKey(as other: Int64) -> Bool { self == other }
    @inline(__always) func isCertainlySameKey(as other: Int64) -> Bool { self == other }

    @inline(__always) var keyMapHash: UInt64 {
        var h = UInt64(bitPattern: self) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return h &* 0xD6E8_FEB8_6659_FD93
    }
}

extension String: KeyMapKey {
    /// By UTF-8 bytes: canonically equivalent strings with different bytes
    /// are different keys, as their hashes already make them. Two strings
    /// with the same representation — a short string's inline bytes, or the
    /// same storage — are the same without reading their bytes (clustered
    /// keys, such as a symbol's consecutive rows, usually are).
    @inline(__always) func isSameKey(as other: String) -> Bool {
        hasSameRepresentation(as: other) || Comparison.compareStrings(self, other) == 0
    }

    @inline(__always) func isCertainlySameKey(as other: String) -> Bool { hasSameRepresentation(as: other) }

    /// The same inline bytes or the same storage: equal without reading
    /// the bytes (unequal representations may still hold equal strings).
    @inline(__always) func hasSameRepresentation(as other: String) -> Bool {
        unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self)
    }

    var keyMapHash: UInt64 {
        if let hash = utf8.withContiguousStorageIfAvailable(KeyMapHashing.bytes) { return hash }
        return Array(utf8).withUnsafeBufferPointer(KeyMapHashing.bytes)
    }
}

enum KeyMapHashing {
    /// Eight bytes at a time, multiply-xorshift mixed.
    static func bytes(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(buffer.count)
        guard let base = buffer.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
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

/// Keys to Int values, open addressing with linear probing. A slot holds the
/// key's position + 1 in its low half and the high half of its hash in its
/// high half: a probe reads a key only when those bits match, and growing
/// re-places keys from the slots alone.
struct KeyMap<Key: KeyMapKey> {
    /// 0 marks an empty slot.
    private var slots: [UInt64]
    private var keys: [Key] = []
    private var values: [Int] = []
    private var shift: UInt64

    init() {
        slots = [UInt64](repeating: 0, count: 16)
        shift = 64 - 4
    }

    var count: Int { keys.count }

    /// Every key, in the order first inserted.
    var keysInInsertionOrder: [Key] { keys }

    /// The position of `key` in `keys`, or the empty slot where it would go.
    @inline(__always) private func probe(_ key: Key, _ hash: UInt64) -> (slot: Int, position: Int) {
        slots.withUnsafeBufferPointer { table in
            keys.withUnsafeBufferPointer { keys in
                let mask = table.count - 1
                let salt = hash & SaltedSlots.salt
                var i = Int(truncatingIfNeeded: hash >> shift)
                while true {
                    let slot = table[i]
                    if slot == 0 { return (i, -1) }
                    if slot & SaltedSlots.salt == salt {
                        let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                        if keys[position].isSameKey(as: key) { return (i, position) }
                    }
                    i = (i + 1) & mask
                }
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
    func lookAtHome(_ values: [Key], _ validity: Validity, ids: inout [Int]) -> [Int] {
        var rest: [Int] = []
        var previousFound = false
        slots.withUnsafeBufferPointer { table in
            keys.withUnsafeBufferPointer { keys in
                self.values.withUnsafeBufferPointer { stored in
                    ids.withUnsafeMutableBufferPointer { ids in
                        for row in 0..<values.count {
                            defer { previousFound = rest.last != row }
                            if validity.isValid(row) {
                                if previousFound && validity.isValid(row - 1)
                                    && values[row].isCertainlySameKey(as: values[row - 1]) {
                                    ids[row] = ids[row - 1]
                                    continue
                                }
                                let hash = values[row].keyMapHash
                                let slot = table[Int(truncatingIfNeeded: hash >> shift)]
                                if slot != 0 && slot & SaltedSlots.salt == hash & SaltedSlots.salt {
                                    let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                                    if keys[position].isSameKey(as: values[row]) {
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
        return rest
    }

    /// The value of `key`, or nil if absent.
    func value(for key: Key) -> Int? {
        let position = probe(key, key.keyMapHash).position
        return position < 0 ? nil : values[position]
    }

    /// The value of `key` if present; otherwise stores `newValue` and returns nil.
    mutating func value(for key: Key, inserting newValue: Int) -> Int? {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let hash = key.keyMapHash
        let (slot, position) = probe(key, hash)
        if position >= 0 { return values[position] }
        keys.append(key)
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
