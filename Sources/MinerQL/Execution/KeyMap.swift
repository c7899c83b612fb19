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
}

extension Int64: KeyMapKey {
    @inline(__always) func isSameKey(as other: Int64) -> Bool { self == other }

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

/// Keys to Int values, open addressing with linear probing.
struct KeyMap<Key: KeyMapKey> {
    /// Position + 1 of a key in `keys`; 0 marks an empty slot.
    private var slots: [Int]
    private var keys: [Key] = []
    private var hashes: [UInt64] = []
    private var values: [Int] = []
    private var shift: UInt64

    init() {
        slots = [Int](repeating: 0, count: 16)
        shift = 64 - 4
    }

    var count: Int { keys.count }

    /// Every key, in the order first inserted.
    var keysInInsertionOrder: [Key] { keys }

    @inline(__always) private func start(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> shift) }

    /// The value of `key`, or nil if absent.
    func value(for key: Key) -> Int? {
        let hash = key.keyMapHash
        let mask = slots.count - 1
        var i = start(hash)
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if hashes[slot - 1] == hash && keys[slot - 1] == key { return values[slot - 1] }
            i = (i + 1) & mask
        }
    }

    /// The value of `key` if present; otherwise stores `newValue` and returns nil.
    mutating func value(for key: Key, inserting newValue: Int) -> Int? {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let hash = key.keyMapHash
        let mask = slots.count - 1
        var i = start(hash)
        while true {
            let slot = slots[i]
            if slot == 0 {
                keys.append(key)
                hashes.append(hash)
                values.append(newValue)
                slots[i] = keys.count
                return nil
            }
            if hashes[slot - 1] == hash && keys[slot - 1] == key { return values[slot - 1] }
            i = (i + 1) & mask
        }
    }

    /// Doubles the table and re-places every key by its stored hash.
    private mutating func grow() {
        shift -= 1
        slots = [Int](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (position, hash) in hashes.enumerated() {
            var i = start(hash)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = position + 1
        }
    }
}
