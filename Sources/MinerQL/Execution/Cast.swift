// Conversions between types, over whole vectors, with DuckDB's rules and error
// texts: doubles round half away from zero into BIGINT, strings are parsed
// strictly, and anything that does not fit is a Conversion Error.

enum Cast {
    /// Converts every row of `vector` to `target`.
    static func vector(_ vector: Vector, to target: DataType, at position: SourcePosition? = nil) throws -> Vector {
        if vector.type == target { return vector }
        let count = vector.count
        if case .null = vector.data { return Vector.nulls(target, count: count) }
        let validity = vector.validity
        switch (vector.data, target) {
        case (.bigint(let a), .double):
            return Vector(.double(a.map(Double.init)), validity: validity)
        case (.double(let a), .bigint):
            var output = [Int64](repeating: 0, count: count)
            for row in 0..<count where validity.isValid(row) {
                output[row] = try bigint(fromDouble: a[row], at: position)
            }
            return Vector(.bigint(output), validity: validity)
        case (.boolean(let a), .bigint):
            return Vector(.bigint(a.map { $0 ? 1 : 0 }), validity: validity)
        case (.boolean(let a), .double):
            return Vector(.double(a.map { $0 ? 1 : 0 }), validity: validity)
        case (.date(let a), .timestamp):
            var output = [Int64](repeating: 0, count: a.count)
            for i in a.indices {
                guard let micros = DateCodec.timestampMicros(days: a[i], plus: 0) else {
                    guard !validity.isValid(i) else {
                        throw MinerQLError(.conversion, "Type DATE with value \(DateCodec.format(days: a[i])) can't be cast because the value is out of range for the destination type TIMESTAMP", at: position)
                    }
                    continue
                }
                output[i] = micros
            }
            return Vector(.timestamp(output), validity: validity)
        case (.timestamp(let a), .date):
            // Every timestamp's day (±106 million) is an Int32.
            return Vector(.date(a.map { Int32(CheckedMath.floorDivide($0, by: DateCodec.microsPerDay).quotient) }), validity: validity)
        case (.bigint(let a), .boolean):
            return Vector(.boolean(a.map { $0 != 0 }), validity: validity)
        case (.double(let a), .boolean):
            return Vector(.boolean(a.map { $0 != 0 }), validity: validity)
        case (_, .varchar):
            var output = StringVector()
            output.reserveCapacity(count)
            for row in 0..<count {
                if validity.isValid(row) { output.append(vector.value(at: row).description) } else { output.appendEmpty() }
            }
            return Vector(.varchar(output), validity: validity)
        case (.varchar(let a), _):
            var builder = VectorBuilder(target, capacity: count)
            for row in 0..<count {
                if validity.isValid(row) {
                    builder.append(try value(parsing: a[row], as: target, at: position))
                } else {
                    builder.appendNull()
                }
            }
            return builder.build()
        default:
            throw MinerQLError(.conversion, "Unimplemented type for cast (\(vector.type) -> \(target))", at: position)
        }
    }

    /// Converts one value (used for constants at bind time).
    static func value(_ value: Value, to target: DataType, at position: SourcePosition? = nil) throws -> Value {
        if value.isNull || value.type == target { return value }
        var builder = VectorBuilder(value.type)
        builder.append(value)
        return try vector(builder.build(), to: target, at: position).value(at: 0)
    }

    /// `Y-M-D` made of digits: a date in form, even if not a valid one.
    private static func looksLikeDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    static func bigint(fromDouble value: Double, at position: SourcePosition?) throws -> Int64 {
        let rounded = value.rounded(.toNearestOrAwayFromZero)
        guard rounded.isFinite, rounded >= -9.223372036854775808e18, rounded < 9.223372036854775808e18 else {
            throw MinerQLError(.conversion, "Type DOUBLE with value \(Value.format(double: value)) can't be cast because the value is out of range for the destination type INT64", at: position)
        }
        return Int64(rounded)
    }

    /// Parses text as a value of `type`, as `CAST('…' AS type)` does.
    static func value(parsing text: String, as type: DataType, at position: SourcePosition?) throws -> Value {
        let trimmed = text.trimmingSpaces()
        switch type {
        case .varchar: return .varchar(text)
        case .bigint:
            if let i = Int64(trimmed) { return .bigint(i) }
            if let d = Double(trimmed), d.isFinite, trimmed.contains(".") {
                return .bigint(try bigint(fromDouble: d, at: position))
            }
            throw MinerQLError(.conversion, "Could not convert string '\(text)' to INT64", at: position)
        case .double:
            if let d = Double(trimmed) { return .double(d) }
            let lower = trimmed.lowercased()
            if lower == "infinity" || lower == "+infinity" { return .double(.infinity) }
            if lower == "-infinity" { return .double(-.infinity) }
            throw MinerQLError(.conversion, "Could not convert string '\(text)' to DOUBLE", at: position)
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "t", "1", "yes", "y", "on": return .boolean(true)
            case "false", "f", "0", "no", "n", "off": return .boolean(false)
            default: throw MinerQLError(.conversion, "Could not convert string '\(text)' to BOOL", at: position)
            }
        case .date:
            if let days = DateCodec.parse(trimmed) { return .date(days) }
            if looksLikeDate(trimmed) {
                throw MinerQLError(.conversion, "date field value out of range: \"\(text)\"", at: position)
            }
            throw MinerQLError(.conversion, "invalid date field format: \"\(text)\", expected format is (YYYY-MM-DD)", at: position)
        case .interval:
            if let interval = Interval.parse(trimmed) { return .interval(interval) }
            throw MinerQLError(.conversion, "Could not convert string '\(text)' to INTERVAL", at: position)
        case .timestamp:
            if let micros = DateCodec.parseTimestamp(trimmed) { return .timestamp(micros) }
            if looksLikeDate(String(trimmed.prefix { $0 != " " && $0 != "T" })) {
                throw MinerQLError(.conversion, "timestamp field value out of range: \"\(text)\"", at: position)
            }
            throw MinerQLError(.conversion, "invalid timestamp field format: \"\(text)\", expected format is (YYYY-MM-DD HH:MM[:SS[.US]][±HH[:MM[:SS]]| ZONE])", at: position)
        case .null:
            return .null
        }
    }
}

extension String {
    /// The text without leading and trailing ASCII whitespace.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
