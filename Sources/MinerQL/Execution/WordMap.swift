// One-word keys (composite keys packed into a word, KeyPacking) to ids, for
// tables too large for a direct table. Each slot holds its key and its id + 1
// side by side, so a lookup reads one place in memory, where KeyMap reads its
// slot, then the key, then the value (three cache misses on a large table).
// Open addressing with linear probing; 0 in the id word marks an empty slot.

struct WordMap {
    /// Two words per slot: the key, then its id + 1.
    private var slots: [UInt64]
    private var shift: UInt64
    private(set) var count = 0

    init() {
        slots = [UInt64](repeating: 0, count: 2 * 16)
        shift = 64 - 4
    }

    @inline(__always) private static func hash(_ key: UInt64) -> UInt64 { Int64(bitPattern: key).keyMapHash }

    /// Each row's id where its key is in its home slot; the other rows
    /// (keys further along, or absent) are returned in order. Rows do not
    /// depend on each other, so their memory reads overlap.
    func lookAtHome(_ keys: [UInt64], ids: inout [Int]) -> [Int] {
        var rest: [Int] = []
        slots.withUnsafeBufferPointer { table in
            ids.withUnsafeMutableBufferPointer { ids in
                for row in 0..<keys.count {
                    let i = 2 * Int(truncatingIfNeeded: WordMap.hash(keys[row]) >> shift)
                    if table[i + 1] != 0 && table[i] == keys[row] {
                        ids[row] = Int(truncatingIfNeeded: table[i + 1]) - 1
                    } else {
                        rest.append(row)
                    }
                }
            }
        }
        return rest
    }

    /// The first word of the slot holding `key`, or of the empty slot where it would go.
    @inline(__always) private func find(_ key: UInt64) -> Int {
        slots.withUnsafeBufferPointer { table in
            let mask = table.count / 2 - 1
            var i = Int(truncatingIfNeeded: WordMap.hash(key) >> shift)
            while table[2 * i + 1] != 0 && table[2 * i] != key { i = (i + 1) & mask }
            return 2 * i
        }
    }

    /// The id of `key`, or nil if absent.
    func value(for key: UInt64) -> Int? {
        let i = find(key)
        return slots[i + 1] == 0 ? nil : Int(truncatingIfNeeded: slots[i + 1]) - 1
    }

    /// The id of `key` if present; otherwise stores it with `id` and returns nil.
    mutating func value(for key: UInt64, inserting id: Int) throws -> Int? {
        if (count + 1) * 2 > slots.count / 2 { try grow() }
        let i = find(key)
        if slots[i + 1] != 0 { return Int(truncatingIfNeeded: slots[i + 1]) - 1 }
        slots[i] = key
        slots[i + 1] = UInt64(id + 1)
        count += 1
        return nil
    }

    /// Each key and its id, in slot order.
    func forEach(_ body: (UInt64, Int) throws -> Void) rethrows {
        for k in stride(from: 0, to: slots.count, by: 2) where slots[k + 1] != 0 {
            try body(slots[k], Int(truncatingIfNeeded: slots[k + 1]) - 1)
        }
    }

    /// Empties the map, with room for `keys` keys so that it does not grow
    /// on the way there (keeping its slots when they are enough).
    mutating func removeAll(reservingFor keys: Int) throws {
        count = 0
        var size = 16, bits: UInt64 = 64 - 4
        while size < keys * 2 && size < 1 << 32 {
            size *= 2
            bits -= 1
        }
        if size <= slots.count / 2 {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return
        }
        try MemoryLimit.checkRoom(for: 2 * size * MemoryLayout<UInt64>.stride)
        slots = []
        slots = [UInt64](repeating: 0, count: 2 * size)
        shift = bits
    }

    /// Doubles the table, re-placing every key by its hash.
    private mutating func grow() throws {
        guard slots.count < 1 << 33 else { throw MinerQLError(.outOfRange, "too many distinct keys") }
        if slots.count >= 1 << 21 { try MemoryLimit.checkRoom(for: slots.count * 2 * MemoryLayout<UInt64>.stride) }
        let old = slots
        shift -= 1
        slots = [UInt64](repeating: 0, count: old.count * 2)
        slots.withUnsafeMutableBufferPointer { table in
            let mask = table.count / 2 - 1
            for k in stride(from: 0, to: old.count, by: 2) where old[k + 1] != 0 {
                var i = Int(truncatingIfNeeded: WordMap.hash(old[k]) >> shift)
                while table[2 * i + 1] != 0 { i = (i + 1) & mask }
                table[2 * i] = old[k]
                table[2 * i + 1] = old[k + 1]
            }
        }
    }
}
