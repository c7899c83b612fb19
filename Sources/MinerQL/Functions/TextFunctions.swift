// String scalar functions. Positions are 1-based and count Unicode code points,
// as in DuckDB (so "\r\n" is two characters and an emoji with a skin tone two);
// searching compares UTF-8 bytes, so a "\n" is found inside a "\r\n".
import Glibc

extension FunctionRegistry {
    /// The largest string a function builds (`repeat`, `string_agg`): one
    /// allocation is not seen by memory_limit's checkpoints, so it has a cap,
    /// and below it checkStringSize asks memory_limit for room first.
    static let maximumStringBytes = 1 << 28

    static func checkStringSize(_ bytes: Int, made function: String) throws {
        guard bytes <= maximumStringBytes else {
            throw MinerQLError(.outOfRange, "\(function) would create a string larger than 256 MiB")
        }
        // Below the cap, the string must still fit under memory_limit.
        if bytes >= 1 << 20 { try MemoryLimit.checkRoom(for: bytes) }
    }

    static func registerText(into table: inout [String: Resolver]) {
        table["length"] = { types in
            guard types.count == 1, types[0] == .varchar || types[0] == .null else { return nil }
            return ScalarFunction("length", [.varchar], .bigint) { args, _, _ in
                // Code points: the bytes that do not continue a UTF-8 sequence.
                Kernels.bytesToBigint(args[0]) { bytes in Int64(bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }) }
            }
        }
        table["len"] = table["length"]
        table["char_length"] = table["length"]
        table["upper"] = { types in
            guard types.count == 1, types[0] == .varchar || types[0] == .null else { return nil }
            return ScalarFunction("upper", [.varchar], .varchar) { args, _, _ in Kernels.mapString(args[0]) { $0.uppercased() } }
        }
        table["ucase"] = table["upper"]
        table["lower"] = { types in
            guard types.count == 1, types[0] == .varchar || types[0] == .null else { return nil }
            return ScalarFunction("lower", [.varchar], .varchar) { args, _, _ in Kernels.mapString(args[0]) { $0.lowercased() } }
        }
        table["lcase"] = table["lower"]
        table["substr"] = { types in
            guard types.count == 2 || types.count == 3 else { return nil }
            guard types[0] == .varchar || types[0] == .null,
                  types.dropFirst().allSatisfy({ $0 == .bigint || $0 == .null }) else { return nil }
            return ScalarFunction("substr", [.varchar] + Array(repeating: .bigint, count: types.count - 1), .varchar) { args, count, _ in
                let strings = Kernels.texts(args[0]), starts = Kernels.bigints(args[1])
                let lengths = args.count == 3 ? Kernels.bigints(args[2]) : nil
                let validity = Kernels.validity(args)
                var output = [String](repeating: "", count: count)
                for row in 0..<count where validity.isValid(row) {
                    output[row] = try substring(strings[row], start: starts[row], length: lengths?[row])
                }
                return Vector(.varchar(StringVector(output)), validity: validity)
            }
        }
        table["substring"] = table["substr"]
    }

    /// DuckDB's substring: 1-based start; a start of 0 or below eats into the
    /// length; a negative start counts from the end. Start and length are
    /// limited to ±2^32 as in DuckDB, which keeps the arithmetic below far from
    /// overflow.
    static func substring(_ text: String, start: Int64, length: Int64?) throws -> String {
        let limit = Int64(UInt32.max)
        if start > limit { throw MinerQLError(.outOfRange, "Substring offset outside of supported range (> \(limit))") }
        if start < -limit - 1 { throw MinerQLError(.outOfRange, "Substring offset outside of supported range (< \(-limit - 1))") }
        if let length, length > limit { throw MinerQLError(.outOfRange, "Substring length outside of supported range (> \(limit))") }
        if let length, length < -limit - 1 { throw MinerQLError(.outOfRange, "Substring length outside of supported range (< \(-limit - 1))") }
        let characters = Array(text.unicodeScalars)
        let total = Int64(characters.count)
        var from = start > 0 ? start - 1 : (start < 0 ? Swift.max(0, total + start) : 0)
        var end: Int64
        if let length {
            if start == 0 {
                end = length - 1
            } else {
                end = from + length
            }
            if length < 0 {
                // A negative length takes characters before the start.
                end = from
                from = Swift.max(0, from + length)
            }
        } else {
            end = total
        }
        from = Swift.max(0, Swift.min(from, total))
        end = Swift.max(from, Swift.min(end, total))
        return scalars(characters[Int(from)..<Int(end)])
    }
}

extension FunctionRegistry {
    /// A resolver for a function of fixed VARCHAR/BIGINT arguments returning `result`.
    static func fixed(_ name: String, _ arguments: [DataType], _ result: DataType,
                      _ body: @escaping @Sendable ([Value]) throws -> Value) -> Resolver {
        { types in
            guard types.count == arguments.count,
                  zip(types, arguments).allSatisfy({ $0 == $1 || $0 == .null || (DataType.common($0, $1) == $1 && $1 != .varchar) }) else {
                return nil
            }
            return ScalarFunction(name, arguments, result) { args, count, _ in
                var builder = VectorBuilder(result, capacity: count)
                var row = [Value](repeating: .null, count: args.count)
                for r in 0..<count {
                    var anyNull = false
                    for i in 0..<args.count {
                        row[i] = args[i].value(at: r)
                        if row[i].isNull { anyNull = true }
                    }
                    builder.append(anyNull ? .null : try body(row))
                }
                return builder.build()
            }
        }
    }

    /// A VARCHAR argument's text (the description of anything else).
    static func text(_ v: Value) -> String { if case .varchar(let s) = v { return s } else { return v.description } }

    /// A BIGINT argument's value (0 for anything else).
    static func int(_ v: Value) -> Int64 { if case .bigint(let i) = v { return i } else { return 0 } }

    static func trimmed(_ s: String, _ characters: Set<Unicode.Scalar>, leading: Bool, trailing: Bool) -> String {
        var slice = Substring(s).unicodeScalars[...]
        if leading { slice = slice.drop { characters.contains($0) } }
        if trailing { while let last = slice.last, characters.contains(last) { slice = slice.dropLast() } }
        return scalars(slice)
    }

    /// A string of code points.
    static func scalars<C: Collection>(_ characters: C) -> String where C.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: characters)
        return String(view)
    }

    /// Byte offsets of the first `limit` non-overlapping occurrences of
    /// `needle` in `haystack`, left to right (needle not empty). Both are valid
    /// UTF-8, so every match starts and ends on a code point.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8], limit: Int = .max) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var found: [Int] = []
        haystack.withUnsafeBytes { text in
            needle.withUnsafeBytes { pattern in
                guard let base = text.baseAddress, let key = pattern.baseAddress else { return }
                // memchr finds each candidate first byte, memcmp checks the rest.
                let first = Int32(needle[0]), last = text.count - pattern.count
                var offset = 0
                while found.count < limit, offset <= last, let hit = memchr(base + offset, first, last - offset + 1) {
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, key, pattern.count) == 0 {
                        found.append(position)
                        offset = position + pattern.count
                    } else {
                        offset = position + 1
                    }
                }
            }
        }
        return found
    }

    /// `text` cut at each occurrence of `separator` (not empty), by bytes.
    static func split(_ text: String, by separator: String) -> [String] {
        let bytes = Array(text.utf8), needle = Array(separator.utf8)
        var parts: [String] = []
        var start = 0
        for offset in occurrences(of: needle, in: bytes) {
            parts.append(String(decoding: bytes[start..<offset], as: UTF8.self))
            start = offset + needle.count
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    static func registerMoreText(into table: inout [String: Resolver]) {
        for (name, leading, trailing) in [("trim", true, true), ("ltrim", true, false), ("rtrim", false, true)] {
            let one = fixed(name, [.varchar], .varchar) { .varchar(trimmed(text($0[0]), [" "], leading: leading, trailing: trailing)) }
            let two = fixed(name, [.varchar, .varchar], .varchar) {
                .varchar(trimmed(text($0[0]), Set(text($0[1]).unicodeScalars), leading: leading, trailing: trailing))
            }
            table[name] = { types in try one(types) ?? two(types) }
        }
        table["replace"] = fixed("replace", [.varchar, .varchar, .varchar], .varchar) { args in
            let (s, from, to) = (text(args[0]), text(args[1]), text(args[2]))
            guard !from.isEmpty else { return .varchar(s) }
            let bytes = Array(s.utf8), needle = Array(from.utf8), replacement = Array(to.utf8)
            let found = occurrences(of: needle, in: bytes)
            // Sized before it is built: a small text can ask for gigabytes.
            let (growth, overflow) = Int64(replacement.count).multipliedReportingOverflow(by: Int64(found.count))
            try checkStringSize(overflow ? Int.max : bytes.count + Int(growth), made: "replace")
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count - found.count * needle.count + found.count * replacement.count)
            var start = 0
            for offset in found {
                result += bytes[start..<offset]
                result += replacement
                start = offset + needle.count
            }
            result += bytes[start...]
            return .varchar(String(decoding: result, as: UTF8.self))
        }
        table["split_part"] = fixed("split_part", [.varchar, .varchar, .bigint], .varchar) { args in
            let separator = text(args[1])
            let parts = separator.isEmpty ? [text(args[0])] : split(text(args[0]), by: separator)
            let index = int(args[2])
            let position = index > 0 ? Int(index - 1) : (index < 0 ? parts.count + Int(max(index, -Int64(parts.count + 1))) : -1)
            return .varchar(position >= 0 && position < parts.count ? parts[position] : "")
        }
        table["starts_with"] = fixed("starts_with", [.varchar, .varchar], .boolean) {
            .boolean(text($0[0]).utf8.starts(with: text($0[1]).utf8))
        }
        table["ends_with"] = fixed("ends_with", [.varchar, .varchar], .boolean) {
            .boolean(text($0[0]).utf8.reversed().starts(with: text($0[1]).utf8.reversed()))
        }
        table["contains"] = fixed("contains", [.varchar, .varchar], .boolean) { args in
            let needle = Array(text(args[1]).utf8)
            return .boolean(needle.isEmpty || !occurrences(of: needle, in: Array(text(args[0]).utf8), limit: 1).isEmpty)
        }
        let position = fixed("position", [.varchar, .varchar], .bigint) { args in
            let haystack = Array(text(args[0]).utf8), needle = Array(text(args[1]).utf8)
            guard !needle.isEmpty else { return .bigint(1) }
            guard let offset = occurrences(of: needle, in: haystack, limit: 1).first else { return .bigint(0) }
            // The code points before the match: the bytes that do not continue one.
            return .bigint(Int64(haystack[..<offset].lazy.filter { $0 & 0xC0 != 0x80 }.count + 1))
        }
        table["strpos"] = position
        table["instr"] = position
        table["position"] = position
        for (name, left) in [("lpad", true), ("rpad", false)] {
            table[name] = fixed(name, [.varchar, .bigint, .varchar], .varchar) { args in
                let s = Array(text(args[0]).unicodeScalars), fill = Array(text(args[2]).unicodeScalars)
                let requested = int(args[1])
                if requested > s.count && !fill.isEmpty {
                    try checkStringSize(requested > Int64(maximumStringBytes) ? Int.max : Int(requested), made: name)
                }
                // Past the check, a width that pads is at most the cap.
                let width = Int(max(0, min(requested, Int64(maximumStringBytes))))
                if s.count >= width { return .varchar(scalars(s.prefix(width))) }
                guard !fill.isEmpty else { return .varchar(scalars(s)) }
                let padding = (0..<(width - s.count)).map { fill[$0 % fill.count] }
                return .varchar(scalars(left ? padding + s : s + padding))
            }
        }
        // A negative count drops that many from the other end; compared as
        // magnitudes, so Int64.min is no negation away from a trap.
        table["left"] = fixed("left", [.varchar, .bigint], .varchar) { args in
            let s = Array(text(args[0]).unicodeScalars), n = int(args[1])
            let drop = Int(min(n.magnitude, UInt64(s.count)))
            return .varchar(scalars(n >= 0 ? s.prefix(drop) : s.dropLast(drop)))
        }
        table["right"] = fixed("right", [.varchar, .bigint], .varchar) { args in
            let s = Array(text(args[0]).unicodeScalars), n = int(args[1])
            let drop = Int(min(n.magnitude, UInt64(s.count)))
            return .varchar(scalars(n >= 0 ? s.suffix(drop) : s.dropFirst(drop)))
        }
        // reverse keeps grapheme clusters whole (an emoji with its modifiers,
        // a letter with its accents), as DuckDB, whose clusters do not join
        // "\r\n": that pair comes out as "\n\r".
        table["reverse"] = fixed("reverse", [.varchar], .varchar) {
            .varchar(text($0[0]).reversed().map { $0 == "\r\n" ? "\n\r" : String($0) }.joined())
        }
        table["strlen"] = fixed("strlen", [.varchar], .bigint) { .bigint(Int64(text($0[0]).utf8.count)) }
        table["ascii"] = fixed("ascii", [.varchar], .bigint) { .bigint(Int64(text($0[0]).unicodeScalars.first?.value ?? 0)) }
        table["chr"] = fixed("chr", [.bigint], .varchar) { args in
            let code = int(args[0])
            guard let value = UInt32(exactly: code), let scalar = Unicode.Scalar(value) else {
                throw MinerQLError(.invalidInput, "Invalid UTF8 Codepoint \(code)")
            }
            return .varchar(String(Character(scalar)))
        }
        table["repeat"] = fixed("repeat", [.varchar, .bigint], .varchar) { args in
            let n = int(args[1]), s = text(args[0])
            guard n > 0, !s.isEmpty else { return .varchar("") }
            let (bytes, overflow) = Int64(s.utf8.count).multipliedReportingOverflow(by: n)
            try checkStringSize(overflow ? Int.max : Int(bytes), made: "repeat")
            return .varchar(String(repeating: s, count: Int(n)))
        }
        table["concat"] = { types in
            guard !types.isEmpty else { return nil }
            return ScalarFunction("concat", types, .varchar) { args, count, _ in
                var output = [String](repeating: "", count: count)
                for r in 0..<count {
                    for arg in args where !arg.isNull(r) { output[r] += arg.value(at: r).description }
                }
                return Vector(.varchar(StringVector(output)))
            }
        }
        // Each takes DuckDB's options string last (see RegexCache.Options).
        let regex: @Sendable ([Value], Int, Int?) throws -> RegexCache.Pattern = { args, pattern, options in
            try RegexCache.shared.regex(text(args[pattern]), options: options.map { text(args[$0]) } ?? "")
        }
        let matches = fixed("regexp_matches", [.varchar, .varchar], .boolean) { .boolean(try regex($0, 1, nil).firstMatch(in: text($0[0])) != nil) }
        let matchesWithOptions = fixed("regexp_matches", [.varchar, .varchar, .varchar], .boolean) {
            .boolean(try regex($0, 1, 2).firstMatch(in: text($0[0])) != nil)
        }
        table["regexp_matches"] = { types in try matches(types) ?? matchesWithOptions(types) }
        let fullMatch = fixed("regexp_full_match", [.varchar, .varchar], .boolean) { .boolean(try regex($0, 1, nil).matchesWhole(text($0[0]))) }
        let fullMatchWithOptions = fixed("regexp_full_match", [.varchar, .varchar, .varchar], .boolean) {
            .boolean(try regex($0, 1, 2).matchesWhole(text($0[0])))
        }
        table["regexp_full_match"] = { types in try fullMatch(types) ?? fullMatchWithOptions(types) }
        let replaceFirst = fixed("regexp_replace", [.varchar, .varchar, .varchar], .varchar) { args in
            .varchar(try regex(args, 1, nil).replacing(in: text(args[0]), with: text(args[2]), all: false))
        }
        let replaceWithOptions = fixed("regexp_replace", [.varchar, .varchar, .varchar, .varchar], .varchar) { args in
            let all = try RegexCache.Options(text(args[3])).global
            return .varchar(try regex(args, 1, 3).replacing(in: text(args[0]), with: text(args[2]), all: all))
        }
        table["regexp_replace"] = { types in try replaceFirst(types) ?? replaceWithOptions(types) }
        let extract = fixed("regexp_extract", [.varchar, .varchar], .varchar) { args in
            .varchar(try regex(args, 1, nil).firstMatch(in: text(args[0]))?.first ?? "")
        }
        let group: @Sendable ([Value], Int?) throws -> Value = { args, options in
            let pattern = try regex(args, 1, options)
            let index = int(args[2])
            guard index >= 0, index < pattern.groupCount + 1 else {
                throw MinerQLError(.invalidInput, "Pattern has fewer than \(index) groups")
            }
            let groups = pattern.firstMatch(in: text(args[0])) ?? []
            return .varchar(index < groups.count ? groups[Int(index)] : "")
        }
        let extractGroup = fixed("regexp_extract", [.varchar, .varchar, .bigint], .varchar) { try group($0, nil) }
        let extractGroupWithOptions = fixed("regexp_extract", [.varchar, .varchar, .bigint, .varchar], .varchar) { try group($0, 3) }
        table["regexp_extract"] = { types in try extract(types) ?? extractGroup(types) ?? extractGroupWithOptions(types) }
    }
}
