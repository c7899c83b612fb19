// INTERVAL values as DuckDB keeps them: months, days and microseconds apart,
// because a month has no fixed length. Comparison, equality and hashing treat
// a month as 30 days and a day as 24 hours, as DuckDB does: `1 month` equals
// `30 days`, in a WHERE clause and as a GROUP BY key alike.

/// A span of time: months, days and microseconds.
public struct Interval: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var months: Int32
    public var days: Int32
    public var micros: Int64

    public init(months: Int32 = 0, days: Int32 = 0, micros: Int64 = 0) {
        self.months = months
        self.days = days
        self.micros = micros
    }

    /// The interval with whole 30-day months carried out of days and
    /// microseconds and whole days out of microseconds (DuckDB's
    /// Interval::Normalize); compared field by field, it orders intervals
    /// exactly, with no total that could overflow.
    var normalized: (months: Int64, days: Int64, micros: Int64) {
        let microsPerMonth = DateCodec.microsPerDay * 30
        let monthsFromMicros = micros / microsPerMonth
        let restMicros = micros - monthsFromMicros * microsPerMonth
        let daysFromMicros = restMicros / DateCodec.microsPerDay
        let monthsFromDays = Int64(days) / 30
        return (Int64(months) + monthsFromDays + monthsFromMicros,
                Int64(days) - monthsFromDays * 30 + daysFromMicros,
                restMicros - daysFromMicros * DateCodec.microsPerDay)
    }

    public static func == (a: Interval, b: Interval) -> Bool { a.normalized == b.normalized }

    public static func < (a: Interval, b: Interval) -> Bool { a.normalized < b.normalized }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.months)
        hasher.combine(n.days)
        hasher.combine(n.micros)
    }

    /// `1 year 2 months 3 days 04:05:06`, as DuckDB prints intervals.
    public var description: String {
        var parts: [String] = []
        func unit(_ n: Int64, _ name: String) { if n != 0 { parts.append("\(n) \(name)\(abs(n) == 1 ? "" : "s")") } }
        unit(Int64(months / 12), "year")
        unit(Int64(months % 12), "month")
        unit(Int64(days), "day")
        if micros != 0 || parts.isEmpty {
            let sign = micros < 0 ? "-" : ""
            let total = micros.magnitude
            let seconds = total / 1_000_000, fraction = total % 1_000_000
            func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
            var time = "\(sign)\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
            if fraction > 0 {
                var digits = String(fraction)
                digits = String(repeating: "0", count: 6 - digits.count) + digits
                while digits.hasSuffix("0") { digits.removeLast() }
                time += "." + digits
            }
            parts.append(time)
        }
        return parts.joined(separator: " ")
    }

    /// Parses `1 year 2 months`, `90 days`, `1.5 hours`, `04:05:06`, `-1 day`.
    public static func parse(_ text: String) -> Interval? {
        var result = Interval()
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," })[...]
        guard !words.isEmpty else { return nil }
        while let word = words.first {
            words = words.dropFirst()
            if word.contains(":") {
                let negative = word.hasPrefix("-")
                let parts = word.drop { $0 == "-" || $0 == "+" }.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count >= 2, parts.count <= 3, let h = Int64(parts[0]), let m = Int64(parts[1]) else { return nil }
                let sign: Double = negative ? -1 : 1
                guard (try? add(sign * Double(h), unit: "hour", to: &result)) == true,
                      (try? add(sign * Double(m), unit: "minute", to: &result)) == true else { return nil }
                if parts.count == 3 {
                    guard let s = Double(parts[2]), (try? add(sign * s, unit: "second", to: &result)) == true else { return nil }
                }
                continue
            }
            guard let amount = Double(word) else { return nil }
            guard let unitWord = words.first else { return nil }
            words = words.dropFirst()
            var unit = String(unitWord)
            if unit.hasSuffix("s") && unit.count > 1 { unit.removeLast() }
            guard (try? add(amount, unit: unit, to: &result)) == true else { return nil }
        }
        return result
    }

    /// Adds `amount` of a unit (singular, lowercase); false for an unknown
    /// unit. An amount that is not finite or does not fit throws.
    static func add(_ amount: Double, unit: String, to interval: inout Interval) throws -> Bool {
        func whole(_ count: Double) throws -> Int64 { try Cast.bigint(fromDouble: count, at: nil) }
        func narrow(_ count: Double) throws -> Int32 {
            let wide = try whole(count)
            guard let narrow = Int32(exactly: wide) else {
                throw MinerQLError(.conversion, "Type INT64 with value \(wide) can't be cast because the value is out of range for the destination type INT32")
            }
            return narrow
        }
        func sum<T: FixedWidthInteger>(_ a: T, _ b: T) throws -> T {
            let (sum, overflow) = a.addingReportingOverflow(b)
            guard !overflow else { throw MinerQLError(.outOfRange, "Interval value out of range") }
            return sum
        }
        switch unit {
        case "year", "y", "yr": interval.months = try sum(interval.months, narrow(amount * 12))
        case "month", "mon": interval.months = try sum(interval.months, narrow(amount))
        case "week", "w": interval.days = try sum(interval.days, narrow(amount * 7))
        case "day", "d": interval.days = try sum(interval.days, narrow(amount))
        case "hour", "h", "hr": interval.micros = try sum(interval.micros, whole(amount * 3_600_000_000))
        case "minute", "min", "m": interval.micros = try sum(interval.micros, whole(amount * 60_000_000))
        case "second", "sec", "s": interval.micros = try sum(interval.micros, whole(amount * 1_000_000))
        case "millisecond", "ms", "msec": interval.micros = try sum(interval.micros, whole(amount * 1_000))
        case "microsecond", "us": interval.micros = try sum(interval.micros, whole(amount))
        default: return false
        }
        return true
    }

    /// `timestamp + interval`: months first (clamping the day to the month's
    /// length, so Jan 31 + 1 month is Feb 28), then days and microseconds.
    static func add(_ interval: Interval, toMicros timestamp: Int64, sign: Int64 = 1) -> Int64? {
        let day = DateCodec.microsPerDay
        let (start, timeOfDay) = CheckedMath.floorDivide(timestamp, by: day)
        var days = start
        if interval.months != 0 {
            let (y, m, d) = DateCodec.civil(days: Int(days))
            let total = y * 12 + (m - 1) + Int(sign) * Int(interval.months)
            let year = total >= 0 ? total / 12 : (total - 11) / 12
            let month = total - year * 12 + 1
            days = Int64(DateCodec.days(year: year, month: month, day: min(d, DateCodec.daysIn(month: month, year: year))))
        }
        // A timestamp's day (±1.1e8) moved by at most 2^31 months (6.6e10 days)
        // and 2^31 days stays far inside Int64.
        days += sign * Int64(interval.days)
        let (base, o1) = days.multipliedReportingOverflow(by: day)
        let (withTime, o2) = base.addingReportingOverflow(timeOfDay)
        let (result, o3) = sign < 0 ? withTime.subtractingReportingOverflow(interval.micros) : withTime.addingReportingOverflow(interval.micros)
        return o1 || o2 || o3 ? nil : result
    }
}
