// Where the query generator's decisions come from: a seeded generator for
// reproducible test runs, or the bytes of a fuzzer's input, so that libFuzzer's
// mutations become mutations of the query's structure.

/// A stream of choices among `n` alternatives.
public protocol ChoiceSource {
    /// A number in `0..<n` (n ≥ 1).
    mutating func choose(below n: Int) -> Int
}

/// SplitMix64: the same seed gives the same queries on every machine.
public struct SeededChoices: ChoiceSource {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func choose(below n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(n))
    }
}

/// Reads choices from a fuzzer's input, one or two bytes each; once the input
/// is used up every choice is the first alternative, which the generator makes
/// the simplest, so every input ends in a finite query.
public struct ByteChoices: ChoiceSource {
    private let bytes: [UInt8]
    private var index = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func choose(below n: Int) -> Int {
        guard n > 1 else { return 0 }
        var value = 0
        for _ in 0..<(n > 256 ? 2 : 1) {
            guard index < bytes.count else { break }
            value = value << 8 | Int(bytes[index])
            index += 1
        }
        return value % n
    }
}
