// Date and time functions: parts (year … dayofweek, extract/date_part),
// date_trunc, date_diff, make_date, last_day, strftime/strptime, current_date.
// DATE arguments are days since the epoch; TIMESTAMP arguments microseconds.
import Glibc

extension FunctionRegistry {
    /// Days and microseconds of the day of a DATE or TIMESTAMP value.
    static func split(_ value: Value) -> (days: Int, micros: Int64)? {
        switch value {
        case .date(let d): return (Int(d), 0)
        case .timestamp(let t):
            let (days, micros) = CheckedMath.floorDivide(t, by: DateCodec.microsPerDay)
            return (Int(days), micros)
        default: return nil
        }
    }

    /// One named part of a date or timestamp, as DuckDB numbers it.
    static func part(_ name: String, of value: Value) throws -> Int64? {
        guard let (days, micros) = split(value) else { return nil }
        let (y, m, d) = DateCodec.civil(days: days)
        let seconds = micros / 1_000_000
        switch name.lowercased() {
        case "year", "years", "y": return Int64(y)
        case "month", "months", "mon": return Int64(m)
        case "day", "days", "d", "dayofmonth": return Int64(d)
        case "quarter", "quarters": return Int64((m - 1) / 3 + 1)
        case "dayofweek", "dow", "weekday": return Int64(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        case "isodow": return Int64(((days % 7) + 10) % 7 + 1)
        case "dayofyear", "doy": return Int64(days - DateCodec.days(year: y, month: 1, day: 1) + 1)
        case "week", "weeks", "weekofyear":
            // ISO week: the week (Monday to Sunday) containing the year's first Thursday is week 1.
            let thursday = days - ((days % 7 + 10) % 7) + 3
            let year = DateCodec.civil(days: thursday).year
            return Int64((thursday - DateCodec.days(year: year, month: 1, day: 1)) / 7 + 1)
        case "hour", "hours", "h": return seconds / 3600
        case "minute", "minutes", "m": return seconds / 60 % 60
        case "second", "seconds", "s": return seconds % 60
        case "epoch": return Int64(days) * 86_400 + seconds
        default:
            throw MinerQLError(.conversion, "extract specifier \"\(name)\" not recognized")
        }
    }

    /// The periods date_trunc truncates to.
    enum TruncationUnit {
        case year, quarter, month, week, day, hour, minute, second

        init(_ name: String) throws {
            switch name.lowercased() {
            case "year", "years": self = .year
            case "quarter", "quarters": self = .quarter
            case "month", "months": self = .month
            case "week", "weeks": self = .week
            case "day", "days": self = .day
            case "hour", "hours": self = .hour
            case "minute", "minutes": self = .minute
            case "second", "seconds": self = .second
            default: throw MinerQLError(.conversion, "date_trunc specifier \"\(name)\" not recognized")
            }
        }

        /// The start of the period holding a day and time of day, in
        /// microseconds; throws for a date whose midnight is no timestamp.
        func truncate(days: Int, micros: Int64) throws -> Int64 {
            let start: (days: Int, micros: Int64)
            switch self {
            case .year, .quarter, .month:
                let (y, m, _) = DateCodec.civil(days: days)
                let month = self == .year ? 1 : self == .quarter ? (m - 1) / 3 * 3 + 1 : m
                start = (DateCodec.days(year: y, month: month, day: 1), 0)
            case .week: start = (days - ((days % 7 + 10) % 7), 0)
            case .day: start = (days, 0)
            case .hour: start = (days, micros / 3_600_000_000 * 3_600_000_000)
            case .minute: start = (days, micros / 60_000_000 * 60_000_000)
            case .second: start = (days, micros / 1_000_000 * 1_000_000)
            }
            guard let date = Int32(exactly: start.days), let result = DateCodec.timestampMicros(days: date, plus: start.micros) else {
                throw MinerQLError(.outOfRange, "date_trunc: the result is out of the range of TIMESTAMP")
            }
            return result
        }
    }

    /// date_trunc over whole vectors: the unit text is parsed once per change,
    /// dates and timestamps are read unboxed.
    static func truncateKernel(_ args: [Vector], _ count: Int, _ call: FunctionContext) throws -> Vector {
        let input = args[1]
        var output = [Int64](repeating: 0, count: count)
        var validity = Validity.allValid
        // The unit and the row whose text it was parsed from.
        var unit: (row: Int, parsed: TruncationUnit)?
        try Kernels.strings(args[0]).withReader { names in
            for row in 0..<count {
                if args[0].isNull(row) || input.isNull(row) {
                    validity.setInvalid(row, count: count)
                    continue
                }
                if unit.map({ names.isSame(row, as: names, $0.row) }) != true {
                    unit = (row, try TruncationUnit(names.string(row)))
                }
                guard let parsed = unit?.parsed else { continue }
                switch input.data {
                case .date(let dates): output[row] = try parsed.truncate(days: Int(dates[row]), micros: 0)
                case .timestamp(let stamps):
                    let (days, micros) = CheckedMath.floorDivide(stamps[row], by: DateCodec.microsPerDay)
                    output[row] = try parsed.truncate(days: Int(days), micros: micros)
                default: validity.setInvalid(row, count: count)
                }
            }
        }
        return Vector(.timestamp(output), validity: validity)
    }

    static func registerDates(into table: inout [String: Resolver]) {
        for name in ["year", "month", "day", "quarter", "dayofweek", "dayofyear", "week", "hour", "minute", "second", "isodow", "weekofyear", "dayofmonth"] {
            let forDate = fixed(name, [.date], .bigint) { try part(name, of: $0[0]).map(Value.bigint) ?? .null }
            let forTimestamp = fixed(name, [.timestamp], .bigint) { try part(name, of: $0[0]).map(Value.bigint) ?? .null }
            table[name] = { types in try (types.first == .timestamp ? forTimestamp(types) : forDate(types)) }
        }
        let datePart = fixed("date_part", [.varchar, .date], .bigint) { try part(text($0[0]), of: $0[1]).map(Value.bigint) ?? .null }
        let timestampPart = fixed("date_part", [.varchar, .timestamp], .bigint) { try part(text($0[0]), of: $0[1]).map(Value.bigint) ?? .null }
        table["date_part"] = { types in try (types.last == .timestamp ? timestampPart(types) : datePart(types)) }
        table["datepart"] = table["date_part"]
        table["date_trunc"] = { types in
            guard types.count == 2, [.varchar, .null].contains(types[0]), [.date, .timestamp, .null].contains(types[1]) else { return nil }
            return ScalarFunction("date_trunc", [.varchar, types[1] == .timestamp ? .timestamp : .date], .timestamp, kernel: truncateKernel)
        }
        table["datetrunc"] = table["date_trunc"]
        let diff: @Sendable ([Value]) throws -> Value = { args in
            let name = text(args[0]).lowercased()
            guard let (d1, m1) = split(args[1]), let (d2, m2) = split(args[2]) else { return .null }
            let (y1, mo1, _) = DateCodec.civil(days: d1), (y2, mo2, _) = DateCodec.civil(days: d2)
            // Only the units below a day need the difference in microseconds,
            // which two far-apart timestamps can overflow.
            var micros: Int64 {
                get throws {
                    guard let t1 = DateCodec.timestampMicros(days: Int32(clamping: d1), plus: m1),
                          let t2 = DateCodec.timestampMicros(days: Int32(clamping: d2), plus: m2),
                          case (let micros, false) = t2.subtractingReportingOverflow(t1) else {
                        throw MinerQLError(.outOfRange, "date_diff: the difference does not fit in microseconds")
                    }
                    return micros
                }
            }
            switch name {
            case "year", "years": return .bigint(Int64(y2 - y1))
            case "quarter", "quarters": return .bigint(Int64((y2 * 12 + mo2 - 1) / 3 - (y1 * 12 + mo1 - 1) / 3))
            case "month", "months": return .bigint(Int64((y2 - y1) * 12 + mo2 - mo1))
            case "week", "weeks": return .bigint(Int64(d2 - d1) / 7)
            case "day", "days": return .bigint(Int64(d2 - d1))
            case "hour", "hours": return .bigint(try micros / 3_600_000_000)
            case "minute", "minutes": return .bigint(try micros / 60_000_000)
            case "second", "seconds": return .bigint(try micros / 1_000_000)
            default: throw MinerQLError(.conversion, "date_diff specifier \"\(name)\" not recognized")
            }
        }
        let diffDates = fixed("date_diff", [.varchar, .date, .date], .bigint, diff)
        let diffTimestamps = fixed("date_diff", [.varchar, .timestamp, .timestamp], .bigint, diff)
        table["date_diff"] = { types in try (types.dropFirst().contains(.timestamp) ? diffTimestamps(types) : diffDates(types)) }
        table["datediff"] = table["date_diff"]
        table["make_date"] = fixed("make_date", [.bigint, .bigint, .bigint], .date) { args in
            let (y, m, d) = (int(args[0]), int(args[1]), int(args[2]))
            guard y > -1_000_000, y < 1_000_000, (1...12).contains(m), d >= 1, d <= Int64(DateCodec.daysIn(month: Int(m), year: Int(y))) else {
                throw MinerQLError(.conversion, "Date out of range: \(y)-\(m)-\(d)")
            }
            // |y| < 1,000,000 years is within ±366 million days: an Int32.
            return .date(Int32(DateCodec.days(year: Int(y), month: Int(m), day: Int(d))))
        }
        table["last_day"] = fixed("last_day", [.date], .date) { args in
            guard let (days, _) = split(args[0]) else { return .null }
            let (y, m, _) = DateCodec.civil(days: days)
            guard let last = Int32(exactly: DateCodec.days(year: y, month: m, day: DateCodec.daysIn(month: m, year: y))) else {
                throw MinerQLError(.conversion, "Date out of range: \(y)-\(m + 1)-1")
            }
            return .date(last)
        }
        let format: @Sendable ([Value]) throws -> Value = { args in
            guard let (days, micros) = split(args[0]) else { return .null }
            return .varchar(DateCodec.format(days: days, micros: micros, pattern: text(args[1])))
        }
        let formatDate = fixed("strftime", [.date, .varchar], .varchar, format)
        let formatTimestamp = fixed("strftime", [.timestamp, .varchar], .varchar, format)
        table["strftime"] = { types in try (types.first == .timestamp ? formatTimestamp(types) : formatDate(types)) }
        table["strptime"] = fixed("strptime", [.varchar, .varchar], .timestamp) { args in
            guard let micros = DateCodec.parseTimestamp(text(args[0]), format: text(args[1])) else {
                throw MinerQLError(.invalidInput, "Could not parse string \"\(text(args[0]))\" according to format specifier \"\(text(args[1]))\"")
            }
            return .timestamp(micros)
        }
        table["current_date"] = { types in
            guard types.isEmpty else { return nil }
            return ScalarFunction("current_date", [], .date, deterministic: false) { _, count, _ in
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                return Vector(.date([Int32](repeating: Int32(now.tv_sec / 86_400), count: count)))
            }
        }
        table["today"] = table["current_date"]
        for unit in ["year", "month", "week", "day", "hour", "minute", "second"] {
            let fromInteger = fixed("to_\(unit)s", [.bigint], .interval) { args in
                var interval = Interval()
                _ = try Interval.add(Double(int(args[0])), unit: unit, to: &interval)
                return .interval(interval)
            }
            let fromDouble = fixed("to_\(unit)s", [.double], .interval) { args in
                guard case .double(let amount) = args[0] else { return .null }
                var interval = Interval()
                _ = try Interval.add(amount, unit: unit, to: &interval)
                return .interval(interval)
            }
            table["to_\(unit)s"] = { types in try (types.first == .double ? fromDouble(types) : fromInteger(types)) }
        }
        table["date_add"] = { types in
            guard types.count == 2, [.date, .timestamp].contains(types[0]), types[1] == .interval else { return nil }
            return ScalarFunction("date_add", [.timestamp, .interval], .timestamp) { args, _, call in
                try Arithmetic.apply(.add, args[0], args[1], type: .timestamp, settings: call.settings, at: call.position)
            }
        }
    }
}
