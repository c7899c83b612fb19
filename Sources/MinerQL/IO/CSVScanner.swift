// The byte-level half of the CSV reader: finds records and fields in the raw
// bytes without copying them (a field is a byte range), and parses the common
// shapes of numbers and dates straight from those bytes. Anything unusual falls
// back to the String parsers the sniffer uses, so both agree on every value.

/// One field of a record: a range of the input, and how it was quoted.
struct CSVField {
    var start: Int
    var end: Int
    var quoted: Bool
    /// Holds `""` pairs that stand for one quote each.
    var escaped: Bool

    /// An empty unquoted field is NULL.
    var isNull: Bool { !quoted && start == end }
}

/// Walks the records of `bytes[position..<limit]`.
struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    let name: String
    private(set) var position: Int
    let limit: Int
    /// The line the next record starts on (1-based).
    private(set) var line: Int

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, name: String, range: Range<Int>, firstLine: Int) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.name = name
        self.position = range.lowerBound
        self.limit = range.upperBound
        self.line = firstLine
    }

    var atEnd: Bool { position >= limit }

    /// Reads the next record's fields into `fields`; returns its line, or nil
    /// at the end. Blank lines are skipped.
    mutating func next(into fields: inout [CSVField]) throws -> Int? {
        // Locals, so that the byte loop keeps them in registers.
        let bytes = self.bytes, delimiter = self.delimiter, limit = self.limit
        while position < limit {
            fields.removeAll(keepingCapacity: true)
            let recordLine = line
            var fieldStart = position
            var i = position
            var quoted = false, escaped = false
            let quote = UInt8(ascii: "\"")
            while true {
                if i >= limit {
                    fields.append(CSVField(start: fieldStart, end: i, quoted: quoted, escaped: escaped))
                    position = i
                    break
                }
                let b = bytes[i]
                // Most bytes are none of quote, delimiter, CR, LF (all but the delimiter below 35).
                if b > quote && b != delimiter {
                    i += 1
                    continue
                }
                if b == quote && i == fieldStart && !quoted {
                    // A quoted field runs to the next quote not doubled.
                    quoted = true
                    var j = i + 1
                    while true {
                        guard j < limit else { throw MinerQLError(.io, "\(name):\(recordLine): unterminated quoted field") }
                        let c = bytes[j]
                        if c == quote {
                            if j + 1 < limit && bytes[j + 1] == quote {
                                escaped = true
                                j += 2
                                continue
                            }
                            break
                        }
                        if c == 10 { line += 1 }
                        j += 1
                    }
                    fieldStart = i + 1
                    let contentEnd = j
                    // After the closing quote only spaces may come before the delimiter.
                    i = j + 1
                    while i < limit && bytes[i] == 32 { i += 1 }
                    if i < limit && bytes[i] != delimiter && bytes[i] != 10 && bytes[i] != 13 {
                        throw MinerQLError(.io, "\(name):\(line): unexpected text after a closing quote")
                    }
                    fields.append(CSVField(start: fieldStart, end: contentEnd, quoted: true, escaped: escaped))
                    if i >= limit {
                        position = i
                        break
                    }
                    if bytes[i] == delimiter {
                        i += 1
                        fieldStart = i
                        quoted = false
                        escaped = false
                        if i >= limit {
                            fields.append(CSVField(start: i, end: i, quoted: false, escaped: false))
                            position = i
                            break
                        }
                        continue
                    }
                    position = endOfLine(i)
                    break
                }
                if b == delimiter {
                    fields.append(CSVField(start: fieldStart, end: i, quoted: false, escaped: false))
                    i += 1
                    fieldStart = i
                    if i >= limit {
                        fields.append(CSVField(start: i, end: i, quoted: false, escaped: false))
                        position = i
                        break
                    }
                    continue
                }
                if b == 10 || b == 13 {
                    fields.append(CSVField(start: fieldStart, end: i, quoted: quoted, escaped: escaped))
                    position = endOfLine(i)
                    break
                }
                i += 1
            }
            // A line holding nothing is no record.
            if fields.count == 1 && fields[0].isNull { continue }
            return recordLine
        }
        return nil
    }

    /// Steps over the line break at `i` (LF, CR or CRLF) and counts the line.
    private mutating func endOfLine(_ i: Int) -> Int {
        line += 1
        if bytes[i] == 13 && i + 1 < limit && bytes[i + 1] == 10 { return i + 2 }
        return i + 1
    }

    /// The field's text (quotes undoubled); nil if it is not valid UTF-8.
    func text(_ field: CSVField) -> String? {
        withBytes(field) { bytes in UTF8Validation.isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil }
    }

    /// Appends the field's bytes (quotes undoubled) to a VARCHAR column, with
    /// no String made; false if they are not valid UTF-8.
    func appendText(_ field: CSVField, to builder: inout VectorBuilder) -> Bool {
        withBytes(field) { bytes in
            guard UTF8Validation.isValid(bytes) else { return false }
            builder.appendString(bytes: bytes)
            return true
        }
    }

    /// The field's bytes, quotes undoubled.
    private func withBytes<R>(_ field: CSVField, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let slice = UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + field.start }, count: field.end - field.start)
        if !field.escaped { return body(slice) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            unescaped.append(slice[i])
            i += slice[i] == UInt8(ascii: "\"") && i + 1 < slice.count && slice[i + 1] == UInt8(ascii: "\"") ? 2 : 1
        }
        return unescaped.withUnsafeBytes(body)
    }
}

/// Parsers for the usual shapes of values, straight from bytes. Each returns
/// nil for anything else, which then goes through the String parsers.
enum CSVFastParse {
    /// `[spaces][+-]digits[spaces]` that fits an Int64.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start, e = end
        while i < e && bytes[i] == 32 { i += 1 }
        while e > i && bytes[e - 1] == 32 { e -= 1 }
        guard i < e else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < e, e - i <= 19 else { return nil }
        var value: Int64 = 0
        while i < e {
            let d = bytes[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            guard !o1 && !o2 else { return nil }
            value = a
            i += 1
        }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

    /// `[-]digits[.digits]` with at most 15 significant digits: the quotient of
    /// two exactly representable doubles, so correctly rounded like strtod.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var mantissa: Int64 = 0
        var digits = 0, fraction = 0
        var seenPoint = false
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                let d = b &- 48
                guard d < 10 else { return nil }
                mantissa = mantissa * 10 + Int64(d)
                digits += 1
                if seenPoint { fraction += 1 }
                guard digits <= 15 else { return nil }
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powersOfTen[fraction]
        return negative ? -value : value
    }

    /// `YYYY-MM-DD`.
    static func date(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32? {
        guard end - start == 10, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-") else { return nil }
        // Every digit position at once: any byte not a digit leaves a value of 10 or more.
        var notDigits: UInt8 = 0
        func digit(_ k: Int) -> Int {
            let d = bytes[start + k] &- 48
            notDigits |= d >= 10 ? 1 : 0
            return Int(d)
        }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6), day = digit(8) * 10 + digit(9)
        guard notDigits == 0, month >= 1, month <= 12, day >= 1, day <= DateCodec.daysIn(month: month, year: year) else { return nil }
        return Int32(DateCodec.days(year: year, month: month, day: day))
    }
}
