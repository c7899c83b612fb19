// Conversion between civil dates and the day numbers DATE columns store. Uses
// Howard Hinnant's days-from-civil algorithm: exact, branch-light, no Foundation.

/// Converts between `YYYY-MM-DD` text, (year, month, day) and days since 1970-01-01.
public enum DateCodec {
    /// Days since 1970-01-01 for a proleptic Gregorian date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The (year, month, day) of a day number.
    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY-MM-DD` (optionally `Y-M-D` with 1-2 digit month and day, as
    /// DuckDB accepts); nil if the text is not a valid date.
    public static func parse<S: Sequence>(_ bytes: S) -> Int32? where S.Element == UInt8 {
        var parts = [0, 0, 0]
        var digits = [0, 0, 0]
        var index = 0
        var negative = false
        var first = true
        for b in bytes {
            if first && b == UInt8(ascii: "-") { negative = true; first = false; continue }
            first = false
            if b >= 48 && b <= 57 {
                guard digits[index] < 9 else { return nil }
                parts[index] = parts[index] * 10 + Int(b - 48)
                digits[index] += 1
            } else if b == UInt8(ascii: "-") {
                index += 1
                guard index < 3 else { return nil }
            } else {
                return nil
            }
        }
        guard index == 2, digits[0] >= 1, digits[1] >= 1, digits[1] <= 2, digits[2] >= 1, digits[2] <= 2 else { return nil }
        let year = negative ? -parts[0] : parts[0]
        let (month, day) = (parts[1], parts[2])
        guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        let d = days(year: year, month: month, day: day)
        guard d >= Int(Int32.min), d <= Int(Int32.max) else { return nil }
        return Int32(d)
    }

    /// Also takes DuckDB's era suffix: `1994-08-14 (BC)` is the year -1993.
    public static func parse(_ text: String) -> Int32? {
        let trimmed = text.trimmingSpaces()
        guard trimmed.lowercased().hasSuffix(" (bc)") else { return parse(trimmed.utf8) }
        return parseBC(String(trimmed.dropLast(5)).trimmingSpaces())
    }

    /// A BC date: year N BC is the year 1 - N (so 1 BC is year 0, a leap year).
    private static func parseBC(_ text: String) -> Int32? {
        guard let dash = text.firstIndex(of: "-"), dash != text.startIndex,
              let year = Int(text[..<dash]), year >= 1 else { return nil }
        let astronomical = year == 1 ? "0000" : "-\(year - 1)"
        return parse((astronomical + text[dash...]).utf8)
    }

    /// `YYYY-MM-DD` for a day number.
    public static func format(days: Int32) -> String {
        let (y, m, d) = civil(days: Int(days))
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(abs(v))
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        // Year 0 is 1 BC, as DuckDB prints it: `0044-03-15 (BC)`.
        guard y <= 0 else { return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))" }
        return "\(pad(1 - y, 4))-\(pad(m, 2))-\(pad(d, 2)) (BC)"
    }
}

extension DateCodec {
    static let microsPerDay: Int64 = 86_400_000_000

    /// Parses `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]` (or a bare date, at midnight)
    /// into microseconds since 1970-01-01 00:00:00; nil if invalid.
    public static func parseTimestamp(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces()
        guard let split = trimmed.firstIndex(where: { $0 == " " || $0 == "T" }) else {
            return parse(trimmed).flatMap { timestampMicros(days: $0, plus: 0) }
        }
        var date = String(trimmed[..<split])
        var time = Substring(trimmed[trimmed.index(after: split)...])
        // DuckDB writes the era between the date and the time: `1994-08-14 (BC) 10:00:00`.
        if time.lowercased().hasPrefix("(bc)") {
            date += " " + time.prefix(4)
            time = time.dropFirst(4).drop { $0 == " " }
        }
        guard let days = parse(date) else { return nil }
        if time.hasSuffix("Z") { time = time.dropLast() }
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let hour = Int(parts[0]), let minute = Int(parts[1]),
              parts[0].count <= 2, parts[1].count == 2, (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        var micros = Int64(hour * 3600 + minute * 60) * 1_000_000
        if parts.count == 3 {
            let secondParts = parts[2].split(separator: ".", omittingEmptySubsequences: false)
            guard secondParts.count <= 2, secondParts[0].count == 2, let second = Int(secondParts[0]), (0..<60).contains(second) else { return nil }
            micros += Int64(second) * 1_000_000
            if secondParts.count == 2 {
                let digits = secondParts[1]
                guard !digits.isEmpty, digits.count <= 6, let fraction = Int64(digits) else { return nil }
                var scale: Int64 = 1
                for _ in 0..<(6 - digits.count) { scale *= 10 }
                micros += fraction * scale
            }
        }
        return timestampMicros(days: days, plus: micros)
    }

    /// `days` at midnight plus `micros`, or nil past what an Int64 of
    /// microseconds holds (dates beyond about year 294,000).
    static func timestampMicros(days: Int32, plus micros: Int64) -> Int64? {
        let (midnight, overflow) = Int64(days).multipliedReportingOverflow(by: microsPerDay)
        let (sum, overflowed) = midnight.addingReportingOverflow(micros)
        return overflow || overflowed ? nil : sum
    }

    /// Midnight of `days` as a timestamp, the earliest or latest timestamp for
    /// a date beyond them (where a value is promoted and cannot fail).
    static func saturatingTimestamp(days: Int32) -> Int64 {
        timestampMicros(days: days, plus: 0) ?? (days < 0 ? Int64.min : Int64.max)
    }

    /// `YYYY-MM-DD HH:MM:SS`, with `.ffffff` (trailing zeros trimmed) when there
    /// are fractional seconds, as DuckDB prints timestamps.
    public static func format(micros: Int64) -> String {
        var days = micros / microsPerDay
        var rest = micros % microsPerDay
        if rest < 0 {
            rest += microsPerDay
            days -= 1
        }
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = format(days: Int32(clamping: days)) + " \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses a date with a strptime-style format (see parseTimestamp(_:format:));
    /// nil if it does not match or has a time of day.
    public static func parse(_ text: String, format: String) -> Int32? {
        guard let micros = parseTimestamp(text, format: format), micros % microsPerDay == 0 else { return nil }
        return Int32(exactly: micros / microsPerDay)
    }

    /// Parses with a strptime-style format: `%Y` `%y` `%m` `%d` `%b`/`%B`
    /// (month names), `%H` `%M` `%S`, `%f` (fraction) and `%%`; other
    /// characters match literally. Microseconds since the epoch, or nil.
    public static func parseTimestamp(_ text: String, format: String) -> Int64? {
        let input = Array(text.trimmingSpaces().unicodeScalars)
        var i = 0
        var year: Int?, month: Int?, day: Int?
        var hour = 0, minute = 0, second = 0, fraction: Int64 = 0
        func number(maxDigits: Int) -> Int? {
            var value = 0, digits = 0
            while i < input.count, digits < maxDigits, input[i].value >= 48, input[i].value <= 57 {
                value = value * 10 + Int(input[i].value - 48)
                digits += 1
                i += 1
            }
            return digits > 0 ? value : nil
        }
        var f = Array(format.unicodeScalars)[...]
        while let c = f.first {
            f = f.dropFirst()
            if c == "%", let directive = f.first {
                f = f.dropFirst()
                switch directive {
                case "Y": year = number(maxDigits: 4)
                case "y": year = number(maxDigits: 2).map { $0 < 69 ? 2000 + $0 : 1900 + $0 }
                case "m": month = number(maxDigits: 2)
                case "d": day = number(maxDigits: 2)
                case "H": guard let h = number(maxDigits: 2) else { return nil }; hour = h
                case "M": guard let m = number(maxDigits: 2) else { return nil }; minute = m
                case "S": guard let s = number(maxDigits: 2) else { return nil }; second = s
                case "f":
                    let start = i
                    guard let digits = number(maxDigits: 6) else { return nil }
                    var scale: Int64 = 1
                    for _ in 0..<(6 - (i - start)) { scale *= 10 }
                    fraction = Int64(digits) * scale
                case "b", "B":
                    let rest = String(String.UnicodeScalarView(input[i...])).lowercased()
                    guard let index = monthNames.firstIndex(where: { rest.hasPrefix($0) }) else { return nil }
                    month = index + 1
                    i += 3
                    let full = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                                "october", "november", "december"][index]
                    if rest.hasPrefix(full) { i += full.count - 3 }
                case "%":
                    guard i < input.count, input[i] == "%" else { return nil }
                    i += 1
                default: return nil
                }
            } else {
                guard i < input.count, input[i] == c else { return nil }
                i += 1
            }
        }
        // A format without month or day means the first, as in strptime(3) and DuckDB.
        let (monthOrFirst, dayOrFirst) = (month ?? 1, day ?? 1)
        guard i == input.count, let year, monthOrFirst >= 1, monthOrFirst <= 12, dayOrFirst >= 1,
              dayOrFirst <= daysIn(month: monthOrFirst, year: year), hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        guard let date = Int32(exactly: days(year: year, month: monthOrFirst, day: dayOrFirst)) else { return nil }
        return timestampMicros(days: date, plus: seconds * 1_000_000 + fraction)
    }

    /// strftime: `%Y %y %m %d %H %M %S %f %b %B %a %A %j %%`; other characters
    /// are copied.
    public static func format(days: Int, micros: Int64, pattern: String) -> String {
        let (y, m, d) = civil(days: days)
        let seconds = micros / 1_000_000
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let weekday = ((days % 7) + 11) % 7
        var out = ""
        var directive = false
        for c in pattern {
            guard directive else {
                if c == "%" { directive = true } else { out.append(c) }
                continue
            }
            directive = false
            switch c {
            case "Y": out += y < 0 ? String(y) : pad(Int64(y), 4)  // DuckDB: -43, not -0043
            case "y": out += pad(Int64(y % 100), 2)
            case "m": out += pad(Int64(m), 2)
            case "d": out += pad(Int64(d), 2)
            case "H": out += pad(seconds / 3600, 2)
            case "M": out += pad(seconds / 60 % 60, 2)
            case "S": out += pad(seconds % 60, 2)
            case "f": out += pad(micros % 1_000_000, 6)
            case "b": out += String(months[m - 1].prefix(3))
            case "B": out += months[m - 1]
            case "a": out += String(weekdays[weekday].prefix(3))
            case "A": out += weekdays[weekday]
            case "j": out += pad(Int64(days - DateCodec.days(year: y, month: 1, day: 1) + 1), 3)
            case "%": out += "%"
            default: out += "%" + String(c)
            }
        }
        return out
    }
}
