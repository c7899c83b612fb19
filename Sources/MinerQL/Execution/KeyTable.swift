// Maps the distinct values of one or more key columns to dense ids 0, 1, 2, …,
// used by hash aggregation (group ids) and hash joins (build-side buckets). Keys
// are hashed with a typed strategy: a single integer-like column hashes Int64s,
// a single text column hashes its string views, any other key (several columns, or one
// DOUBLE or INTERVAL) is encoded into fixed-width word rows (KeyRows.swift),
// packed into one word while the columns' ranges allow (PackedKeys).
// Integer keys near the first chunk's range take their id from a direct table
// indexed by value (no hash, no probe); the others go through the hash map.

final class KeyTable {
    private enum Strategy {
        case integer, text, composite
    }

    private let strategy: Strategy
    private var integers = KeyMap<[Int64]>()
    private var direct: DirectKeys?
    private var texts = KeyMap<StringVector>()
    private let encoder: KeyRowEncoder
    private var keyRows: KeyRowMap
    /// Composite keys packed into one word, once the first chunk has shown
    /// their ranges (`packingDecided`), until they need more than a word;
    /// then, or when they never fit one, they are rows in `keyRows`.
    private var packed: PackedKeys?
    private var packingDecided = false
    /// Keys to make room for at the first insert (a hint).
    private var room = 0
    /// The id of the all-NULL key of a single-column table.
    private var nullId: Int?
    private(set) var count = 0

    init(types: [DataType]) {
        encoder = KeyRowEncoder(types: types)
        keyRows = KeyRowMap(width: encoder.width)
        if types.count == 1 {
            switch types[0] {
            case .bigint, .date, .timestamp, .boolean: strategy = .integer
            case .varchar: strategy = .text
            default: strategy = .composite
            }
        } else {
            strategy = .composite
        }
    }

    private static func integers(_ v: Vector) -> [Int64] {
        switch v.data {
        case .bigint(let a): return a
        case .date(let a): return a.map(Int64.init)
        case .timestamp(let a): return a
        case .boolean(let a): return a.map { $0 ? 1 : 0 }
        default: return [Int64](repeating: 0, count: v.count)
        }
    }

    /// Room for `keys` keys of several columns without growing (a hint:
    /// other tables grow as they need).
    func reserve(_ keys: Int) throws {
        room = keys
    }

    /// The id of each row's key, adding unseen keys. `newRows` lists the rows
    /// whose key was new, in id order (not always row order), so callers can
    /// record the key values.
    func insert(_ keys: [Vector], count rows: Int) throws -> (ids: [Int], newRows: [Int]) {
        var ids = [Int](repeating: 0, count: rows)
        var newRows: [Int] = []
        switch strategy {
        case .integer:
            let values = KeyTable.integers(keys[0])
            if direct == nil { direct = DirectKeys(covering: values, keys[0].validity) }
            if direct?.slots.isEmpty == false {
                insertIntegers(values, keys[0].validity, ids: &ids, newRows: &newRows)
            } else {
                insertSingle(values, keys[0].validity, into: &integers, ids: &ids, newRows: &newRows)
            }
        case .text:
            insertSingle(Kernels.strings(keys[0]), keys[0].validity, into: &texts, ids: &ids, newRows: &newRows)
        case .composite:
            var unused: [Bool] = []
            let words = encoder.encode(keys, rows: rows, inserting: true, nullsAbsent: false, absent: &unused)
            if !packingDecided {
                packingDecided = true
                packed = try PackedKeys(first: words, rows: rows, encoder: encoder, room: room)
                if packed == nil { try keyRows.reserve(room) }
            }
            if packed != nil, try packed?.insert(words, rows: rows, ids: &ids, newRows: &newRows, next: &count) == true {
                break
            }
            if let keys = packed?.unpacked() {
                // The keys outgrew a word: from now on they are rows.
                packed = nil
                try keyRows.reserve(max(room, keys.ids.count))
                try keyRows.adopt(keys.words, ids: keys.ids)
            }
            try keyRows.insert(words, rows: rows, ids: &ids, newRows: &newRows, next: &count)
        }
        return (ids, newRows)
    }

    /// Assigns ids for one typed key column; NULL is a key of its own. Keys
    /// already in their home slot are found in one pass over the chunk; the
    /// other rows are then probed (and new keys added) in row order.
    private func insertSingle<Keys: KeyColumn>(_ values: Keys, _ validity: Validity, into map: inout KeyMap<Keys>,
                                               ids: inout [Int], newRows: inout [Int]) {
        var next = count
        defer { count = next }
        let pending = map.lookAtHome(values, validity, ids: &ids)
        values.withReader { values in
        for row in pending {
            if validity.isValid(row) {
                if let existing = map.value(values, row, inserting: next) {
                    ids[row] = existing
                    continue
                }
            } else if let nullId {
                ids[row] = nullId
                continue
            } else {
                nullId = next
            }
            ids[row] = next
            newRows.append(row)
            next += 1
        }
        }
    }

    /// `insertSingle` for integers, those in the direct table's window by
    /// their slot there.
    private func insertIntegers(_ values: [Int64], _ validity: Validity, ids: inout [Int], newRows: inout [Int]) {
        guard var table = direct else { return }
        direct = nil
        defer { direct = table }
        var next = count
        defer { count = next }
        let base = table.base, span = UInt64(table.slots.count)
        table.slots.withUnsafeMutableBufferPointer { slots in
            for row in 0..<values.count {
                if validity.isValid(row) {
                    let offset = UInt64(bitPattern: values[row] &- base)
                    if offset < span {
                        let slot = Int(offset)
                        if slots[slot] != 0 {
                            ids[row] = Int(slots[slot]) - 1
                            continue
                        }
                        slots[slot] = Int32(truncatingIfNeeded: next + 1)
                    } else if let existing = integers.value(for: values[row], inserting: next) {
                        ids[row] = existing
                        continue
                    }
                } else if let nullId {
                    ids[row] = nullId
                    continue
                } else {
                    nullId = next
                }
                ids[row] = next
                newRows.append(row)
                next += 1
            }
        }
    }

    /// Whether `keyColumns` gives back column `c` (see KeyRowEncoder.decodes).
    func decodes(_ c: Int) -> Bool { encoder.decodes(c) }

    /// The distinct keys by id, one vector per key column, from what the table
    /// stores (so its owner need not keep them too); nil for a column that
    /// does not `decode`.
    func keyColumns() -> [Vector?] {
        switch strategy {
        case .integer:
            var words = [UInt64](repeating: 0, count: count)
            var validity = Validity.allValid
            if let nullId { validity.setInvalid(nullId, count: count) }
            if let direct {
                for (offset, slot) in direct.slots.enumerated() where slot != 0 {
                    words[Int(slot) - 1] = UInt64(bitPattern: direct.base &+ Int64(offset))
                }
            }
            for (key, id) in zip(integers.keysInInsertionOrder, integers.valuesInInsertionOrder) {
                words[id] = UInt64(bitPattern: key)
            }
            return [encoder.keyVector(words, validity, column: 0)]
        case .text:
            var strings = texts.keysInInsertionOrder
            var positions = [Int](repeating: 0, count: count)
            for (position, id) in texts.valuesInInsertionOrder.enumerated() { positions[id] = position }
            var validity = Validity.allValid
            if let nullId {
                validity.setInvalid(nullId, count: count)
                positions[nullId] = strings.count
                strings.appendEmpty()
            }
            return [Vector(.varchar(strings.gathered(positions)), validity: validity)]
        case .composite:
            // One buffer of words for every column in turn.
            var words = [UInt64](repeating: 0, count: count)
            let codes = packed?.codesByID(count: count)
            return (0..<encoder.columnCount).map { c in
                guard encoder.decodes(c) else { return nil }
                let validity: Validity
                if let packed, let codes {
                    validity = packed.packing.columnWords(c, of: codes, into: &words)
                } else {
                    let place = encoder.place(of: c)
                    validity = keyRows.columnWords(place.word, nullWord: place.nullWord, bit: place.bit, into: &words)
                }
                return encoder.keyVector(words, validity, column: c)
            }
        }
    }

    /// Looks up one typed key column: home slots in one pass, then full
    /// probes for the rest.
    private func lookupSingle<Keys: KeyColumn>(_ values: Keys, _ validity: Validity, in map: KeyMap<Keys>, ids: inout [Int]) {
        let pending = map.lookAtHome(values, validity, ids: &ids)
        values.withReader { values in
            for row in pending where validity.isValid(row) { ids[row] = map.value(values, row) ?? -1 }
        }
    }

    /// The id of each row's key, or -1 if the key is absent or contains a NULL
    /// (NULL keys never match in a join).
    func lookup(_ keys: [Vector], count rows: Int) -> [Int] {
        var ids = [Int](repeating: -1, count: rows)
        switch strategy {
        case .integer:
            let values = KeyTable.integers(keys[0])
            if let direct, !direct.slots.isEmpty {
                let base = direct.base, span = UInt64(direct.slots.count)
                for row in 0..<rows where keys[0].validity.isValid(row) {
                    let offset = UInt64(bitPattern: values[row] &- base)
                    ids[row] = offset < span ? Int(direct.slots[Int(offset)]) - 1 : (integers.value(for: values[row]) ?? -1)
                }
            } else {
                lookupSingle(values, keys[0].validity, in: integers, ids: &ids)
            }
        case .text:
            lookupSingle(Kernels.strings(keys[0]), keys[0].validity, in: texts, ids: &ids)
        case .composite:
            var absent = [Bool](repeating: false, count: rows)
            let words = encoder.encode(keys, rows: rows, inserting: false, nullsAbsent: true, absent: &absent)
            ids = packed?.lookup(words, rows: rows, absent: absent) ?? keyRows.lookup(words, rows: rows, skip: absent)
        }
        return ids
    }
}

/// Integer keys in a window of values, each value's id + 1 at its offset from
/// `base` (0 for a value not seen). The window is fixed by the first chunk's
/// range — room for four times it, at most 2^20 values — so a value is always
/// either inside it or in the hash map; no window (no slots) when the first
/// chunk spans more than that.
private struct DirectKeys {
    var base: Int64 = 0
    var slots: [Int32] = []

    static let maximumSpan: UInt64 = 1 << 20

    init(covering values: [Int64], _ validity: Validity) {
        var low = Int64.max, high = Int64.min
        for row in 0..<values.count where validity.isValid(row) {
            low = min(low, values[row])
            high = max(high, values[row])
        }
        guard low <= high else { return }
        let range = UInt64(bitPattern: high &- low)
        guard range < DirectKeys.maximumSpan / 4 else { return }
        let span = max(1024, min(DirectKeys.maximumSpan, (range + 1) * 4))
        let (padded, overflow) = low.subtractingReportingOverflow(Int64(span / 4))
        base = overflow ? low : padded
        slots = [Int32](repeating: 0, count: Int(span))
    }
}
