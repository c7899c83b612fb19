// Which rows of a vector hold a value and which are NULL: a bitmap with one bit per
// row, or nothing at all in the common all-valid case so that kernels can skip it.

/// A NULL mask: bit set = valid. `words == nil` means every row is valid.
public struct Validity: Sendable {
    var words: [UInt64]?

    static let allValid = Validity(words: nil)

    /// A mask of `count` rows, all NULL.
    static func allInvalid(_ count: Int) -> Validity {
        Validity(words: [UInt64](repeating: 0, count: (count + 63) >> 6))
    }

    var hasInvalid: Bool { words != nil }

    @inline(__always)
    func isValid(_ row: Int) -> Bool {
        guard let words else { return true }
        return words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    mutating func setInvalid(_ row: Int, count: Int) {
        // Take the buffer out while changing it, so it stays uniquely referenced.
        var bits = words ?? [UInt64](repeating: ~0, count: (count + 63) >> 6)
        words = nil
        bits[row >> 6] &= ~(1 << UInt64(row & 63))
        words = bits
    }

    mutating func setValid(_ row: Int) {
        guard var bits = words else { return }
        words = nil
        bits[row >> 6] |= 1 << UInt64(row & 63)
        words = bits
    }

    /// The rows valid in both masks.
    func intersection(_ other: Validity) -> Validity {
        guard let a = words else { return other }
        guard let b = other.words else { return self }
        var result = a
        for i in 0..<min(a.count, b.count) { result[i] &= b[i] }
        return Validity(words: result)
    }

    /// The mask for the rows at `indices`, in that order.
    func gathered(_ indices: [Int]) -> Validity {
        guard words != nil else { return .allValid }
        var result = Validity.allInvalid(indices.count)
        for (target, source) in indices.enumerated() where isValid(source) { result.setValid(target) }
        return result
    }

    /// The mask for rows `range`, renumbered from 0.
    func sliced(_ range: Range<Int>) -> Validity {
        guard words != nil else { return .allValid }
        var result = Validity.allInvalid(range.count)
        for (target, source) in range.enumerated() where isValid(source) { result.setValid(target) }
        return result
    }
}
