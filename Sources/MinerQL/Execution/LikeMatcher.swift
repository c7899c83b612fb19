// LIKE and ILIKE: `%` matches any run of characters, `_` exactly one. As in
// DuckDB, there is no escape character unless an ESCAPE clause names one.

enum LikeMatcher {
    static func match(_ values: Vector, _ patterns: Vector, caseInsensitive: Bool, negated: Bool) throws -> Vector {
        let count = values.count
        let validity = values.validity.intersection(patterns.validity)
        let texts = Kernels.texts(values), pats = Kernels.texts(patterns)
        var output = [Bool](repeating: false, count: count)
        var cachedPattern: String?
        var compiled: [Unicode.Scalar] = []
        for row in 0..<count where validity.isValid(row) {
            if cachedPattern != pats[row] {
                cachedPattern = pats[row]
                compiled = Array((caseInsensitive ? pats[row].lowercased() : pats[row]).unicodeScalars)
            }
            let text = Array((caseInsensitive ? texts[row].lowercased() : texts[row]).unicodeScalars)
            output[row] = matches(text[...], compiled[...]) != negated
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
