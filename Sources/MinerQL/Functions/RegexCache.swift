// Regular expressions for the regexp_* functions, on RE2 (as DuckDB): matching
// takes time linear in the text whatever the pattern, so `(a+)+$` cannot
// stall a session, and syntax, options and submatches are DuckDB's. Patterns
// are compiled once: a pattern is almost always a constant, so compiling per
// row would dominate.
import CRE2
import Synchronization

/// Compiled patterns shared by all queries.
final class RegexCache: Sendable {
    static let shared = RegexCache()

    /// How many compiled patterns are kept; a query making patterns from its
    /// data could otherwise grow the cache without end.
    private static let capacity = 256

    /// DuckDB's regexp options: `c` case-sensitive (the default), `i`
    /// insensitive, `l` literal, `s` dot matches newline, `m`/`n`/`p` newline
    /// sensitive (the default); `g` (replace every match) is read by
    /// regexp_replace and accepted here.
    struct Options: Hashable {
        var caseInsensitive = false
        var dotMatchesNewline = false
        var literal = false
        var global = false

        init(_ text: String) throws {
            for option in text {
                switch option {
                case "c": caseInsensitive = false
                case "i": caseInsensitive = true
                case "l": literal = true
                case "s": dotMatchesNewline = true
                case "m", "n", "p": dotMatchesNewline = false
                case "g": global = true
                default: throw MinerQLError(.invalidInput, "Unrecognized Regex option \(option)")
                }
            }
        }
    }

    /// A compiled pattern with the two operations the functions need.
    final class Pattern: @unchecked Sendable {
        // RE2 objects are immutable after compilation and safe to share.
        private let regex: OpaquePointer
        /// The whole match and each capture group.
        private let slots: Int

        fileprivate init(_ pattern: String, options: Options) throws {
            let bytes = Array(pattern.utf8)
            var error: UnsafeMutablePointer<CChar>?
            let compiled = Pattern.withCString(bytes) {
                minerql_re2_compile($0, bytes.count, options.caseInsensitive ? 1 : 0, options.dotMatchesNewline ? 1 : 0,
                                    options.literal ? 1 : 0, &error)
            }
            guard let compiled else {
                let message = error.map { String(cString: $0) } ?? "invalid regular expression"
                minerql_re2_free_error(error)
                throw MinerQLError(.invalidInput, message)
            }
            regex = compiled
            slots = Int(minerql_re2_groups(compiled)) + 1
        }

        deinit { minerql_re2_free(regex) }

        /// The number of capture groups.
        var groupCount: Int { slots - 1 }

        /// Byte ranges of the first match at or after `start` and of its
        /// groups (nil for a group that took no part), or nil.
        private func search(_ bytes: [UInt8], from start: Int, whole: Bool = false) -> [Range<Int>?]? {
            var offsets = [Int](repeating: -1, count: 2 * slots)
            let found = offsets.withUnsafeMutableBufferPointer { out in
                Pattern.withCString(bytes) {
                    minerql_re2_search(regex, $0, bytes.count, start, whole ? 1 : 0, out.baseAddress, Int32(slots))
                }
            }
            guard found == 1 else { return nil }
            return (0..<slots).map { i in offsets[2 * i] < 0 ? nil : offsets[2 * i]..<offsets[2 * i + 1] }
        }

        /// `body` with a pointer to the bytes (to one byte when there are
        /// none: RE2 wants an address even for an empty text).
        private static func withCString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>?) -> R) -> R {
            let storage = bytes.isEmpty ? [0] : bytes
            return storage.withUnsafeBytes { body($0.baseAddress?.assumingMemoryBound(to: CChar.self)) }
        }

        private static func text(_ bytes: [UInt8], _ range: Range<Int>?) -> String {
            range.map { String(decoding: bytes[$0], as: UTF8.self) } ?? ""
        }

        /// The whole match and its capture groups, or nil.
        func firstMatch(in text: String) -> [String]? {
            let bytes = Array(text.utf8)
            return search(bytes, from: 0).map { $0.map { Pattern.text(bytes, $0) } }
        }

        /// Whether the whole text matches.
        func matchesWhole(_ text: String) -> Bool {
            search(Array(text.utf8), from: 0, whole: true) != nil
        }

        /// Replaces the first match (or all), with `\0`…`\9` for groups and
        /// `\\` for a backslash, as RE2's rewrite strings.
        func replacing(in text: String, with template: String, all: Bool) throws -> String {
            let bytes = Array(text.utf8)
            var result: [UInt8] = []
            var position = 0
            while position <= bytes.count, let groups = search(bytes, from: position), let match = groups[0] {
                result += bytes[position..<match.lowerBound]
                var escape = false
                for c in template.unicodeScalars {
                    if escape {
                        if let digit = Int(String(c)), digit < groups.count {
                            if let group = groups[digit] { result += bytes[group] }
                        } else {
                            result += Array(String(c).utf8)
                        }
                        escape = false
                    } else if c == "\\" {
                        escape = true
                    } else {
                        result += Array(String(c).utf8)
                    }
                }
                try FunctionRegistry.checkStringSize(result.count, made: "regexp_replace")
                if match.isEmpty {
                    // An empty match copies one character and moves past it, so the loop ends.
                    guard match.upperBound < bytes.count else { position = bytes.count + 1; break }
                    let next = match.upperBound + Pattern.characterLength(bytes[match.upperBound])
                    result += bytes[match.upperBound..<min(next, bytes.count)]
                    position = next
                } else {
                    position = match.upperBound
                }
                if !all { break }
            }
            if position < bytes.count { result += bytes[position...] }
            return String(decoding: result, as: UTF8.self)
        }

        /// The length of the UTF-8 sequence a lead byte starts.
        private static func characterLength(_ lead: UInt8) -> Int {
            lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        }
    }

    private struct Key: Hashable {
        let pattern: String
        let options: Options
    }

    private let cache = Mutex<[Key: Pattern]>([:])

    func regex(_ pattern: String, options: String = "") throws -> Pattern {
        let key = Key(pattern: pattern, options: try Options(options))
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let result = try Pattern(pattern, options: key.options)
        cache.withLock {
            if $0.count >= RegexCache.capacity { $0.removeAll() }
            $0[key] = result
        }
        return result
    }
}
