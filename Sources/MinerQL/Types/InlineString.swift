// Short ASCII text as a String without the standard library's validation and
// copy: a String of at most 15 ASCII bytes holds them inline in its two words,
// the last byte marking it small, ASCII and immortal (0xE0) with its length.
// The CSV reader makes most of its strings (tickers, labels) this way. The
// layout is checked against the standard library's own once; if it differs,
// `make` returns nil and callers take the standard path.

enum InlineString {
    private static let maxCount = 15
    private static let smallASCII: UInt64 = 0xE0 << 56

    /// Whether the words made here are the standard library's for the same text.
    private static let layoutMatches: Bool = {
        ["", "a", "S0000", "123456789012345"].allSatisfy { sample in
            let made = Array(sample.utf8).withUnsafeBytes(words)
            return made.map { $0 == unsafeBitCast(sample, to: (UInt64, UInt64).self) } == true
                && made.map { unsafeBitCast($0, to: String.self) == sample } == true
        }
    }()

    /// The bytes as a String, when they are ASCII and at most 15; nil otherwise.
    @inline(__always)
    static func make(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count <= maxCount, layoutMatches, let words = words(bytes) else { return nil }
        return unsafeBitCast(words, to: String.self)
    }

    /// The two words of the inline String of at most 15 bytes; nil unless ASCII.
    @inline(__always)
    private static func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
        guard (words.0 | words.1) & 0x8080_8080_8080_8080 == 0 else { return nil }
        words.1 |= smallASCII | UInt64(bytes.count) << 56
        return words
    }
}
