// Regular expressions for regexp_* functions, compiled once per pattern: a
// pattern is almost always a constant, so compiling per row would dominate.
import Synchronization

/// Compiled patterns shared by all queries.
final class RegexCache: Sendable {
    static let shared = RegexCache()

    /// A compiled pattern with the two operations the functions need.
    struct Pattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>

        /// The whole match and its capture groups, or nil.
        func firstMatch(in text: String) -> [String]? {
            guard let match = try? regex.firstMatch(in: text) else { return nil }
            return (0..<match.output.count).map { match.output[$0].substring.map(String.init) ?? "" }
        }

        /// Replaces the first match (or all), with `\1`…`\9` for groups.
        func replacing(in text: String, with template: String, all: Bool) -> String {
            var result = ""
            var rest = text[...]
            while let match = try? regex.firstMatch(in: rest) {
                result += rest[..<match.range.lowerBound]
                var expanded = ""
                var escape = false
                for c in template {
                    if escape {
                        if let digit = c.wholeNumberValue, digit < match.output.count {
                            expanded += match.output[digit].substring.map(String.init) ?? ""
                        } else {
                            expanded.append(c)
                        }
                        escape = false
                    } else if c == "\\" {
                        escape = true
                    } else {
                        expanded.append(c)
                    }
                }
                result += expanded
                if match.range.isEmpty {
                    // An empty match advances one character so the loop ends.
                    guard match.range.upperBound < rest.endIndex else { rest = rest[rest.endIndex...]; break }
                    result.append(rest[match.range.upperBound])
                    rest = rest[rest.index(after: match.range.upperBound)...]
                } else {
                    rest = rest[match.range.upperBound...]
                }
                if !all { break }
            }
            return result + rest
        }
    }

    private let cache = Mutex<[String: Pattern]>([:])

    func regex(_ pattern: String) throws -> Pattern {
        if let cached = cache.withLock({ $0[pattern] }) { return cached }
        let compiled: Regex<AnyRegexOutput>
        do {
            compiled = try Regex(pattern)
        } catch {
            throw MinerQLError(.invalidInput, "invalid regular expression \"\(pattern)\": \(error)")
        }
        let result = Pattern(regex: compiled)
        cache.withLock { $0[pattern] = result }
        return result
    }
}
