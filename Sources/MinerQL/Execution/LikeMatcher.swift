// LIKE and ILIKE: `%` matches any run of characters, `_` exactly one. As in
// DuckDB, there is no escape character unless an ESCAPE clause names one.

enum LikeMatcher {
    static func match(_ values: Vector, _ patterns: Vector, caseInsensitive: Bool, negated: Bool) throws -> Vector {
        let count = values.count
        let validity = values.validity.intersection(patterns.validity)
        var output = [Bool](repeating: false, count: count)
        // The pattern compiled last, and the row it came from.
        var compiledRow = -1
        var compiled: [Unicode.Scalar] = []
        Kernels.strings(values).withReader { texts in
            Kernels.strings(patterns).withReader { pats in
                for row in 0..<count where validity.isValid(row) {
                    if compiledRow < 0 || !pats.isSame(row, as: pats, compiledRow) {
                        compiledRow = row
                        let pattern = pats.string(row)
                        compiled = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
                    }
                    let text = texts.string(row)
                    output[row] = matches(Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)[...], compiled[...]) != negated
                }
            }
        }
        return Vector(.boolean(output), validity: validity)
    }

    /// Iterative matcher with backtracking to the last `%`: linear for most patterns.
    static func matches(_ text: ArraySlice<Unicode.Scalar>, _ pattern: ArraySlice<Unicode.Scalar>) -> Bool {
        var t = text.startIndex, p = pattern.startIndex
        var starP = -1, starT = -1
        while t < text.endIndex {
            if p < pattern.endIndex {
                let c = pattern[p]
                if c == "%" {
                    starP = p
                    starT = t
                    p += 1
                    continue
                }
                if c == "_" || c == text[t] {
                    p += 1
                    t += 1
                    continue
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < pattern.endIndex && pattern[p] == "%" { p += 1 }
        return p == pattern.endIndex
    }
}
